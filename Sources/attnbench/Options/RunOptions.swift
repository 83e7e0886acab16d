import ArgumentParser
import AttnBench

/// How a sweep runs and where it writes: kernels, threads, timing and output.
struct RunOptions: ParsableArguments {
    @Option(help: "Kernels to race, comma-separated (`attnbench list` prints them).")
    var kernels = NameList(KernelRegistry.names)

    @Option(help: "Thread counts for parallel kernels, comma-separated; `max` means all cores.")
    var threads = ThreadCountList([.count(1)])

    @Option(help: "Thread pinning policies for parallel kernels, comma-separated: none, compact, spread, numa (see docs/threads-and-numa.md).")
    var pin = PinPolicyList([.compact])

    @Option(help: "Work scheduling of parallel kernels: static (cost-balanced shares) or dynamic (atomic counter).")
    var schedule = KernelContext.Schedule.dynamic

    @Option(help: "Minimum timed repetitions per benchmark.")
    var repetitions = 3

    @Option(name: .customLong("min-time"), help: "Minimum total timed seconds per benchmark.")
    var minTime = 0.5

    @Option(help: "Untimed warm-up runs after the equivalence check.")
    var warmup = 1

    @Option(help: "Seed of the random inputs; the same seed gives bit-identical inputs.")
    var seed: UInt64 = 42

    @Option(name: .customLong("check-rows"), help: "Query rows per head checked against the float64 reference.")
    var checkRows = 64

    @Option(help: "Results CSV path; the raw samples go beside it as <name>-samples.csv. Default: Results/attnbench-<timestamp>.csv.")
    var output: String?

    @Option(name: .customLong("max-memory"), help: "Memory a benchmark may use (tensors + scratch), e.g. 8G; larger ones are skipped. Default: 80% of available memory.")
    var maxMemory: ByteSize?

    @Flag(name: .customLong("allow-debug"), help: "Time unoptimised kernels anyway (their numbers mean nothing).")
    var allowDebug = false

    @Flag(help: "Print no progress lines, even on a terminal.")
    var quiet = false

    @Flag(name: .customLong("no-probes"), help: "Skip the FMA peak and bandwidth probes before and after (about 0.4 s): peak, probe, bandwidth and roofline columns stay empty. For the A/B gate's short rounds.")
    var noProbes = false

    func validate() throws {
        if !(1...100_000).contains(repetitions) { throw ValidationError("--repetitions must be between 1 and 100000, got \(repetitions)") }
        let counts = threads.entries.compactMap { entry -> Int? in if case .count(let n) = entry { n } else { nil } }
        if let absurd = counts.first(where: { $0 > 4096 }) {
            throw ValidationError("--threads \(absurd) is more than the 4096 this tool supports")
        }
        if !(minTime >= 0 && minTime.isFinite) { throw ValidationError("--min-time must be a non-negative number of seconds, got \(minTime)") }
        if !(0...1000).contains(warmup) { throw ValidationError("--warmup must be between 0 and 1000, got \(warmup)") }
        if !(minTime <= 3600) { throw ValidationError("--min-time must be at most 3600 seconds, got \(minTime)") }
        if checkRows < 1 { throw ValidationError("--check-rows must be at least 1, got \(checkRows)") }
        let known = KernelRegistry.names
        for name in kernels.names where !known.contains(name) {
            throw ValidationError("unknown kernel '\(name)' in --kernels; available: \(known.joined(separator: ", "))")
        }
        if Set(kernels.names).count != kernels.names.count {
            throw ValidationError("--kernels names a kernel twice: \(kernels.names.joined(separator: ","))")
        }
    }

    /// Refuses to time kernels compiled without optimisation (decided in the kernel module, so a debug
    /// harness with the package's optimised kernels is fine), unless `--allow-debug`.
    func refuseUnoptimisedKernels() throws {
        if !BuildInfo.timesOptimisedKernels && !allowDebug {
            throw ValidationError("refusing to time kernels compiled without optimisation, whose numbers mean nothing: build them as Package.swift does (-Ounchecked -wmo), or pass --allow-debug")
        }
    }

    /// The sweep these options describe over `shapes`; the caller sets the output path and the callbacks.
    func configuration(shapes: [AttentionShape]) -> SweepConfiguration {
        var configuration = SweepConfiguration(
            shapes: shapes, registeredKernels: kernels.names, threadCounts: threads.entries, pinPolicies: pin.values,
            schedule: schedule,
            timing: TimingPolicy(warmupRuns: warmup, minRepetitions: repetitions, minSeconds: minTime),
            checkRowsPerHead: checkRows, seed: seed, memoryLimit: maxMemory?.bytes)
        configuration.probes = !noProbes
        return configuration
    }
}
