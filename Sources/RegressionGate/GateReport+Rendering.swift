import Results

/// The output formats of ``GateReport/render(format:)``.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// An aligned plain-text table for terminals and CI logs.
    case text
    /// A GitHub-flavoured Markdown table for a pull-request comment.
    case markdown
    /// RFC 4180 comma-separated values, full precision, one line per benchmark.
    case csv
}

extension GateReport {
    /// The column titles every format starts with, in order.
    public static let columnTitles = [
        "benchmark", "baseline median", "candidate median", "ratio", "CI low", "CI high", "p-value", "verdict",
    ]

    /// Renders the report as a table with the columns ``columnTitles``.
    ///
    /// - `text` and `markdown` round numbers for reading (medians with their unit, ratios to four
    ///   decimals, p-values to four or as `<0.0001`) and add a summary, the settings, and the
    ///   missing and unmatched benchmarks.
    /// - `csv` writes the header ``csvHeader`` (the eight columns in snake_case: `benchmark`,
    ///   `baseline_median`, `candidate_median`, `ratio`, `ci_low`, `ci_high`, `p_value`, `verdict`, then
    ///   `id`, `kernel`, `metric`, `unit`, `baseline_n`, `candidate_n`, `threshold`, `reason`, `test`) and
    ///   the numbers at full precision; missing and unmatched benchmarks appear as lines with verdict
    ///   `missing` / `unmatched` and empty statistics. ``GateReport/notes`` are not part of the CSV.
    /// - ``GateReport/notes`` open the text report (`note: …` lines) and follow the Markdown heading
    ///   (as `> ⚠️ …` quotes).
    public func render(format: ReportFormat) -> String {
        switch format {
        case .text: renderText()
        case .markdown: renderMarkdown()
        case .csv: renderCSV()
        }
    }

    // MARK: Shared pieces

    /// A one-line count of verdicts, e.g. `4 compared: 1 regressed, 0 improved, 3 unchanged, 0 inconclusive`.
    public var summaryLine: String {
        "\(rows.count) compared: " + Verdict.allCases.map { "\(count(of: $0)) \($0.rawValue)" }.joined(separator: ", ")
    }

    /// The rank test(s) that decided the rows: Mann–Whitney U on pooled samples, the Wilcoxon signed-rank
    /// test on per-round ratios (an A/B race), or both when the rows mix them.
    var testsLine: String {
        let pooled = rows.contains { $0.test != nil }, paired = rows.contains { $0.pairedTest != nil }
        switch (pooled, paired) {
        case (false, true): return "two-sided Wilcoxon signed-rank test of per-round log-ratios"
        case (true, true): return "two-sided Mann–Whitney U (pooled samples) and Wilcoxon signed-rank (per-round ratios)"
        default: return "two-sided Mann–Whitney U"
        }
    }

    var settingsLine: String {
        var text = "ratio = candidate median / baseline median; "
            + "\(NumberFormatting.percent(configuration.confidence)) percentile-bootstrap CI "
            + "(\(configuration.resamples) resamples); \(testsLine), α = \(configuration.alpha); "
            + "threshold \(NumberFormatting.percent(configuration.thresholds.defaultThreshold))"
        let overrides = configuration.thresholds.overrides.sorted { $0.key < $1.key }
        if !overrides.isEmpty {
            text += " (" + overrides.map { "\($0.key): \(NumberFormatting.percent($0.value))" }.joined(separator: ", ") + ")"
        }
        return text + "; at least \(configuration.minimumSamples) samples per side"
    }

    var statusLine: String {
        switch exitStatus {
        case .passed: "gate passed (exit 0)"
        case .unusableInput: "gate failed: unusable input (exit 1)"
        case .regressed: "gate failed: \(count(of: .regressed)) regression(s) (exit 2)"
        }
    }

    /// The rounded cells of one row, in ``columnTitles`` order.
    func readableCells(_ row: Comparison) -> [String] {
        func measured(_ x: Double) -> String { x.isNaN ? "-" : NumberFormatting.measurement(x) + " " + row.metric.unit }
        return [
            row.key.description,
            measured(row.baselineMedian),
            measured(row.candidateMedian),
            row.ratio.isNaN ? "-" : NumberFormatting.ratio(row.ratio),
            row.interval.map { NumberFormatting.ratio($0.lower) } ?? "-",
            row.interval.map { NumberFormatting.ratio($0.upper) } ?? "-",
            row.pValue.map(NumberFormatting.pValue) ?? "-",
            row.verdict.rawValue,
        ]
    }

