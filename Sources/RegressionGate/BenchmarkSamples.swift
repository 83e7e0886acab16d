import Results

/// All samples of one benchmark in one run set (baseline or candidate). Baseline and candidate sets are
/// matched on their ``BenchmarkKey`` (the results format's key: kernel, shape, threads, pin); its kernel
/// picks the threshold (``Thresholds``) and its description is the report's "benchmark" column.
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
