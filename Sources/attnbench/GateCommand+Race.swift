import ArgumentParser
import AttnBench
import Foundation
import RegressionGate

/// `gate --against REV`: the A/B mode. The work is BenchKit's (SourceTree, RevisionBuilder, RevisionRace,
/// pooling); this file chooses the sides, prints and hands the pooled files to the gate's statistics.
extension GateCommand {
    func runRace(against: String) throws {
        let log: (String) -> Void = gate.format == .text ? { print($0) } : { warn($0) }
        do {
            let tree = try SourceTree.locate()
            let baselineRevision = try tree.resolve(against)
            let candidateRevision = try race.candidate.map { try tree.resolve($0) }
            let builder = RevisionBuilder(tree: tree)
            let baselineSide = RaceContestant(binary: try builder.binary(for: baselineRevision, log: warn).path,
                                              description: "revision \(baselineRevision.summary)")
            let candidateSide: RaceContestant
            if let candidateRevision {
                candidateSide = RaceContestant(binary: try builder.binary(for: candidateRevision, log: warn).path,
                                               description: "revision \(candidateRevision.summary)")
            } else {
                let head = (try? tree.resolve("HEAD")).map { "HEAD \($0.summary)" } ?? "no commit"
                let changes = tree.hasUncommittedChanges ? ", with uncommitted changes" : ""
                candidateSide = RaceContestant(binary: Self.thisExecutable(),
                                               description: "this binary (\(BuildInfo.label)), work tree at \(head)\(changes)")
            }
            let folder = options.output.map { $0.hasSuffix(".csv") ? String($0.dropLast(4)) : $0 }
                ?? "Results/tmp/gate-ab-\(SweepCommand.fileStamp())"
            let schedule = RaceSchedule(rounds: race.rounds, order: race.order, seed: race.orderSeed)
            log("gate A/B on this machine: \(race.rounds) round(s), order \(schedule.description) (B baseline, C candidate)")
            log("  baseline:  \(baselineSide.description)")
            log("  candidate: \(candidateSide.description)")
            var report = try raceReport(baseline: baselineSide, candidate: candidateSide, schedule: schedule,
                                        folder: folder, log: log)
            if race.confirm && report.exitStatus == .regressed {
                log("")
                log("regression in the first race (\(GateEngine.regressionSummary(report))); racing again to confirm it")
                let second = try raceReport(baseline: baselineSide, candidate: candidateSide, schedule: schedule,
                                            folder: folder + "-confirm", log: log)
                report = second.confirming(report)
            }
            try GateEngine.finish(report, options: gate)
        } catch RevisionRaceError.interrupted {
            warn("interrupted")
            throw ExitCode(130)
        } catch let error as RevisionRaceError {
            throw CLIError(error.description)
        } catch let error as CSVError {
            throw CLIError(error.description)
        } catch let error as SubprocessError {
            throw CLIError(error.description)
        }
    }

    /// One race of the two sides into `folder` (per-round results files), and its gate report from the
    /// per-round ratios of each benchmark.
    private func raceReport(baseline: RaceContestant, candidate: RaceContestant, schedule: RaceSchedule,
                            folder: String, log: (String) -> Void) throws -> GateReport {
        let revisionRace = RevisionRace(baseline: baseline, candidate: candidate,
                                        sweepArguments: shape.commandLine + options.commandLine,
                                        schedule: schedule, folder: folder)
        log("  per-round results: \(folder)/")
        fflush(nil)  // the header before the progress lines on standard error
        let started = Date()
        let outcome = try revisionRace.run(progress: { line in if !options.quiet { warn("… " + line) } })
        log(String(format: "timed in %.1f s; per-round medians (ms):", Date().timeIntervalSince(started)))
        log(RoundMedians(baseline: outcome.baseline, candidate: outcome.candidate).render())

        var report = try GateEngine.report(
            baseline: ResultsFile.pooled(outcome.baseline, path: "\(folder)/r*-baseline.csv"),
            candidate: ResultsFile.pooled(outcome.candidate, path: "\(folder)/r*-candidate.csv"),
            options: gate, selection: GateEngine.Selection(sameMachine: true),
            rounds: (outcome.baseline, outcome.candidate)) { _, _ in
            "--normalise peak: comparing peak-normalised times (time × the FMA peak probe of the same run)"
        }
        report.notes.insert("A/B: each benchmark is judged from its per-round ratios (candidate / baseline median of the "
                            + "same round): ratio = their median, interval = bootstrap over rounds, p = Wilcoxon signed-rank "
                            + "test of their logarithms; the baseline and candidate medians shown are the medians of the round medians", at: 0)
        return report
    }

    /// The path of the running executable (`/proc/self/exe`), so the candidate side runs this very binary.
    static func thisExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
