import Results
/// Machine-independent ("peak-normalised") samples, for comparing runs from different machines.
///
/// A compute-bound kernel's run time on a machine is roughly `work / (efficiency · peak)`, where
/// `peak` is the machine's measured FMA peak (GFLOP/s) during that run. Multiplying a time by the
/// peak measured alongside it cancels the machine:
///
///     normalised time  = t [ms] × P [GFLOP/s]       (units: 10⁶ peak-FLOP, "work units")
///     normalised rate  = r / P                       (a fraction of peak; for larger-is-better metrics)
///
/// so a baseline recorded on one runner and a candidate on another can go through the same gate.
///
/// **This mode is weaker than a same-machine comparison.** It assumes run time scales exactly
/// with FMA peak, which holds only for compute-bound kernels: memory-bound kernels follow memory
/// bandwidth and latency, and cache sizes, SIMD width (AVX2 vs AVX-512), core counts, frequency
/// behaviour under load and the calibration's own noise all differ between machines and stay in
/// the normalised numbers. Differences of 10–20 % can be pure machine effects. Use a wider
/// threshold (``Thresholds``) and read a verdict as a hint, not proof; prefer baselines from the
/// same machine whenever possible.
public enum PeakNormalisation {
    /// Scales each sample by its own run's calibration value: `value × peak` for smaller-is-better
    /// metrics, `value / peak` for larger-is-better ones.
    ///
    /// - Precondition: `values.count == peaks.count`, and every peak is finite and positive.
    public static func normalise(_ values: [Double], peaks: [Double], direction: Metric.Direction) -> [Double] {
        precondition(values.count == peaks.count, "one calibration value per sample is needed")
        precondition(peaks.allSatisfy { $0.isFinite && $0 > 0 }, "calibration values must be finite and positive")
        switch direction {
        case .smallerIsBetter: return zip(values, peaks).map { $0 * $1 }
        case .largerIsBetter: return zip(values, peaks).map { $0 / $1 }
        }
    }

    /// The metric that normalised samples of `metric` are in: the same direction, the name
    /// suffixed `(peak-normalised)`, and the unit `ms×GFLOP/s`-style (`unit×GFLOP/s` or
    /// `unit/(GFLOP/s)`).
    public static func normalisedMetric(_ metric: Metric) -> Metric {
        let unit = switch metric.direction {
        case .smallerIsBetter: "\(metric.unit)×GFLOP/s"
        case .largerIsBetter: "\(metric.unit)/(GFLOP/s)"
        }
        return Metric(name: metric.name + " (peak-normalised)", unit: unit, direction: metric.direction)
    }
}

extension BenchmarkSamples {
    /// These samples scaled by one calibration value per sample (see ``PeakNormalisation``).
    public func peakNormalised(peaks: [Double]) -> BenchmarkSamples {
        BenchmarkSamples(
            key: key,
            metric: PeakNormalisation.normalisedMetric(metric),
            values: PeakNormalisation.normalise(values, peaks: peaks, direction: metric.direction)
        )
    }

    /// These samples scaled by a single calibration value for the whole set (see ``PeakNormalisation``).
    public func peakNormalised(peak: Double) -> BenchmarkSamples {
        peakNormalised(peaks: [Double](repeating: peak, count: values.count))
    }
}
