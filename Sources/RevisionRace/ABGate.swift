import Foundation
import RegressionGate
import Results

/// The A/B gate (`attnbench gate --against REV`): builds the baseline revision (and the candidate revision,
/// if one is named) in release, races the two binaries on this machine in alternating rounds
/// (``RevisionRace``), and judges each benchmark from its per-round ratios (``Gate/report``). Both sides run
/// back to back in every round, so machine and drift differences cancel.
public struct ABGate {
    /// The revision whose build is the baseline side.
    public var against: String
    /// The revision whose build is the candidate side; nil: ``thisBinary``.
    public var candidate: String?
    /// The running binary, and how the report names it, for a race without ``candidate``.
    public var thisBinary: (path: String, label: String)
    /// Sweep options both sides understand, without `--output`.
    public var sweepArguments: [String]
    public var schedule: RaceSchedule
    /// Where the per-round files go; a confirming race uses `<folder>-confirm`.
    public var folder: String
    /// Race again when a benchmark regresses, and fail only for benchmarks that regress in both races.
    public var confirm = false
    /// Added to the candidate side's environment (the calibration's ``InjectedWork`` variable).
    public var candidateEnvironment: [String: String] = [:]
    public var normalise: Normalisation = .auto
    public var configuration: GateConfiguration

    public init(against: String, candidate: String?, thisBinary: (path: String, label: String), sweepArguments: [String],
                schedule: RaceSchedule, folder: String, configuration: GateConfiguration) {
        self.against = against
        self.candidate = candidate
        self.thisBinary = thisBinary
        self.sweepArguments = sweepArguments
        self.schedule = schedule
        self.folder = folder
        self.configuration = configuration
    }

    /// Builds, races and judges. `log` hears the report's header lines and the per-round medians, `warn`
    /// the build messages, `progress` one line per sweep.
    /// - Throws: ``RevisionRaceError`` (unknown revision, failed build, a failed side, an interrupt),
    ///   ``SubprocessError``, ``CSVError`` for an unreadable round file.
    public func run(log: (String) -> Void, warn: (String) -> Void, progress: (String) -> Void) throws -> GateReport {
        let tree = try SourceTree.locate()
        let baselineRevision = try tree.resolve(against)
        let candidateRevision = try candidate.map { try tree.resolve($0) }
        let builder = RevisionBuilder(tree: tree)
        let baselineSide = RaceContestant(binary: try builder.binary(for: baselineRevision, log: warn).path,
                                          description: "revision \(baselineRevision.summary)")
        var candidateSide: RaceContestant
        if let candidateRevision {
            candidateSide = RaceContestant(binary: try builder.binary(for: candidateRevision, log: warn).path,
                                           description: "revision \(candidateRevision.summary)")
        } else {
            let head = (try? tree.resolve("HEAD")).map { "HEAD \($0.summary)" } ?? "no commit"
            let changes = tree.hasUncommittedChanges ? ", with uncommitted changes" : ""
            candidateSide = RaceContestant(binary: thisBinary.path,
                                           description: "this binary (\(thisBinary.label)), work tree at \(head)\(changes)")
        }
        candidateSide.environment = candidateEnvironment
        if !candidateEnvironment.isEmpty {
            candidateSide.description += " with " + candidateEnvironment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        log("gate A/B on this machine: \(schedule.rounds.count) round(s), order \(schedule.description) (B baseline, C candidate)")
        log("  baseline:  \(baselineSide.description)")
        log("  candidate: \(candidateSide.description)")
        var report = try race(baselineSide, candidateSide, folder: folder, log: log, progress: progress)
        if confirm && report.exitStatus == .regressed {
            log("")
            log("regression in the first race (\(Gate.regressionSummary(report))); racing again to confirm it")
            let second = try race(baselineSide, candidateSide, folder: folder + "-confirm", log: log, progress: progress)
            report = second.confirming(report)
        }
        return report
    }

    /// One race of the two sides into `folder` (per-round results files), and its report from the per-round
    /// ratios of each benchmark.
    func race(_ baseline: RaceContestant, _ candidate: RaceContestant, folder: String, log: (String) -> Void,
              progress: (String) -> Void) throws -> GateReport {
        let revisionRace = RevisionRace(baseline: baseline, candidate: candidate, sweepArguments: sweepArguments,
                                        schedule: schedule, folder: folder)
        log("  per-round results: \(folder)/")
        fflush(nil)  // the header before the progress lines on standard error
        let started = Date()
        let outcome = try revisionRace.run(progress: progress)
        log(String(format: "timed in %.1f s; per-round medians (ms):", Date().timeIntervalSince(started)))
        log(RoundMedians(baseline: outcome.baseline, candidate: outcome.candidate).render())

        var report = try Gate.report(
            baseline: ResultsFile.pooled(outcome.baseline, path: "\(folder)/r*-baseline.csv"),
            candidate: ResultsFile.pooled(outcome.candidate, path: "\(folder)/r*-candidate.csv"),
            normalise: normalise, configuration: configuration, selection: Gate.Selection(sameMachine: true),
            rounds: (outcome.baseline, outcome.candidate)) { _, _ in
            "--normalise peak: comparing peak-normalised times (time × the FMA peak probe of the same run)"
        }
        report.notes.insert("A/B: each benchmark is judged from its per-round ratios (candidate / baseline median of the "
                            + "same round): ratio = their median, interval = bootstrap over rounds, p = Wilcoxon signed-rank "
                            + "test of their logarithms; the baseline and candidate medians shown are the medians of the round medians", at: 0)
        return report
    }
}
