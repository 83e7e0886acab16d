import XCTest
@testable import RegressionGate
import Results

final class BootstrapIntervalTests: XCTestCase {
    func testSameSeedGivesSameInterval() {
        let x = Synthetic.times(20, median: 10, sigma: 0.05, seed: 1)
        let y = Synthetic.times(20, median: 11, sigma: 0.05, seed: 2)
        let a = BootstrapInterval.ratioOfMedians(baseline: x, candidate: y, seed: 99)
        let b = BootstrapInterval.ratioOfMedians(baseline: x, candidate: y, seed: 99)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.confidence, 0.95)
        XCTAssertEqual(a.resamples, 2000)
    }

    func testIntervalBracketsTheShiftAndNarrowsWithLowerConfidence() {
        let x = Synthetic.times(40, median: 10, sigma: 0.02, seed: 3)
        let y = Synthetic.times(40, median: 12, sigma: 0.02, seed: 4)
        let wide = BootstrapInterval.ratioOfMedians(baseline: x, candidate: y, confidence: 0.99, seed: 5)
        let narrow = BootstrapInterval.ratioOfMedians(baseline: x, candidate: y, confidence: 0.80, seed: 5)
        XCTAssertTrue(wide.contains(1.2), "\(wide)")
        XCTAssertLessThan(wide.lower, wide.upper)
        XCTAssertLessThanOrEqual(wide.lower, narrow.lower)
        XCTAssertGreaterThanOrEqual(wide.upper, narrow.upper)
        XCTAssertTrue(wide.isEntirely(above: 1.1))
    }

    func testConstantSamplesGiveADegenerateInterval() {
        let interval = BootstrapInterval.ratioOfMedians(
            baseline: [Double](repeating: 2, count: 9), candidate: [Double](repeating: 3, count: 6), seed: 0)
        XCTAssertEqual(interval.lower, 1.5)
        XCTAssertEqual(interval.upper, 1.5)
    }

    func testResampledMedianEqualsSortingTheResample() {
        // The histogram shortcut must agree with the obvious definition on the same draws.
        let sample: [Double] = [5, 1, 4, 4, 2, 9, 7, 3]
        for n in [1, 2, 3, 7, 8] {
            let values = Array(sample.prefix(n))
            var fast = MedianResampler(values)
            var g1 = SeededGenerator(seed: UInt64(n)), g2 = SeededGenerator(seed: UInt64(n))
            let sorted = values.sorted()
            for _ in 0..<200 {
                let draws = n == 1 ? [0] : (0..<n).map { _ in g2.index(below: n) }
                let slow = OrderStatistics.median(draws.map { sorted[$0] })
                XCTAssertEqual(fast.resampledMedian(using: &g1), slow)
            }
        }
    }

    func testCoverageIsRoughlyNominal() {
        // Same-distribution pairs: the 95 % interval of a true ratio of 1 should contain 1 in most
        // of 100 independent replications (percentile intervals of medians run a little conservative
        // or liberal; only a gross error fails this).
        var covered = 0
        for seed in 0..<100 as Range<UInt64> {
            let x = Synthetic.times(15, median: 10, sigma: 0.05, seed: 1000 + 2 * seed)
            let y = Synthetic.times(15, median: 10, sigma: 0.05, seed: 1001 + 2 * seed)
            let interval = BootstrapInterval.ratioOfMedians(baseline: x, candidate: y, resamples: 500, seed: seed)
            if interval.contains(1) { covered += 1 }
        }
        XCTAssertGreaterThanOrEqual(covered, 85)
    }
}
