import AttentionCore

/// When to stop timing a benchmark.
///
/// After its equivalence-check run (which doubles as the first warm-up) a benchmark gets `warmupRuns` more
/// untimed runs, then timed repetitions until it has at least `minRepetitions` samples AND at least
/// `minSeconds` of samples in total, or `maxRepetitions` samples. Warm-ups are skipped when the check run
/// alone took longer than `minSeconds`: by then caches, pages and branch predictors are as warm as they get.
public struct TimingPolicy: Sendable, Equatable {
    public var warmupRuns: Int
    public var minRepetitions: Int
    public var minSeconds: Double
    public var maxRepetitions: Int

    public init(warmupRuns: Int = 1, minRepetitions: Int = 3, minSeconds: Double = 0.5, maxRepetitions: Int = 500) {
        self.warmupRuns = warmupRuns
        self.minRepetitions = minRepetitions
        self.minSeconds = minSeconds
        self.maxRepetitions = max(minRepetitions, maxRepetitions)
    }

    func needsMore(samples: Int, totalSeconds: Double) -> Bool {
        samples < maxRepetitions && (samples < minRepetitions || totalSeconds < minSeconds)
    }
}

/// A thread count and pinning under which parallel kernels are timed.
public struct ThreadSetting: Sendable, Equatable {
    public var threads: Int
    /// The pin policy's name, as written to the CSV.
    public var pin: String
    public var context: KernelContext
    public var numaNodesUsed: Int

    public init(threads: Int, pin: String, context: KernelContext, numaNodesUsed: Int = 1) {
        self.threads = threads
        self.pin = pin
        self.context = context
        self.numaNodesUsed = numaNodesUsed
    }
}
