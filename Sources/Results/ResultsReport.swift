import Foundation

/// A results CSV as a text or Markdown table, with a footer naming the CPU and its probes: how the docs'
/// result tables are made from committed files, never typed in.
public enum ResultsReport {
    public enum Format: String, CaseIterable, Sendable { case text, markdown }

    /// The table of `table`, read from `results` (named in errors and the footer).
    /// - Throws: ``CSVError`` for a missing column, a wrong schema version or a malformed key.
    public static func render(_ table: CSVTable, results: String, format: Format) throws -> String {
        var lines: [String] = []
        let required = ResultsSchema.keyColumns + ["schema_version", "median_ms", "mad_ms", "gflops", "status"]
        if let missing = required.first(where: { table.column($0) == nil }) {
            throw CSVError(source: results, line: 1, message: "missing column '\(missing)'")
        }
        func value(_ row: [String], _ name: String) -> String { table.column(name).map { row[$0] } ?? "" }
        func number(_ row: [String], _ name: String, digits: Int, suffix: String = "", scale: Double = 1) -> String {
            guard let x = Double(value(row, name)) else { return "-" }
            return String(format: "%.\(digits)f", x * scale) + suffix
        }
        // Files that race storage formats also show the bytes moved per second and what each format costs
        // in accuracy; fp32-only files keep the table they always had.
        let formats = table.rows.contains { row in
            ResultsSchema.formatColumns.contains { !["", "f32"].contains(value(row, $0)) }
        }
        var header = ["kernel", "shape", "threads", "pin", "median ms", "MAD ms", "GFLOP/s", "of peak", "of roofline",
                      "vs naive", "vs 1 thread", "check"]
        if formats { header.insert(contentsOf: ["GB/s", "format err"], at: header.count - 1) }
        let rows: [[String]] = try table.rows.enumerated().map { index, row in
            let line = table.line(ofRow: index)
            if let problem = ResultsSchema.versionProblem(value(row, "schema_version")) { throw CSVError(source: results, line: line, message: problem) }
            let key: BenchmarkKey
            do { key = try ResultsSchema.key { column in table.column(column).map { row[$0] } } } catch {
                throw CSVError(source: results, line: line, message: "\(error)")
            }
            let status = value(row, "status")
            var cells = [key.kernel, ResultsSchema.shapeText(key.shape), String(key.threads), key.pin,
                         number(row, "median_ms", digits: 2), number(row, "mad_ms", digits: 2), number(row, "gflops", digits: 1),
                         number(row, "peak_fraction", digits: 1, suffix: "%", scale: 100),
                         number(row, "roofline_fraction", digits: 1, suffix: "%", scale: 100),
                         number(row, "speedup_vs_naive", digits: 1, suffix: "×"), number(row, "speedup_vs_1t", digits: 2, suffix: "×")]
            if formats {
                let bytes = Double(value(row, "min_bytes")), median = Double(value(row, "median_ms"))
                cells.append(bytes.flatMap { bytes in median.map { String(format: "%.1f", bytes / ($0 * 1e6)) } } ?? "-")
                cells.append(Double(value(row, "format_err")).map { String(format: "%.2g", $0) } ?? "-")
            }
            return cells + [status == "ok" ? "pass" : status]
        }
        switch format {
        case .markdown:
            lines.append("| " + header.joined(separator: " | ") + " |")
            lines.append("|" + header.indices.map { $0 < 4 || $0 == header.count - 1 ? "---|" : "---:|" }.joined())
            for row in rows { lines.append("| " + row.joined(separator: " | ") + " |") }
        case .text:
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            for row in [header] + rows {
                lines.append(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
        }
        // Which CPU: the model name alone does not tell generations apart, the host id (vendor, family,
        // model, SIMD width) does.
        if let first = table.rows.first {
            let id = value(first, "host_id")
            let host = value(first, "cpu_model") + (id.isEmpty ? "" : " (`\(id)`)") + ", " + value(first, "cores") + " cores, "
                + value(first, "build")
            var probes = "FMA peak probe \(number(first, "probe_before_gflops", digits: 1)) / \(number(first, "probe_after_gflops", digits: 1)) GFLOP/s per core (before / after)"
            // All cores at once against one (files from before the all-core probe lack the columns).
            func scaling(_ all: String, _ one: String) -> String {
                ResultsSchema.coreScaling(allCores: Double(value(first, all)), oneCore: Double(value(first, one)))
                    .map { String(format: "%.2f×", $0) } ?? "-"
            }
            let before = scaling("probe_all_cores_before_gflops", "probe_before_gflops")
            let after = scaling("probe_all_cores_after_gflops", "probe_after_gflops")
            if value(first, "cores") != "1" && (before != "-" || after != "-") { probes += ", \(value(first, "cores")) cores together \(before) / \(after) one" }
            lines.append("")
            lines.append("\(format == .markdown ? "_" : "")Measured on \(host); \(probes); from `\(results)`.\(format == .markdown ? "_" : "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
