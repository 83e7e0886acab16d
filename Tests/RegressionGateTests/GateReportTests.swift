import XCTest
import RegressionGate

final class GateReportTests: XCTestCase {
    let steady = Synthetic.times(12, median: 10, sigma: 0.01, seed: 21)
    let steadyAgain = Synthetic.times(12, median: 10, sigma: 0.01, seed: 22)
    let slower = Synthetic.times(12, median: 13, sigma: 0.01, seed: 23)

    func testNoRegressionExitsZero() {
        let report = GateReport(baseline: [Synthetic.samples("a", steady)], candidate: [Synthetic.samples("a", steadyAgain)])
        XCTAssertEqual(report.exitStatus, .passed)
        XCTAssertEqual(report.exitCode, 0)
        XCTAssertEqual(report.count(of: .unchanged), 1)
    }

    func testRegressionExitsTwo() {
        let report = GateReport(
            baseline: [Synthetic.samples("a", steady), Synthetic.samples("b", steady)],
            candidate: [Synthetic.samples("a", steadyAgain), Synthetic.samples("b", slower)])
        XCTAssertEqual(report.exitStatus, .regressed)
        XCTAssertEqual(report.exitCode, 2)
        XCTAssertEqual(report.regressions.map(\.key.kernel), ["b"])
    }

    func testNothingMatchedExitsOne() {
        let report = GateReport(baseline: [Synthetic.samples("a", steady)], candidate: [Synthetic.samples("z", steady)])
        XCTAssertTrue(report.rows.isEmpty)
        XCTAssertEqual(report.missing.map(\.kernel), ["a"])
        XCTAssertEqual(report.unmatched.map(\.kernel), ["z"])
        XCTAssertEqual(report.exitStatus, .unusableInput)
        XCTAssertEqual(report.exitCode, 1)
        // allowMissing does not rescue a comparison of nothing.
        let allowing = GateReport(baseline: [Synthetic.samples("a", steady)], candidate: [Synthetic.samples("z", steady)],
                                  configuration: GateConfiguration(allowMissing: true))
        XCTAssertEqual(allowing.exitStatus, .unusableInput)
    }

    func testOnlyInvalidRowsExitOne() {
        let report = GateReport(baseline: [Synthetic.samples("a", steady)], candidate: [Synthetic.samples("a", [])])
        XCTAssertEqual(report.exitStatus, .unusableInput)
    }

    func testMissingRowsExitOneUnlessAllowed() {
        let baseline = [Synthetic.samples("a", steady), Synthetic.samples("b", steady)]
        let candidate = [Synthetic.samples("a", steadyAgain)]
        XCTAssertEqual(GateReport(baseline: baseline, candidate: candidate).exitStatus, .unusableInput)
        let allowing = GateReport(baseline: baseline, candidate: candidate, configuration: GateConfiguration(allowMissing: true))
        XCTAssertEqual(allowing.exitStatus, .passed)
        XCTAssertEqual(allowing.missing.map(\.kernel), ["b"])
    }

    func testRegressionOutranksMissingRows() {
        let report = GateReport(baseline: [Synthetic.samples("a", steady), Synthetic.samples("b", steady)],
                                candidate: [Synthetic.samples("a", slower)])
        XCTAssertEqual(report.exitStatus, .regressed)
    }

    func testNewBenchmarksDoNotFail() {
        let report = GateReport(baseline: [Synthetic.samples("a", steady)],
                                candidate: [Synthetic.samples("a", steadyAgain), Synthetic.samples("new", slower)])
        XCTAssertEqual(report.unmatched.map(\.kernel), ["new"])
        XCTAssertEqual(report.exitStatus, .passed)
    }

    func testInconclusiveRowsDoNotFail() {
        let report = GateReport(baseline: [Synthetic.samples("a", Array(steady.prefix(3)))],
                                candidate: [Synthetic.samples("a", Array(slower.prefix(3)))])
        XCTAssertEqual(report.rows.first?.verdict, .inconclusive)
        XCTAssertEqual(report.exitStatus, .passed)
    }

    func testDuplicateIDsAreMergedAndBaselineOrderKept() {
        let report = GateReport(
            baseline: [Synthetic.samples("b", Array(steady.prefix(6))), Synthetic.samples("a", steady),
                       Synthetic.samples("b", Array(steady.suffix(6)))],
            candidate: [Synthetic.samples("a", steadyAgain), Synthetic.samples("b", steadyAgain)])
        XCTAssertEqual(report.rows.map(\.key.kernel), ["b", "a"])
        XCTAssertEqual(report.rows[0].baselineCount, 12)
    }

    func testRowsDoNotDependOnOtherRows() {
        let alone = GateReport(baseline: [Synthetic.samples("a", steady)], candidate: [Synthetic.samples("a", slower)])
        let together = GateReport(baseline: [Synthetic.samples("z", steady), Synthetic.samples("a", steady)],
                                  candidate: [Synthetic.samples("a", slower), Synthetic.samples("z", steadyAgain)])
        XCTAssertEqual(alone.rows[0], together.rows[1])
    }

    func testExitStatusRawValues() {
        XCTAssertEqual(GateExitStatus.passed.rawValue, 0)
        XCTAssertEqual(GateExitStatus.unusableInput.rawValue, 1)
        XCTAssertEqual(GateExitStatus.regressed.rawValue, 2)
    }
}
