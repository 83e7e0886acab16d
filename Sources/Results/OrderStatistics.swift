/// Order statistics used by the gate.
///
/// Both functions take an already **sorted** buffer, so callers that need several statistics of
/// the same sample, or a median of many bootstrap resamples, sort once into a reused buffer.
public enum OrderStatistics {
    /// The median of a sorted, non-empty sample:
    ///
    ///     median = x₍ₘ₎                      n = 2m − 1 (odd)
    ///     median = (x₍ₘ₎ + x₍ₘ₊₁₎) / 2       n = 2m     (even)
    ///
    /// with x₍ᵢ₎ the i-th smallest value (1-based). Returns `nan` for an empty sample.
    @inlinable
    public static func median<C: RandomAccessCollection>(sorted x: C) -> Double
    where C.Element == Double, C.Index == Int {
        let n = x.count
        guard n > 0 else { return .nan }
        let mid = x.startIndex + n / 2
        if n % 2 == 1 { return x[mid] }
        return x[mid - 1] / 2 + x[mid] / 2
    }

    /// The median of an unsorted sample (sorts a copy).
    public static func median(_ x: [Double]) -> Double {
        median(sorted: x.sorted())
    }

    /// The `p`-quantile of a sorted, non-empty sample by linear interpolation between order
    /// statistics (Hyndman & Fan's definition 7, the default of R and NumPy):
    ///
    ///     h = (n − 1) · p,   Q(p) = x₍⌊h⌋₊₁₎ + (h − ⌊h⌋) · (x₍⌊h⌋₊₂₎ − x₍⌊h⌋₊₁₎)
    ///
    /// `p` is clamped to `[0, 1]`. Returns `nan` for an empty sample.
    public static func quantile(sorted x: [Double], _ p: Double) -> Double {
        guard !x.isEmpty else { return .nan }
        let h = Double(x.count - 1) * min(max(p, 0), 1)
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, x.count - 1)
        let fraction = h - Double(lower)
        if fraction == 0 || x[lower] == x[upper] { return x[lower] }
        return x[lower] + fraction * (x[upper] - x[lower])
    }
}