    // MARK: Text

    func renderText() -> String {
        let table = [Self.columnTitles] + rows.map(readableCells)
        var widths = [Int](repeating: 0, count: Self.columnTitles.count)
        for line in table {
            for (column, cell) in line.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func layout(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                // The label and the verdict read left to right; numbers align on the right.
                return column == 0 || column == cells.count - 1 ? cell + padding : padding + cell
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
        var lines = notes.map { "note: " + $0 }
        lines += [layout(Self.columnTitles), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += rows.map { layout(readableCells($0)) }
        lines.append("")
        lines.append(summaryLine)
        if !missing.isEmpty {
            lines.append("missing from candidate (\(missing.count)): " + missing.map(\.description).joined(separator: ", "))
        }
        if !unmatched.isEmpty {
            lines.append("only in candidate (\(unmatched.count)): " + unmatched.map(\.description).joined(separator: ", "))
        }
        lines.append(settingsLine)
        lines.append(statusLine)
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Markdown

    func renderMarkdown() -> String {
        func escaped(_ cell: String) -> String {
            cell.replacingAll("\\", with: "\\\\").replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
        }
        func verdictCell(_ verdict: Verdict) -> String {
            switch verdict {
            case .regressed: "🔴 **regressed**"
            case .improved: "🟢 improved"
            case .unchanged: "⚪ unchanged"
            case .inconclusive: "🟡 inconclusive"
            }
        }
        let heading: String
        switch exitStatus {
        case .passed: heading = "### ✅ attnbench gate: no regressions"
        case .unusableInput: heading = "### ⚠️ attnbench gate: unusable input"
        case .regressed: heading = "### ❌ attnbench gate: \(count(of: .regressed)) regression(s)"
        }
        var lines = [heading, ""]
        for note in notes { lines += ["> ⚠️ " + escaped(note), ""] }
        lines += [summaryLine + ".", ""]
        lines.append("| " + Self.columnTitles.joined(separator: " | ") + " |")
        lines.append("|:---|---:|---:|---:|---:|---:|---:|:---|")
        for row in rows {
            var cells = readableCells(row).map(escaped)
            cells[cells.count - 1] = verdictCell(row.verdict)
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        if !missing.isEmpty {
            lines += ["", "**Missing from candidate** (\(missing.count)):"]
            lines += missing.map { "- `\($0.description.replacingAll("`", with: "'"))`" }
        }
        if !unmatched.isEmpty {
            lines += ["", "**Only in candidate** (\(unmatched.count)):"]
            lines += unmatched.map { "- `\($0.description.replacingAll("`", with: "'"))`" }
        }
        lines += ["", "<sub>\(settingsLine).</sub>"]
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: CSV

    /// The CSV header line's fields: snake_case names for tools that read the file by column name
    /// (the gnuplot compare chart among them).
    public static let csvHeader = [
        "benchmark", "baseline_median", "candidate_median", "ratio", "ci_low", "ci_high", "p_value", "verdict",
        "id", "kernel", "metric", "unit", "baseline_n", "candidate_n", "threshold", "reason", "test",
    ]

    func renderCSV() -> String {
        var records: [[String]] = [Self.csvHeader]
        for row in rows {
            records.append([
                row.key.description,
                NumberFormatting.exact(row.baselineMedian),
                NumberFormatting.exact(row.candidateMedian),
                NumberFormatting.exact(row.ratio),
                row.interval.map { NumberFormatting.exact($0.lower) } ?? "",
                row.interval.map { NumberFormatting.exact($0.upper) } ?? "",
                row.pValue.map(NumberFormatting.exact) ?? "",
                row.verdict.rawValue,
                row.key.id, row.key.kernel, row.metric.name, row.metric.unit,
                String(row.baselineCount), String(row.candidateCount),
                NumberFormatting.exact(row.threshold),
                row.decision.reason.rawValue,
                row.testName,
            ])
        }
        func absent(_ key: BenchmarkKey, _ verdict: String) -> [String] {
            [key.description, "", "", "", "", "", "", verdict, key.id, key.kernel, "", "", "", "", "", "", ""]
        }
        records += missing.map { absent($0, "missing") }
        records += unmatched.map { absent($0, "unmatched") }
        return records.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Quotes a field when it holds a comma, quote, or line break, doubling inner quotes (RFC 4180).
    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

fileprivate extension String {
    /// `self` with every occurrence of `target` replaced (Foundation-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
