import Foundation
import XCTest

/// The module regrouping changed no output: `report`, `compare` and `gate` print the same bytes and exit with
/// the same status as the binary built at 2aead6e (before it) on the same inputs, and `sweep` writes the
/// same deterministic columns. The expected files in Fixtures/unchanged were written by that binary.
final class UnchangedOutputTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/unchanged")
    static let input = fixtures.appendingPathComponent("input")

    func expect(_ name: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try BuiltBinary.run(arguments, in: Self.input)
        let stdout = try String(contentsOf: Self.fixtures.appendingPathComponent(name + ".stdout"), encoding: .utf8)
        let status = try String(contentsOf: Self.fixtures.appendingPathComponent(name + ".status"), encoding: .utf8)
        XCTAssertEqual(result.stdout, stdout, name, file: file, line: line)
        XCTAssertEqual("\(result.status)\n", status, name + ": " + result.stderr, file: file, line: line)
    }

    func testReportCompareAndGateAreUnchanged() throws {
        try expect("report-threads-text", ["report", "readme-threads.csv", "--format", "text"])
        try expect("report-decode-markdown", ["report", "readme-decode.csv"])
        try expect("compare-prefill-text", ["compare", "readme-prefill-gqa.csv", "readme-prefill-gqa-reversed.csv"])
        try expect("compare-prefill-csv", ["compare", "readme-prefill-gqa.csv", "readme-prefill-gqa-reversed.csv",
                                           "--format", "csv", "--threshold", "0.01"])
        try expect("compare-prefill-markdown", ["compare", "readme-prefill-gqa.csv", "readme-prefill-gqa-reversed.csv",
                                                "--format", "markdown", "--kernels", "fused"])
        try expect("compare-missing", ["compare", "readme-decode.csv", "readme-threads.csv"])
        try expect("report-missing-file", ["report", "nope.csv"])
        try expect("gate-missing-baseline", ["gate", "--baseline", "nope.csv", "--seq", "16"])
    }

    /// Every column that does not depend on the clock, the host or the build (an AMD EPYC wrote the fixture; an
    /// Intel Xeon, family 6 model 207, reads it the same): the shape and key columns, the
    /// status, the float64 check's errors (the kernels are bit-identical from run to run) and the work. The
    /// shape has more query rows than `KeySplitPlan.maxStreamingQueries`, so `fused` and `parallel` take the
    /// path they took at 2aead6e (shorter query lengths now stream, with other rounding).
    func testSweepWritesTheSameDeterministicColumns() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-unchanged-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try BuiltBinary.run(["sweep", "--seq", "70", "--seq-kv", "41", "--heads", "2", "--kv-heads", "1",
                                          "--head-dim", "12", "--causal", "both", "--no-probes", "--repetitions", "2",
                                          "--min-time", "0", "--kernels", "naive,fused,parallel,tiled", "--threads", "1,2",
                                          "--output", output, "--quiet"])
        let status = try String(contentsOf: Self.fixtures.appendingPathComponent("sweep.status"), encoding: .utf8)
        XCTAssertEqual("\(result.status)\n", status, result.stderr)
        let expected = try CSVFile(Self.fixtures.appendingPathComponent("sweep.csv").path)
        let actual = try CSVFile(output)
        XCTAssertEqual(actual.header.prefix(expected.header.count), expected.header[...], "columns are only ever appended")
        // The CPU's name and its core and node counts describe the host, which neither CI nor a user chooses.
        let stable = ["schema_version", "kernel", "batch", "heads", "kv_heads", "seq_q",
                      "seq_kv", "head_dim", "causal", "threads", "pin", "repetitions", "passed",
                      "status", "allowed_abs_err", "gflop", "numa_nodes_used", "note", "min_bytes"]
        func rows(_ file: CSVFile, _ columns: [String]) -> [[String]] { file.rows.map { row in columns.map { row[$0]! } } }
        XCTAssertEqual(rows(actual, stable), rows(expected, stable))
        // The check's errors are bit-identical where the kernels are the same machine code: a build of the same
        // SIMD width (the fixture's is 16 lanes, the `build` column); an 8-lane (AVX2) CPU adds in another
        // order. The host id names the CPU kind, which CI does not choose.
        let errors = ["max_abs_err", "max_rel_err", "nrms_err"]
        if actual.rows.first?["build"].map(simdWidth) == expected.rows.first?["build"].map(simdWidth) {
            XCTAssertEqual(rows(actual, errors), rows(expected, errors))
        }
    }

    /// `release-simd16`, `harness-debug+kernels-release-simd8`: the lanes the kernels were built for.
    private func simdWidth(_ build: String) -> Substring {
        build[(build.range(of: "simd")?.upperBound ?? build.endIndex)...]
    }
}
