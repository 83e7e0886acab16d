import ArgumentParser
import BenchKit
import Foundation
import Machine
import RegressionGate

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Run a sweep and compare it with this host's baseline (Results/baselines/<host-id>.csv) in one step.",
        discussion: """
            Takes the sweep's options. The baseline is --baseline, else <baselines-dir>/<host-id>.csv for this \
            machine (`attnbench baseline update` makes it). Only baseline benchmarks that this sweep runs are \
            compared. When this host has no baseline, the first other host's baseline in the directory is used \
            in the WEAKER peak-normalised mode: times multiplied by the FMA peak probe measured in the same run, \
            which leaves machine differences of 10-20%; the report says so.
            \(GateEngine.verdictHelp)
            \(GateEngine.exitCodesHelp) A kernel failing its float64 check also exits 1.
            """)

    @OptionGroup var shape: ShapeOptions
    @OptionGroup var options: RunOptions
    @OptionGroup var gate: GateOptions

    @Option(help: "The baseline results CSV (default: this host's baseline in --baselines-dir).")
    var baseline: String?

    @Option(name: .customLong("baselines-dir"), help: "Where per-host baselines live.")
    var baselinesDirectory = BaselineStore.defaultDirectory

    func validate() throws {
        try options.refuseUnoptimisedKernels()
    }

    func run() throws {
        let hostID = MachineFingerprint.current().id
        let store = BaselineStore(directory: baselinesDirectory)
        let baselinePath: String
        var fallbackNote: String? = nil
        if let baseline {
            baselinePath = baseline
        } else if store.exists(forHost: hostID) {
            baselinePath = store.resultsPath(forHost: hostID)
        } else if let other = store.hosts().first {
            baselinePath = store.resultsPath(forHost: other)
            fallbackNote = "no baseline for host \(hostID) in \(baselinesDirectory)"
        } else {
            throw CLIError("no baseline for host \(hostID) in \(baselinesDirectory), nor any other host's: "
                           + "run `attnbench baseline update` (with the same sweep options) first")
        }
        // Check the baseline before spending time on the sweep.
        let baselineFile = try readResults(baselinePath)
        warn("gate: host \(hostID), baseline \(baselinePath)")

        let log: (String) -> Void = gate.format == .text ? { print($0) } : { warn($0) }
        let outcome = try SweepCommand.perform(shape: shape, options: options,
                                               defaultOutput: "Results/tmp/gate-\(SweepCommand.fileStamp()).csv", log: log)
        let candidateFile = outcome.resultsFile
        if gate.format == .text { print("") }
        let report = try GateEngine.report(baseline: baselineFile, candidate: candidateFile, options: gate,
                                           selection: GateEngine.Selection(onlyCandidateBenchmarks: true)) { baselineHost, _ in
            let why = fallbackNote ?? (baselineHost == hostID ? "--normalise peak" : "baseline \(baselinePath) is from host \(baselineHost)")
            return "weaker mode: \(why); comparing peak-normalised times (time × the FMA peak probe of the same run) "
                + "against \(baselinePath) (host \(baselineHost)). Machine differences of 10-20% survive "
                + "normalisation: read verdicts as hints, and record a baseline for this host with `attnbench baseline update`"
        }
        try GateEngine.finish(report, options: gate)
    }
}
