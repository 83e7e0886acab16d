/// Read bandwidth from memory, measured in process: the slope of the roofline, as ``FMAPeakProbe`` is its ceiling.
public struct MeasuredBandwidth: Sendable, Equatable {
    /// GB/s (10⁹ bytes per second) one thread reads.
    public var singleThread: Double
    /// GB/s all `threads` workers read together, one slice each.
    public var allThreads: Double
    /// Workers of the all-thread figure: one per core.
    public var threads: Int

    public init(singleThread: Double, allThreads: Double, threads: Int) {
        self.singleThread = singleThread
        self.allThreads = allThreads
        self.threads = max(1, threads)
    }

    /// The higher of each figure: like the FMA peak, a ceiling the machine reached at least once.
    public func ceiling(with other: MeasuredBandwidth?) -> MeasuredBandwidth {
        guard let other else { return self }
        return MeasuredBandwidth(singleThread: max(singleThread, other.singleThread),
                                 allThreads: max(allThreads, other.allThreads), threads: max(threads, other.threads))
    }

    /// The bandwidth `threads` workers can expect: the 1-thread figure for one, the all-thread figure from
    /// `self.threads` up, and in between `min(t · single, all)` — each thread streams at most what one thread
    /// does, and together they cannot beat the all-thread figure. Like the roofline, an upper bound.
    public func forThreads(_ threads: Int) -> Double {
        if threads <= 1 { return singleThread }
        if threads >= self.threads { return allThreads }
        return min(Double(threads) * singleThread, allThreads)
    }
}
