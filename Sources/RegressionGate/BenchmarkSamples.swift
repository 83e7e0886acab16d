/// Identifies one benchmark across runs.
///
/// Baseline and candidate rows are matched on ``id`` alone, which the gate treats as an opaque
/// string (the CLI builds it from kernel, shape, threads, …). ``kernel`` selects the threshold
/// (``Thresholds``) and ``label`` is what the report shows.
public struct BenchmarkKey: Sendable, Hashable {
    /// The opaque matching key.
    public var id: String
    /// The kernel name, for per-kernel thresholds.
    public var kernel: String
    /// The text in the report's "benchmark" column.
    public var label: String

    /// - Parameters:
    ///   - id: The opaque matching key.
    ///   - kernel: The kernel name for threshold overrides; defaults to `id`.
    ///   - label: The display text; defaults to `id`.
    public init(id: String, kernel: String? = nil, label: String? = nil) {
        self.id = id
        self.kernel = kernel ?? id
        self.label = label ?? id
    }
}

/// All samples of one benchmark in one run set (baseline or candidate).
public struct BenchmarkSamples: Sendable, Hashable {
    public var key: BenchmarkKey
    /// What the values measure; the baseline's metric decides the direction of a comparison.
    public var metric: Metric
    /// The measurements, e.g. run times in milliseconds. Order does not matter.
    public var values: [Double]

    public init(key: BenchmarkKey, metric: Metric = .time, values: [Double]) {
        self.key = key
        self.metric = metric
        self.values = values
    }

    /// Whether every value is finite and strictly positive (required for a ratio of medians).
    public var isValid: Bool {
        !values.isEmpty && values.allSatisfy { $0.isFinite && $0 > 0 }
    }
}
