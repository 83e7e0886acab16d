import XCTest
import Foundation

/// `attnbench compare`, `gate` and `baseline`, run as a user would run them: exit codes, messages, formats.
final class GateCommandTests: XCTestCase {
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> BuiltBinary.Result {
        try BuiltBinary.run(arguments, environment: extra)
    }

    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-gate-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Synthetic results files

    static let header = "schema_version,host,cpu_model,cores,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,status,median_ms,probe_before_gflops,probe_after_gflops,noisy,host_id"
    static let sampleHeader = "schema_version,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,sample,time_ms"

    struct Bench {
        var kernel: String
        var seq: Int
        var times: [Double]
        var status = "ok"
        var key: String { "\(kernel),1,2,2,\(seq),\(seq),16,false,1,none" }
    }

    /// Twelve deterministic times around `median`, spread ±1%.
    static func times(_ median: Double) -> [Double] {
        (0..<12).map { median * (1 + 0.02 * (Double(($0 * 7) % 12) / 11 - 0.5)) }
    }

    /// Writes `name.csv` and `name-samples.csv`; returns the results path.
    func write(_ name: String, _ benches: [Bench], host: String = "ci-box", peak: Double = 40, schema: Int = 1,
               samples: Bool = true) throws -> String {
        let path = directory.appendingPathComponent("\(name).csv").path
        var lines = [Self.header]
        var sampleLines = [Self.sampleHeader]
        for bench in benches {
            let median = bench.times.sorted()[bench.times.count / 2]
            lines.append("\(schema),\(host),Test CPU,2,\(bench.key),\(bench.status),\(median),\(peak),\(peak),false,\(host)-test-cpu-2c")
            if bench.status == "ok" {
                sampleLines += bench.times.enumerated().map { "\(schema),\(bench.key),\($0.offset),\($0.element)" }
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        if samples {
            try (sampleLines.joined(separator: "\n") + "\n")
                .write(toFile: path.replacingOccurrences(of: ".csv", with: "-samples.csv"), atomically: true, encoding: .utf8)
        }
        return path
    }

    lazy var baseline: [Bench] = [Bench(kernel: "fused", seq: 64, times: Self.times(1.0)),
                                  Bench(kernel: "naive", seq: 64, times: Self.times(4.0))]

    // MARK: compare

    func testUnchangedPassesWithStatus0() throws {
        let base = try write("base", baseline)
        let same = try write("same", baseline.map { var b = $0; b.times = Self.times(b.times[0] * 1.01); return b })
        let result = try run(["compare", base, same])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        for title in ["benchmark", "baseline median", "candidate median", "ratio", "CI low", "CI high", "p-value", "verdict"] {
            XCTAssertTrue(result.stdout.contains(title), title)
        }
        XCTAssertTrue(result.stdout.contains("unchanged"))
        XCTAssertTrue(result.stdout.contains("gate passed (exit 0)"))
        XCTAssertFalse(result.stdout.contains("weaker mode"))
    }

    func testRegressionExits2AndKernelThresholdCanExcuseIt() throws {
        let base = try write("base", baseline)
        let slower = try write("slower", [Bench(kernel: "fused", seq: 64, times: Self.times(1.0)),
                                          Bench(kernel: "naive", seq: 64, times: Self.times(4.4))])
        let result = try run(["compare", base, slower])
        XCTAssertEqual(result.status, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("regressed"))
        XCTAssertTrue(result.stderr.contains("regression: naive"), result.stderr)
        // 10% slower: under a 15% threshold for naive it is not a regression (and not unchanged: inconclusive).
        let excused = try run(["compare", base, slower, "--kernel-threshold", "naive=0.15"])
        XCTAssertEqual(excused.status, 0, excused.stdout + excused.stderr)
        XCTAssertTrue(excused.stdout.contains("naive: 15%"), excused.stdout)
        let global = try run(["compare", base, slower, "--threshold", "0.2"])
        XCTAssertEqual(global.status, 0, global.stdout)
    }

    func testImprovementPasses() throws {
        let base = try write("base", baseline)
        let faster = try write("faster", [Bench(kernel: "fused", seq: 64, times: Self.times(0.7)),
                                          Bench(kernel: "naive", seq: 64, times: Self.times(4.0))])
        let result = try run(["compare", base, faster])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("improved"))
    }

    func testMarkdownAndCSVFormats() throws {
        let base = try write("base", baseline)
        let slower = try write("slower", [Bench(kernel: "fused", seq: 64, times: Self.times(1.3)),
                                          Bench(kernel: "naive", seq: 64, times: Self.times(4.0))])
        let markdown = try run(["compare", base, slower, "--format", "markdown"])
        XCTAssertEqual(markdown.status, 2)
        XCTAssertTrue(markdown.stdout.hasPrefix("### ❌ attnbench gate: 1 regression(s)"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("| benchmark | baseline median |"))
        let report = directory.appendingPathComponent("out/report.csv").path
        let csv = try run(["compare", base, slower, "--format", "csv", "--report", report])
        XCTAssertEqual(csv.status, 2)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "benchmark,baseline_median,candidate_median,ratio,ci_low,ci_high,p_value,verdict,"
                                    + "id,kernel,metric,unit,baseline_n,candidate_n,threshold,reason,test")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].contains(",regressed,fused|1|2|2|64|64|16|false|1|none,fused,time,ms,12,12,"), lines[1])
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), csv.stdout, "--report writes the same report")
    }

    func testMissingBenchmarkIsAnErrorUnlessAllowed() throws {
        let base = try write("base", baseline)
        let partial = try write("partial", [baseline[0]])
        let result = try run(["compare", base, partial])
        XCTAssertEqual(result.status, 1, result.stdout)
        XCTAssertTrue(result.stderr.contains("missing from the candidate"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--allow-missing"), result.stderr)
        XCTAssertTrue(result.stdout.contains("missing from candidate (1): naive"), result.stdout)
        XCTAssertEqual(try run(["compare", base, partial, "--allow-missing"]).status, 0)
        // A candidate row that failed its check counts as missing too.
        var failed = baseline[1]
        failed.status = "failed"
        let withFailure = try write("failure", [baseline[0], failed])
        let failure = try run(["compare", base, withFailure])
        XCTAssertEqual(failure.status, 1)
        XCTAssertTrue(failure.stdout.contains("not timed"), failure.stdout)
    }

    func testUnusableInputExits1NamingTheFile() throws {
        let base = try write("base", baseline)
        let noSamples = try write("nosamples", baseline, samples: false)
        let missing = try run(["compare", base, noSamples])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nosamples-samples.csv"), missing.stderr)

        let absent = try run(["compare", base, directory.appendingPathComponent("absent.csv").path])
        XCTAssertEqual(absent.status, 1)
        XCTAssertTrue(absent.stderr.contains("absent.csv: no such results file"), absent.stderr)

        let future = try write("future", baseline, schema: 2)
        let schema = try run(["compare", future, base])
        XCTAssertEqual(schema.status, 1)
        XCTAssertTrue(schema.stderr.contains("future.csv:2: schema_version '2' is not supported"), schema.stderr)

        let other = directory.appendingPathComponent("other.csv").path
        try "a,b\n1,2\n".write(toFile: other, atomically: true, encoding: .utf8)
        try "a,b\n".write(toFile: directory.appendingPathComponent("other-samples.csv").path, atomically: true, encoding: .utf8)
        let wrong = try run(["compare", base, other])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("other.csv:1: missing columns"), wrong.stderr)

        let unrelated = try write("unrelated", [Bench(kernel: "tiled", seq: 128, times: Self.times(1))])
        let nothing = try run(["compare", base, unrelated])
        XCTAssertEqual(nothing.status, 1)
        XCTAssertTrue(nothing.stderr.contains("nothing to compare"), nothing.stderr)
        for result in [missing, absent, schema, wrong, nothing] { XCTAssertFalse(result.stderr.contains("Fatal error")) }
    }

    func testBadUsageExits64() throws {
        let base = try write("base", baseline)
        let cases: [([String], String)] = [
            (["--format", "html"], "--format"),
            (["--threshold", "-0.1"], "--threshold"),
            (["--threshold", "nan"], "--threshold"),
            (["--kernel-threshold", "naive"], "--kernel-threshold"),
            (["--kernel-threshold", "naive=-1"], "--kernel-threshold"),
            (["--kernel-threshold", "naive=0.1", "--kernel-threshold", "naive=0.2"], "twice"),
            (["--alpha", "1.5"], "--alpha"),
            (["--min-samples", "0"], "--min-samples"),
            (["--normalise", "sometimes"], "--normalise"),
            (["--rename-kernel", "fused"], "--rename-kernel"),
        ]
        for (arguments, mention) in cases {
            let result = try run(["compare", base, base] + arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(mention), "\(arguments) should mention \(mention): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), "\(arguments)")
        }
        XCTAssertEqual(try run(["compare", base]).status, 64)
    }

    func testHelpDocumentsExitCodes() throws {
        for command in [["compare"], ["gate"], ["baseline", "update"]] {
            let help = try run(command + ["--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("Exit status: 0"), "\(command): \(help.stdout)")
        }
        let compare = try run(["compare", "--help"])
        for option in ["--format", "--threshold", "--kernel-threshold", "--allow-missing", "--normalise", "--rename-kernel"] {
            XCTAssertTrue(compare.stdout.contains(option), option)
        }
        let gate = try run(["gate", "--help"])
        for option in ["--seq", "--kernels", "--repetitions", "--baseline", "--threshold", "--format"] {
            XCTAssertTrue(gate.stdout.contains(option), option)
        }
    }

    func testDifferentHostsUseTheWeakerPeakNormalisedMode() throws {
        // The other host is twice as fast at everything, and its FMA peak is twice as high: normalised, no change.
        let base = try write("base", baseline, host: "fast-box", peak: 80)
        let candidate = try write("cand", baseline.map { var b = $0; b.times = Self.times(b.times[0] * 2); return b },
                                  host: "slow-box", peak: 40)
        let result = try run(["compare", base, candidate])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("weaker mode"), result.stdout)
        XCTAssertTrue(result.stdout.contains("peak-normalised"), result.stdout)
        XCTAssertTrue(result.stdout.contains("unchanged"))
        XCTAssertTrue(result.stdout.contains("ms×GFLOP/s"), result.stdout)
        // Plain times on request: twice as slow is a regression.
        XCTAssertEqual(try run(["compare", base, candidate, "--normalise", "none"]).status, 2)
    }

    func testRenameKernelComparesTwoKernelsOfOneRun() throws {
        let run1 = try write("run1", [Bench(kernel: "fused", seq: 64, times: Self.times(1.0)),
                                      Bench(kernel: "fused-inflated", seq: 64, times: Self.times(1.2))])
        let run2 = try write("run2", [Bench(kernel: "fused", seq: 64, times: Self.times(1.0)),
                                      Bench(kernel: "fused-inflated", seq: 64, times: Self.times(1.2))])
        XCTAssertEqual(try run(["compare", run1, run2, "--kernels", "fused"]).status, 0)
        let inflated = try run(["compare", run1, run2, "--kernels", "fused", "--rename-kernel", "fused-inflated=fused"])
        XCTAssertEqual(inflated.status, 2, inflated.stdout + inflated.stderr)
        XCTAssertTrue(inflated.stdout.contains("1 compared: 1 regressed"), inflated.stdout)
    }

    // MARK: baseline and gate (these run tiny sweeps)

    var tinySweep: [String] {
        ["--seq", "32", "--heads", "1", "--head-dim", "8", "--kernels", "fused", "--repetitions", "6", "--min-time", "0",
         "--allow-debug", "--quiet"]
    }

    /// The one baseline in `store`: `<id>.csv` and `<id>-samples.csv`, and nothing else.
    func storedFiles(_ store: String) throws -> (results: String, samples: String) {
        let files = try FileManager.default.contentsOfDirectory(atPath: store).sorted()
        XCTAssertEqual(files.count, 2, "\(files)")
        let results = try XCTUnwrap(files.first { !$0.hasSuffix("-samples.csv") })
        let samples = try XCTUnwrap(files.first { $0.hasSuffix("-samples.csv") })
        XCTAssertEqual(samples, results.replacingOccurrences(of: ".csv", with: "-samples.csv"))
        return (results, samples)
    }

    func testBaselineUpdateRefusesToOverwriteWithoutForce() throws {
        let store = directory.appendingPathComponent("baselines").path
        let first = try run(["baseline", "update", "--baselines-dir", store,
                             "--output", directory.appendingPathComponent("b1.csv").path] + tinySweep)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("baseline for host "), first.stdout)
        let files = try storedFiles(store)
        let stored = try String(contentsOfFile: store + "/" + files.results, encoding: .utf8)

        let again = try run(["baseline", "update", "--baselines-dir", store] + tinySweep)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try String(contentsOfFile: store + "/" + files.results, encoding: .utf8), stored)

        let fromFile = try write("from", baseline)
        let fromStore = directory.appendingPathComponent("from-store").path
        let from = try run(["baseline", "update", "--from", fromFile, "--baselines-dir", fromStore])
        XCTAssertEqual(from.status, 0, from.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fromStore + "/ci-box-test-cpu-2c.csv"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fromStore + "/ci-box-test-cpu-2c-samples.csv"))
        XCTAssertEqual(try run(["baseline", "update", "--from", fromFile, "--baselines-dir", fromStore]).status, 1)
        XCTAssertEqual(try run(["baseline", "update", "--from", fromFile, "--baselines-dir", fromStore, "--force"]).status, 0)

        let path = try run(["baseline", "path", "--baselines-dir", store])
        XCTAssertEqual(path.status, 0)
        XCTAssertEqual(path.stdout.trimmingCharacters(in: .whitespacesAndNewlines), store + "/" + files.results)
    }

    // The tests below that are not about the FMA-probe guard switch it off (--probe-tolerance 100): the
    // probe of a debug build on a busy test machine moves by more than 15% between runs. The guard itself is
    // tested by testBaselineWithAnotherFMAProbeIsRefused.

    func testGateAgainstThisHostsBaseline() throws {
        let store = directory.appendingPathComponent("baselines").path
        XCTAssertEqual(try run(["baseline", "update", "--baselines-dir", store,
                                "--output", directory.appendingPathComponent("b.csv").path] + tinySweep).status, 0)
        // The same sweep again: timings of a debug build are noisy, so only a huge slow-down would fail.
        let pass = try run(["gate", "--baselines-dir", store, "--probe-tolerance", "100", "--threshold", "5",
                            "--output", directory.appendingPathComponent("g.csv").path] + tinySweep)
        XCTAssertEqual(pass.status, 0, pass.stdout + pass.stderr)
        XCTAssertTrue(pass.stdout.contains("1 compared"), pass.stdout)
        XCTAssertFalse(pass.stdout.contains("weaker mode"), pass.stdout)

        // A baseline whose times are a thousand times shorter: the gate must fail with status 2.
        let samplesPath = store + "/" + (try storedFiles(store)).samples
        let samples = try String(contentsOfFile: samplesPath, encoding: .utf8).split(separator: "\n").enumerated().map { index, line in
            guard index > 0 else { return String(line) }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[fields.count - 1] = String(Double(fields[fields.count - 1])! / 1000)
            return fields.joined(separator: ",")
        }
        try (samples.joined(separator: "\n") + "\n").write(toFile: samplesPath, atomically: true, encoding: .utf8)
        let fail = try run(["gate", "--baselines-dir", store, "--probe-tolerance", "100", "--format", "markdown",
                            "--output", directory.appendingPathComponent("g2.csv").path] + tinySweep)
        XCTAssertEqual(fail.status, 2, fail.stdout + fail.stderr)
        XCTAssertTrue(fail.stdout.hasPrefix("### ❌ attnbench gate"), "markdown report alone on stdout: \(fail.stdout)")

        // A shape the baseline does not have: nothing matched.
        let other = try run(["gate", "--baselines-dir", store, "--probe-tolerance", "100", "--seq", "40",
                             "--output", directory.appendingPathComponent("g3.csv").path] + tinySweep.dropFirst(2))
        XCTAssertEqual(other.status, 1, other.stdout + other.stderr)
        XCTAssertTrue(other.stderr.contains("nothing to compare"), other.stderr)
    }

    func testGateWithoutABaselineForThisHost() throws {
        let empty = directory.appendingPathComponent("empty").path
        let none = try run(["gate", "--baselines-dir", empty] + tinySweep)
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("baseline update"), none.stderr)

        // Only another host's baseline: a verdict across machines is not a regression, so no sweep runs and
        // the gate exits 1 with one line naming both hosts and what to do, never 2 (even where the other
        // host's times would all read as regressions).
        let store = directory.appendingPathComponent("others").path
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        let foreign = try write("foreign", [Bench(kernel: "fused", seq: 32, times: Self.times(0.00001))], host: "elsewhere")
        // The tiny sweep's shape: heads 1, head_dim 8.
        var foreignCopy = ""
        for path in [foreign, foreign.replacingOccurrences(of: ".csv", with: "-samples.csv")] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: "fused,1,2,2,32,32,16,", with: "fused,1,1,1,32,32,8,")
            let target = store + "/elsewhere-test-cpu-2c" + (path.hasSuffix("-samples.csv") ? "-samples.csv" : ".csv")
            try text.write(toFile: target, atomically: true, encoding: .utf8)
            if !path.hasSuffix("-samples.csv") { foreignCopy = target }
        }
        let output = directory.appendingPathComponent("w.csv").path
        for extra in [[], ["--baseline", foreignCopy], ["--baseline", foreignCopy, "--normalise", "peak"]] {
            let refused = try run(["gate", "--baselines-dir", store, "--probe-tolerance", "100", "--output", output] + extra + tinySweep)
            XCTAssertEqual(refused.status, 1, "\(extra): " + refused.stdout + refused.stderr)
            let lines = refused.stderr.split(separator: "\n").filter { !$0.hasPrefix("gate: host") }
            XCTAssertEqual(lines.count, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("elsewhere-test-cpu-2c"), refused.stderr)
            XCTAssertTrue(refused.stderr.contains("--against"), refused.stderr)
            XCTAssertTrue(refused.stderr.contains("baseline update"), refused.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), "no sweep runs for a baseline it cannot use")
        }
    }

    func testInflatedKernelIsHiddenUnlessAskedFor() throws {
        XCTAssertFalse(try run(["list"]).stdout.contains("fused-inflated"))
        let listed = try run(["list"], environment: ["ATTNBENCH_TEST_KERNELS": "1"])
        XCTAssertTrue(listed.stdout.contains("fused-inflated"), listed.stdout)
        let sweep = try run(["sweep", "--seq", "37", "--heads", "2", "--head-dim", "12", "--causal", "both",
                             "--kernels", "fused,fused-inflated", "--repetitions", "1", "--min-time", "0",
                             "--output", directory.appendingPathComponent("inflated.csv").path, "--allow-debug", "--quiet"],
                            environment: ["ATTNBENCH_TEST_KERNELS": "1"])
        XCTAssertEqual(sweep.status, 0, "the inflated kernel passes the float64 check: \(sweep.stderr)")
    }

    // MARK: A/B mode (--against) and the probe guard; the full race is RevisionRaceEndToEndTests

    /// The package's own checkout (this file is Tests/attnbenchTests/GateCommandTests.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Exit 1 and one `Error:` line. Under `.ci/run`'s AddressSanitizer run (ATTNBENCH_SANITIZER=address)
    /// LeakSanitizer adds its report to standard error and, only when the binary is started from the
    /// instrumented test process, ends it with SIGABRT after the error line (started from a shell, the same
    /// binary exits 1): there only the error line is checked.
    static func assertFailedWithOneErrorLine(_ result: BuiltBinary.Result, file: StaticString = #filePath, line: UInt = #line) {
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        XCTAssertEqual(errorLines.count, 1, result.stderr, file: file, line: line)
        if ProcessInfo.processInfo.environment["ATTNBENCH_SANITIZER"] == "address" {
            XCTAssertNotEqual(result.status, 0, result.stderr, file: file, line: line)
        } else {
            XCTAssertEqual(result.status, 1, result.stdout + result.stderr, file: file, line: line)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr, file: file, line: line)
        }
    }

    func testUnknownRevisionIsOneLineAndExit1() throws {
        let result = try BuiltBinary.run(["gate", "--against", "no-such-revision-xyz"] + tinySweep, in: Self.packageRoot)
        Self.assertFailedWithOneErrorLine(result)
        XCTAssertTrue(result.stderr.contains("unknown revision 'no-such-revision-xyz'"), result.stderr)
        XCTAssertEqual(result.stdout, "", "nothing ran")

        let plain = directory.appendingPathComponent("not-a-checkout")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        let outside = try BuiltBinary.run(["gate", "--against", "HEAD"] + tinySweep, in: plain)
        Self.assertFailedWithOneErrorLine(outside)
        XCTAssertTrue(outside.stderr.contains("not inside a git checkout"), outside.stderr)
    }

    func testRaceOptionsAreCheckedAsUsage() throws {
        let cases: [([String], String)] = [
            (["--candidate", "HEAD"], "--candidate needs --against"),
            (["--confirm"], "--confirm needs --against"),
            (["--no-probes"], "--no-probes needs --against"),
            (["--against", "HEAD", "--baseline", "x.csv"], "exclude each other"),
            (["--against", "HEAD", "--rounds", "0"], "--rounds"),
            (["--against", "HEAD", "--rounds", "7"], "needs at least 8 rounds"),
            (["--against", "HEAD", "--order", "random"], "--order"),
            (["--probe-tolerance", "-0.1"], "--probe-tolerance"),
        ]
        for (arguments, mention) in cases {
            let result = try BuiltBinary.run(["gate"] + arguments + tinySweep, in: Self.packageRoot)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(mention), "\(arguments) should mention \(mention): \(result.stderr)")
        }
        let baseline = try BuiltBinary.run(["baseline", "update", "--no-probes"] + tinySweep, in: Self.packageRoot)
        XCTAssertEqual(baseline.status, 64, baseline.stderr)
        XCTAssertTrue(baseline.stderr.contains("a baseline needs the FMA probe"), baseline.stderr)
        let help = try run(["gate", "--help"])
        for option in ["--against", "--candidate", "--rounds", "--order", "--confirm"] { XCTAssertTrue(help.stdout.contains(option), option) }
    }

    func testBaselineWithAnotherFMAProbeIsRefused() throws {
        // This host's id, as the committed-baseline gate looks it up.
        let store = directory.appendingPathComponent("baselines").path
        let path = try run(["baseline", "path", "--baselines-dir", store])
        let hostID = URL(fileURLWithPath: path.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            .deletingPathExtension().lastPathComponent
        XCTAssertTrue(hostID.contains("-simd"), hostID)
        // A baseline of this host id, but measured with a probe no CPU of this kind reaches.
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        let header = "schema_version,host,cpu_model,cores,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,status,median_ms,probe_before_gflops,probe_after_gflops,noisy,host_id"
        let key = "fused,1,1,1,32,32,8,false,1,none"
        try "\(header)\n1,h,c,2,\(key),ok,0.01,99999,99999,false,\(hostID)\n"
            .write(toFile: store + "/\(hostID).csv", atomically: true, encoding: .utf8)
        try ("\(Self.sampleHeader)\n" + (0..<6).map { "1,\(key),\($0),0.01\n" }.joined())
            .write(toFile: store + "/\(hostID)-samples.csv", atomically: true, encoding: .utf8)
        let refused = try run(["gate", "--baselines-dir", store, "--threshold", "1000",
                               "--output", directory.appendingPathComponent("g.csv").path] + tinySweep)
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        let line = try XCTUnwrap(refused.stderr.split(separator: "\n").first { $0.contains("FMA probe") }, refused.stderr)
        XCTAssertTrue(line.contains("99999"), String(line))
        XCTAssertTrue(line.contains("this run's is "), String(line))
        XCTAssertTrue(line.contains("--against"), String(line))
        XCTAssertFalse(refused.stdout.contains("gate passed"), refused.stdout)
    }

    func testBaselineWithoutTheNewHostFieldsCountsAsAnotherMachine() throws {
        // A file without host_id cannot show which machine wrote it ("unknown"); the candidate's id has the
        // CPU generation and SIMD width, so the two never match: the weaker mode, said so.
        let old = try write("old", baseline)
        let candidate = try write("new", baseline)
        func rewrite(_ path: String, lastField: (Int) -> String?) throws {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").enumerated().map { line in
                let fields = line.element.split(separator: ",", omittingEmptySubsequences: false).dropLast()
                return (fields + (lastField(line.offset).map { [Substring($0)] } ?? [])).joined(separator: ",")
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        try rewrite(old) { _ in nil }  // the host_id column dropped: a file from before it
        try rewrite(candidate) { $0 == 0 ? "host_id" : "ci-box-test-cpu-f25m17-2c-simd16" }
        let result = try run(["compare", old, candidate])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("baseline from host unknown, candidate from host ci-box-test-cpu-f25m17-2c-simd16"), result.stdout)
    }
}
