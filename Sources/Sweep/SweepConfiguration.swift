import Foundation
import AttentionCore
import Kernels
import Machine
import Results

/// Everything one sweep needs: what to race, on which shapes and threads, how to time it, where to write.
///
/// The defaults are those of `attnbench sweep`. Kernels come from the registry by name
/// (``registeredKernels``) and from the caller (``additionalKernels``): a kernel defined in another
/// package races the built-in ones by being listed there.
public struct SweepConfiguration {
    public var shapes: [AttentionShape]
    /// Names from ``KernelRegistry/names`` to race, in this order. Keep `naive` for `speedup_vs_naive`.
    public var registeredKernels: [String]
    /// Kernels from outside the registry, raced after the registered ones; names must be unique.
    public var additionalKernels: [any AttentionKernel]
    /// Thread counts for parallel kernels (single-threaded kernels always run at one thread).
    public var threadCounts: [ThreadCount]
    /// Pin policies for parallel kernels.
    public var pinPolicies: [PinPolicy]
    public var schedule: KernelContext.Schedule
    public var timing: TimingPolicy
    /// Query rows per head compared with the float64 reference.
    public var checkRowsPerHead: Int
    /// Seed of the inputs: the same seed gives bit-identical inputs on every machine.
    public var seed: UInt64
    /// Bytes one benchmark may use (tensors and scratch); nil: 80% of the available memory.
    public var memoryLimit: Int?
    /// Whether the FMA peak and read-bandwidth probes run before and after the sweep (about 0.2 s each
    /// time). Without them the `peak_*`, `probe_*`, `bandwidth_gbs` and roofline columns stay empty and
    /// the probe part of the noise flag is off: for the A/B gate's short rounds, which compare the two
    /// sides' times only.
    public var probes = true
    /// The results CSV; the raw samples go beside it (``ResultsFile/samplesPath(for:)``).
    public var resultsPath: String

    /// Lines for the user: the header before timing (`attnbench <build> on <cpu>…`).
    public var log: (String) -> Void = { print($0) }
    /// Warnings (a noisy machine, a debug harness) for standard error.
    public var warn: (String) -> Void = { _ in }
    /// Progress lines while the sweep runs.
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Polled between runs; true stops the sweep after the run in flight (what finished is written).
    public var shouldStop: @Sendable () -> Bool = { false }

    public init(shapes: [AttentionShape], registeredKernels: [String] = KernelRegistry.names,
                additionalKernels: [any AttentionKernel] = [], threadCounts: [ThreadCount] = [.count(1)],
                pinPolicies: [PinPolicy] = [.compact], schedule: KernelContext.Schedule = .dynamic,
                timing: TimingPolicy = TimingPolicy(), checkRowsPerHead: Int = 64, seed: UInt64 = 42,
                memoryLimit: Int? = nil, resultsPath: String = SweepConfiguration.defaultResultsPath()) {
        self.shapes = shapes
        self.registeredKernels = registeredKernels
        self.additionalKernels = additionalKernels
        self.threadCounts = threadCounts
        self.pinPolicies = pinPolicies
        self.schedule = schedule
        self.timing = timing
        self.checkRowsPerHead = checkRowsPerHead
        self.seed = seed
        self.memoryLimit = memoryLimit
        self.resultsPath = resultsPath
    }

    /// `Results/<prefix>-<UTC yyyyMMdd-HHmmss>.csv`.
    public static func defaultResultsPath(prefix: String = "attnbench") -> String {
        "Results/\(prefix)-\(fileStamp()).csv"
    }

    /// Now as `yyyyMMdd-HHmmss`, UTC, for file names.
    public static func fileStamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }

    /// What is left for a sweep by default: 80% of `MemAvailable` in `/proc/meminfo`, or unlimited.
    public static func defaultMemoryLimit() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return .max }
        return kib * 1024 / 5 * 4
    }
}

/// A thread count for parallel kernels: a number, or `max`, every core of the machine.
public enum ThreadCount: Sendable, Equatable {
    case count(Int)
    case max

    /// The distinct counts, in the order given, with `max` replaced by `cores`.
    public static func resolve(_ counts: [ThreadCount], cores: Int) -> [Int] {
        var seen: [Int] = []
        for count in counts {
            let value = switch count {
            case .count(let n): n
            case .max: cores
            }
            if !seen.contains(value) { seen.append(value) }
        }
        return seen
    }
}
