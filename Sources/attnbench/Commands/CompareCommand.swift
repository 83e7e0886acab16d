import ArgumentParser
import Foundation
import AttnBench

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two results files (with their raw samples) and give each benchmark a verdict: regressed, improved, unchanged or inconclusive.",
        discussion: """
            Each CSV needs its raw samples beside it as <name>-samples.csv (sweep writes both). \
            \(Gate.verdictHelp) When the two files come from different hosts (--normalise auto), times \
            are multiplied by each run's FMA peak probe and compared in that weaker, machine-independent mode.
            \(Gate.exitCodesHelp)
            """)

    @Argument(help: "The baseline results CSV.")
    var baseline: String

    @Argument(help: "The candidate results CSV.")
    var candidate: String

    @Option(help: "Compare only these kernels, comma-separated (after --rename-kernel).")
    var kernels: NameList?

    @Option(name: .customLong("rename-kernel"),
            help: ArgumentHelp("Relabel the candidate's kernel OLD as NEW before matching (repeatable); the renamed rows replace candidate rows already named NEW. Compares two kernels of one run, e.g. fused-inflated=fused.",
                               valueName: "old=new"))
    var renames: [KernelRename] = []

    @OptionGroup var gate: GateOptions

    func validate() throws {
        if Set(renames.map(\.from)).count != renames.count {
            throw ValidationError("--rename-kernel renames one kernel twice")
        }
    }

    func run() throws {
        let baselineFile = try readResults(baseline)
        let candidateFile = try readResults(candidate)
        let selection = Gate.Selection(renames: Dictionary(renames.map { ($0.from, $0.to) }) { _, last in last },
                                             kernels: kernels.map { Set($0.names) })
        let report = try gateReport(baseline: baselineFile, candidate: candidateFile, options: gate,
                                           selection: selection) { baselineHost, candidateHost in
            let why = baselineHost == candidateHost ? "--normalise peak"
                : "baseline from host \(baselineHost), candidate from host \(candidateHost)"
            return "weaker mode (\(why)): comparing peak-normalised times (time × the run's FMA peak probe); "
                + "machine differences of 10-20% survive normalisation, so read verdicts as hints"
        }
        try GateOutput.finish(report, options: gate)
    }
}
