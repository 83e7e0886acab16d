import Results
/// What a sample value measures, and which way is better.
///
/// As in package-benchmark, every metric knows its direction: a run time regresses when it grows,
/// a throughput regresses when it shrinks. The gate always reports the plain ratio
/// `candidate median / baseline median`; the direction only decides which side of 1 is bad.
public struct Metric: Sendable, Hashable {
    /// Which direction of change is an improvement.
    public enum Direction: String, Sendable, Hashable {
        /// Smaller values are better (times, cycles, bytes allocated).
        case smallerIsBetter
        /// Larger values are better (throughput, GFLOP/s, tokens per second).
        case largerIsBetter

        /// The signed relative change `ratio − 1`, oriented so that a positive value is a
        /// *worsening*: `ratio − 1` for smaller-is-better metrics, `1 − ratio` for larger-is-better.
        ///
        /// A regression by a threshold τ is therefore `worsening(ratio) ≥ τ` in either direction,
        /// and an improvement by τ is `worsening(ratio) ≤ −τ`. The band `|ratio − 1| ≤ τ` is the
        /// same for both directions.
        @inlinable
        public func worsening(_ ratio: Double) -> Double {
            switch self {
            case .smallerIsBetter: ratio - 1
            case .largerIsBetter: 1 - ratio
            }
        }
    }

    /// A short name, e.g. `"time"`.
    public var name: String
    /// The unit the samples are in, e.g. `"ms"`.
    public var unit: String
    /// Which direction of change is an improvement.
    public var direction: Direction

    public init(name: String, unit: String, direction: Direction) {
        self.name = name
        self.unit = unit
        self.direction = direction
    }

    /// Wall-clock run time in milliseconds; smaller is better. The gate's default metric.
    public static let time = Metric(name: "time", unit: "ms", direction: .smallerIsBetter)

    /// Throughput in GFLOP/s; larger is better.
    public static let throughput = Metric(name: "throughput", unit: "GFLOP/s", direction: .largerIsBetter)

    /// The signed relative change of `ratio`, oriented so that positive is a worsening
    /// (see ``Direction/worsening(_:)``).
    @inlinable
    public func worsening(_ ratio: Double) -> Double { direction.worsening(ratio) }
}
