import XCTest
import RegressionGate

final class PeakNormalisationTests: XCTestCase {
    func testTimesScaleByPeak() {
        XCTAssertEqual(PeakNormalisation.normalise([2, 4], peaks: [100, 50], direction: .smallerIsBetter), [200, 200])
    }

    func testRatesDivideByPeak() {
        XCTAssertEqual(PeakNormalisation.normalise([80, 40], peaks: [100, 50], direction: .largerIsBetter), [0.8, 0.8])
    }

    func testMachinesWithDifferentPeaksCompareAsUnchanged() {
        // The candidate runs on a machine with twice the FMA peak and takes half the time.
        let slowMachine = Synthetic.times(15, median: 20, sigma: 0.01, seed: 41)
        let fastMachine = Synthetic.times(15, median: 10, sigma: 0.01, seed: 42)
        let baseline = Synthetic.samples("k", slowMachine).peakNormalised(peak: 100)
        let candidate = Synthetic.samples("k", fastMachine).peakNormalised(peaks: [Double](repeating: 200, count: 15))
        XCTAssertEqual(baseline.metric.unit, "ms×GFLOP/s")
        XCTAssertEqual(baseline.metric.direction, .smallerIsBetter)
        let raw = Comparison(baseline: Synthetic.samples("k", slowMachine), candidate: Synthetic.samples("k", fastMachine))
        let normalised = Comparison(baseline: baseline, candidate: candidate)
        XCTAssertEqual(raw.verdict, .improved)
        XCTAssertEqual(normalised.verdict, .unchanged)
    }
}
