/// Summary of a set of timing samples, in the samples' unit (milliseconds in this project).
///
/// The median and the median absolute deviation, `MAD = median(|xᵢ − median|)`, are the figures to trust on
/// a shared machine: a few slow outliers move the mean and the maximum but barely move them.
public struct SampleStatistics: Sendable, Equatable {
    public var count: Int
    public var min: Double
    public var median: Double
    public var mean: Double
    /// 90th percentile, linearly interpolated between order statistics.
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
        median = Self.quantile(sorted, 0.5)
        p90 = Self.quantile(sorted, 0.9)
        mean = sorted.reduce(0, +) / Double(sorted.count)
        let center = median
        mad = Self.quantile(sorted.map { abs($0 - center) }.sorted(), 0.5)
    }

    /// Quantile `q` of ascending `sorted` with linear interpolation: position `q·(n − 1)`.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
