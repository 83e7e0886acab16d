import XCTest
@testable import RegressionGate
import Results

final class RenderingTests: XCTestCase {
    let naive = Synthetic.key("naive", seq: 512)
    /// A kernel name with a pipe and a comma, which Markdown and CSV must escape.
    let flash = Synthetic.key("flash | tiled, v2", seq: 4096)
    let retired = Synthetic.key("retired kernel")
    let brandNew = Synthetic.key("brand new")

    lazy var report: GateReport = {
        let steady = Synthetic.times(12, median: 10, sigma: 0.01, seed: 31)
        let steadyAgain = Synthetic.times(12, median: 10, sigma: 0.01, seed: 32)
        let slower = Synthetic.times(12, median: 13, sigma: 0.01, seed: 33)
        let faster = Synthetic.times(12, median: 7, sigma: 0.01, seed: 34)
        return GateReport(
            baseline: [
                BenchmarkSamples(key: naive, values: steady),
                BenchmarkSamples(key: flash, values: steady),
                BenchmarkSamples(key: Synthetic.key("simd"), values: steady),
                BenchmarkSamples(key: Synthetic.key("tiny"), values: Array(steady.prefix(3))),
                BenchmarkSamples(key: retired, values: steady),
            ],
            candidate: [
                BenchmarkSamples(key: naive, values: steadyAgain),
                BenchmarkSamples(key: flash, values: slower),
                BenchmarkSamples(key: Synthetic.key("simd"), values: faster),
                BenchmarkSamples(key: Synthetic.key("tiny"), values: Array(slower.prefix(3))),
                BenchmarkSamples(key: brandNew, values: steady),
            ])
    }()

    func testVerdictsOfTheFixture() {
        XCTAssertEqual(report.rows.map(\.verdict), [.unchanged, .regressed, .improved, .inconclusive])
    }

    func testTextHasHeadersVerdictsAndAlignedColumns() {
        let text = report.render(format: .text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for title in GateReport.columnTitles { XCTAssertTrue(lines[0].contains(title), title) }
        for verdict in Verdict.allCases { XCTAssertTrue(text.contains(verdict.rawValue), verdict.rawValue) }
        XCTAssertTrue(text.contains("missing from candidate (1): \(retired)"))
        XCTAssertTrue(text.contains("only in candidate (1): \(brandNew)"))
        XCTAssertTrue(text.contains("exit 2"))
        // Every table line starts its verdict cell, and ends its ratio cell, in the header's column.
        let table = [lines[0]] + lines[2..<(2 + report.rows.count)]
        let verdictColumn = lines[0].distance(from: lines[0].startIndex, to: lines[0].firstRange(of: "verdict")!.lowerBound)
        let ratioEnd = lines[0].distance(from: lines[0].startIndex, to: lines[0].firstRange(of: "ratio")!.upperBound)
        for (line, row) in zip(table.dropFirst(), report.rows) {
            XCTAssertEqual(line.distance(from: line.startIndex, to: line.firstRange(of: row.verdict.rawValue)!.lowerBound),
                           verdictColumn, line)
            let ratioText = NumberFormatting.ratio(row.ratio)
            let ratioRange = line.firstRange(of: "  " + ratioText)!
            XCTAssertEqual(line.distance(from: line.startIndex, to: ratioRange.upperBound), ratioEnd, line)
        }
        XCTAssertTrue(lines[1].allSatisfy { $0 == "-" || $0 == " " })
    }

    func testMarkdownIsAPullRequestTable() {
        let markdown = report.render(format: .markdown)
        XCTAssertTrue(markdown.hasPrefix("### ❌ attnbench gate: 1 regression(s)"))
        XCTAssertTrue(markdown.contains("| benchmark | baseline median | candidate median | ratio | CI low | CI high | p-value | verdict |"))
        XCTAssertTrue(markdown.contains("|:---|---:|---:|---:|---:|---:|---:|:---|"))
        XCTAssertTrue(markdown.contains("**regressed**"))
        XCTAssertTrue(markdown.contains("improved"))
        XCTAssertTrue(markdown.contains("flash \\| tiled, v2 B1 H1 N4096 d8 full t1 none"), "pipes in labels are escaped")
        XCTAssertTrue(markdown.contains("**Missing from candidate** (1):"))
        XCTAssertTrue(markdown.contains("- `\(brandNew)`"))
        // Every table line has the same number of unescaped cell separators.
        let tableLines = markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
        XCTAssertEqual(tableLines.count, 2 + report.rows.count)
        for line in tableLines {
            XCTAssertEqual(line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count, 9, String(line))
        }
    }

    func testCSVHasHeaderFullPrecisionAndQuoting() {
        let csv = report.render(format: .csv)
        let lines = csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "benchmark,baseline_median,candidate_median,ratio,ci_low,ci_high,p_value,verdict,"
                                 + "id,kernel,metric,unit,baseline_n,candidate_n,threshold,reason,test")
        XCTAssertEqual(GateReport.csvHeader.count, 17)
        XCTAssertTrue(GateReport.csvHeader.allSatisfy { !$0.contains(" ") && $0 == $0.lowercased() }, "snake_case")
        XCTAssertEqual(lines.count, 1 + report.rows.count + 2)
        XCTAssertTrue(lines[2].hasPrefix("\"flash | tiled, v2 B1 H1 N4096 d8 full t1 none\","))
        XCTAssertTrue(lines[2].contains(",regressed,\"flash | tiled, v2|1|1|1|4096|4096|8|false|1|none\",\"flash | tiled, v2\",time,ms,12,12,0.05,significantWorsening,"), lines[2])
        let ratioField = lines[1].split(separator: ",")[3]
        XCTAssertEqual(Double(ratioField), report.rows[0].ratio, "CSV keeps full precision")
        XCTAssertTrue(lines.contains { $0.hasPrefix("\(retired),,,,,,,missing,\(retired.id),") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("\(brandNew),,,,,,,unmatched,\(brandNew.id),") })
    }

