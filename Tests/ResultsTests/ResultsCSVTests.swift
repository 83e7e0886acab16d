import Results
import XCTest
import AttentionCore
@testable import Results

final class ResultsCSVTests: XCTestCase {
    let environment = RunEnvironment(timestamp: "2026-11-23T10:00:00Z", host: "host, with comma", cpuModel: "CPU \"quoted\"",
                                     cores: 2, numaNodes: 1, build: "release-simd16", commit: "abc1234")

    func testRequiredColumnsArePresentInOrder() {
        let required = ["schema_version", "timestamp", "host", "cpu_model", "cores", "numa_nodes", "build", "commit",
                        "kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal", "threads", "pin",
                        "repetitions", "min_ms", "median_ms", "mean_ms", "p90_ms", "max_ms", "mad_ms", "gflops",
                        "max_abs_err", "max_rel_err", "passed"]
        XCTAssertEqual(Array(ResultsSchema.columns.prefix(required.count)), required)
        XCTAssertEqual(Set(ResultsSchema.columns).count, ResultsSchema.columns.count)
    }

    func testWriteReadRoundTrip() throws {
        let shape = AttentionShape(batch: 2, heads: 4, kvHeads: 2, seqQ: 100, seqKV: 130, headDim: 40, causal: true)
        let key = BenchmarkKey(kernel: "fused", shape: shape, threads: 2, pin: "compact")
        var record = BenchmarkRecord(key: key, status: .ok, samples: [2.5, 2.0, 3.0])
        record.speedupOverNaive = 7.5
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-\(UUID())")
        let path = directory.appendingPathComponent("r.csv").path
        let writer = try ResultsWriter(path: path, header: ResultsSchema.columns)
        try writer.append(ResultsCSV.row(record, environment: environment))
        let table = try CSVTable(contentsOf: path)
        XCTAssertEqual(table.header, ResultsSchema.columns)
        XCTAssertEqual(table.rows.count, 1)
        func field(_ name: String) -> String { table.rows[0][table.column(name)!] }
        XCTAssertEqual(field("host"), "host, with comma")
        XCTAssertEqual(field("cpu_model"), "CPU \"quoted\"")
        XCTAssertEqual(field("kernel"), "fused")
        XCTAssertEqual(field("kv_heads"), "2")
        XCTAssertEqual(field("seq_kv"), "130")
        XCTAssertEqual(field("causal"), "true")
        XCTAssertEqual(field("median_ms"), "2.5")
        XCTAssertEqual(field("repetitions"), "3")
        XCTAssertEqual(field("passed"), "true")
        XCTAssertEqual(Double(field("gflops"))!, CostModel.flops(shape) / 2.5e6, accuracy: 1e-3)
        XCTAssertEqual(field("speedup_vs_naive"), "7.5")
        try? FileManager.default.removeItem(at: directory)
    }

    func testSampleRowsAreLongFormat() {
        let key = BenchmarkKey(kernel: "naive", shape: AttentionShape(heads: 1, seqQ: 8, headDim: 4, causal: false), threads: 1, pin: "none")
        let rows = ResultsCSV.sampleRows(BenchmarkRecord(key: key, status: .ok, samples: [1, 2]), environment: environment)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[1].count, ResultsSchema.sampleColumns.count)
        XCTAssertEqual(rows[1].last, "2")
        XCTAssertEqual(rows[1][rows[1].count - 2], "1")
    }

    func testParserRejectsRaggedRowsNamingTheLine() {
        XCTAssertThrowsError(try CSVTable(parsing: "a,b\n1,2\n3\n", source: "x.csv")) { error in
            XCTAssertEqual("\(error)", "x.csv:3: expected 2 fields, found 1")
        }
        XCTAssertThrowsError(try CSVTable(parsing: "", source: "empty.csv"))
        XCTAssertThrowsError(try CSVTable(parsing: "a\n\"open", source: "q.csv"))
    }

    func testParserHandlesQuotesAndCRLF() throws {
        let table = try CSVTable(parsing: "a,b\r\n\"x,\"\"y\"\"\",2\r\n")
        XCTAssertEqual(table.rows, [["x,\"y\"", "2"]])
    }
}
