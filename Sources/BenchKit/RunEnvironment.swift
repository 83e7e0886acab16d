import Foundation
import ResultsSchema
import Kernels

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
    /// One-minute load average when the sweep started (`/proc/loadavg`).
    public var loadAverage: Double?
    /// Read bandwidth (``BandwidthProbe``) measured just before the sweep, and just after it.
    public var bandwidthBefore: MeasuredBandwidth?
    public var bandwidthAfter: MeasuredBandwidth?

    /// The per-core ceiling used for `peak_gflops` (``ResultsSchema/peakPerCore(before:after:)``).
    public var peakPerCore: Double? { ResultsSchema.peakPerCore(before: probeBefore, after: probeAfter) }

    /// Noise warnings: the FMA probes differ by more than 10%, the bandwidth probes by more than 20%
    /// (``bandwidthDrift``), or the load average exceeds the core count.
    public var noiseWarnings: [String] {
        var warnings: [String] = []
        if let before = probeBefore, let after = probeAfter, max(before, after) > 1.1 * min(before, after) {
            warnings.append(String(format: "FMA peak probe moved from %.1f to %.1f GFLOP/s during the sweep", before, after))
        }
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
