import AttentionCore

/// The roofline of one run: a ceiling of measured FMA throughput and a slope of measured read bandwidth.
///
///     roofline = min(peak, AI × bandwidth),   AI = useful flops ÷ compulsory bytes (``CostModel``)
///
/// With GFLOP/s and GB/s (10⁹ bytes/s), AI in flop/byte turns GB/s straight into GFLOP/s. A kernel at the
/// roofline is as fast as the machine allows for its shape: compute-bound shapes meet the ceiling,
/// memory-bound ones (a decode step: one query row per head, AI ≈ 1) the slope.
public enum Roofline {
    /// `min(peak, intensity × bandwidth)`; the one that exists when the other is missing.
    public static func attainable(peakGFLOPS: Double?, bandwidthGBs: Double?, intensity: Double) -> Double? {
        let slope = bandwidthGBs.map { $0 * intensity }
        switch (peakGFLOPS, slope) {
        case let (peak?, slope?): return min(peak, slope)
        case let (peak?, nil): return peak
        case let (nil, slope?): return slope
        case (nil, nil): return nil
        }
    }
}

extension RunEnvironment {
    /// The bandwidth ceiling of the run: the higher of the two probes' figures.
    public var bandwidth: MeasuredBandwidth? { bandwidthBefore?.ceiling(with: bandwidthAfter) ?? bandwidthAfter }

    /// GB/s for a benchmark on `threads` threads (``MeasuredBandwidth/forThreads(_:)``).
    public func bandwidthGBs(threads: Int) -> Double? { bandwidth?.forThreads(threads) }

    /// The FMA ceiling for `threads` threads (``ResultsSchema/peakGFLOPs(perCore:threads:cores:)``).
    public func peakGFLOPS(threads: Int) -> Double? {
        ResultsSchema.peakGFLOPs(perCore: peakPerCore, threads: threads, cores: cores)
    }

    /// GFLOP/s the roofline allows `shape` on `threads` threads, with `bandwidth` GB/s when given (a figure
    /// measured next to the row) or the run's probes; nil before any probe ran.
    public func rooflineGFLOPS(_ shape: AttentionShape, threads: Int, bandwidth: Double? = nil) -> Double? {
        Roofline.attainable(peakGFLOPS: peakGFLOPS(threads: threads), bandwidthGBs: bandwidth ?? bandwidthGBs(threads: threads),
                            intensity: CostModel.arithmeticIntensity(shape))
    }

    /// The roofline of a record: with its ``BenchmarkRecord/nearbyBandwidth`` where it has one.
    public func rooflineGFLOPS(_ record: BenchmarkRecord) -> Double? {
        rooflineGFLOPS(record.key.shape, threads: record.key.threads, bandwidth: record.nearbyBandwidth)
    }

    /// `gflops ÷ roofline` for a record: 1 means as fast as the measured machine allows.
    public func rooflineFraction(_ record: BenchmarkRecord) -> Double? {
        guard let gflops = record.gflops, let roof = rooflineGFLOPS(record), roof > 0 else { return nil }
        return gflops / roof
    }

    /// Whether `shape` on `threads` threads sits under the roofline's slope (memory-bound: intensity ×
    /// bandwidth below the FMA ceiling) by this run's probes; false without them.
    public func isMemoryBound(_ shape: AttentionShape, threads: Int) -> Bool {
        guard let peak = peakGFLOPS(threads: threads), let bandwidth = bandwidthGBs(threads: threads) else { return false }
        return CostModel.arithmeticIntensity(shape) * bandwidth < peak
    }
}

extension RunEnvironment {
    /// e.g. "bandwidth probe: 1 thread 30.2 GB/s before, 30.0 after; 2 threads 41.3 / 41.0 GB/s".
    public var bandwidthProbeSummary: String? {
        guard let any = bandwidthBefore ?? bandwidthAfter else { return nil }
        func figure(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }
        return "bandwidth probe: 1 thread \(figure(bandwidthBefore?.singleThread)) GB/s before, "
            + "\(figure(bandwidthAfter?.singleThread)) after; \(any.threads) threads "
            + "\(figure(bandwidthBefore?.allThreads)) / \(figure(bandwidthAfter?.allThreads)) GB/s"
    }
}

extension RunEnvironment {
    /// A warning when either bandwidth figure moved by more than 20% between the probes before and after the
    /// sweep: another process was streaming memory. Memory bandwidth wanders more than FMA throughput on a
    /// shared machine, hence a looser bar than the FMA probe's 10%.
    public var bandwidthDrift: String? {
        guard let before = bandwidthBefore, let after = bandwidthAfter else { return nil }
        for (name, a, b) in [("1-thread", before.singleThread, after.singleThread),
                             ("\(before.threads)-thread", before.allThreads, after.allThreads)]
        where min(a, b) > 0 && max(a, b) > 1.2 * min(a, b) {
            return String(format: "%@ bandwidth probe moved from %.1f to %.1f GB/s during the sweep", name, a, b)
        }
        return nil
    }
}
