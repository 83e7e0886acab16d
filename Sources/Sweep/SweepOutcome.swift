import AttentionCore
import Kernels
import Machine
import Results
/// What a finished (or interrupted) sweep measured and where it wrote it.
public struct SweepOutcome {
    public var resultsPath: String
    public var samplesPath: String
    /// One record per benchmark, in the order they finished; the results file holds the same rows.
    public var records: [BenchmarkRecord]
    /// The run's facts: machine, build, commit, the FMA peak probes before and after.
    public var environment: RunEnvironment
    /// True when ``SweepConfiguration/shouldStop`` ended the sweep early.
    public var interrupted: Bool

    /// Benchmarks that failed the equivalence check (never timed).
    public var failed: [BenchmarkRecord] { records.filter { $0.status == .failed } }
    /// Benchmarks that were not run, with the reason in their `note`.
    public var skipped: [BenchmarkRecord] { records.filter { $0.status == .skipped } }

    /// The results as the gate reads them, from memory: the same rows and samples as the files.
    public var resultsFile: ResultsFile {
        ResultsFile(path: resultsPath, samplesPath: samplesPath, records: records, environment: environment)
    }
}

/// Why a sweep could not run or write its results, in one line.
public struct SweepError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
