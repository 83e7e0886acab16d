import Results
import XCTest
import Results
@testable import Plotting

final class PlotPlannerTests: XCTestCase {
    func fixture(_ name: String) -> String { ScriptTests.fixture(name) }

    func testASequenceSweepGivesTheSequencePlotsAndTheSamples() throws {
        let plan = try PlotPlanner.plan(path: fixture("seq_sweep.csv"))
        XCTAssertEqual(plan.input, .results)
        XCTAssertEqual(plan.plots.map(\.plot), [.timeVsSeq, .gflopsVsSeq, .speedupVsSeq, .samples])
        XCTAssertEqual(plan.plots.last?.data, fixture("seq_sweep-samples.csv"))
        XCTAssertEqual(Set(plan.skipped.map(\.plot)), [.threadScaling, .headsSweep, .roofline])
        XCTAssertEqual(plan.skipped.first { $0.plot == .roofline }?.reason, "no column(s) bandwidth_gbs")
    }

    func testTheRooflineNeedsTheProbesOnSomeMeasuredRow() throws {
        let plan = try PlotPlanner.plan(path: fixture("roofline.csv"))
        XCTAssertTrue(plan.plots.map(\.plot).contains(.roofline))
        let header = ResultsSchema.columns.joined(separator: ",")
        func row(bandwidth: String) -> String {
            let values = ["kernel": "fused", "batch": "1", "heads": "8", "kv_heads": "8", "seq_q": "1", "seq_kv": "512",
                          "head_dim": "64", "causal": "true", "threads": "1", "pin": "none", "gflops": "3", "gflop": "0.001",
                          "peak_gflops": "100", "bandwidth_gbs": bandwidth, "status": "ok"]
            return ResultsSchema.columns.map { values[$0] ?? "" }.joined(separator: ",")
        }
        XCTAssertNil(PlotPlanner.reasonAgainst(.roofline, table: try CSVTable(parsing: header + "\n" + row(bandwidth: "20"))))
        XCTAssertEqual(PlotPlanner.reasonAgainst(.roofline, table: try CSVTable(parsing: header + "\n" + row(bandwidth: ""))),
                       "no row with both bandwidth_gbs and peak_gflops (the probes' roof)")
    }

    func testThreadAndHeadSweeps() throws {
        XCTAssertEqual(try PlotPlanner.plan(path: fixture("threads.csv")).plots.map(\.plot), [.threadScaling, .samples])
        XCTAssertEqual(try PlotPlanner.plan(path: fixture("heads.csv")).plots.map(\.plot), [.headsSweep, .samples])
    }

    func testCompareAndSamplesFilesAreRecognisedByTheirHeader() throws {
        let compare = try PlotPlanner.plan(path: fixture("compare.csv"))
        XCTAssertEqual(compare.input, .compare)
        XCTAssertEqual(compare.plots, [PlannedPlot(plot: .compare, data: fixture("compare.csv"))])
        XCTAssertEqual(try PlotPlanner.plan(path: fixture("threads-samples.csv")).plots.map(\.plot), [.samples])
        // The compare header as RegressionGate writes it today ("baseline median", "CI low", "p-value") works too.
        let table = try CSVTable(parsing: "benchmark,baseline median,candidate median,ratio,CI low,CI high,p-value,verdict,id,kernel,metric,unit,baseline n,candidate n,threshold,reason,test\nx,1,1.1,1.1,1.05,1.15,0.01,regressed,x,x,time,ms,5,5,0.05,r,t\n")
        XCTAssertEqual(try PlotPlanner.classify(table, source: "t"), .compare)
        XCTAssertNil(PlotPlanner.reasonAgainst(.compare, table: table))
    }

    func testOnlyOkRowsCount() throws {
        // Two sequence lengths, but one of them failed: no sequence plot.
        let header = ResultsSchema.columns.joined(separator: ",")
        func row(_ seq: Int, _ status: String) -> String {
            let values = ["kernel": "fused", "batch": "1", "heads": "8", "kv_heads": "8", "seq_q": "\(seq)", "seq_kv": "\(seq)",
                          "head_dim": "64", "causal": "false", "threads": "1", "pin": "none", "median_ms": "1.5", "status": status]
            return ResultsSchema.columns.map { values[$0] ?? "" }.joined(separator: ",")
        }
        let table = try CSVTable(parsing: [header, row(512, "ok"), row(1024, "failed")].joined(separator: "\n"))
        XCTAssertNotNil(PlotPlanner.reasonAgainst(.timeVsSeq, table: table))
        let both = try CSVTable(parsing: [header, row(512, "ok"), row(1024, "ok")].joined(separator: "\n"))
        XCTAssertNil(PlotPlanner.reasonAgainst(.timeVsSeq, table: both))
        XCTAssertNotNil(PlotPlanner.reasonAgainst(.gflopsVsSeq, table: both), "gflops is empty")
    }

    func testErrorsNameTheFileAndWhatIsMissing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-planner-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let noSeq = directory.appendingPathComponent("no-seq.csv").path
        try "kernel,heads,median_ms,status\nfused,8,1.0,ok\n".write(toFile: noSeq, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PlotPlanner.plan(path: noSeq)) { error in
            XCTAssertTrue("\(error)".contains("lacks the column(s) batch, kv_heads, seq_q, seq_kv"), "\(error)")
        }
        let other = directory.appendingPathComponent("other.csv").path
        try "a,b\n1,2\n".write(toFile: other, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PlotPlanner.plan(path: other)) { XCTAssertTrue("\($0)".contains("not an attnbench"), "\($0)") }
        let ragged = directory.appendingPathComponent("ragged.csv").path
        try "kernel,median_ms\nfused\n".write(toFile: ragged, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PlotPlanner.plan(path: ragged)) { XCTAssertTrue("\($0)".contains("ragged.csv:2:"), "\($0)") }
        XCTAssertThrowsError(try PlotPlanner.plan(path: directory.appendingPathComponent("absent.csv").path)) {
            XCTAssertTrue("\($0)".contains("cannot read file"), "\($0)")
        }
        XCTAssertThrowsError(try PlotPlanner.plan(path: fixture("seq_sweep.csv"), requested: [.threadScaling])) {
            XCTAssertTrue("\($0)".contains("cannot draw thread_scaling"), "\($0)")
        }
        XCTAssertEqual(try PlotPlanner.plan(path: fixture("seq_sweep.csv"), requested: [.gflopsVsSeq]).plots.map(\.plot), [.gflopsVsSeq])
    }

    /// Malformed cells fail with the file and line, before any plot is drawn.
    func testWrongTypesAndAnotherSchemaVersionAreErrorsNamingTheLine() throws {
        let original = try String(contentsOfFile: fixture("seq_sweep.csv"), encoding: .utf8)
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plot-bad-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func variant(_ column: String, _ value: String) throws -> String {
            var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[header.firstIndex(of: column)!] = value
            var copy = lines
            copy[2] = fields.joined(separator: ",")
            let path = directory.appendingPathComponent("\(column).csv").path
            try copy.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let cases = [("median_ms", "fast", "column 'median_ms': expected a number, found 'fast'"),
                     ("seq_q", "4k", "column 'seq_q': expected a non-negative integer, found '4k'"),
                     ("schema_version", "2", "schema_version '2' is not supported")]
        for (column, value, message) in cases {
            let path = try variant(column, value)
            XCTAssertThrowsError(try PlotPlanner.plan(path: path)) { error in
                XCTAssertTrue("\(error)".contains("\(path):3: \(message)"), "\(error)")
            }
        }
    }
}
