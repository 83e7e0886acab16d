import Results
import Foundation

/// One side of an A/B race: a built `attnbench` and how to name it in the report.
public struct RaceContestant: Sendable {
    public var binary: String
    /// e.g. `revision abd90db79e One definition each: …`.
    public var description: String
    /// Variables added to this side's environment (the gate calibration's injected work, for one).
    public var environment: [String: String]

    public init(binary: String, description: String, environment: [String: String] = [:]) {
        self.binary = binary
        self.description = description
        self.environment = environment
    }
}

/// Times two builds of attnbench alternately on one machine (the A/B gate), each as its own process:
/// every round runs `binary sweep <sweep arguments> --output <folder>/rNN-<side>.csv` for both sides in the
/// schedule's order. Only sweep options every revision understands should be passed.
public struct RevisionRace: Sendable {
    public var baseline: RaceContestant
    public var candidate: RaceContestant
    /// Sweep options, without `--output` (the race chooses the files).
    public var sweepArguments: [String]
    public var schedule: RaceSchedule
    /// Where the per-round results, samples and logs go.
    public var folder: String

    public init(baseline: RaceContestant, candidate: RaceContestant, sweepArguments: [String],
                schedule: RaceSchedule, folder: String) {
        self.baseline = baseline
        self.candidate = candidate
        self.sweepArguments = sweepArguments
        self.schedule = schedule
        self.folder = folder
    }

    /// Every round's results file, per side, in round order.
    public struct Outcome: Sendable {
        public var baseline: [ResultsFile]
        public var candidate: [ResultsFile]
    }

    public func resultsPath(round: Int, side: RaceSide) -> String {
        folder + "/" + String(format: "r%02d-", round) + side.rawValue + ".csv"
    }

    /// Runs every round; `progress` hears one line per sweep.
    /// - Throws: ``RevisionRaceError/sideFailed(side:description:round:status:message:)`` when a sweep
    ///   exits non-zero (a failed float64 check is exit 1), naming the side and its message;
    ///   ``RevisionRaceError/interrupted`` when a sweep was interrupted (exit 130).
    public func run(progress: (String) -> Void = { _ in }) throws -> Outcome {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var outcome = Outcome(baseline: [], candidate: [])
        for (index, order) in schedule.rounds.enumerated() {
            let round = index + 1
            for side in order {
                let contestant = side == .baseline ? baseline : candidate
                let output = resultsPath(round: round, side: side)
                let log = output + ".log"
                let started = Date()
                let result = try Subprocess.run(contestant.binary, ["sweep"] + sweepArguments + ["--output", output], log: log,
                                                environment: contestant.environment)
                if result.status == 130 { throw RevisionRaceError.interrupted }
                guard result.status == 0 else {
                    throw RevisionRaceError.sideFailed(side: side, description: contestant.description, round: round,
                                                       status: result.status, message: Self.errorLine(inLog: log))
                }
                progress(String(format: "round %d/%d: %@ swept in %.1f s", round, schedule.rounds.count,
                                side.rawValue, Date().timeIntervalSince(started)))
                let file = try ResultsFile.read(output)
                if side == .baseline { outcome.baseline.append(file) } else { outcome.candidate.append(file) }
            }
        }
        return outcome
    }

    /// The line of a sweep's log that explains its failure: the last `error:` line, else the last line.
    static func errorLine(inLog path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        return (lines.last { $0.contains("error:") } ?? lines.last ?? "no output") + " (log: \(path))"
    }
}
