import AttnBench
import ArgumentParser

extension RaceOrder: ExpressibleByArgument {}

/// `gate --against REV`: race a git revision's build against this one on this machine.
struct RaceOptions: ParsableArguments {
    @Option(name: .customLong("against"), help: ArgumentHelp(
        "A/B mode: build git revision REV (e.g. origin/main) in release, cached in .build-ab/<hash>, and time it against this binary on this machine, alternately, in --rounds rounds; no committed baseline is used.",
        valueName: "rev"))
    var against: String?

    @Option(name: .customLong("candidate"), help: ArgumentHelp(
        "With --against: time the build of this revision instead of this binary (races two revisions).",
        valueName: "rev"))
    var candidate: String?

    @Option(help: "With --against: rounds; each runs one short sweep per side, and each benchmark is judged from its per-round ratios (at least 8 at --alpha 0.01, so that a signed-rank test over them can be significant).")
    var rounds = 20

    @Option(help: "With --against: which side runs first in each round: alternate (B C, C B, …) or shuffle (seeded).")
    var order = RaceOrder.alternate

    @Option(name: .customLong("order-seed"), help: "With --order shuffle: the seed of the order.")
    var orderSeed: UInt64 = 1

    @Flag(help: "With --against: when a benchmark regresses, race both sides again (as many rounds) and fail only for benchmarks that regress in both races; on a shared machine this turns a chance alarm rate f into about f².")
    var confirm = false

    /// The gate calibration's knob (Scripts/maintainer/gate-calibration): the candidate side's `fused` and
    /// `parallel` redo this fraction of their query rows (``InjectedWork``), a known regression to detect.
    @Option(name: .customLong("candidate-injected-work"), help: .hidden)
    var candidateInjectedWork: Double?

    func validate() throws {
        if let fraction = candidateInjectedWork, !(fraction.isFinite && (0...1).contains(fraction)) {
            throw ValidationError("--candidate-injected-work must be a fraction between 0 and 1, got \(fraction)")
        }
        if against == nil && candidateInjectedWork != nil { throw ValidationError("--candidate-injected-work needs --against") }
        if against == nil && candidate != nil { throw ValidationError("--candidate needs --against (the baseline revision)") }
        if against == nil && confirm { throw ValidationError("--confirm needs --against (it races the revisions again)") }
        if !(1...1000).contains(rounds) { throw ValidationError("--rounds must be between 1 and 1000, got \(rounds)") }
    }

    /// The fewest rounds with which the two-sided signed-rank test over rounds can reach p < `alpha`: its
    /// smallest p-value, all n ratios on one side, is 2 / 2ⁿ.
    static func minimumRounds(alpha: Double) -> Int {
        var n = 1
        while 2 / Double(1 << min(n, 62)) >= alpha && n < 62 { n += 1 }
        return n
    }

    /// Whether this binary itself is timed (A/B mode without --candidate, or committed-baseline mode).
    var timesThisBinary: Bool { candidate == nil }
}
