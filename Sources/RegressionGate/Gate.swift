import Foundation
import Results

/// Which figures the gate compares.
public enum Normalisation: String, CaseIterable, Sendable {
    /// Plain times when both sides come from the same host (same fingerprint id), else peak-normalised.
    case auto
    /// Plain times, whatever the hosts.
    case none
    /// Times × the run's FMA peak probe (the weaker, machine-independent mode).
    case peak
}

/// Why a gate cannot judge, in one line.
public struct GateError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Everything the gate decides between two results files and an exit status: which rows are compared
/// (``Selection``), plain or peak-normalised figures (``Normalisation``), the verdicts (``GateReport``) and
/// what the process exits with (``outcome(of:)``). `compare`, `gate` and ``ABGate`` all end here; a package
/// that writes its own results files gates them the same way.
public enum Gate {
    /// The host id (`MachineFingerprint.id`) of the machine that wrote `file`: its first row's `host_id`;
    /// nil for a file without rows or written before that column.
    public static func hostID(of file: ResultsFile) -> String? { file.rows.first?.hostID }

    /// How rows are selected and relabelled before matching.
    public struct Selection: Sendable {
        /// Candidate kernels renamed before matching (`OLD → NEW`); the renamed rows replace candidate
        /// rows that already carry the new name and the same shape.
        public var renames: [String: String]
        /// Only these kernels (after renaming) are compared on either side; nil = all.
        public var kernels: Set<String>?
        /// Drop baseline rows whose benchmark the candidate file does not list at all (`gate`: the sweep
        /// decides what is compared; a listed but failed or skipped candidate row still counts as missing).
        public var onlyCandidateBenchmarks: Bool
        /// Both sides were timed on this machine in one race (`gate --against`): plain times under
        /// `--normalise auto`, whatever the files' host columns say (revisions may write different ones).
        public var sameMachine: Bool

        public init(renames: [String: String] = [:], kernels: Set<String>? = nil, onlyCandidateBenchmarks: Bool = false,
                    sameMachine: Bool = false) {
            self.renames = renames
            self.kernels = kernels
            self.onlyCandidateBenchmarks = onlyCandidateBenchmarks
            self.sameMachine = sameMachine
        }
    }

    /// The committed-baseline gate's refusal of a baseline recorded on another host: a verdict across
    /// machines is not a regression (another CPU kind, SIMD width or core count moves every time), so it
    /// is unusable input, never a regression. Nil when the hosts agree or either is unknown.
    public static func crossHostRefusal(baseline: ResultsFile, thisHost: String) -> String? {
        guard let baselineHost = hostID(of: baseline), !baselineHost.isEmpty, baselineHost != thisHost else { return nil }
        return "baseline \(baseline.path) was recorded on host \(baselineHost), this machine is host \(thisHost): " + crossHostAdvice
    }

    /// Why another host's baseline is refused and what to do instead, for every such refusal.
    public static let crossHostAdvice = "a verdict across machines is not a regression; race a revision on this machine with "
        + "`attnbench gate --against REV`, or record this host's baseline with `attnbench baseline update`"

    /// Builds the report. `weakerModeNote` describes, for the peak-normalised mode, why it was chosen.
    /// With `rounds` (an A/B race: each side's per-round files, whose pooling `baseline` and `candidate`
    /// are), each benchmark is judged from its per-round medians, paired by round
    /// (``GateReport/init(pairedRounds:candidate:configuration:)``), instead of from the pooled samples.
    public static func report(baseline: ResultsFile, candidate: ResultsFile, normalise: Normalisation,
                              configuration: GateConfiguration, selection: Selection,
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
        switch normalise {
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
                                candidate: roundMedians(timedCandidate, rounds.candidate), configuration: configuration)
        } else {
            report = GateReport(baseline: try samples(timedBaseline, file: baseline, peak: peak),
                                candidate: try samples(timedCandidate, file: candidate, peak: peak),
                                configuration: configuration)
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
                throw GateError("\(file.path):\(row.line): no FMA peak probe (probe_before_gflops / probe_after_gflops) "
                                + "for \(row.key): the peak-normalised comparison needs it")
            }
            return plain.peakNormalised(peak: calibration)
        }
    }

    /// The process's exit status for `report`, and the one line for standard error that says why it fails
    /// (nil when it passes).
    public static func outcome(of report: GateReport) -> (status: GateExitStatus, message: String?) {
        switch report.exitStatus {
        case .passed:
            return (.passed, nil)
        case .regressed:
            return (.regressed, "regression: " + regressionSummary(report))
        case .unusableInput:
            if !report.rows.contains(where: { $0.decision.reason != .invalidSamples }) {
                return (.unusableInput, "error: nothing to compare: no benchmark of the baseline matched a timed candidate benchmark "
                        + "(rows match on kernel, shape, threads and pin)")
            }
            return (.unusableInput, "error: \(report.missing.count) baseline benchmark(s) missing from the candidate: "
                    + report.missing.map(\.description).joined(separator: "; ") + "; pass --allow-missing to accept that")
        }
    }

    /// Writes the rendered report to `path`, creating its folder.
    public static func write(_ text: String, to path: String) throws {
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        } catch {
            throw GateError("cannot write the report to \(path): \(ResultsWriter.reason(error))")
        }
    }

    /// The regressed benchmarks of `report` with their ratios, for one line: `KEY ×1.123; …`.
    public static func regressionSummary(_ report: GateReport) -> String {
        report.regressions.map { "\($0.key) ×\(String(format: "%.3f", $0.ratio))" }.joined(separator: "; ")
    }

    /// The exit codes, for `--help` texts.
    public static let exitCodesHelp = """
        Exit status: 0 no regression (improved, unchanged and inconclusive rows pass); 1 unusable input \
        (missing or malformed file, wrong schema_version, missing samples file, nothing matched, a baseline \
        from another host, or a baseline benchmark missing from the candidate without --allow-missing); \
        2 at least one regression; 64 bad usage.
        """

    public static let verdictHelp = """
        Rows match on kernel, shape, threads and pin. Each gets a verdict from its raw samples: regressed when \
        the two-sided Mann-Whitney U test is significant (p < --alpha), the 95% bootstrap interval of the \
        ratio of medians (candidate/baseline) lies above 1, and the ratio reaches 1 + threshold; improved is \
        the mirror image; unchanged when the whole interval lies within ±threshold; inconclusive otherwise \
        (or with fewer than --min-samples samples).
        """
}
