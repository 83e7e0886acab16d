import XCTest
import RegressionGate

/// End-to-end verdicts on synthetic, seeded sample sets.
final class ComparisonTests: XCTestCase {
    func compare(_ baseline: [Double], _ candidate: [Double], kernel: String = "naive", metric: Metric = .time,
                 configuration: GateConfiguration = GateConfiguration()) -> Comparison {
        Comparison(baseline: Synthetic.samples("bench", kernel: kernel, metric: metric, baseline),
                   candidate: Synthetic.samples("bench", kernel: kernel, metric: metric, candidate),
                   configuration: configuration)
    }

    func testClearRegressionIsRegressed() {
        let row = compare(Synthetic.times(20, median: 10, sigma: 0.02, seed: 1),
                          Synthetic.times(20, median: 12, sigma: 0.02, seed: 2))
        XCTAssertEqual(row.verdict, .regressed)
        XCTAssertEqual(row.ratio, 1.2, accuracy: 0.03)
        XCTAssertLessThan(row.pValue!, 0.001)
        XCTAssertGreaterThan(row.interval!.lower, 1.1)
        XCTAssertEqual(row.test?.method, .normalApproximation)
    }

    func testClearImprovementIsImproved() {
        let row = compare(Synthetic.times(20, median: 10, sigma: 0.02, seed: 3),
                          Synthetic.times(20, median: 8, sigma: 0.02, seed: 4))
        XCTAssertEqual(row.verdict, .improved)
        XCTAssertLessThan(row.interval!.upper, 0.9)
    }

    func testFiveSamplesEachCanRegressThroughTheExactTest() {
        // n₁ = n₂ = 5 without overlap: exact p = 2/252 < 0.01 (the normal approximation gives 0.012).
        let row = compare([10.0, 10.1, 9.9, 10.05, 9.95], [12.0, 12.1, 11.9, 12.05, 11.95])
        XCTAssertEqual(row.test?.method, .exact)
        XCTAssertEqual(row.pValue!, 2.0 / 252.0, accuracy: 1e-12)
        XCTAssertEqual(row.verdict, .regressed)
    }

    func testPureNoiseRarelyRegressesAcrossSeeds() {
        // Two independent draws from one distribution, 200 times: the regression rate must stay
        // below 5 % (by design it is far below α = 1 %, as the effect threshold must also be met).
        var regressed = 0, improved = 0, unchanged = 0
        let configuration = GateConfiguration(resamples: 500)
        for seed in 0..<200 as Range<UInt64> {
            let row = compare(Synthetic.times(15, median: 10, sigma: 0.03, seed: 10_000 + 2 * seed),
                              Synthetic.times(15, median: 10, sigma: 0.03, seed: 10_001 + 2 * seed),
                              configuration: configuration)
            switch row.verdict {
            case .regressed: regressed += 1
            case .improved: improved += 1
            case .unchanged: unchanged += 1
            case .inconclusive: break
            }
        }
        XCTAssertLessThan(regressed, 10, "false regressions in 200 noise-only comparisons")
        XCTAssertLessThan(improved, 10, "false improvements in 200 noise-only comparisons")
        XCTAssertGreaterThan(unchanged, 100, "low-noise identical distributions should mostly be shown unchanged")
    }

    func testTooFewSamplesIsInconclusive() {
        let row = compare([10, 10.1, 9.9, 10.2], [15, 15.1, 14.9, 15.2, 15.3, 14.8])
        XCTAssertEqual(row.decision, Decision(.inconclusive, .tooFewSamples))
        XCTAssertEqual(row.baselineCount, 4)
        XCTAssertNotNil(row.interval, "statistics are still shown for small samples")
    }

    func testMinimumSamplesIsConfigurable() {
        let row = compare([10, 10.1, 9.9], [15, 15.1, 14.9], configuration: GateConfiguration(minimumSamples: 3))
        XCTAssertNotEqual(row.decision.reason, .tooFewSamples)
    }

    func testIdenticalConstantSamplesAreUnchangedWithoutNaN() {
        let constant = [Double](repeating: 3.25, count: 8)
        let row = compare(constant, constant)
        XCTAssertEqual(row.verdict, .unchanged)
        XCTAssertEqual(row.ratio, 1)
        XCTAssertEqual(row.interval?.lower, 1)
        XCTAssertEqual(row.interval?.upper, 1)
        XCTAssertEqual(row.pValue, 1)
        for value in [row.baselineMedian, row.candidateMedian, row.ratio, row.pValue!] {
            XCTAssertFalse(value.isNaN)
        }
    }

    func testSmallSignificantEffectBelowThresholdIsNotARegression() {
        let row = compare(Synthetic.times(30, median: 10, sigma: 0.004, seed: 5),
                          Synthetic.times(30, median: 10.2, sigma: 0.004, seed: 6))
        XCTAssertLessThan(row.pValue!, 0.01, "the +2 % shift is significant")
        XCTAssertNotEqual(row.verdict, .regressed)
        XCTAssertEqual(row.verdict, .unchanged)
    }

    func testPerKernelThresholdOverride() {
        let baseline = Synthetic.times(25, median: 10, sigma: 0.005, seed: 7)
        let candidate = Synthetic.times(25, median: 10.8, sigma: 0.005, seed: 8)   // +8 %
        let thresholds = Thresholds(default: 0.05, overrides: ["flash": 0.10])
        let configuration = GateConfiguration(thresholds: thresholds)
        let strict = compare(baseline, candidate, kernel: "naive", configuration: configuration)
        let lenient = compare(baseline, candidate, kernel: "flash", configuration: configuration)
        XCTAssertEqual(strict.verdict, .regressed)
        XCTAssertEqual(strict.threshold, 0.05)
        XCTAssertEqual(lenient.verdict, .unchanged)
        XCTAssertEqual(lenient.threshold, 0.10)
    }

    func testLargerIsBetterMetricDirection() {
        let baseline = Synthetic.times(20, median: 100, sigma: 0.02, seed: 9)
        let slower = Synthetic.times(20, median: 80, sigma: 0.02, seed: 10)
        let faster = Synthetic.times(20, median: 120, sigma: 0.02, seed: 11)
        XCTAssertEqual(compare(baseline, slower, metric: .throughput).verdict, .regressed)
        XCTAssertEqual(compare(baseline, faster, metric: .throughput).verdict, .improved)
        // The same numbers read as times mean the opposite.
        XCTAssertEqual(compare(baseline, slower, metric: .time).verdict, .improved)
        XCTAssertEqual(compare(baseline, faster, metric: .time).verdict, .regressed)
    }

    func testInvalidSamplesAreInconclusive() {
        let good = Synthetic.times(10, median: 10, sigma: 0.02, seed: 12)
        for bad in [[], good + [0], good + [.nan], good + [-.infinity]] {
            let row = compare(good, bad)
            XCTAssertEqual(row.decision, Decision(.inconclusive, .invalidSamples))
            XCTAssertNil(row.interval)
            XCTAssertFalse(row.baselineMedian.isNaN)
        }
    }

    func testResultsAreReproducible() {
        let x = Synthetic.times(12, median: 10, sigma: 0.05, seed: 13)
        let y = Synthetic.times(12, median: 10.6, sigma: 0.05, seed: 14)
        XCTAssertEqual(compare(x, y), compare(x, y))
    }
}
