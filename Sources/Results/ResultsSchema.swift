import AttentionCore

/// The results format, in one place: column names and order, `schema_version`, the key columns, the
/// peak and peak-fraction arithmetic, and the shape text. The writer (`ResultsCSV`), the
/// readers (`ResultsFile`, `attnbench report`), the plots (`PlotPlanner`) and the gate use this type
/// and nothing else for these facts. docs/csv-columns.md documents every column.
///
/// Compatibility: readers look columns up by name, so columns are only ever appended (a file with extra
/// columns reads fine) and a reader treats a missing optional column (`host_id`, added later) as empty.
public enum ResultsSchema {
    /// The `schema_version` every row carries; readers refuse rows with another one.
    public static let schemaVersion = 1

    /// Columns that identify a benchmark (``BenchmarkKey``), shared by the results and samples files.
    public static let keyColumns = ["kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal", "threads", "pin"]

    /// The storage formats of a benchmark (``AttentionShape/dtype``, ``AttentionShape/kvDtype``): key columns
    /// appended after the others (results: at the end; samples: after `time_ms`). A file without them, or an
    /// empty cell, reads as `f32`.
    public static let formatColumns = ["dtype", "kv_dtype"]

    /// The key columns that hold positive integers.
    public static let integerKeyColumns = ["batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "threads"]

    /// The results file's columns, in order (one literal, which `Scripts/peers` reads to stay in step;
    /// the key columns sit at positions 8–17, as a test checks).
    public static let columns = [
        "schema_version", "timestamp", "host", "cpu_model", "cores", "numa_nodes", "build", "commit",
        "kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal", "threads", "pin",
        "repetitions", "min_ms", "median_ms", "mean_ms", "p90_ms", "max_ms", "mad_ms", "gflops",
        "max_abs_err", "max_rel_err", "passed",
        "status", "nrms_err", "allowed_abs_err", "gflop", "speedup_vs_naive",
        "numa_nodes_used", "speedup_vs_1t", "parallel_efficiency",
        "peak_gflops", "peak_fraction", "probe_before_gflops", "probe_after_gflops", "load_average", "noisy",
        "note", "host_id",
        "bandwidth_gbs", "min_bytes", "roofline_gflops", "roofline_fraction",
        "probe_all_cores_before_gflops", "probe_all_cores_after_gflops",
        "row_bandwidth_gbs",
        "dtype", "kv_dtype", "format_err",
    ]

    /// The raw-samples file's columns: one row per timed sample.
    public static let sampleColumns = ["schema_version", "timestamp", "host"] + keyColumns + ["sample", "time_ms"] + formatColumns

    /// Nil when a `schema_version` cell is one this build reads, else the one-line reason.
    public static func versionProblem(_ cell: String) -> String? {
        Int(cell) == schemaVersion ? nil : "schema_version '\(cell)' is not supported (this attnbench reads version \(schemaVersion))"
    }

    // MARK: Peak

    /// The per-core FMA peak of a run: the higher of the probes before and after it (the machine can do
    /// at least that much), or the one that exists.
    public static func peakPerCore(before: Double?, after: Double?) -> Double? {
        switch (before, after) {
        case let (before?, after?): max(before, after)
        case let (before?, nil): before
        case let (nil, after?): after
        case (nil, nil): nil
        }
    }

    /// How many times one core's FMA probe all cores reached together at one moment: the all-core probe
    /// (`probe_all_cores_*_gflops`) ÷ the single-core probe taken with it; nil without either, or with a
    /// single-core figure that is not positive.
    public static func coreScaling(allCores: Double?, oneCore: Double?) -> Double? {
        guard let allCores, let oneCore, oneCore > 0 else { return nil }
        return allCores / oneCore
    }

    /// `peak_gflops`: the per-core peak times the threads used, at most the cores.
    public static func peakGFLOPs(perCore: Double?, threads: Int, cores: Int) -> Double? {
        perCore.map { $0 * Double(min(threads, max(1, cores))) }
    }

    /// `peak_fraction = gflops ÷ peak_gflops`; nil without either, or with a peak that is not positive.
    public static func peakFraction(gflops: Double?, peak: Double?) -> Double? {
        guard let gflops, let peak, peak > 0 else { return nil }
        return gflops / peak
    }

    // MARK: Key and shape

    /// The shape as every table and report writes it, e.g. `B1 H8 N4096 d64 causal` (``AttentionShape/description``).
    public static func shapeText(_ shape: AttentionShape) -> String { shape.description }

    /// The key columns' cells for `key`.
    public static func keyFields(_ key: BenchmarkKey) -> [String: String] {
        let shape = key.shape
        return ["kernel": key.kernel, "batch": String(shape.batch), "heads": String(shape.heads),
                "kv_heads": String(shape.kvHeads), "seq_q": String(shape.seqQ), "seq_kv": String(shape.seqKV),
                "head_dim": String(shape.headDim), "causal": shape.causal ? "true" : "false",
                "threads": String(key.threads), "pin": key.pin,
                "dtype": shape.dtype.rawValue, "kv_dtype": shape.kvDtype.rawValue]
    }

    /// The key from a row's cells, `cell(column)` giving a key column's text (nil when absent).
    /// Throws ``KeyError`` naming the first bad column.
    public static func key(_ cell: (String) -> String?) throws -> BenchmarkKey {
        func text(_ column: String) throws -> String {
            guard let value = cell(column) else { throw KeyError("missing column '\(column)'") }
            return value
        }
        let causal = try text("causal")
        guard causal == "true" || causal == "false" else {
            throw KeyError("column 'causal': expected true or false, found '\(causal)'")
        }
        var values: [String: Int] = [:]
        for column in integerKeyColumns {
            let field = try text(column)
            guard let value = Int(field), value >= 1 else {
                throw KeyError("column '\(column)': expected a positive integer, found '\(field)'")
            }
            values[column] = value
        }
        let kernel = try text("kernel")
        guard !kernel.isEmpty else { throw KeyError("column 'kernel' is empty") }
        func format(_ column: String) throws -> ElementFormat {
            guard let text = cell(column), !text.isEmpty else { return .f32 }
            guard let format = ElementFormat(rawValue: text) else {
                throw KeyError("column '\(column)': expected one of \(ElementFormat.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
            }
            return format
        }
        let shape = AttentionShape(batch: values["batch"]!, heads: values["heads"]!, kvHeads: values["kv_heads"]!,
                                   seqQ: values["seq_q"]!, seqKV: values["seq_kv"]!, headDim: values["head_dim"]!,
                                   causal: causal == "true", dtype: try format("dtype"), kvDtype: try format("kv_dtype"))
        return BenchmarkKey(kernel: kernel, shape: shape, threads: values["threads"]!, pin: try text("pin"))
    }

    /// A row whose key columns cannot be read, in one line.
    public struct KeyError: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
