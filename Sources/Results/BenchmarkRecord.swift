import AttentionCore

/// What happened to one (kernel, shape, threads, pin) benchmark.
public enum BenchmarkStatus: String, Sendable, Equatable, CaseIterable {
    /// Checked against the reference, passed, timed.
    case ok
    /// Failed the equivalence check: not timed.
    case failed
    /// The kernel cannot run this shape, or was skipped (for example by the memory guard); see `note`.
    case skipped
}

/// One row of the results CSV: a benchmark's identity, its check, and its timing summary.
public struct BenchmarkRecord: Sendable, Equatable {
    public var key: BenchmarkKey
    public var status: BenchmarkStatus
    /// Run times in milliseconds, in the order they were taken.
    public var samples: [Double]
    public var statistics: SampleStatistics?
    public var equivalence: EquivalenceReport?
    /// Why the kernel was skipped or failed; empty otherwise.
    public var note: String
    /// Median time of `naive` on the same shape in the same run divided by this kernel's; nil without naive.
    public var speedupOverNaive: Double?
    /// This kernel's 1-thread median on the same shape and pin in the same run divided by its median here.
    public var speedupOverOneThread: Double?
    /// NUMA nodes the workers of this benchmark ran on.
    public var numaNodesUsed: Int
    /// GB/s of read bandwidth for this row's thread count, measured next to its timing (just before and
    /// just after its shape's rounds, the higher figure): memory-bound rows only, whose roofline it sets
    /// (the machine's bandwidth moves within minutes, so the sweep's own probes can be far off by then).
    public var nearbyBandwidth: Double?

    public init(key: BenchmarkKey, status: BenchmarkStatus, samples: [Double] = [], equivalence: EquivalenceReport? = nil,
                note: String = "", numaNodesUsed: Int = 1) {
        self.key = key
        self.status = status
        self.samples = samples
        statistics = SampleStatistics(samples)
        self.equivalence = equivalence
        self.note = note
        self.numaNodesUsed = numaNodesUsed
    }

    /// Useful GFLOP/s at the median time, counting only unmasked work (``CostModel/flops(_:)``).
    public var gflops: Double? {
        guard let median = statistics?.median, median > 0 else { return nil }
        return CostModel.flops(key.shape) / (median * 1e6)
    }

    /// Speed-up over one thread divided by the thread count.
    public var parallelEfficiency: Double? { speedupOverOneThread.map { $0 / Double(key.threads) } }
}
