import ArgumentParser
import AttentionCore
import BenchKit
import Foundation
import Kernels
import Machine

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Check every kernel against the float64 reference, then time it over the given shapes (the default command).")

    @OptionGroup var shape: ShapeOptions
    @OptionGroup var options: RunOptions

    func validate() throws {
        if BuildInfo.isDebug && !options.allowDebug {
            throw ValidationError("refusing to time a debug build, whose numbers mean nothing: use `swift run -c release attnbench`, or pass --allow-debug")
        }
    }

    func run() throws {
        _ = try Self.perform(shape: shape, options: options)
    }

    /// What a finished sweep wrote.
    struct Outcome {
        var resultsPath: String
        var samplesPath: String
        var records: [BenchmarkRecord]
        var environment: RunEnvironment
    }

    /// Runs a sweep and writes its results and samples: the whole of `sweep`, reused by `gate` and
    /// `baseline update`. `defaultOutput` is the results path when `--output` is not given; `log` receives
    /// what `sweep` prints on standard output. Throws `ExitCode(130)` when interrupted and `ExitCode(1)`
    /// when a kernel failed its check, after writing every row.
    static func perform(shape: ShapeOptions, options: RunOptions, defaultOutput: String? = nil,
                        log: (String) -> Void = { print($0) }) throws -> Outcome {
        if BuildInfo.isDebug { warn("WARNING: this is a debug build; its timings are meaningless.") }
        let topology = try MachineTopology.discover()
        let fingerprint = MachineFingerprint.current()
        let cache = CacheBudget(l1: topology.caches.l1d, l2: topology.caches.l2)
        let kernels = try KernelRegistry.select(options.kernels.names, cache: cache)
        var environment = RunEnvironment(
            timestamp: Self.timestamp(), host: fingerprint.host, cpuModel: fingerprint.cpuModel,
            cores: fingerprint.cores, numaNodes: fingerprint.numaNodes, build: BuildInfo.label, commit: BuildInfo.commit())
        environment.hostID = fingerprint.id
        environment.loadAverage = RunEnvironment.currentLoadAverage()
        environment.probeBefore = FMAPeakProbe.measure()

        let resultsPath = options.output ?? defaultOutput ?? "Results/attnbench-\(Self.fileStamp()).csv"
        let samplesPath = ResultsFile.samplesPath(for: resultsPath)
        let results: ResultsWriter
        let samples: ResultsWriter
        do {
            results = try ResultsWriter(path: resultsPath, header: ResultsCSV.columns)
            samples = try ResultsWriter(path: samplesPath, header: ResultsCSV.sampleColumns)
        } catch {
            throw CLIError("cannot write results: \(error)")
        }

        var threadSettings: [ThreadSetting] = []
        for threads in options.threads.resolved(cores: topology.cores.count) {
            for policy in options.pin.policies {
                let plan = try PinPlan(topology: topology, threads: threads, policy: policy)
                let context = KernelContext(plan: plan, topology: topology, schedule: options.schedule)
                threadSettings.append(ThreadSetting(threads: threads, pin: policy.rawValue, context: context,
                                                    numaNodesUsed: plan.numaNodesUsed))
            }
        }
        var runner = SweepRunner(kernels: kernels, shapes: shape.shapes, threadSettings: threadSettings,
                                 policy: TimingPolicy(warmupRuns: options.warmup, minRepetitions: options.repetitions,
                                                      minSeconds: options.minTime),
                                 check: EquivalenceCheck(rowsPerHead: options.checkRows, seed: options.seed),
                                 seed: options.seed)
        runner.memoryLimit = options.maxMemory?.bytes ?? ByteSize.defaultLimit()
        let interrupt = InterruptFlag()
        runner.shouldStop = { interrupt.isRaised }
        if !options.quiet && isatty(STDERR_FILENO) != 0 {
            runner.progress = { line in warn("… \(line)") }
        }
        var writeError: Error?
        let streamed = environment
        runner.onRecord = { record in
            do {
                try results.append(ResultsCSV.row(record, environment: streamed))
                for row in ResultsCSV.sampleRows(record, environment: streamed) { try samples.append(row) }
            } catch { writeError = error }
        }

        log("attnbench \(environment.build) on \(environment.cpuModel), \(environment.cores) cores, \(topology.caches)")
        let records = runner.run()
        environment.probeAfter = FMAPeakProbe.measure()
        if let writeError { throw CLIError("writing results failed: \(writeError)") }
        // Rows were streamed as they finished (an interrupted sweep keeps them); now that the second
        // probe is in, rewrite the file whole with the final peak and noise flag.
        do { try ResultsWriter.replace(resultsPath, with: ResultsCSV.table(records, environment: environment)) } catch {
            throw CLIError("writing results failed: \(error)")
        }
        log(ResultsTable.render(records, environment: environment))
        log(String(format: "FMA peak probe: %.1f GFLOP/s per core before, %.1f after", environment.probeBefore ?? 0,
                     environment.probeAfter ?? 0))
        for warning in environment.noiseWarnings { warn("warning: noisy machine: \(warning); compare ratios, not absolute times") }
        log("results: \(resultsPath)\nsamples: \(samplesPath)")

        if interrupt.isRaised {
            warn("interrupted: \(records.count) benchmark(s) finished and were written")
            throw ExitCode(130)
        }
        let skipped = records.filter { $0.status == .skipped }
        for record in skipped { warn("skipped \(record.key): \(record.note)") }
        let failed = records.filter { $0.status == .failed }
        if !failed.isEmpty {
            warn("error: \(failed.count) benchmark(s) failed the equivalence check: \(failed.map(\.key.description).joined(separator: "; "))")
            throw ExitCode(1)
        }
        return Outcome(resultsPath: resultsPath, samplesPath: samplesPath, records: records, environment: environment)
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    static func fileStamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
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
