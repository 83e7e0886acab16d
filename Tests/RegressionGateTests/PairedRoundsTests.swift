import XCTest
import RegressionGate

/// `Comparison(pairedRounds:)`: an A/B race judged from per-round ratios. Each round's machine speed
/// multiplies both sides alike, so a large round-to-round drift must neither hide a steady regression
/// nor fake one.
final class PairedRoundsTests: XCTestCase {
    /// A drift of up to ±30% per round, the same for both sides of a round.
    func drift(_ rounds: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<rounds).map { _ in 1 + 0.3 * (2 * Double(generator.next() % 1000) / 1000 - 1) }
    }

    func rounds(_ n: Int, slowdown: Double, noise: Double, seed: UInt64) -> (BenchmarkSamples, BenchmarkSamples) {
        let speed = drift(n, seed: seed)
        var generator = SeededGenerator(seed: seed &+ 1)
        let baseline = speed.map { 10 * $0 }
        let candidate = speed.map { 10 * $0 * slowdown * (1 + noise * Synthetic.standardNormal(&generator)) }
        return (Synthetic.samples("fused", baseline), Synthetic.samples("fused", candidate))
    }

    func testSteadySlowdownUnderLargeDriftRegresses() {
        let (baseline, candidate) = rounds(30, slowdown: 1.10, noise: 0.02, seed: 1)
        let row = Comparison(pairedRounds: baseline, candidate: candidate)
        XCTAssertEqual(row.verdict, .regressed)
        XCTAssertEqual(row.ratio, 1.10, accuracy: 0.02)
        XCTAssertEqual(row.testName, "signed-rank-exact")
        XCTAssertLessThan(row.pValue ?? 1, 0.01)
        // Pooled, the same values look like two overlapping spreads and prove nothing.
        XCTAssertNotEqual(Comparison(baseline: baseline, candidate: candidate).verdict, .regressed)
    }

    func testSameSpeedUnderLargeDriftIsNotARegression() {
        for seed in UInt64(1)...20 {
            let (baseline, candidate) = rounds(30, slowdown: 1.0, noise: 0.02, seed: seed * 7)
            let row = Comparison(pairedRounds: baseline, candidate: candidate)
            XCTAssertNotEqual(row.verdict, .regressed, "seed \(seed)")
            XCTAssertEqual(row.ratio, 1, accuracy: 0.02)
        }
    }

    func testTooFewRoundsAndUnpairedRoundsAreInconclusive() {
        let (baseline, candidate) = rounds(4, slowdown: 1.5, noise: 0, seed: 3)
        XCTAssertEqual(Comparison(pairedRounds: baseline, candidate: candidate).decision,
                       Decision(.inconclusive, .tooFewSamples))
        let (long, _) = rounds(8, slowdown: 1, noise: 0, seed: 4)
        XCTAssertEqual(Comparison(pairedRounds: long, candidate: candidate).decision,
                       Decision(.inconclusive, .invalidSamples))
    }

    func testReportOfPairedRoundsMatchesBenchmarks() {
        let (baseline, candidate) = rounds(20, slowdown: 1.2, noise: 0.01, seed: 5)
        let other = Synthetic.samples("tiled", baseline.values)
        let report = GateReport(pairedRounds: [baseline, other], candidate: [candidate, other])
        XCTAssertEqual(report.exitStatus, .regressed)
        XCTAssertEqual(report.regressions.map(\.key.kernel), ["fused"])
        XCTAssertEqual(report.rows.first { $0.key.kernel == "tiled" }?.verdict, .unchanged)
        XCTAssertTrue(report.render(format: .csv).contains("signed-rank-exact"))
    }
}
