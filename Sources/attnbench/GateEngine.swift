import ArgumentParser
import BenchKit
import Foundation
import Machine
import RegressionGate

/// The part of `compare` and `gate` after the files are chosen: turn two results files into sample
/// sets, pick plain or peak-normalised figures, run the statistics, print the report, exit.
enum GateEngine {
    /// The host id (`MachineFingerprint.id`) of the machine that wrote `file`: its first row's `host_id`;
    /// nil for a file without rows or written before that column.
    static func hostID(of file: ResultsFile) -> String? { file.rows.first?.hostID }

    /// How rows are selected and relabelled before matching.
    struct Selection {
        /// Candidate kernels renamed before matching (`OLD → NEW`); the renamed rows replace candidate
        /// rows that already carry the new name and the same shape.
        var renames: [String: String] = [:]
        /// Only these kernels (after renaming) are compared on either side; nil = all.
        var kernels: Set<String>? = nil
        /// Drop baseline rows whose benchmark the candidate file does not list at all (`gate`: the sweep
        /// decides what is compared; a listed but failed or skipped candidate row still counts as missing).
        var onlyCandidateBenchmarks = false
        /// Both sides were timed on this machine in one race (`gate --against`): plain times under
        /// `--normalise auto`, whatever the files' host columns say (revisions may write different ones).
        var sameMachine = false
    }

    /// Builds the report. `weakerModeNote` describes, for the peak-normalised mode, why it was chosen.
    /// With `rounds` (an A/B race: each side's per-round files, whose pooling `baseline` and `candidate`
    /// are), each benchmark is judged from its per-round medians, paired by round
    /// (``GateReport/init(pairedRounds:candidate:configuration:)``), instead of from the pooled samples.
    static func report(baseline: ResultsFile, candidate: ResultsFile, options: GateOptions, selection: Selection,
                       rounds: (baseline: [ResultsFile], candidate: [ResultsFile])? = nil,
                       weakerModeNote: (_ baselineHost: String, _ candidateHost: String) -> String) throws -> GateReport {
        var candidateRows = renamed(candidate.rows, selection.renames)
        var baselineRows = baseline.rows
        if let kernels = selection.kernels {
            baselineRows = baselineRows.filter { kernels.contains($0.key.kernel) }
            candidateRows = candidateRows.filter { kernels.contains($0.key.kernel) }
        }
        if selection.onlyCandidateBenchmarks {
            let listed = Set(candidateRows.map(\.key))
            baselineRows = baselineRows.filter { listed.contains($0.key) }
        }

        var notes: [String] = []
        let baselineHost = hostID(of: baseline) ?? "unknown"
        let candidateHost = hostID(of: candidate) ?? "unknown"
        let peak: Bool
        switch options.normalise {
        // A file without host_id cannot show it comes from this host: compare machine-independent figures,
        // unless both sides were timed here, in one race.
        case .auto: peak = !selection.sameMachine && (baselineHost != candidateHost || hostID(of: baseline) == nil)
        case .none: peak = false
        case .peak: peak = true
        }
        if peak {
            notes.append(weakerModeNote(baselineHost, candidateHost))
        } else if baselineHost != candidateHost && !selection.sameMachine {
            notes.append("baseline host \(baselineHost) differs from candidate host \(candidateHost), yet plain times are compared (--normalise none)")
        }

        let untimedBaseline = baselineRows.filter { $0.status != .ok }
        let untimedCandidate = candidateRows.filter { $0.status != .ok }
        if !untimedBaseline.isEmpty {
            notes.append("\(untimedBaseline.count) baseline benchmark(s) were not timed (failed or skipped) and are not compared")
        }
        if !untimedCandidate.isEmpty {
            notes.append("\(untimedCandidate.count) candidate benchmark(s) were not timed (failed or skipped): "
                         + untimedCandidate.map { "\($0.key) (\($0.status.rawValue))" }.joined(separator: "; "))
        }
        for (name, rows) in [("baseline", baselineRows), ("candidate", candidateRows)] where rows.contains(where: \.noisy) {
            notes.append("the \(name) run was flagged noisy (its probes moved, its cores shared execution units, or the load exceeded the cores): verdicts are less reliable")
        }

        let timedBaseline = baselineRows.filter { $0.status == .ok }, timedCandidate = candidateRows.filter { $0.status == .ok }
        var report: GateReport
        if let rounds {
            report = GateReport(pairedRounds: roundMedians(timedBaseline, rounds.baseline),
                                candidate: roundMedians(timedCandidate, rounds.candidate), configuration: options.configuration)
        } else {
            report = GateReport(baseline: try samples(timedBaseline, file: baseline, peak: peak),
                                candidate: try samples(timedCandidate, file: candidate, peak: peak),
                                configuration: options.configuration)
        }
        report.notes = notes
        return report
    }

