import ArgumentParser
import Foundation
import AttnBench

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Race a git revision against this build on this machine (--against REV), or compare a sweep with this host's committed baseline.",
        discussion: """
            A/B mode (--against REV, recommended for CI): builds REV in release (cached by commit in \
            .build-ab/<hash>), then runs REV's binary and this one (or --candidate REV2's) as `sweep` with the given \
            sweep options, alternately, in --rounds short rounds, and judges each benchmark from its per-round ratios \
            (candidate / baseline median of the same round): their median, a bootstrap interval over rounds and the \
            Wilcoxon signed-rank test, under the verdict rules below. Both sides run on the same machine, back to back \
            in every round, so machine and drift differences cancel. The report names both revisions and shows each \
            round's medians and ratio. Only the sweep options below are passed on.
            Committed-baseline mode (no --against): takes the sweep's options. The baseline is --baseline, else <baselines-dir>/<host-id>.csv for this \
            machine (`attnbench baseline update` makes it). Only baseline benchmarks that this sweep runs are \
            compared. A baseline recorded on another host (another host id: CPU kind, SIMD width or cores) is \
            refused with exit 1, since a verdict across machines is not a regression; so is a baseline whose FMA \
            probe differs from this run's by more than --probe-tolerance (15%: another CPU kind, or a busy machine).
            \(Gate.verdictHelp)
            \(Gate.exitCodesHelp) A kernel failing its float64 check also exits 1, as do, with --against, an \
            unknown revision and a failed build.
            """)

    @OptionGroup var shape: ShapeOptions
    @OptionGroup var options: RunOptions
    @OptionGroup var gate: GateOptions
    @OptionGroup var race: RaceOptions

    @Option(help: "The baseline results CSV (default: this host's baseline in --baselines-dir).")
    var baseline: String?

    @Option(name: .customLong("baselines-dir"), help: "Where per-host baselines live.")
    var baselinesDirectory = BaselineStore.defaultDirectory

    @Option(name: .customLong("probe-tolerance"),
            help: "Committed-baseline mode: refuse a baseline whose FMA probe differs from this run's by more than this fraction (another CPU kind, or a busy machine).")
    var probeTolerance = BaselineProbeGuard.tolerance

    func validate() throws {
        if race.against != nil && baseline != nil {
            throw ValidationError("--baseline and --against exclude each other: --against races a revision instead of reading a baseline")
        }
        if !(probeTolerance.isFinite && probeTolerance >= 0) {
            throw ValidationError("--probe-tolerance must be a non-negative fraction (0.15 = 15%), got \(probeTolerance)")
        }
        if race.against != nil && race.rounds < RaceOptions.minimumRounds(alpha: gate.alpha) {
            throw ValidationError("--rounds \(race.rounds) can never show a regression at --alpha \(gate.alpha): the signed-rank test over rounds needs at least \(RaceOptions.minimumRounds(alpha: gate.alpha)) rounds")
        }
        if race.against == nil && options.noProbes {
            throw ValidationError("--no-probes needs --against: the committed-baseline mode checks the baseline's CPU kind by the FMA probe")
        }
        if race.timesThisBinary { try options.refuseUnoptimisedKernels() }
    }

    func run() throws {
        if let against = race.against { return try runRace(against: against) }
        let hostID = MachineFingerprint.current().id
        let store = BaselineStore(directory: baselinesDirectory)
        let baselinePath: String
        if let baseline {
            baselinePath = baseline
        } else if store.exists(forHost: hostID) {
            baselinePath = store.resultsPath(forHost: hostID)
        } else if let other = store.hosts().first {
            throw CLIError("no baseline for host \(hostID) in \(baselinesDirectory), only other hosts' (\(other)"
                           + (store.hosts().count > 1 ? ", …" : "") + "): " + Gate.crossHostAdvice)
        } else {
            throw CLIError("no baseline for host \(hostID) in \(baselinesDirectory), nor any other host's: "
                           + "run `attnbench baseline update` (with the same sweep options) first")
        }
        // Check the baseline before spending time on the sweep.
        let baselineFile = try readResults(baselinePath)
        if let refusal = Gate.crossHostRefusal(baseline: baselineFile, thisHost: hostID) { throw CLIError(refusal) }
        warn("gate: host \(hostID), baseline \(baselinePath)")

        let log: (String) -> Void = gate.format == .text ? { print($0) } : { warn($0) }
        let outcome = try SweepCommand.perform(shape: shape, options: options,
                                               defaultOutput: "Results/tmp/gate-\(SweepCommand.fileStamp()).csv", log: log)
        let candidateFile = outcome.resultsFile
        if let refusal = BaselineProbeGuard.refusal(baseline: baselineFile, run: candidateFile, tolerance: probeTolerance) { throw CLIError(refusal) }
        if gate.format == .text { print("") }
        let report = try gateReport(baseline: baselineFile, candidate: candidateFile, options: gate,
                                    selection: Gate.Selection(onlyCandidateBenchmarks: true)) { baselineHost, _ in
            "weaker mode: --normalise peak; comparing peak-normalised times (time × the FMA peak probe of the same run) "
                + "against \(baselinePath) (host \(baselineHost)). Machine differences of 10-20% survive "
                + "normalisation: read verdicts as hints"
        }
        try GateOutput.finish(report, options: gate)
    }
}
