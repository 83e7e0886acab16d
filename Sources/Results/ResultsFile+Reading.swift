import Foundation
import AttentionCore

/// A results CSV read back together with its raw-samples companion (`<name>-samples.csv`), for
/// `attnbench compare`, `gate` and `baseline`: one ``Row`` per benchmark, each with every timed sample.
///
/// Reading validates what the gate relies on and names the file and line of the first problem
/// (``CSVError``): the files exist, `schema_version` is ``ResultsSchema/schemaVersion`` on every line, the
/// required columns are there (looked up by name, so appended columns are fine), numbers parse, a
/// benchmark appears once, and every `ok` row has samples. Sample lines for benchmarks the results file
/// does not list are ignored (a results file may be trimmed by hand).
public struct ResultsFile: Sendable {
    /// One benchmark of the file.
    public struct Row: Sendable {
        /// The line of the results file this row is on.
        public var line: Int
        public var key: BenchmarkKey
        public var status: BenchmarkStatus
        public var host: String
        public var cpuModel: String
        public var cores: Int
        public var timestamp: String
        public var medianMilliseconds: Double?
        /// The FMA peak probes of the run (GFLOP/s, one core), when the file has them.
        public var probeBefore: Double?
        public var probeAfter: Double?
        /// The run's noise flag (`noisy` column); false when absent.
        public var noisy: Bool
        /// Run times in milliseconds, from the samples file, in sample order.
        public var samples: [Double]

        /// The machine's id (`host_id`), nil in files written before that column.
        public var hostID: String?

        /// The per-core calibration of the run (``ResultsSchema/peakPerCore(before:after:)``).
        public var peakPerCore: Double? { ResultsSchema.peakPerCore(before: probeBefore, after: probeAfter) }
    }

    public var path: String
    public var samplesPath: String
    public var rows: [Row]

    /// Columns the results file must have.
    public static let requiredColumns = ["schema_version", "host", "cpu_model", "cores"] + ResultsSchema.keyColumns
        + ["status", "median_ms"]
    /// Columns the samples file must have.
    public static let requiredSampleColumns = ["schema_version"] + ResultsSchema.keyColumns + ["sample", "time_ms"]

    /// `<name>-samples.csv` beside `<name>.csv` (the rule `sweep` writes by).
    public static func samplesPath(for resultsPath: String) -> String {
        resultsPath.hasSuffix(".csv") ? String(resultsPath.dropLast(4)) + "-samples.csv" : resultsPath + "-samples.csv"
    }

    public init(path: String, samplesPath: String, rows: [Row]) {
        self.path = path
        self.samplesPath = samplesPath
        self.rows = rows
    }

    /// Reads `path` and its samples file (by default `samplesPath(for: path)`).
    public static func read(_ path: String, samplesPath: String? = nil) throws -> ResultsFile {
        let samplesPath = samplesPath ?? Self.samplesPath(for: path)
        let results = try table(path, what: "results file")
        guard FileManager.default.fileExists(atPath: samplesPath) else {
            throw CSVError(source: samplesPath, line: 0,
                           message: "no such file: the raw samples of \(path) are missing (the gate needs them, not just medians)")
        }
        let samples = try table(samplesPath, what: "samples file")
        try requireColumns(requiredColumns, in: results, path: path, what: "results")
        try requireColumns(requiredSampleColumns, in: samples, path: samplesPath, what: "samples")

        var rows: [Row] = []
        var indexByKey: [BenchmarkKey: Int] = [:]
        for (index, fields) in results.rows.enumerated() {
            let line = results.line(ofRow: index)
            let cell = Cells(table: results, fields: fields, path: path, line: line)
            try cell.checkSchema()
            let key = try cell.key()
            guard let status = BenchmarkStatus(rawValue: cell["status"]) else {
                throw CSVError(source: path, line: line, message: "column 'status': expected ok, failed or skipped, found '\(cell["status"])'")
            }
            let row = Row(line: line, key: key, status: status, host: cell["host"], cpuModel: cell["cpu_model"],
                          cores: try cell.integer("cores"), timestamp: cell.optional("timestamp") ?? "",
                          medianMilliseconds: try cell.number("median_ms"),
                          probeBefore: try cell.number("probe_before_gflops"),
                          probeAfter: try cell.number("probe_after_gflops"),
                          noisy: cell.optional("noisy") == "true", samples: [],
                          hostID: cell.optional("host_id").flatMap { $0.isEmpty ? nil : $0 })
            if let first = indexByKey[row.key] {
                throw CSVError(source: path, line: line,
                               message: "benchmark \(key) appears twice (first on line \(rows[first].line))")
            }
            indexByKey[row.key] = rows.count
            rows.append(row)
        }

        for (index, fields) in samples.rows.enumerated() {
            let line = samples.line(ofRow: index)
            let cell = Cells(table: samples, fields: fields, path: samplesPath, line: line)
            try cell.checkSchema()
            let key = try cell.key()
            guard let rowIndex = indexByKey[key] else { continue }
            guard let time = try cell.number("time_ms") else {
                throw CSVError(source: samplesPath, line: line, message: "column 'time_ms' is empty")
            }
            rows[rowIndex].samples.append(time)
        }
        for row in rows where row.status == .ok && row.samples.isEmpty {
            throw CSVError(source: path, line: row.line, message: "benchmark \(row.key) has no samples in \(samplesPath)")
        }
        return ResultsFile(path: path, samplesPath: samplesPath, rows: rows)
    }

    /// The rows that were timed (`status` ok).
    public var timedRows: [Row] { rows.filter { $0.status == .ok } }

    // MARK: Helpers

    static func table(_ path: String, what: String) throws -> CSVTable {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CSVError(source: path, line: 0, message: "no such \(what)")
        }
        if isDirectory.boolValue { throw CSVError(source: path, line: 0, message: "is a directory, expected a \(what)") }
        return try CSVTable(contentsOf: path)
    }

    static func requireColumns(_ names: [String], in table: CSVTable, path: String, what: String) throws {
        let missing = names.filter { table.column($0) == nil }
        guard missing.isEmpty else {
            throw CSVError(source: path, line: 1, message: "missing column\(missing.count == 1 ? "" : "s") "
                           + missing.map { "'\($0)'" }.joined(separator: ", ") + "; not an attnbench \(what) file?")
        }
    }

    /// One line's fields, looked up by column name, with errors that name the file and line.
    struct Cells {
        let table: CSVTable
        let fields: [String]
        let path: String
        let line: Int

        subscript(_ column: String) -> String { fields[table.column(column)!] }
        func optional(_ column: String) -> String? { table.column(column).map { fields[$0] } }

        func checkSchema() throws {
            if let problem = ResultsSchema.versionProblem(self["schema_version"]) {
                throw CSVError(source: path, line: line, message: problem)
            }
        }

        func integer(_ column: String) throws -> Int {
            let text = self[column]
            guard let value = Int(text) else {
                throw CSVError(source: path, line: line, message: "column '\(column)': expected an integer, found '\(text)'")
            }
            return value
        }

        /// A number, nil when the column is absent or the cell empty.
        func number(_ column: String) throws -> Double? {
            guard let text = optional(column), !text.isEmpty else { return nil }
            guard let value = Double(text) else {
                throw CSVError(source: path, line: line, message: "column '\(column)': expected a number, found '\(text)'")
            }
            return value
        }

        func key() throws -> BenchmarkKey {
            do { return try ResultsSchema.key(optional) } catch let error as ResultsSchema.KeyError {
                throw CSVError(source: path, line: line, message: error.description)
            }
        }
    }
}
