import AttnBench
import ArgumentParser

@main
struct Attnbench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attnbench",
        abstract: "Race CPU attention kernels against a float64 reference and against each other.",
        discussion: """
            Every kernel is checked against a float64 reference on the very shape it is timed on; a kernel \
            that fails is reported, written to the CSV as failed, not timed, and makes the exit status 1.
            Exit status: 0 success; 1 a kernel failed its check, or a file could not be used; 2 `compare`/`gate` found \
            a regression; 64 bad usage; 130 interrupted.
            Inference shapes: `--preset decode` (Nq 1, 4, 16 against Nk 1K–128K, 32 heads with 32, 8 or 1 KV \
            heads, d 128, causal) and `--preset prefill` (Nq = Nk 1024–4096, 32 heads with 32 or 8 KV heads, d 128, \
            causal off and on) replace --seq, --heads and the other shape options (sweep, gate, baseline update).
            """,
        subcommands: [SweepCommand.self, ListCommand.self, TopologyCommand.self, ReportCommand.self, PeakCommand.self,
                      CompareCommand.self, GateCommand.self, BaselineCommand.self, PlotCommand.self, HeatmapCommand.self],
        defaultSubcommand: SweepCommand.self
    )
}
