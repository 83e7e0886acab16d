import XCTest
import Foundation

/// `attnbench plot` and `attnbench heatmap`, run as a user would.
final class PlotCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PlottingTests/Fixtures")

    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-plotcli-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    var hasGnuplot: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/gnuplot") }
    }

    func run(_ arguments: [String], path: String? = nil) throws -> BuiltBinary.Result {
        try BuiltBinary.run(arguments, environment: path.map { ["PATH": $0] } ?? [:])
    }

    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    func isPNG(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return data.count > 1000 && Array(data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47]
    }

    func testPlotWritesEveryPlotTheCSVHasDataForWithItsScripts() throws {
        try XCTSkipUnless(hasGnuplot, "gnuplot is not installed")
        let out = directory.appendingPathComponent("plots").path
        let result = try run(["plot", fixture("seq_sweep.csv"), "--out", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in ["time_vs_seq", "gflops_vs_seq", "speedup_vs_seq", "samples"] {
            XCTAssertTrue(isPNG("\(out)/\(name).png"), name)
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(name).gp"), name)
            XCTAssertTrue(result.stdout.contains("wrote \(out)/\(name).png"), result.stdout)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/attnbench-common.gp"))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: "\(out)/replot.sh"))
        XCTAssertTrue(result.stdout.contains("skipped thread_scaling: no kernel measured at two or more thread counts"), result.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/thread_scaling.png"))
    }

    func testPlotDrawsTheCompareChartInSVG() throws {
        try XCTSkipUnless(hasGnuplot, "gnuplot is not installed")
        let out = directory.path
        let result = try run(["plot", fixture("compare.csv"), "--out", out, "--format", "svg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let svg = try String(contentsOfFile: "\(out)/compare.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"))
    }

    func testPlotWithoutGnuplotSaysSoInOneLine() throws {
        let empty = directory.appendingPathComponent("empty-bin")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let result = try run(["plot", fixture("seq_sweep.csv"), "--out", directory.path], path: empty.path)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("gnuplot not found on PATH"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        let heatmap = try run(["heatmap", "--out", directory.path], path: empty.path)
        XCTAssertEqual(heatmap.status, 1, heatmap.stderr)
        XCTAssertTrue(heatmap.stderr.contains("gnuplot not found on PATH"), heatmap.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("heatmap-causal.csv").path))
    }

    func testPlotRejectsACSVWithoutTheColumnsItNeeds() throws {
        let path = directory.appendingPathComponent("bad.csv").path
        try "kernel,heads,median_ms,status\nfused,8,1.0,ok\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try run(["plot", path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("lacks the column(s) batch, kv_heads, seq_q, seq_kv, head_dim, causal, threads, pin"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)

        let noThreads = try run(["plot", fixture("seq_sweep.csv"), "--plots", "thread_scaling", "--out", directory.path])
        XCTAssertEqual(noThreads.status, 1, noThreads.stderr)
        XCTAssertTrue(noThreads.stderr.contains("cannot draw thread_scaling"), noThreads.stderr)

        let missing = try run(["plot", directory.appendingPathComponent("absent.csv").path])
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("cannot read file"), missing.stderr)
    }

    func testBadUsageExits64() throws {
        for arguments in [["plot"], ["plot", fixture("seq_sweep.csv"), "--format", "gif"],
                          ["plot", fixture("seq_sweep.csv"), "--plots", "pie"],
                          ["heatmap", "--seq", "1"], ["heatmap", "--causal", "maybe"], ["heatmap", "--head-dim", "7"]] {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), "\(arguments)")
        }
    }

    func testHeatmapWritesTheWeightsAndTheImages() throws {
        try XCTSkipUnless(hasGnuplot, "gnuplot is not installed")
        let result = try run(["heatmap", "--seq", "12", "--out", directory.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in ["heatmap-causal", "heatmap-full"] {
            XCTAssertTrue(isPNG(directory.appendingPathComponent(name + ".png").path), name)
            let csv = try String(contentsOf: directory.appendingPathComponent(name + ".csv"), encoding: .utf8)
            let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst().map { Double($0)! } }
            XCTAssertEqual(rows.count, 12)
            for (i, row) in rows.enumerated() {
                XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-4, "\(name) row \(i)")
                if name == "heatmap-causal" { XCTAssertTrue(row[(i + 1)...].allSatisfy { $0 == 0 }, "row \(i)") }
            }
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("heatmap.gp").path))
        let single = try run(["heatmap", "--seq", "8", "--causal", "on", "--format", "svg", "--out", directory.appendingPathComponent("one").path])
        XCTAssertEqual(single.status, 0, single.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("one/heatmap-causal.svg").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("one/heatmap-full.csv").path))
    }
}
