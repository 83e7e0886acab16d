import Results
/// A percentile-bootstrap confidence interval for the ratio of two medians.
///
/// **Estimator.** With baseline sample x (n₁ values) and candidate sample y (n₂ values), the
/// point estimate is ρ̂ = median(y) / median(x).
///
/// **Bootstrap.** For b = 1 … B (``resamples``), draw x*ᵦ by sampling n₁ values from x with
/// replacement and y*ᵦ by sampling n₂ values from y with replacement, independently, and set
///
///     ρ*ᵦ = median(y*ᵦ) / median(x*ᵦ).
///
/// **Interval.** With γ the ``confidence`` and α = 1 − γ, the percentile interval is
///
///     [ Q*(α/2),  Q*(1 − α/2) ]
///
/// where Q* is the type-7 quantile (``OrderStatistics/quantile(sorted:_:)``) of the B bootstrap
/// ratios. The percentile method is transformation-respecting, so the interval for the inverse
/// ratio is the inverse of this interval, and it needs no variance estimate of the median.
///
/// **Determinism.** All draws come from a ``SeededGenerator``; the same samples, seed,
/// confidence and resample count give the same interval on every machine.
///
/// **Cost.** Each sample is sorted once. A resample's median is then read from a histogram of
/// the drawn indices (the sorted sample is monotone in its index, so the k-th smallest drawn value
/// is at the first index whose cumulative count exceeds k): O(n) per resample, no sorting.
public struct BootstrapInterval: Sendable, Hashable {
    /// The lower end of the interval.
    public var lower: Double
    /// The upper end of the interval.
    public var upper: Double
    /// The nominal coverage γ, e.g. 0.95.
    public var confidence: Double
    /// The number of bootstrap resamples B.
    public var resamples: Int

    public static let defaultConfidence = 0.95
    public static let defaultResamples = 2000

    public init(lower: Double, upper: Double, confidence: Double, resamples: Int) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.resamples = resamples
    }

    /// Whether `value` lies in the closed interval `[lower, upper]`.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// Whether the whole interval lies strictly above `value`.
    public func isEntirely(above value: Double) -> Bool { lower > value }

    /// Whether the whole interval lies strictly below `value`.
    public func isEntirely(below value: Double) -> Bool { upper < value }

    /// The percentile-bootstrap interval of `median(candidate) / median(baseline)`.
    ///
    /// - Parameters:
    ///   - baseline: The baseline sample x; non-empty, values positive and finite.
    ///   - candidate: The candidate sample y; non-empty, values positive and finite.
    ///   - confidence: γ in (0, 1).
    ///   - resamples: B ≥ 1.
    ///   - seed: Seeds the ``SeededGenerator`` that draws the resamples.
    public static func ratioOfMedians(
        baseline: [Double],
        candidate: [Double],
        confidence: Double = defaultConfidence,
        resamples: Int = defaultResamples,
        seed: UInt64
    ) -> BootstrapInterval {
        precondition(!baseline.isEmpty && !candidate.isEmpty, "bootstrap needs two non-empty samples")
        var generator = SeededGenerator(seed: seed)
        var baselineResampler = MedianResampler(baseline)
        var candidateResampler = MedianResampler(candidate)
        return percentile(confidence: confidence, resamples: resamples) {
            let baselineMedian = baselineResampler.resampledMedian(using: &generator)
            let candidateMedian = candidateResampler.resampledMedian(using: &generator)
            return candidateMedian / baselineMedian
        }
    }

    /// The percentile interval of `resamples` draws of a bootstrap statistic: its ends are the (1 − γ)/2
    /// and (1 + γ)/2 quantiles of the sorted draws.
    private static func percentile(confidence: Double, resamples: Int, draw: () -> Double) -> BootstrapInterval {
        precondition(confidence > 0 && confidence < 1, "confidence must lie in (0, 1)")
        precondition(resamples >= 1, "bootstrap needs at least one resample")
        var draws = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples { draws[b] = draw() }
        draws.sort()
        let alpha = 1 - confidence
        return BootstrapInterval(
            lower: OrderStatistics.quantile(sorted: draws, alpha / 2),
            upper: OrderStatistics.quantile(sorted: draws, 1 - alpha / 2),
            confidence: confidence,
            resamples: resamples
        )
    }
}

extension BootstrapInterval {
    /// The percentile-bootstrap interval of the median of one sample (e.g. per-round ratios): the
    /// sample is resampled with replacement `resamples` times, and the interval's ends are the
    /// (1 − γ)/2 and (1 + γ)/2 quantiles of the resampled medians.
    public static func median(
        of sample: [Double],
        confidence: Double = defaultConfidence,
        resamples: Int = defaultResamples,
        seed: UInt64
    ) -> BootstrapInterval {
        precondition(!sample.isEmpty, "bootstrap needs a non-empty sample")
        var generator = SeededGenerator(seed: seed)
        var resampler = MedianResampler(sample)
        return percentile(confidence: confidence, resamples: resamples) { resampler.resampledMedian(using: &generator) }
    }
}

/// Draws the median of a with-replacement resample of a fixed sample in O(n).
struct MedianResampler {
    private let sorted: [Double]
    private var counts: [Int]

    init(_ sample: [Double]) {
        sorted = sample.sorted()
        counts = [Int](repeating: 0, count: sample.count)
    }

    mutating func resampledMedian(using generator: inout SeededGenerator) -> Double {
        let n = sorted.count
        if n == 1 { return sorted[0] }
        for i in 0..<n { counts[i] = 0 }
        for _ in 0..<n { counts[generator.index(below: n)] += 1 }
        // 0-based ranks of the middle order statistic(s) of the resample.
        let high = n / 2
        let low = n % 2 == 1 ? high : high - 1
        var lowValue = Double.nan
        var cumulative = 0
        for i in 0..<n {
            cumulative += counts[i]
            if lowValue.isNaN && cumulative > low { lowValue = sorted[i] }
            if cumulative > high { return lowValue / 2 + sorted[i] / 2 }
        }
        preconditionFailure("resample counts do not add up")
    }
}
