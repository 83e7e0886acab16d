import Results
import XCTest

/// `attnbench report`'s table: formats add bytes per second and the format's accuracy cost; fp32 files keep
/// the columns they always had.
final class ResultsReportTests: XCTestCase {
    static let header = ["schema_version", "kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal",
                         "threads", "pin", "median_ms", "mad_ms", "gflops", "status", "min_bytes", "format_err", "dtype", "kv_dtype"]

    func row(_ kvDtype: String, median: String, bytes: String, formatError: String) -> [String] {
        ["1", "fused", "1", "32", "8", "1", "32768", "128", "true", "1", "none", median, "0.1", "40", "ok", bytes, formatError, "f32", kvDtype]
    }

    func testFormatsAddGigabytesPerSecondAndTheFormatError() throws {
        let table = CSVTable(header: Self.header, rows: [row("f32", median: "20", bytes: "2.7e+08", formatError: "6e-08"),
                                                         row("q8_0", median: "10", bytes: "7.1e+07", formatError: "0.00012")])
        let text = try ResultsReport.render(table, results: "x.csv", format: .markdown)
        let lines = text.split(separator: "\n")
        XCTAssertTrue(lines[0].hasSuffix("| GB/s | format err | check |"), String(lines[0]))
        XCTAssertTrue(lines[2].contains("| 13.5 | 6e-08 | pass |"), String(lines[2]))
        XCTAssertTrue(lines[3].contains("B1 H32/KV8 N1×32768 d128 causal kv:q8_0"), String(lines[3]))
        XCTAssertTrue(lines[3].contains("| 7.1 | 0.00012 | pass |"), String(lines[3]))
    }

    func testFp32FilesKeepTheirColumns() throws {
        let table = CSVTable(header: Self.header, rows: [row("f32", median: "20", bytes: "2.7e+08", formatError: "6e-08")])
        let text = try ResultsReport.render(table, results: "x.csv", format: .markdown)
        XCTAssertFalse(text.contains("GB/s"), text)
        XCTAssertFalse(text.contains("format err"), text)
    }
}
