import XCTest
import Foundation
@testable import RevisionRace
@testable import RegressionGate
import Results

/// The A/B gate's library parts: schedule, pooling, per-round medians, the probe guard, git revisions,
/// exports and the race runner (with stand-in binaries; the real race is RevisionRaceEndToEndTests).
final class RevisionRaceTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-race-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Files

    static let sampleHeader = "schema_version,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,sample,time_ms"
    static let fusedKey = "fused,1,2,2,64,64,16,false,1,none"
    static let naiveKey = "naive,1,2,2,64,64,16,false,1,none"

    /// A results file with its samples. `extra` adds trailing columns (as newer revisions write them).
    func write(_ name: String, _ benches: [(key: String, status: String, times: [Double])], probe: Double = 100,
               extra: [String: String] = [:]) throws -> ResultsFile {
        let path = directory.appendingPathComponent("\(name).csv").path
        let extraNames = extra.keys.sorted()
        var lines = [(["schema_version,host,cpu_model,cores,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,status,median_ms,probe_before_gflops,probe_after_gflops,noisy"] + extraNames).joined(separator: ",")]
        var samples = [Self.sampleHeader]
        for bench in benches {
            let median = bench.times.isEmpty ? "" : String(bench.times.sorted()[bench.times.count / 2])
            lines.append((["1,box,Test CPU,2,\(bench.key),\(bench.status),\(median),\(probe),\(probe),false"]
                          + extraNames.map { extra[$0]! }).joined(separator: ","))
            samples += bench.times.enumerated().map { "1,\(bench.key),\($0.offset),\($0.element)" }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try (samples.joined(separator: "\n") + "\n").write(toFile: ResultsFile.samplesPath(for: path), atomically: true, encoding: .utf8)
        return try ResultsFile.read(path)
    }

    // MARK: Schedule

    func testAlternateScheduleSwapsTheFirstSideEveryRound() {
        let schedule = RaceSchedule(rounds: 4, order: .alternate)
        XCTAssertEqual(schedule.rounds, [[.baseline, .candidate], [.candidate, .baseline],
                                         [.baseline, .candidate], [.candidate, .baseline]])
        XCTAssertEqual(schedule.description, "B C | C B | B C | C B")
    }

    func testShuffledScheduleIsSeededAndUsesBothOrders() {
        let first = RaceSchedule(rounds: 32, order: .shuffle, seed: 7)
        XCTAssertEqual(first, RaceSchedule(rounds: 32, order: .shuffle, seed: 7))
        XCTAssertNotEqual(first, RaceSchedule(rounds: 32, order: .shuffle, seed: 8))
        let baselineFirst = first.rounds.filter { $0.first == .baseline }.count
        XCTAssertTrue((4...28).contains(baselineFirst), "\(baselineFirst) of 32")
        XCTAssertTrue(first.rounds.allSatisfy { Set($0) == [.baseline, .candidate] && $0.count == 2 })
    }

    // MARK: Pooling and per-round medians

    func testPoolingConcatenatesSamplesAndKeepsOnlyBenchmarksTimedInEveryRound() throws {
        let round1 = try write("r1", [(Self.fusedKey, "ok", [1, 2, 3]), (Self.naiveKey, "ok", [10, 11])])
        let round2 = try write("r2", [(Self.fusedKey, "ok", [4, 5]), (Self.naiveKey, "failed", [])], probe: 90)
        let pooled = ResultsFile.pooled([round1, round2], path: "pooled")
        XCTAssertEqual(pooled.rows.map(\.key.kernel), ["fused", "naive"])
        XCTAssertEqual(pooled.rows[0].samples, [1, 2, 3, 4, 5])
        XCTAssertEqual(pooled.rows[0].status, .ok)
        XCTAssertEqual(pooled.rows[0].medianMilliseconds, 3)
        XCTAssertEqual(pooled.rows[0].probeBefore, 90)
        XCTAssertEqual(pooled.rows[0].probeAfter, 100)
        XCTAssertEqual(pooled.rows[1].status, .failed, "failed in one round: not compared")

        let round3 = try write("r3", [(Self.naiveKey, "ok", [12])])
        let missing = ResultsFile.pooled([round1, round3], path: "pooled")
        XCTAssertEqual(missing.rows[0].status, .failed, "absent from a round: not compared")
        XCTAssertEqual(missing.rows[1].samples, [10, 11, 12])
    }

    func testFilesFromRevisionsWithOtherColumnsPoolTogether() throws {
        let newer = try write("newer", [(Self.fusedKey, "ok", [1, 2])],
                              extra: ["host_id": "box-test-cpu-f25m17-2c-simd16", "bandwidth_gbs": "30.5", "roofline_fraction": "0.4"])
        let older = try write("older", [(Self.fusedKey, "ok", [3])])
        XCTAssertEqual(newer.rows[0].hostID, "box-test-cpu-f25m17-2c-simd16")
        XCTAssertNil(older.rows[0].hostID)
        XCTAssertEqual(ResultsFile.pooled([older, newer], path: "p").rows[0].samples, [3, 1, 2])
    }

    func testRoundMediansShowEachRoundAndTheRatio() throws {
        let base = [try write("b1", [(Self.fusedKey, "ok", [1, 1, 1])]), try write("b2", [(Self.fusedKey, "ok", [2, 2, 2])])]
        let cand = [try write("c1", [(Self.fusedKey, "ok", [1.1, 1.1])]), try write("c2", [(Self.fusedKey, "failed", [])])]
        let table = RoundMedians(baseline: base, candidate: cand)
        XCTAssertEqual(table.rows.count, 1)
        XCTAssertEqual(table.rows[0].baseline, [1, 2])
        XCTAssertEqual(table.rows[0].candidate, [1.1, nil])
        XCTAssertEqual(table.rows[0].ratios[0]!, 1.1, accuracy: 1e-12)
        XCTAssertNil(table.rows[0].ratios[1])
        let text = table.render()
        XCTAssertTrue(text.contains("r1") && text.contains("r2"), text)
        XCTAssertTrue(text.contains("fused B1 H2 N64 d16 full t1 none"), text)
        XCTAssertTrue(text.contains("1.100"), text)
    }

    // MARK: Probe guard

    func testProbeGuardRefusesAnotherCPUKindNamingBothFigures() throws {
        let zen4 = try write("zen4", [(Self.fusedKey, "ok", [1])], probe: 118)
        let zen5 = try write("zen5", [(Self.fusedKey, "ok", [1])], probe: 245)
        let sameKind = try write("same", [(Self.fusedKey, "ok", [1])], probe: 125)
        let refusal = try XCTUnwrap(BaselineProbeGuard.refusal(baseline: zen4, run: zen5))
        XCTAssertTrue(refusal.contains("118") && refusal.contains("245") && refusal.contains("--against"), refusal)
        XCTAssertFalse(refusal.contains("\n"))
        XCTAssertNotNil(BaselineProbeGuard.refusal(baseline: zen5, run: zen4))
        XCTAssertNil(BaselineProbeGuard.refusal(baseline: zen4, run: sameKind), "6% apart: same kind")
    }

    // MARK: git

    /// A repository with two commits; returns its tree and the commits' hashes.
    func makeRepository() throws -> (SourceTree, first: String, second: String) {
        let root = directory.appendingPathComponent("repo").path
        try FileManager.default.createDirectory(atPath: root + "/Sources", withIntermediateDirectories: true)
        func git(_ arguments: [String]) throws -> String {
            let result = try Subprocess.run("git", ["-C", root, "-c", "user.name=test", "-c", "user.email=test@example.com"] + arguments)
            XCTAssertEqual(result.status, 0, result.errorOutput)
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try git(["init", "-q"])
        try "one\n".write(toFile: root + "/Sources/file.txt", atomically: true, encoding: .utf8)
        _ = try git(["add", "-A"])
        _ = try git(["commit", "-qm", "first commit"])
        try "two\n".write(toFile: root + "/Sources/file.txt", atomically: true, encoding: .utf8)
        _ = try git(["commit", "-qam", "second commit"])
        try "pins\n".write(toFile: root + "/Package.resolved", atomically: true, encoding: .utf8)
        return (try SourceTree.locate(from: root + "/Sources"), try git(["rev-parse", "HEAD~1"]), try git(["rev-parse", "HEAD"]))
    }

    func testResolvesRevisionsAndRejectsUnknownOnes() throws {
        let (tree, first, second) = try makeRepository()
        XCTAssertTrue(tree.root.hasSuffix("/repo"), tree.root)
        let head = try tree.resolve("HEAD")
        XCTAssertEqual(head.hash, second)
        XCTAssertEqual(head.subject, "second commit")
        XCTAssertEqual(try tree.resolve("HEAD~1").hash, first)
        XCTAssertEqual(try tree.resolve(String(first.prefix(8))).hash, first)
        for name in ["no-such-branch", "", "--all", "HEAD~5"] {
            XCTAssertThrowsError(try tree.resolve(name), name) { error in
                XCTAssertEqual(error as? RevisionRaceError, .unknownRevision(name, root: tree.root))
                XCTAssertTrue("\(error)".contains("unknown revision '\(name)'"))
            }
        }
        let outside = directory.appendingPathComponent("plain").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        XCTAssertThrowsError(try SourceTree.locate(from: outside)) { error in
            XCTAssertEqual(error as? RevisionRaceError, .notAGitCheckout(outside))
        }
    }

    func testExportWritesTheRevisionsFilesAndTheWorkTreesPins() throws {
        let (tree, first, _) = try makeRepository()
        let builder = RevisionBuilder(tree: tree, cacheDirectory: directory.appendingPathComponent("cache").path)
        let revision = try tree.resolve(first)
        XCTAssertEqual(builder.binaryPath(for: revision), directory.appendingPathComponent("cache").path + "/\(first)/build/release/attnbench")
        let source = builder.folder(for: revision) + "/src"
        try builder.export(revision, to: source)
        XCTAssertEqual(try String(contentsOfFile: source + "/Sources/file.txt", encoding: .utf8), "one\n")
        XCTAssertEqual(try String(contentsOfFile: source + "/Package.resolved", encoding: .utf8), "pins\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: source + ".tar"))
        // A cached binary is used as it is: no export, no build.
        try FileManager.default.createDirectory(atPath: builder.folder(for: revision) + "/build/release", withIntermediateDirectories: true)
        try "#!/bin/sh\n".write(toFile: builder.binaryPath(for: revision), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: builder.binaryPath(for: revision))
        try FileManager.default.removeItem(atPath: source)
        let cached = try builder.binary(for: revision) { XCTFail("should not build: \($0)") }
        XCTAssertTrue(cached.cached)
        XCTAssertFalse(FileManager.default.fileExists(atPath: source))
    }

    // MARK: The runner, with stand-in binaries

    /// A shell script that acts as `attnbench sweep … --output PATH`: copies a prepared results file (and
    /// its samples) to PATH, records the call in `calls.txt`, or fails like a failed check.
    func standIn(_ name: String, results: ResultsFile, failInRound: Int? = nil) throws -> String {
        let path = directory.appendingPathComponent(name).path
        let calls = directory.appendingPathComponent("calls.txt").path
        let failure = failInRound.map { """
            case "$out" in *r0\($0)-*) echo "error: 1 benchmark(s) failed the equivalence check: fused" >&2; exit 1;; esac
            """ } ?? ""
        let script = """
            #!/bin/sh
            out=""
            while [ $# -gt 0 ]; do [ "$1" = --output ] && out=$2; shift; done
            echo "\(name) $out" >> \(calls)
            \(failure)
            cp \(results.path) "$out"
            cp \(results.samplesPath) "${out%.csv}-samples.csv"
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func testRaceRunsBothSidesInScheduleOrderAndReadsEveryRound() throws {
        let slow = try write("slow", [(Self.fusedKey, "ok", [2, 2])])
        let fast = try write("fast", [(Self.fusedKey, "ok", [1, 1])])
        let race = RevisionRace(baseline: RaceContestant(binary: try standIn("base", results: fast), description: "base"),
                                candidate: RaceContestant(binary: try standIn("cand", results: slow), description: "cand"),
                                sweepArguments: ["--seq", "64"], schedule: RaceSchedule(rounds: 3, order: .alternate),
                                folder: directory.appendingPathComponent("rounds").path)
        var progress: [String] = []
        let outcome = try race.run { progress.append($0) }
        XCTAssertEqual(outcome.baseline.count, 3)
        XCTAssertEqual(outcome.candidate.count, 3)
        XCTAssertEqual(outcome.candidate[2].rows[0].samples, [2, 2])
        XCTAssertEqual(progress.count, 6)
        let calls = try String(contentsOfFile: directory.appendingPathComponent("calls.txt").path, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ")[0] }
        XCTAssertEqual(calls, ["base", "cand", "cand", "base", "base", "cand"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: race.resultsPath(round: 2, side: .candidate)))
    }

    func testARaceSideThatFailsItsCheckStopsTheRaceNamingTheSide() throws {
        let file = try write("file", [(Self.fusedKey, "ok", [1])])
        let race = RevisionRace(baseline: RaceContestant(binary: try standIn("base", results: file, failInRound: 2), description: "revision abc"),
                                candidate: RaceContestant(binary: try standIn("cand", results: file), description: "this binary"),
                                sweepArguments: [], schedule: RaceSchedule(rounds: 3, order: .alternate),
                                folder: directory.appendingPathComponent("rounds").path)
        XCTAssertThrowsError(try race.run()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("the baseline side (revision abc) failed in round 2 with exit status 1: error: 1 benchmark(s) failed the equivalence check"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }
}
