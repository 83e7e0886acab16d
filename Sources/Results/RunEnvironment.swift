import Foundation

/// Facts about the run that every CSV row repeats, so that rows from many files can be pooled.
public struct RunEnvironment: Sendable, Equatable {
    /// ISO 8601, UTC: when the run started.
    public var timestamp: String
    public var host: String
    public var cpuModel: String
    public var cores: Int
    public var numaNodes: Int
    /// Configuration, SIMD width and target CPU, e.g. `release-simd16-native`.
    public var build: String
    /// Short git commit of the source, or `unknown`.
    public var commit: String
    /// The machine's fingerprint id (`MachineFingerprint.id`), which names its gate baseline; empty when
    /// unknown (files written before the `host_id` column).
    public var hostID: String
    /// Single-thread fp32 FMA peak (GFLOP/s) measured just before the sweep, and just after it.
    public var probeBefore: Double?
    public var probeAfter: Double?
    /// The same probe on one pinned worker per core at once (``FMAPeakProbe/measureAllWorkers(_:iterations:trials:)``),
    /// GFLOP/s of all cores together, before and after the sweep.
    public var probeAllCoresBefore: Double?
    public var probeAllCoresAfter: Double?
    /// One-minute load average when the sweep started (`/proc/loadavg`).
    public var loadAverage: Double?
    /// Read bandwidth (``BandwidthProbe``) measured just before the sweep, and just after it.
    public var bandwidthBefore: MeasuredBandwidth?
    public var bandwidthAfter: MeasuredBandwidth?

    /// The per-core ceiling used for `peak_gflops` (``ResultsSchema/peakPerCore(before:after:)``).
    public var peakPerCore: Double? { ResultsSchema.peakPerCore(before: probeBefore, after: probeAfter) }

    /// Noise warnings: the FMA probes differ by more than 10%, the cores together reached less than 75% of
    /// cores × one core (``sharedCoresWarning``), the bandwidth probes differ by more than 20%
    /// (``bandwidthDrift``), or the load average exceeds the core count.
    public var noiseWarnings: [String] {
        var warnings: [String] = []
        if let before = probeBefore, let after = probeAfter, max(before, after) > 1.1 * min(before, after) {
            warnings.append(String(format: "FMA peak probe moved from %.1f to %.1f GFLOP/s during the sweep", before, after))
        }
        if let shared = sharedCoresWarning { warnings.append(shared) }
        if let moved = bandwidthDrift { warnings.append(moved) }
        if let load = loadAverage, load > Double(cores) {
            warnings.append(String(format: "load average %.2f exceeds the %d cores", load, cores))
        }
        return warnings
    }

    public init(timestamp: String, host: String, cpuModel: String, cores: Int, numaNodes: Int, build: String, commit: String,
                hostID: String = "") {
        self.timestamp = timestamp
        self.host = host
        self.cpuModel = cpuModel
        self.cores = cores
        self.numaNodes = numaNodes
        self.build = build
        self.commit = commit
        self.hostID = hostID
    }

    /// The one-minute load average, or nil where `/proc/loadavg` is not readable.
    public static func currentLoadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }
}

extension RunEnvironment {
    /// How many times one core's FMA throughput all cores reached together, before and after the sweep
    /// (all-core probe ÷ single-core probe of the same moment). `cores` on a machine whose cores are its own.
    public var coreScaling: (before: Double?, after: Double?) {
        (ResultsSchema.coreScaling(allCores: probeAllCoresBefore, oneCore: probeBefore),
         ResultsSchema.coreScaling(allCores: probeAllCoresAfter, oneCore: probeAfter))
    }

    /// A warning when the cores together reached less than 75% of `cores` × one core in either probe:
    /// they share execution units (a VM's virtual CPUs on one core's SMT siblings, an overcommitted host),
    /// so no kernel's thread scaling in this run can exceed that. Turbo and power limits on bare metal cost
    /// less than that.
    public var sharedCoresWarning: String? {
        guard cores > 1 else { return nil }
        let (before, after) = coreScaling
        for (when, scaling) in [("before", before), ("after", after)] {
            if let scaling, scaling < 0.75 * Double(cores) {
                return String(format: "%d cores together reached only %.2f× one core's FMA throughput %@ the sweep "
                              + "(they share execution units), so thread scaling is capped near that", cores, scaling, when)
            }
        }
        return nil
    }

    /// e.g. "2 cores together: 1.98× / 1.97× one core (before / after)"; nil on one core or without the
    /// all-core probes.
    public var coreScalingSummary: String? {
        let (before, after) = coreScaling
        guard cores > 1, before != nil || after != nil else { return nil }
        func figure(_ value: Double?) -> String { value.map { String(format: "%.2f×", $0) } ?? "-" }
        return "\(cores) cores together: \(figure(before)) / \(figure(after)) one core (before / after)"
    }
}
