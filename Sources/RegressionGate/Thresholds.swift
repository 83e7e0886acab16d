import Results
/// The minimum relative effect the gate acts on, globally and per kernel.
///
/// A threshold τ is a fraction of the baseline median: τ = 0.05 means a change of at least 5 %
/// (ratio ≥ 1.05 for a time, ≤ 0.95 for a throughput) before a statistically significant
/// difference counts as a regression or an improvement, and defines the "unchanged" band
/// `1 − τ < ratio < 1 + τ` (see ``Verdict``).
///
///     var thresholds = Thresholds(default: 0.05)
///     thresholds["flash-tiled"] = 0.10          // noisier kernel: act on 10 % only
///     thresholds.threshold(forKernel: "naive")  // 0.05
public struct Thresholds: Sendable, Hashable {
    /// The threshold for kernels without an override.
    public var defaultThreshold: Double
    /// Per-kernel overrides, keyed by kernel name (``BenchmarkKey/kernel``).
    public var overrides: [String: Double]

    /// The gate's default minimum effect, 5 %.
    public static let standardDefault = 0.05

    /// - Precondition: every threshold is finite and non-negative.
    public init(default defaultThreshold: Double = Thresholds.standardDefault, overrides: [String: Double] = [:]) {
        precondition(defaultThreshold.isFinite && defaultThreshold >= 0, "threshold must be finite and ≥ 0")
        precondition(overrides.values.allSatisfy { $0.isFinite && $0 >= 0 }, "threshold must be finite and ≥ 0")
        self.defaultThreshold = defaultThreshold
        self.overrides = overrides
    }

    /// The threshold that applies to `kernel`: its override if there is one, else the default.
    public func threshold(forKernel kernel: String) -> Double {
        overrides[kernel] ?? defaultThreshold
    }

    /// Reads or sets the override for one kernel; setting `nil` removes it.
    public subscript(kernel: String) -> Double? {
        get { overrides[kernel] }
        set {
            if let newValue { precondition(newValue.isFinite && newValue >= 0, "threshold must be finite and ≥ 0") }
            overrides[kernel] = newValue
        }
    }
}
