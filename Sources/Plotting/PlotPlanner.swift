import Foundation
import Results
import Results

/// One plot to draw: which, and from which CSV.
public struct PlannedPlot: Sendable, Equatable {
    public var plot: PlotKind
    public var data: String
    public init(plot: PlotKind, data: String) {
        self.plot = plot
        self.data = data
    }
}

/// A plot the input cannot give, and why (in a few words).
public struct SkippedPlot: Sendable, Equatable, CustomStringConvertible {
    public var plot: PlotKind
    public var reason: String
    public var description: String { "\(plot): \(reason)" }
}

/// What ``PlotPlanner`` found in a CSV.
public struct PlotPlan: Sendable, Equatable {
    public enum Input: String, Sendable, Equatable { case results, samples, compare }
    public var input: Input
    public var plots: [PlannedPlot]
    public var skipped: [SkippedPlot]
}

/// Decides which plots a CSV has data for, with the same rules the scripts apply: rows with status `ok`
/// only; a series is every distinct combination of the shape, kernel, threads and pin except the swept
/// dimension; a line plot needs a series with at least two values along x.
public enum PlotPlanner {
    /// Column names as the scripts compare them: lower case, spaces and dashes as `_` ("CI low" → `ci_low`).
    public static func normalizedColumn(_ name: String) -> String {
        String(name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }

    /// What kind of attnbench CSV `table` is, from its header.
    public static func classify(_ table: CSVTable, source: String) throws -> PlotPlan.Input {
        let columns = Set(table.header.map(normalizedColumn))
        if columns.contains("benchmark") && columns.contains("ratio") { return .compare }
        if columns.contains("time_ms") && columns.contains("sample") { return .samples }
        if columns.contains("kernel") && (columns.contains("median_ms") || columns.contains("gflops")) { return .results }
        let header = table.header.prefix(6).joined(separator: ",") + (table.header.count > 6 ? ",…" : "")
        throw PlotError("\(source) is not an attnbench results, samples or compare CSV (its header is \(header))")
    }

    /// Reads `path` (and, for a results file, the samples file beside it) and plans the plots.
    /// - Parameter requested: the plots asked for, or `nil` for every plot the data allows. A requested plot
    ///   the data cannot give is an error.
    public static func plan(path: String, requested: [PlotKind]? = nil) throws -> PlotPlan {
        let table: CSVTable
        do { table = try CSVTable(contentsOf: path) } catch let error as CSVError { throw PlotError(error.description) }
        let input = try classify(table, source: path)
        do { try validateCells(table, input: input, path: path) } catch let error as CSVError {
            throw PlotError(error.description)
        }
        var plots: [PlannedPlot] = []
        var skipped: [SkippedPlot] = []
        func consider(_ plot: PlotKind, _ table: CSVTable, _ data: String) {
            if let reason = reasonAgainst(plot, table: table) {
                skipped.append(SkippedPlot(plot: plot, reason: reason))
            } else {
                plots.append(PlannedPlot(plot: plot, data: data))
            }
        }
        switch input {
        case .compare:
            consider(.compare, table, path)
        case .samples:
            consider(.samples, table, path)
        case .results:
            let missing = missingColumns(PlotKind.timeVsSeq.requiredColumns.dropLast(), in: table)
            if !missing.isEmpty {
                throw PlotError("\(path) lacks the column(s) \(missing.joined(separator: ", ")) that every results plot needs")
            }
            for plot in PlotKind.resultsPlots { consider(plot, table, path) }
            let samples = ResultsFile.samplesPath(for: path)
            if FileManager.default.fileExists(atPath: samples) {
                do {
                    let samplesTable = try CSVTable(contentsOf: samples)
                    try validateCells(samplesTable, input: .samples, path: samples)
                    consider(.samples, samplesTable, samples)
                } catch let error as CSVError {
                    skipped.append(SkippedPlot(plot: .samples, reason: "unreadable samples file: \(error)"))
                }
            } else {
                skipped.append(SkippedPlot(plot: .samples, reason: "no samples file \(samples)"))
            }
        }
        if let requested {
            for plot in requested where !plots.contains(where: { $0.plot == plot }) {
                if plot == .heatmap { throw PlotError("the heatmap comes from `attnbench heatmap`, not from a CSV", usage: true) }
                let reason = skipped.first { $0.plot == plot }?.reason ?? "it is drawn from a \(plot == .compare ? "compare" : plot == .samples ? "samples or results" : "results") CSV, and \(path) is a \(input.rawValue) CSV"
                throw PlotError("cannot draw \(plot) from \(path): \(reason)")
            }
            plots = plots.filter { requested.contains($0.plot) }
            skipped = skipped.filter { requested.contains($0.plot) }
        } else if plots.isEmpty {
            let reasons = skipped.map(\.description).joined(separator: "; ")
            throw PlotError("\(path) has no data for any plot (\(reasons))")
        }
        return PlotPlan(input: input, plots: plots, skipped: skipped)
    }

    /// Checks every cell the plots read, so a malformed file fails with its file and line instead of
    /// drawing something wrong: `schema_version` must be the one this build writes, shape columns positive
    /// integers, `causal` true or false, and measured columns numbers (or empty where not applicable).
    static func validateCells(_ table: CSVTable, input: PlotPlan.Input, path: String) throws {
        let index = Dictionary(table.header.enumerated().map { (normalizedColumn($1), $0) }) { first, _ in first }
        let integers: [String], numbers: [String]
        switch input {
        case .results:
            integers = ResultsSchema.integerKeyColumns
            numbers = ["median_ms", "mad_ms", "gflops", "speedup_vs_naive", "speedup_vs_1t", "parallel_efficiency",
                       "peak_gflops", "gflop", "bandwidth_gbs", "min_bytes"]
        case .samples:
            integers = ResultsSchema.integerKeyColumns + ["sample"]
            numbers = ["time_ms"]
        case .compare:
            integers = []
            numbers = ["baseline_median", "candidate_median", "ratio", "ci_low", "ci_high", "threshold"]
        }
        for (row, fields) in table.rows.enumerated() {
            let line = table.line(ofRow: row)
            func fail(_ message: String) -> CSVError { CSVError(source: path, line: line, message: message) }
            if let column = index["schema_version"], let problem = ResultsSchema.versionProblem(fields[column]) {
                throw fail(problem)
            }
            if let column = index["causal"], fields[column] != "true" && fields[column] != "false" {
                throw fail("column 'causal': expected true or false, found '\(fields[column])'")
            }
            for name in integers {
                guard let column = index[name] else { continue }
                guard let value = Int(fields[column]), value >= 0 else {
                    throw fail("column '\(name)': expected a non-negative integer, found '\(fields[column])'")
                }
            }
            for name in numbers {
                guard let column = index[name], !fields[column].isEmpty else { continue }
                guard Double(fields[column]) != nil else {
                    throw fail("column '\(name)': expected a number, found '\(fields[column])'")
                }
            }
        }
    }

    static func missingColumns<S: Sequence<String>>(_ names: S, in table: CSVTable) -> [String] {
        let present = Set(table.header.map(normalizedColumn))
        return names.filter { !present.contains($0) }
    }

    /// Why `table` cannot give `plot`, or `nil` when it can.
    public static func reasonAgainst(_ plot: PlotKind, table: CSVTable) -> String? {
        let missing = missingColumns(plot.requiredColumns, in: table)
        if !missing.isEmpty { return "no column(s) \(missing.joined(separator: ", "))" }
        let index = Dictionary(table.header.map(normalizedColumn).enumerated().map { ($1, $0) }) { first, _ in first }
        func field(_ row: [String], _ name: String) -> String? { index[name].map { row[$0] } }
        func number(_ row: [String], _ name: String) -> Double? {
            guard let text = field(row, name), let value = Double(text), value.isFinite else { return nil }
            return value
        }
        let rows = table.rows.filter { row in field(row, "status").map { $0 == "ok" } ?? true }
        /// A series: the shape, kernel, threads and pin without `x`; seq keeps whether it is self-attention, and
        /// kv_heads only whether it differs from heads (so that a heads sweep of plain multi-head attention is one series).
        func seriesKey(_ row: [String], without x: String) -> String {
            return ResultsSchema.keyColumns.map { dim -> String in
                if x == "seq_kv" && dim == "seq_kv" { return "*" }
                if x == "seq_kv" && dim == "seq_q" { return field(row, "seq_q") == field(row, "seq_kv") ? "self" : (field(row, "seq_q") ?? "") }
                if dim == "kv_heads" && field(row, "kv_heads") == field(row, "heads") { return "-" }
                return dim == x ? "*" : (field(row, dim) ?? "")
            }.joined(separator: "|")
        }
        func hasSeriesAlong(_ x: String, values: [String], filter: ([String]) -> Bool = { _ in true }) -> Bool {
            var seen: [String: Set<Double>] = [:]
            for row in rows where filter(row) {
                guard let position = number(row, x), values.allSatisfy({ number(row, $0) != nil }) else { continue }
                seen[seriesKey(row, without: x), default: []].insert(position)
            }
            return seen.values.contains { $0.count >= 2 }
        }
        switch plot {
        case .timeVsSeq:
            return hasSeriesAlong("seq_kv", values: ["median_ms"]) ? nil : "no kernel measured at two or more sequence lengths"
        case .gflopsVsSeq:
            return hasSeriesAlong("seq_kv", values: ["gflops"]) ? nil : "no kernel with GFLOP/s at two or more sequence lengths"
        case .speedupVsSeq:
            return hasSeriesAlong("seq_kv", values: ["speedup_vs_naive"], filter: { field($0, "kernel") != "naive" }) ? nil
                : "no kernel other than naive with a speedup at two or more sequence lengths"
        case .threadScaling:
            return hasSeriesAlong("threads", values: ["speedup_vs_1t", "parallel_efficiency"]) ? nil
                : "no kernel measured at two or more thread counts"
        case .headsSweep:
            return hasSeriesAlong("heads", values: ["median_ms"]) ? nil : "no kernel measured at two or more head counts"
        case .roofline:
            let measured = rows.filter { number($0, "gflops") != nil && number($0, "gflop") != nil }
            if measured.isEmpty { return "no row with GFLOP/s" }
            return measured.contains { number($0, "bandwidth_gbs") != nil && number($0, "peak_gflops") != nil } ? nil
                : "no row with both bandwidth_gbs and peak_gflops (the probes' roof)"
        case .samples:
            return rows.contains { number($0, "time_ms") != nil } ? nil : "no samples"
        case .compare:
            return table.rows.contains { number($0, "ratio") != nil } ? nil : "no benchmark with a ratio"
        case .heatmap:
            return "drawn by `attnbench heatmap`"
        }
    }
}
