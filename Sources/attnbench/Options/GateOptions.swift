import AttnBench
import ArgumentParser

extension ReportFormat: ExpressibleByArgument {}

extension Normalisation: ExpressibleByArgument {}

/// `KERNEL=FRACTION`, e.g. `naive=0.10`: a per-kernel minimum effect.
struct KernelThreshold: ExpressibleByArgument, Equatable, Sendable {
    var kernel: String
    var value: Double

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]) else { return nil }
        kernel = String(parts[0])
        self.value = value
    }
}

/// The statistics and output settings shared by `compare` and `gate`.
struct GateOptions: ParsableArguments {
    @Option(help: "Report format: text, markdown (for pull-request comments) or csv.")
    var format = ReportFormat.text

    @Option(help: "Minimum effect, as a fraction of the baseline median, for a regression or an improvement (0.05 = 5%). A regression needs this AND statistical significance.")
    var threshold = Thresholds.standardDefault

    @Option(name: .customLong("kernel-threshold"),
            help: ArgumentHelp("A per-kernel threshold, KERNEL=FRACTION (e.g. naive=0.10); repeatable.", valueName: "kernel=fraction"))
    var kernelThresholds: [KernelThreshold] = []

    @Option(help: "Significance level of the two-sided rank test (Mann-Whitney U on samples; with --against, Wilcoxon signed-rank on per-round ratios).")
    var alpha = 0.01

    @Option(name: .customLong("min-samples"), help: "Fewer samples (with --against: rounds) than this on either side makes a row inconclusive.")
    var minSamples = 5

    @Flag(name: .customLong("allow-missing"), help: "Do not fail when a baseline benchmark is missing from the candidate.")
    var allowMissing = false

    @Option(help: "What to compare: auto (plain times when both sides come from the same host, else peak-normalised), none (plain times) or peak (time × the run's FMA peak probe: the weaker, machine-independent mode).")
    var normalise = Normalisation.auto

    @Option(name: .customLong("report"), help: "Also write the report, in --format, to this file.")
    var reportPath: String?

    func validate() throws {
        func checkFraction(_ value: Double, _ name: String) throws {
            if !(value.isFinite && value >= 0) {
                throw ValidationError("\(name) must be a non-negative fraction (0.05 = 5%), got \(value)")
            }
        }
        try checkFraction(threshold, "--threshold")
        var seen: Set<String> = []
        for entry in kernelThresholds {
            try checkFraction(entry.value, "--kernel-threshold \(entry.kernel)")
            if !seen.insert(entry.kernel).inserted {
                throw ValidationError("--kernel-threshold names kernel '\(entry.kernel)' twice")
            }
        }
        if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must lie strictly between 0 and 1, got \(alpha)") }
        if !(1...1_000_000).contains(minSamples) { throw ValidationError("--min-samples must be at least 1, got \(minSamples)") }
    }

    /// The gate's configuration; call after `validate()` (RegressionGate traps on invalid values).
    var configuration: GateConfiguration {
        let overrides = Dictionary(kernelThresholds.map { ($0.kernel, $0.value) }) { _, last in last }
        return GateConfiguration(alpha: alpha, minimumSamples: minSamples,
                                 thresholds: Thresholds(default: threshold, overrides: overrides),
                                 allowMissing: allowMissing)
    }
}