    /// Candidate rows with kernels renamed; renamed rows replace same-key rows already under the new name.
    static func renamed(_ rows: [ResultsFile.Row], _ renames: [String: String]) -> [ResultsFile.Row] {
        guard !renames.isEmpty else { return rows }
        var result: [(row: ResultsFile.Row, renamed: Bool)] = rows.map { row in
            guard let target = renames[row.key.kernel] else { return (row, false) }
            var copy = row
            copy.key.kernel = target
            return (copy, true)
        }
        let renamedKeys = Set(result.filter(\.renamed).map(\.row.key))
        result.removeAll { !$0.renamed && renamedKeys.contains($0.row.key) }
        return result.map(\.row)
    }

    /// One sample set per row whose values are the row's median time in each round (the pooled rows are
    /// `ok` only when every round timed them, so every round has a median).
    static func roundMedians(_ rows: [ResultsFile.Row], _ rounds: [ResultsFile]) -> [BenchmarkSamples] {
        rows.map { row in
            BenchmarkSamples(key: row.key, metric: .time, values: RoundMedians.medians(of: row.key, in: rounds).map { $0 ?? .nan })
        }
    }

    /// One sample set per row: times in ms, or times × the row's FMA peak for the peak-normalised mode.
    static func samples(_ rows: [ResultsFile.Row], file: ResultsFile, peak: Bool) throws -> [BenchmarkSamples] {
        try rows.map { row in
            let plain = BenchmarkSamples(key: row.key, metric: .time, values: row.samples)
            guard peak else { return plain }
            guard let calibration = row.peakPerCore, calibration.isFinite, calibration > 0 else {
                throw CLIError("\(file.path):\(row.line): no FMA peak probe (probe_before_gflops / probe_after_gflops) "
                               + "for \(row.key): the peak-normalised comparison needs it")
            }
            return plain.peakNormalised(peak: calibration)
        }
    }

    /// Prints the report (and writes `--report`), then exits with the gate's status: returns for 0,
    /// throws `ExitCode(1)` or `ExitCode(2)`.
    static func finish(_ report: GateReport, options: GateOptions) throws {
        let text = report.render(format: options.format)
        print(text, terminator: "")
        if options.format == .csv { for note in report.notes { warn("note: \(note)") } }
        if let path = options.reportPath {
            do {
                let url = URL(fileURLWithPath: path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            } catch {
                throw CLIError("cannot write the report to \(path): \(error.localizedDescription)")
            }
        }
        switch report.exitStatus {
        case .passed:
            return
        case .regressed:
            warn("regression: " + regressionSummary(report))
            throw ExitCode(GateExitStatus.regressed.rawValue)
        case .unusableInput:
            if !report.rows.contains(where: { $0.decision.reason != .invalidSamples }) {
                warn("error: nothing to compare: no benchmark of the baseline matched a timed candidate benchmark "
                     + "(rows match on kernel, shape, threads and pin)")
            } else {
                warn("error: \(report.missing.count) baseline benchmark(s) missing from the candidate: "
                     + report.missing.map(\.description).joined(separator: "; ") + "; pass --allow-missing to accept that")
            }
            throw ExitCode(GateExitStatus.unusableInput.rawValue)
        }
    }

    /// The regressed benchmarks of `report` with their ratios, for one line: `KEY ×1.123; …`.
    static func regressionSummary(_ report: GateReport) -> String {
        report.regressions.map { "\($0.key) ×\(String(format: "%.3f", $0.ratio))" }.joined(separator: "; ")
    }

    /// The exit codes, for `--help` texts.
    static let exitCodesHelp = """
        Exit status: 0 no regression (improved, unchanged and inconclusive rows pass); 1 unusable input \
        (missing or malformed file, wrong schema_version, missing samples file, nothing matched, or a baseline \
        benchmark missing from the candidate without --allow-missing); 2 at least one regression; 64 bad usage.
        """

    static let verdictHelp = """
        Rows match on kernel, shape, threads and pin. Each gets a verdict from its raw samples: regressed when \
        the two-sided Mann-Whitney U test is significant (p < --alpha), the 95% bootstrap interval of the \
        ratio of medians (candidate/baseline) lies above 1, and the ratio reaches 1 + threshold; improved is \
        the mirror image; unchanged when the whole interval lies within ±threshold; inconclusive otherwise \
        (or with fewer than --min-samples samples).
        """
}

/// `OLD=NEW` for `--rename-kernel`.
struct KernelRename: ExpressibleByArgument, Equatable, Sendable {
    var from: String
    var to: String

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].contains("=") else { return nil }
        from = String(parts[0])
        to = String(parts[1])
    }
}

/// Turns a results-reading error into a one-line CLI error (exit status 1).
func readResults(_ path: String) throws -> ResultsFile {
    do { return try ResultsFile.read(path) } catch let error as CSVError {
        throw CLIError(error.description)
    } catch {
        throw CLIError("\(path): \(error)")
    }
}
