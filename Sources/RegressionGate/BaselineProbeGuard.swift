import Results
/// The committed-baseline gate's check that the baseline was measured on the same kind of CPU.
///
/// Host ids can match across CPU generations (cloud VMs report one model name for several), and then the
/// plain-time comparison is meaningless: a CPU with twice the FMA width makes every kernel "improved",
/// and hides real regressions. The single-thread FMA probe that every run records tells them apart, so a
/// baseline whose probe differs from this run's by more than ``tolerance`` is refused.
public enum BaselineProbeGuard {
    /// Largest accepted |run − baseline| / baseline of the per-core FMA probes. Same-CPU runs differ by a
    /// few percent (the sweep's own noise flag is at 10%); the CPU generations this must separate differ by 2×.
    public static let tolerance = 0.15

    /// The per-core probe (GFLOP/s) of a run: its first row that has one.
    public static func probe(of file: ResultsFile) -> Double? {
        file.rows.lazy.compactMap(\.peakPerCore).first { $0.isFinite && $0 > 0 }
    }

    /// The one-line refusal, or nil when the probes agree within `tolerance` (or either is unknown:
    /// nothing to judge by). A busy machine lowers the probe too; its timings are no better, so it is
    /// refused alike.
    public static func refusal(baseline: ResultsFile, run: ResultsFile, tolerance: Double = tolerance) -> String? {
        guard let before = probe(of: baseline), let now = probe(of: run) else { return nil }
        let difference = abs(now - before) / before
        guard difference > tolerance else { return nil }
        return "baseline \(baseline.path) was measured with an FMA probe of \(ResultsCSV.format(before)) GFLOP/s per core, "
            + "this run's is \(ResultsCSV.format(now)) (\(Int((difference * 100).rounded()))% apart, more than "
            + "\(Int((tolerance * 100).rounded()))%): another CPU kind (or a busy machine), so its times say nothing here; race the baseline revision "
            + "on this machine instead with `attnbench gate --against REV`"
    }
}
