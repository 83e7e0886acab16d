import ArgumentParser
import AttnBench
import Foundation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Check every kernel against the float64 reference, then time it over the given shapes (the default command).")

    @OptionGroup var shape: ShapeOptions
    @OptionGroup var options: RunOptions

    func validate() throws {
        try options.refuseUnoptimisedKernels()
    }

    func run() throws {
        _ = try Self.perform(shape: shape, options: options)
    }

    /// Runs ``Sweep/run(_:)`` with the command line's options and prints what `sweep` prints: the whole
    /// of `sweep`, reused by `gate` and `baseline update`. `defaultOutput` is the results path when
    /// `--output` is not given; `log` receives what `sweep` prints on standard output. Throws
    /// `ExitCode(130)` when interrupted and `ExitCode(1)` when a kernel failed its check, after writing
    /// every row.
    static func perform(shape: ShapeOptions, options: RunOptions, defaultOutput: String? = nil,
                        log: @escaping (String) -> Void = { print($0) }) throws -> SweepOutcome {
        let interrupt = InterruptFlag()
        var configuration = options.configuration(shapes: shape.shapes)
        configuration.resultsPath = options.output ?? defaultOutput ?? configuration.resultsPath
        configuration.log = log
        configuration.warn = warn
        configuration.shouldStop = { interrupt.isRaised }
        if !options.quiet && isatty(STDERR_FILENO) != 0 { configuration.progress = { line in warn("… \(line)") } }
        let outcome: SweepOutcome
        do { outcome = try Sweep.run(configuration) } catch let error as SweepError {
            throw CLIError(error.description)
        }

        let environment = outcome.environment
        log(ResultsTable.render(outcome.records, environment: environment))
        if let before = environment.probeBefore, let after = environment.probeAfter {
            log(String(format: "FMA peak probe: %.1f GFLOP/s per core before, %.1f after", before, after)
                + (environment.coreScalingSummary.map { "; \($0)" } ?? ""))
        } else {
            log("FMA peak and bandwidth probes: skipped (--no-probes)")
        }
        if let line = environment.bandwidthProbeSummary { log(line) }
        for warning in environment.noiseWarnings { warn("warning: noisy machine: \(warning); compare ratios, not absolute times") }
        log("results: \(outcome.resultsPath)\nsamples: \(outcome.samplesPath)")
        if outcome.interrupted {
            warn("interrupted: \(outcome.records.count) benchmark(s) finished and were written")
            throw ExitCode(130)
        }
        for record in outcome.skipped { warn("skipped \(record.key): \(record.note)") }
        if !outcome.failed.isEmpty {
            warn("error: \(outcome.failed.count) benchmark(s) failed the equivalence check: \(outcome.failed.map(\.key.description).joined(separator: "; "))")
            throw ExitCode(1)
        }
        return outcome
    }

    /// `yyyyMMdd-HHmmss`, UTC, for default file names.
    static func fileStamp() -> String { SweepConfiguration.fileStamp() }
}

/// A one-line error for the user; the command exits with status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes a line to standard error.
func warn(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
