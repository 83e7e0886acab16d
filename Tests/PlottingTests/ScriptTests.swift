import XCTest
import Foundation
@testable import Plotting

/// Every script under gnuplot on a small fixture yields a non-empty image of the requested format.
final class ScriptTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let scripts = EmbeddedScriptsTests.scripts

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    var directory: URL!

    override func setUpWithError() throws {
        guard Gnuplot.locate() != nil else { throw XCTSkip("gnuplot is not installed") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-plot-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// The plot and a fixture that has data for it.
    static let cases: [(PlotKind, String)] = [
        (.timeVsSeq, "seq_sweep.csv"), (.gflopsVsSeq, "seq_sweep.csv"), (.speedupVsSeq, "seq_sweep.csv"),
        (.threadScaling, "threads.csv"), (.headsSweep, "heads.csv"), (.compare, "compare.csv"),
        (.samples, "seq_sweep-samples.csv"), (.heatmap, "heatmap.csv"), (.roofline, "roofline.csv"),
    ]

    /// Runs `Scripts/<plot>.gp` as docs/plots.md says: gnuplot -e "data=...; out=..." Scripts/x.gp.
    func render(_ plot: PlotKind, _ fixture: String, _ format: ImageFormat) throws -> Data {
        let out = directory.appendingPathComponent("\(plot.rawValue).\(format.rawValue)").path
        var variables = [("data", Self.fixture(fixture)), ("out", out)]
        if format == .svg { variables.append(("term", "svg")) }   // the other two from the extension
        try Gnuplot.locate()!.run(script: Self.scripts.appendingPathComponent(plot.scriptName).path, variables: variables)
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    static func check(_ data: Data, is format: ImageFormat, _ message: String) {
        XCTAssertGreaterThan(data.count, 1000, message)
        switch format {
        case .png: XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], message)
        case .pdf: XCTAssertEqual(String(decoding: data.prefix(5), as: UTF8.self), "%PDF-", message)
        case .svg: XCTAssertTrue(String(decoding: data.prefix(500), as: UTF8.self).contains("<svg"), message)
        }
    }

    func testEveryScriptDrawsAPNG() throws {
        for (plot, fixture) in Self.cases {
            Self.check(try render(plot, fixture, .png), is: .png, "\(plot) on \(fixture)")
        }
    }

    func testEveryScriptDrawsSVG() throws {
        for (plot, fixture) in Self.cases {
            let data = try render(plot, fixture, .svg)
            Self.check(data, is: .svg, "\(plot) on \(fixture)")
            // The legend and the title made it into the image.
            XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("<text"), "\(plot)")
        }
    }

    func testPDF() throws {
        for (plot, fixture) in [Self.cases[0], Self.cases[3], Self.cases[7], Self.cases[8]] {
            Self.check(try render(plot, fixture, .pdf), is: .pdf, "\(plot) on \(fixture)")
        }
    }

    func testTheLegendNamesKernelsAndPeersButNotFailedRows() throws {
        let svg = String(decoding: try render(.timeVsSeq, "seq_sweep.csv", .svg), as: UTF8.self)
        for name in ["naive", "fused", "torch", "parallel", "causal", "no mask", "guide"] {
            XCTAssertTrue(svg.contains(name), name)
        }
        XCTAssertFalse(svg.contains("broken"), "the failed row's kernel must not be drawn")
        XCTAssertFalse(svg.contains("8192"), "the skipped row must not be drawn")
        XCTAssertTrue(svg.contains("AMD EPYC 7B13"), "the title names the machine")
        let roofline = String(decoding: try render(.gflopsVsSeq, "seq_sweep.csv", .svg), as: UTF8.self)
        XCTAssertTrue(roofline.contains("FMA peak, 2 threads: 192 GFLOP/s"))
    }

    func testTheRooflineDrawsBothRoofsAndEveryKernelAndPeer() throws {
        let svg = String(decoding: try render(.roofline, "roofline.csv", .svg), as: UTF8.self)
        for text in ["roof, 1 thread: 16.6 GB/s, 111 GFLOP/s", "roof, 2 threads: 24.3 GB/s, 223 GFLOP/s",
                     "fused, 1 thread", "parallel, 2 threads", "numpy, 1 thread", "arithmetic intensity"] {
            XCTAssertTrue(svg.contains(text), text)
        }
        XCTAssertFalse(svg.contains("broken"), "the failed row must not be drawn")
    }

    func testTheRooflineNeedsTheProbeColumns() throws {
        let table = try String(contentsOfFile: Self.fixture("seq_sweep.csv"), encoding: .utf8)
        let path = directory.appendingPathComponent("old.csv").path
        try table.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Gnuplot.locate()!.run(script: Self.scripts.appendingPathComponent("roofline.gp").path,
                                                       variables: [("data", path), ("out", path + ".png")])) { error in
            XCTAssertTrue("\(error)".contains("bandwidth_gbs"), "\(error)")
        }
    }

    func testAScriptNamesTheMissingColumn() throws {
        let table = try String(contentsOfFile: Self.fixture("seq_sweep.csv"), encoding: .utf8)
            .replacingOccurrences(of: "median_ms", with: "median")
        let path = directory.appendingPathComponent("no-median.csv").path
        try table.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Gnuplot.locate()!.run(script: Self.scripts.appendingPathComponent("time_vs_seq.gp").path,
                                                       variables: [("data", path), ("out", path + ".png")])) { error in
            XCTAssertTrue("\(error)".contains("median_ms"), "\(error)")
        }
    }

    func testPlotWriterCopiesScriptsThatRunOnTheirOwn() throws {
        var writer = PlotWriter(gnuplot: Gnuplot.locate()!, format: .png, directory: directory.path)
        let scripts = try writer.writeScripts(for: [.headsSweep])
        XCTAssertEqual(scripts.map { ($0 as NSString).lastPathComponent }, ["attnbench-common.gp", "heads_sweep.gp"])
        let image = try writer.render(.headsSweep, data: Self.fixture("heads.csv"))
        Self.check(try Data(contentsOf: URL(fileURLWithPath: image)), is: .png, image)
        let replot = try String(contentsOfFile: try writer.writeReplotScript(), encoding: .utf8)
        XCTAssertTrue(replot.contains("gnuplot -e 'data='\\''"), replot)
        XCTAssertTrue(replot.contains(" heads_sweep.gp\n"), replot)
        XCTAssertFalse(replot.contains(directory.path), "replot.sh names no absolute path: \(replot)")
    }

    /// Inside a checkout the plots run its own Scripts/*.gp: the folder gets images and replot.sh only, and
    /// replot.sh reaches the scripts and the data by relative paths, so it runs from anywhere.
    func testPlotWriterInsideACheckoutUsesItsScriptsByRelativePaths() throws {
        let checkout = directory.appendingPathComponent("checkout")
        let scripts = checkout.appendingPathComponent("Scripts"), plots = checkout.appendingPathComponent("Results/plots/x")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        try "// swift-tools-version:6.0\n".write(to: checkout.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        for (name, text) in EmbeddedScripts.files { try text.write(to: scripts.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let data = checkout.appendingPathComponent("Results/heads.csv").path
        try FileManager.default.createDirectory(at: plots, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixture("heads.csv"), toPath: data)
        try FileManager.default.copyItem(atPath: Self.fixture("heads-samples.csv"), toPath: checkout.appendingPathComponent("Results/heads-samples.csv").path)

        try FileManager.default.removeItem(at: plots)
        var writer = PlotWriter(gnuplot: Gnuplot.locate()!, format: .png, directory: plots.path)
        let used = try writer.writeScripts(for: [.headsSweep])
        XCTAssertEqual(used, [scripts.appendingPathComponent("attnbench-common.gp").path, scripts.appendingPathComponent("heads_sweep.gp").path])
        _ = try writer.render(.headsSweep, data: data)
        let replotPath = try writer.writeReplotScript()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: plots.path).sorted(), ["heads_sweep.png", "replot.sh"])
        let replot = try String(contentsOfFile: replotPath, encoding: .utf8)
        XCTAssertTrue(replot.contains("../../../Scripts/heads_sweep.gp"), replot)
        XCTAssertTrue(replot.contains("data='\\''../../heads.csv'\\''"), replot)
        XCTAssertFalse(replot.contains(directory.path), replot)

        // Moved elsewhere, the checkout still replots.
        let moved = directory.appendingPathComponent("moved")
        try FileManager.default.moveItem(at: checkout, to: moved)
        try FileManager.default.removeItem(atPath: moved.appendingPathComponent("Results/plots/x/heads_sweep.png").path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [moved.appendingPathComponent("Results/plots/x/replot.sh").path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: moved.appendingPathComponent("Results/plots/x/heads_sweep.png").path))
    }
}