    func testNotesOpenTextAndMarkdownButNotCSV() {
        var noted = report
        noted.notes = ["weaker mode: peak-normalised | cross-host"]
        let text = noted.render(format: .text)
        XCTAssertTrue(text.hasPrefix("note: weaker mode: peak-normalised | cross-host\n"))
        let markdown = noted.render(format: .markdown)
        XCTAssertTrue(markdown.contains("> ⚠️ weaker mode: peak-normalised \\| cross-host"))
        XCTAssertEqual(noted.render(format: .csv), report.render(format: .csv))
        XCTAssertEqual(noted.exitStatus, report.exitStatus)
    }

    func testCSVFieldQuoting() {
        XCTAssertEqual(GateReport.csvField("plain"), "plain")
        XCTAssertEqual(GateReport.csvField("a,b"), "\"a,b\"")
        XCTAssertEqual(GateReport.csvField("say \"hi\""), "\"say \"\"hi\"\"\"")
    }

    func testNumberFormatting() {
        XCTAssertEqual(NumberFormatting.fixed(1.23456, digits: 3), "1.235")
        XCTAssertEqual(NumberFormatting.fixed(-0.0004, digits: 3), "0.000")
        XCTAssertEqual(NumberFormatting.fixed(-2.5, digits: 0), "-3")
        XCTAssertEqual(NumberFormatting.fixed(0.05, digits: 4), "0.0500")
        XCTAssertEqual(NumberFormatting.fixed(.nan, digits: 2), "nan")
        XCTAssertEqual(NumberFormatting.measurement(12.34567), "12.346")
        XCTAssertEqual(NumberFormatting.measurement(1234.567), "1234.6")
        XCTAssertEqual(NumberFormatting.pValue(0.00001), "<0.0001")
        XCTAssertEqual(NumberFormatting.pValue(0.0123456), "0.0123")
        XCTAssertEqual(NumberFormatting.percent(0.05), "5%")
        XCTAssertEqual(NumberFormatting.percent(0.025), "2.5%")
        XCTAssertEqual(NumberFormatting.percent(0.95), "95%")
    }

    func testEmptyReportRendersInEveryFormat() {
        let empty = GateReport(rows: [])
        for format in ReportFormat.allCases {
            XCTAssertTrue(empty.render(format: format).contains("benchmark"))
        }
        XCTAssertTrue(empty.render(format: .text).contains("unusable input"))
    }
}
