
/// Summary of a set of timing samples, in the samples' unit (milliseconds in this project).
///
/// The median and the median absolute deviation, `MAD = median(|xᵢ − median|)`, are the figures to trust on
/// a shared machine: a few slow outliers move the mean and the maximum but barely move them.
public struct SampleStatistics: Sendable, Equatable {
    public var count: Int
    public var min: Double
    public var median: Double
    public var mean: Double
    /// 90th percentile, linearly interpolated between order statistics (``OrderStatistics/quantile(sorted:_:)``).
    public var p90: Double
    public var max: Double
    public var mad: Double

    /// `nil` for an empty sample set.
    public init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        count = sorted.count
        min = sorted[0]
        max = sorted[sorted.count - 1]
        median = OrderStatistics.quantile(sorted: sorted, 0.5)
        p90 = OrderStatistics.quantile(sorted: sorted, 0.9)
        mean = sorted.reduce(0, +) / Double(sorted.count)
        let center = median
        mad = OrderStatistics.quantile(sorted: sorted.map { abs($0 - center) }.sorted(), 0.5)
    }
}
