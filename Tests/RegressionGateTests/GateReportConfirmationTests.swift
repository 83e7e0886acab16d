import XCTest
import RegressionGate

/// `GateReport.confirming`: a regression stands only where the same benchmark regressed in both races.
final class GateReportConfirmationTests: XCTestCase {
    let steady = Synthetic.times(12, median: 10, sigma: 0.01, seed: 31)
    let steadyAgain = Synthetic.times(12, median: 10, sigma: 0.01, seed: 32)
    let slower = Synthetic.times(12, median: 13, sigma: 0.01, seed: 33)

    private func race(slow kernels: Set<String>) -> GateReport {
        let names = ["a", "b", "c"]
        return GateReport(baseline: names.map { Synthetic.samples($0, steady) },
                          candidate: names.map { Synthetic.samples($0, kernels.contains($0) ? slower : steadyAgain) })
    }

    func testRegressionInBothRacesStands() {
        let confirmed = race(slow: ["a", "b"]).confirming(race(slow: ["a"]))
        XCTAssertEqual(confirmed.exitStatus, .regressed)
        XCTAssertEqual(confirmed.regressions.map(\.key.kernel), ["a"])
        let b = confirmed.rows.first { $0.key.kernel == "b" }
        XCTAssertEqual(b?.decision, Decision(.inconclusive, .regressionNotRepeated))
        XCTAssertEqual(confirmed.count(of: .unchanged), 1)
    }

    func testRegressionsOfDifferentBenchmarksDoNotConfirmEachOther() {
        let confirmed = race(slow: ["b"]).confirming(race(slow: ["a"]))
        XCTAssertEqual(confirmed.exitStatus, .passed)
        XCTAssertTrue(confirmed.regressions.isEmpty)
        XCTAssertTrue(confirmed.notes.first?.contains("not repeated") ?? false, "\(confirmed.notes)")
    }

    func testCleanSecondRacePasses() {
        let confirmed = race(slow: []).confirming(race(slow: ["a", "c"]))
        XCTAssertEqual(confirmed.exitStatus, .passed)
        XCTAssertEqual(confirmed.count(of: .unchanged), 3)
    }

    func testRenderedReasonNamesTheRule() {
        let confirmed = race(slow: ["c"]).confirming(race(slow: ["a"]))
        XCTAssertTrue(confirmed.render(format: .csv).contains("regressionNotRepeated"))
    }
}
