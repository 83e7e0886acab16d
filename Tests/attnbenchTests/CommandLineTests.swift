import XCTest
import Foundation

/// Runs the built `attnbench` binary as a user would.
final class CommandLineTests: XCTestCase {
    var binary: URL { BuiltBinary.url }

    func run(_ arguments: [String]) throws -> BuiltBinary.Result { try BuiltBinary.run(arguments) }

    func temporaryCSV() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-cli-\(UUID()).csv").path
    }

    func testHelpListsTheMainOptions() throws {
        let result = try run(["--help"])
        XCTAssertEqual(result.status, 0)
        for option in ["sweep", "list", "topology"] { XCTAssertTrue(result.stdout.contains(option), option) }
        let sweep = try run(["sweep", "--help"])
        for option in ["--seq", "--seq-kv", "--heads", "--kv-heads", "--head-dim", "--batch", "--causal", "--kernels",
                       "--threads", "--pin", "--repetitions", "--min-time", "--seed", "--output"] {
            XCTAssertTrue(sweep.stdout.contains(option), option)
        }
    }

    /// The overview and discussion of every command read as prose: no run of spaces inside a sentence (the
    /// option columns after USAGE are aligned on purpose and not checked).
    func testHelpProseHasNoRunsOfSpaces() throws {
        for command in [[], ["sweep"], ["list"], ["topology"], ["report"], ["peak"], ["compare"], ["gate"], ["baseline"],
                        ["baseline", "update"], ["baseline", "path"], ["baseline", "accept"], ["plot"], ["heatmap"]] {
            let help = try run(command + ["--help"])
            XCTAssertEqual(help.status, 0, "\(command)")
            let prose = help.stdout.components(separatedBy: "USAGE:")[0]
            XCTAssertNil(prose.range(of: #"\S {2,}\S"#, options: .regularExpression),
                         "\(command): \(prose)")
        }
    }

    /// An output path that cannot be written: one line naming it and the system's reason, exit 1, no dump.
    func testUnwritableOutputGivesOneLine() throws {
        for path in ["/proc/nope/x.csv", "/etc/hostname/x.csv"] {
            let result = try run(["--seq", "16", "--heads", "1", "--kernels", "fused", "--no-probes", "--output", path])
            XCTAssertEqual(result.status, 1, result.stderr)
            // Besides the warnings and notes a build or machine may add (e.g. an ATTNBENCH_CPU build's note).
            let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("WARNING") && !$0.hasPrefix("note:") }
            XCTAssertEqual(lines.count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains(path), result.stderr)
            XCTAssertFalse(result.stderr.contains("Domain="), result.stderr)
            XCTAssertFalse(result.stderr.contains("UserInfo"), result.stderr)
        }
    }

    /// Formats are sweep axes: every (--dtype, --kv-dtype) pair of every shape is a row, keyed by its formats,
    /// with what the format costs in accuracy (`format_err`); `tiled`, which reads fp32 only, is skipped with
    /// the reason for the others.
    func testFormatsAreSweepAxesWithTheirAccuracyCost() throws {
        let output = temporaryCSV()
        let result = try run(["--seq", "3", "--seq-kv", "70", "--heads", "4", "--kv-heads", "2", "--head-dim", "40",
                              "--causal", "on", "--dtype", "f32,bf16", "--kv-dtype", "f16,q8_0", "--kernels", "naive,tiled,fused",
                              "--repetitions", "2", "--min-time", "0", "--no-probes", "--output", output, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let csv = try CSVFile(output)
        let pairs = csv.rows.map { "\($0["kernel"]!) \($0["dtype"]!)/\($0["kv_dtype"]!) \($0["status"]!)" }
        XCTAssertEqual(pairs, ["f32/f16", "f32/q8_0", "bf16/f16", "bf16/q8_0"].flatMap { formats in
            ["naive \(formats) ok", "tiled \(formats) skipped", "fused \(formats) ok"]
        })
        for row in csv.rows where row["status"] == "ok" {
            let formatError = try XCTUnwrap(Double(row["format_err"]!), "\(row)")
            XCTAssertGreaterThan(formatError, 0, "rounding to a 16- or 8-bit format costs accuracy: \(row)")
            XCTAssertLessThan(formatError, 0.05)
        }
        XCTAssertTrue(result.stdout.contains("B1 H4/KV2 N3×70 d40 causal bf16 kv:q8_0"), result.stdout)
        let samples = try CSVFile(output.replacingOccurrences(of: ".csv", with: "-samples.csv"))
        XCTAssertEqual(Set(samples.rows.map { "\($0["dtype"]!)/\($0["kv_dtype"]!)" }), ["f32/f16", "f32/q8_0", "bf16/f16", "bf16/q8_0"])
    }

    func testListPrintsEveryKernel() throws {
        let result = try run(["list"])
        XCTAssertEqual(result.status, 0)
        for name in ["naive", "tiled", "fused", "parallel"] { XCTAssertTrue(result.stdout.contains(name), name) }
    }

    func testBadInputGivesAOneLineErrorAndUsageStatus() throws {
        let cases: [([String], String)] = [
            (["--no-such-option", "--allow-debug"], "no-such-option"),
            (["--seq", "0", "--allow-debug"], "--seq"),
            (["--seq", "abc", "--allow-debug"], "--seq"),
            (["--heads", "3", "--kv-heads", "2", "--allow-debug"], "kv-heads"),
            (["--heads", "8", "--kv-heads", "8,3", "--allow-debug"], "kv-heads"),
            (["--kv-heads", "0", "--allow-debug"], "--kv-heads"),
            (["--seq", "8,16", "--seq-kv", "8,16,32", "--allow-debug"], "--seq-kv"),
            (["--kernels", "nope", "--allow-debug"], "naive, tiled, fused, parallel"),
            (["--causal", "sometimes", "--allow-debug"], "--causal"),
            (["--pin", "everywhere", "--allow-debug"], "--pin"),
            (["--dtype", "q8_0", "--allow-debug"], "--kv-dtype q8_0"),
            (["--dtype", "f64", "--allow-debug"], "--dtype"),
            (["--kv-dtype", "f16,int4", "--allow-debug"], "--kv-dtype"),
        ]
        for (arguments, mention) in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(mention), "\(arguments) should mention \(mention): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), "\(arguments)")
        }
    }

    /// `--dtype`'s help offers only the formats that hold Q and O; `--kv-dtype`'s offers q8_0 too.
    func testFormatHelpListsOnlyTheFormatsEachOptionTakes() throws {
        let help = try run(["sweep", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard let dtype = help.range(of: "--dtype <dtype>"), let kvDtype = help.range(of: "--kv-dtype <kv-dtype>"),
              let kernels = help.range(of: "--kernels <kernels>") else { return XCTFail(help) }
        let dtypeHelp = help[dtype.upperBound..<kvDtype.lowerBound], kvDtypeHelp = help[kvDtype.upperBound..<kernels.lowerBound]
        XCTAssertTrue(dtypeHelp.contains("(values: f32, f16, bf16)"), String(dtypeHelp))
        XCTAssertFalse(dtypeHelp.contains("q8_0"), String(dtypeHelp))
        XCTAssertTrue(kvDtypeHelp.contains("(values: f32, f16, bf16, q8_0)"), String(kvDtypeHelp))
    }

    func testAPresetExcludesTheShapeOptionsInOneLine() throws {
        for option in [["--seq", "8"], ["--heads", "4"], ["--head-dim", "64"], ["--causal", "off"], ["--kv-heads", "1"]] {
            let result = try run(["--preset", "decode"] + option + ["--allow-debug"])
            XCTAssertEqual(result.status, 64, "\(option): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: --preset decode sets the shapes itself; drop \(option[0])"), result.stderr)
        }
        let unknown = try run(["--preset", "chat", "--allow-debug"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("decode") && unknown.stderr.contains("prefill"), unknown.stderr)
        let help = try run(["--help"])
        XCTAssertTrue(help.stdout.contains("--preset decode") && help.stdout.contains("--preset prefill"), help.stdout)
    }

    /// The presets' shapes, end to end, without timing anything: a 1-byte memory limit skips every shape
    /// before its tensors exist, and the CSV lists what would have run.
    func testPresetsExpandToTheirShapes() throws {
        let expected: [(String, Set<String>, Int)] = [
            ("decode", ["1", "4", "16"], 45), ("prefill", ["1024", "2048", "4096"], 12),
        ]
        for (preset, queryLengths, count) in expected {
            let output = temporaryCSV()
            let result = try run(["--preset", preset, "--kernels", "fused", "--max-memory", "1", "--output", output,
                                  "--allow-debug", "--quiet"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let table = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = table[0]
            func column(_ name: String) -> [String] { table.dropFirst().map { $0[header.firstIndex(of: name)!] } }
            XCTAssertEqual(table.count - 1, count, preset)
            XCTAssertEqual(Set(column("status")), ["skipped"])
            XCTAssertEqual(Set(column("seq_q")), queryLengths)
            XCTAssertEqual(Set(column("heads")), ["32"])
            XCTAssertEqual(Set(column("head_dim")), ["128"])
            XCTAssertFalse(column("min_bytes").contains(""), "the traffic is known before timing")
            if preset == "decode" {
                XCTAssertEqual(Set(column("kv_heads")), ["32", "8", "1"])
                XCTAssertEqual(Set(column("seq_kv")), ["1024", "4096", "16384", "32768", "131072"])
                XCTAssertEqual(Set(column("causal")), ["true"])
            } else {
                XCTAssertEqual(Set(column("kv_heads")), ["32", "8"])
                XCTAssertEqual(column("seq_q"), column("seq_kv"))
                XCTAssertEqual(Set(column("causal")), ["true", "false"])
            }
        }
    }

    /// The package optimises the kernels in every configuration, so a debug harness times them (no
    /// `--allow-debug`), and the header and `build` column say how each part was built.
    func testDebugHarnessTimesOptimisedKernelsAndSaysSo() throws {
        let output = temporaryCSV()
        let result = try run(["--seq", "16", "--heads", "1", "--kernels", "fused", "--repetitions", "1", "--min-time", "0",
                              "--quiet", "--output", output])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let build = String(lines[1][try XCTUnwrap(lines[0].firstIndex(of: "build"))])
        #if DEBUG
        XCTAssertTrue(build.hasPrefix("harness-debug+kernels-release-simd"), build)
        #else
        XCTAssertTrue(build.hasPrefix("release-simd"), build)
        #endif
        XCTAssertTrue(result.stdout.contains("attnbench \(build) on "), result.stdout)
        XCTAssertFalse(result.stderr.contains("WARNING"), result.stderr)
    }

    func testTinySweepWritesAPassingCSVAndSamples() throws {
        let output = temporaryCSV()
        let result = try run(["--seq", "33,64", "--seq-kv", "50,64", "--heads", "2", "--kv-heads", "1", "--head-dim", "24",
                              "--causal", "both", "--threads", "1,2", "--repetitions", "2", "--min-time", "0",
                              "--output", output, "--allow-debug", "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("fused"))
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        // 4 shapes × (3 single-threaded kernels + parallel at 2 thread counts).
        XCTAssertEqual(lines.count, 1 + 4 * 5)
        XCTAssertTrue(lines[0].hasPrefix("schema_version,timestamp,host,cpu_model"))
        XCTAssertFalse(lines.dropFirst().contains { $0.contains(",false,") && $0.contains("failed") })
        let samples = output.replacingOccurrences(of: ".csv", with: "-samples.csv")
        let sampleLines = try String(contentsOfFile: samples, encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThanOrEqual(sampleLines.count, 1 + 4 * 5 * 2)
    }

    func testKeyValueHeadListsAndDecodeLengthsCrossWithTheOtherShapeOptions() throws {
        let output = temporaryCSV()
        let result = try run(["--seq", "1", "--seq-kv", "40,72", "--heads", "4", "--kv-heads", "4,2,1", "--head-dim", "16",
                              "--kernels", "fused", "--repetitions", "1", "--min-time", "0", "--no-probes",
                              "--output", output, "--allow-debug", "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = lines[0]
        let kv = try XCTUnwrap(header.firstIndex(of: "kv_heads")), keys = try XCTUnwrap(header.firstIndex(of: "seq_kv"))
        let status = try XCTUnwrap(header.firstIndex(of: "status"))
        let shapes = Set(lines.dropFirst().map { "\($0[kv])/\($0[keys])" })
        XCTAssertEqual(shapes, ["4/40", "4/72", "2/40", "2/72", "1/40", "1/72"])
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0[status] == "ok" }, "\(lines)")
    }

    func testProbesFillTheProbeColumnsAndTheReportSaysHowTheCoresScale() throws {
        let output = temporaryCSV()
        let result = try run(["--seq", "16", "--heads", "1", "--kernels", "fused", "--repetitions", "1", "--min-time", "0",
                              "--quiet", "--output", output])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("FMA peak probe: "), result.stdout)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for column in ["probe_before_gflops", "probe_after_gflops", "probe_all_cores_before_gflops", "probe_all_cores_after_gflops"] {
            let index = try XCTUnwrap(lines[0].firstIndex(of: column), column)
            XCTAssertGreaterThan(Double(lines[1][index]) ?? 0, 0, column)
        }
        let cores = lines[1][try XCTUnwrap(lines[0].firstIndex(of: "cores"))]
        if cores != "1" { XCTAssertTrue(result.stdout.contains("\(cores) cores together: "), result.stdout) }
        let report = try run(["report", output])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("\(cores) cores together "), report.stdout)
    }

    func testNoProbesLeavesTheProbeColumnsEmptyAndSaysSo() throws {
        let output = temporaryCSV()
        let result = try run(["--seq", "16", "--heads", "1", "--kernels", "fused", "--repetitions", "1", "--min-time", "0",
                              "--no-probes", "--quiet", "--output", output])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("probes: skipped (--no-probes)"), result.stdout)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for column in ["probe_before_gflops", "probe_after_gflops", "bandwidth_gbs", "roofline_fraction",
                       "probe_all_cores_before_gflops", "probe_all_cores_after_gflops"] {
            let index = try XCTUnwrap(lines[0].firstIndex(of: column), column)
            XCTAssertEqual(lines[1][index], "", column)
        }
        XCTAssertEqual(lines[1][try XCTUnwrap(lines[0].firstIndex(of: "passed"))], "true")
    }

    func testSIGINTStopsCleanlyAndLeavesAValidCSV() throws {
        let output = temporaryCSV()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--seq", "512", "--heads", "4", "--kernels", "naive,fused", "--repetitions", "100000",
                             "--min-time", "1000", "--output", output, "--allow-debug", "--quiet"]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        // Wait until the header is on disk (the sweep has started), then interrupt.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: output) && Date() < deadline { usleep(50_000) }
        usleep(1_500_000)
        process.interrupt()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 130)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("schema_version,"))
        let columns = lines[0].split(separator: ",", omittingEmptySubsequences: false).count
        for line in lines.dropFirst() {
            XCTAssertEqual(line.split(separator: ",", omittingEmptySubsequences: false).count, columns, String(line))
        }
    }

    /// Random argument lists: whatever they hold, the binary exits 0, 1 or 64 and never crashes.
    func testRandomArgumentListsNeverCrash() throws {
        let options = ["--seq", "--seq-kv", "--heads", "--kv-heads", "--head-dim", "--batch", "--causal", "--kernels",
                       "--threads", "--pin", "--repetitions", "--min-time", "--seed", "--check-rows", "--max-memory",
                       "--schedule", "--warmup", "--bogus"]
        let values = ["0", "-1", "abc", "", ",", "1,,2", "3", "16", "99999999999", "1e9", "nan", "off", "both", "max",
                      "none", "numa", "fused", "naive,nope", "dynamic", "1K", "-5G", "2.5", "inf"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            var arguments: [String] = []
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                arguments.append(options.randomElement(using: &generator)!)
                if Bool.random(using: &generator) { arguments.append(values.randomElement(using: &generator)!) }
            }
            // Keep whatever sweep survives parsing tiny and quick.
            arguments += ["--allow-debug", "--quiet", "--output", temporaryCSV()]
            arguments = ["--seq", "8", "--heads", "1", "--head-dim", "4", "--repetitions", "1", "--min-time", "0"] + arguments
            let result = try run(arguments)
            XCTAssertTrue([0, 1, 64].contains(result.status), "\(arguments) exited \(result.status): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), "\(arguments): \(result.stderr)")
            if result.status == 64 {
                let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
                XCTAssertEqual(errorLines.count, 1, "\(arguments): \(result.stderr)")
            }
        }
    }
}

/// A results CSV: its header, and each row by column name (a plain comma split: the files these tests read
/// hold no quoted fields).
struct CSVFile {
    var header: [String]
    var rows: [[String: String]]
    init(_ path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        header = lines[0]
        rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }
}
