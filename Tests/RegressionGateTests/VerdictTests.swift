import XCTest
import RegressionGate

/// The decision table of `Verdict.decide`, rule by rule, with hand-made statistics.
final class VerdictTests: XCTestCase {
    func decide(_ ratio: Double, _ low: Double, _ high: Double, p: Double,
                direction: Metric.Direction = .smallerIsBetter, threshold: Double = 0.05) -> Decision {
        Verdict.decide(ratio: ratio, interval: BootstrapInterval(lower: low, upper: high, confidence: 0.95, resamples: 2000),
                       pValue: p, direction: direction, threshold: threshold, alpha: 0.01)
    }

    func testRule1Regressed() {
        XCTAssertEqual(decide(1.20, 1.15, 1.25, p: 0.001), Decision(.regressed, .significantWorsening))
        // The interval need only clear 1, the point effect must reach τ.
        XCTAssertEqual(decide(1.06, 1.01, 1.11, p: 0.001), Decision(.regressed, .significantWorsening))
    }

    func testRule2Improved() {
        XCTAssertEqual(decide(0.80, 0.75, 0.85, p: 0.001), Decision(.improved, .significantImprovement))
    }

    func testRule3UnchangedInsideBandEvenIfSignificant() {
        XCTAssertEqual(decide(1.02, 1.015, 1.025, p: 1e-6), Decision(.unchanged, .withinBand))
        XCTAssertEqual(decide(1.00, 0.97, 1.03, p: 0.6), Decision(.unchanged, .withinBand))
        // Zero threshold: only a degenerate interval at exactly 1 is unchanged.
        XCTAssertEqual(decide(1, 1, 1, p: 1, threshold: 0), Decision(.unchanged, .withinBand))
    }

    func testRule4SignificantButAmbiguous() {
        // Significant, clear of 1, but the point effect is below τ while the interval crosses 1 + τ.
        XCTAssertEqual(decide(1.04, 1.01, 1.08, p: 0.001), Decision(.inconclusive, .ambiguousEffect))
        // The rank test says significant, the bootstrap interval still includes 1.
        XCTAssertEqual(decide(1.07, 0.99, 1.15, p: 0.005), Decision(.inconclusive, .ambiguousEffect))
    }

    func testRule5NotSignificantAndTooWide() {
        XCTAssertEqual(decide(1.01, 0.90, 1.12, p: 0.5), Decision(.inconclusive, .notSignificant))
        // A big effect without significance at α = 0.01 is not a regression either.
        XCTAssertEqual(decide(1.20, 1.10, 1.30, p: 0.02), Decision(.inconclusive, .notSignificant))
    }

    func testLargerIsBetterMirrorsTheRules() {
        XCTAssertEqual(decide(0.80, 0.75, 0.85, p: 0.001, direction: .largerIsBetter), Decision(.regressed, .significantWorsening))
        XCTAssertEqual(decide(1.20, 1.15, 1.25, p: 0.001, direction: .largerIsBetter), Decision(.improved, .significantImprovement))
        XCTAssertEqual(decide(0.98, 0.97, 0.99, p: 0.001, direction: .largerIsBetter), Decision(.unchanged, .withinBand))
    }

    func testMetricWorsening() {
        XCTAssertEqual(Metric.time.worsening(1.25), 0.25)
        XCTAssertEqual(Metric.throughput.worsening(0.75), 0.25)
        XCTAssertEqual(Metric.throughput.worsening(1.25), -0.25)
    }

    func testThresholdsDefaultAndOverrides() {
        var thresholds = Thresholds(default: 0.05, overrides: ["flash": 0.1])
        XCTAssertEqual(thresholds.threshold(forKernel: "flash"), 0.1)
        XCTAssertEqual(thresholds.threshold(forKernel: "naive"), 0.05)
        thresholds["naive"] = 0.02
        XCTAssertEqual(thresholds.threshold(forKernel: "naive"), 0.02)
        thresholds["naive"] = nil
        XCTAssertEqual(thresholds.threshold(forKernel: "naive"), 0.05)
        XCTAssertEqual(Thresholds().defaultThreshold, 0.05)
    }
}
