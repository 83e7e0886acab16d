import Foundation
import AttentionCore
import Results

/// Checks and times kernels over shapes and thread settings.
///
/// For each shape: inputs are generated once from the seed; every kernel is run once and checked against
/// the float64 reference on that very shape (failures are recorded and never timed); then the passing
/// benchmarks are timed in rounds, each round visiting them in a fresh seeded random order, so that a drift
/// in machine speed (another tenant, thermal limits) hits every kernel alike instead of the last one.
public struct SweepRunner {
    public var kernels: [any AttentionKernel]
    public var shapes: [AttentionShape]
    /// Settings for parallel kernels; single-threaded kernels always run once, at one thread, unpinned.
    public var threadSettings: [ThreadSetting]
    public var policy: TimingPolicy
    public var check: EquivalenceCheck
    public var seed: UInt64
    /// Called with a short line whenever something starts; the CLI prints it on a terminal.
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Called once per benchmark as soon as its record is final, so results can be written as they come.
    public var onRecord: (BenchmarkRecord) -> Void = { _ in }
    /// Polled between runs; when it returns true the sweep stops after the run in flight, keeping every
    /// sample taken so far (the CLI sets it from SIGINT).
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Bytes the sweep may use for tensors and scratch; a kernel whose estimate exceeds it is skipped
    /// with the reason in its record instead of exhausting memory.
    public var memoryLimit: Int = .max
    /// Measures read bandwidth next to memory-bound benchmarks (``BenchmarkRecord/nearbyBandwidth``): run
    /// just before and just after a shape's timing rounds when ``isMemoryBound`` says any of its settings is.
    /// Nil: no nearby figures.
    public var measureBandwidth: (() -> MeasuredBandwidth)?
    /// Whether a shape on a thread count is memory-bound (by the sweep's probes).
    public var isMemoryBound: (AttentionShape, Int) -> Bool = { _, _ in false }

    public init(kernels: [any AttentionKernel], shapes: [AttentionShape], threadSettings: [ThreadSetting],
                policy: TimingPolicy, check: EquivalenceCheck, seed: UInt64) {
        self.kernels = kernels
        self.shapes = shapes
        self.threadSettings = threadSettings
        self.policy = policy
        self.check = check
        self.seed = seed
    }

    /// A kernel and the setting it runs under, with its scratch memory.
    private final class Job {
        let kernel: any AttentionKernel
        let setting: ThreadSetting
        let scratch: AlignedBuffer
        /// A private copy of the inputs for kernels that place memory (NUMA), so that moving its pages does
        /// not change where the other kernels' data lives.
        let tensors: AttentionTensors?
        var samples: [Double] = []
        var seconds = 0.0
        init(kernel: any AttentionKernel, setting: ThreadSetting, shape: AttentionShape, ownTensors: AttentionTensors?) {
            self.kernel = kernel
            self.setting = setting
            tensors = ownTensors
            scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: setting.context))
        }
        func key(_ shape: AttentionShape) -> BenchmarkKey {
            BenchmarkKey(kernel: kernel.name, shape: shape, threads: setting.threads, pin: setting.pin)
        }
        /// One run, in milliseconds.
        func time(_ operands: AttentionOperands) -> Double {
            let clock = ContinuousClock()
            let elapsed = clock.measure { kernel.run(operands, scratch: scratch.buffer, context: setting.context) }
            return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
        }
    }

    public func run() -> [BenchmarkRecord] {
        var records: [BenchmarkRecord] = []
        for shape in shapes where !shouldStop() {
            records += run(shape: shape)
        }
        return records
    }

    /// The settings `kernel` is timed under: every thread setting for a parallel kernel, one unpinned
    /// thread for the others.
    private func settings(for kernel: any AttentionKernel) -> [ThreadSetting] {
        kernel.isParallel ? threadSettings : [ThreadSetting(threads: 1, pin: "none", context: .singleThreaded)]
    }

    /// Memory one benchmark needs: the four tensors (twice for a kernel that places memory, which gets a
    /// private copy) plus the kernel's scratch, in bytes; `Int.max` when the sum overflows.
    public static func memoryEstimate(_ kernel: any AttentionKernel, shape: AttentionShape, context: KernelContext) -> Int {
        guard let tensors = shape.tensorBytes,
              let copies = AttentionShape.product(tensors, context.placesMemory ? 2 : 1),
              let scratch = AttentionShape.product(kernel.scratchFloats(for: shape, context: context), MemoryLayout<Float>.stride)
        else { return .max }
        let (total, overflow) = copies.addingReportingOverflow(scratch)
        return overflow ? .max : total
    }

    /// A deterministic seed per shape (Swift's `hashValue` changes from process to process).
    static func seed(_ base: UInt64, _ shape: AttentionShape) -> UInt64 {
        var generator = SplitMix64(seed: base)
        var mixed = generator.next()
        for field in [shape.batch, shape.heads, shape.kvHeads, shape.seqQ, shape.seqKV, shape.headDim, shape.causal ? 1 : 0] {
            mixed = (mixed ^ UInt64(field)) &* 0x100_0000_01B3
        }
        return mixed
    }

    private func run(shape: AttentionShape) -> [BenchmarkRecord] {
        let tensorBytes = shape.tensorBytes ?? .max
        if tensorBytes > memoryLimit {
            let records = kernels.flatMap { kernel in
                settings(for: kernel).map {
                    BenchmarkRecord(key: BenchmarkKey(kernel: kernel.name, shape: shape, threads: $0.threads, pin: $0.pin),
                                    status: .skipped, note: "memory guard: tensors need \(Self.gibibytes(tensorBytes)), limit \(Self.gibibytes(memoryLimit))")
                }
            }
            records.forEach(onRecord)
            return records
        }
        progress("\(shape): generating inputs")
        let tensors = AttentionTensors(shape: shape, seed: seed)
        let operands = tensors.operands
        var finished: [BenchmarkRecord] = []
        var timed: [Job] = []

        for kernel in kernels {
            for setting in settings(for: kernel) {
                let key = BenchmarkKey(kernel: kernel.name, shape: shape, threads: setting.threads, pin: setting.pin)
                if let reason = kernel.unsupportedReason(for: shape) {
                    finished.append(BenchmarkRecord(key: key, status: .skipped, note: reason))
                    continue
                }
                let needed = Self.memoryEstimate(kernel, shape: shape, context: setting.context)
                if needed > memoryLimit {
                    finished.append(BenchmarkRecord(key: key, status: .skipped,
                                                    note: "memory guard: needs \(Self.gibibytes(needed)), limit \(Self.gibibytes(memoryLimit))"))
                    continue
                }
                if shouldStop() { break }
                progress("\(key): checking against the float64 reference")
                let job = Job(kernel: kernel, setting: setting, shape: shape,
                              ownTensors: setting.context.placesMemory ? tensors.copy() : nil)
                let jobOperands = job.tensors?.operands ?? operands
                kernel.prepare(jobOperands, scratch: job.scratch.buffer, context: setting.context)
                (job.tensors ?? tensors).o.fill(.nan)
                let checkMilliseconds = job.time(jobOperands)
                let report = check.compare(jobOperands, tolerance: kernel.tolerance, unrounded: tensors.inputs)
                guard report.passed else {
                    finished.append(BenchmarkRecord(key: key, status: .failed, equivalence: report,
                                                    note: "equivalence check failed", numaNodesUsed: setting.numaNodesUsed))
                    continue
                }
                if checkMilliseconds < policy.minSeconds * 1e3 {
                    for _ in 0..<policy.warmupRuns { _ = job.time(jobOperands) }
                }
                finished.append(BenchmarkRecord(key: key, status: .ok, equivalence: report,
                                                numaNodesUsed: setting.numaNodesUsed))
                timed.append(job)
            }
        }

        let memoryBound = Set(timed.map(\.setting.threads).filter { isMemoryBound(shape, $0) })
        let bandwidthBefore = memoryBound.isEmpty ? nil : measureBandwidth?()
        var generator = SplitMix64(seed: Self.seed(seed, shape))
        var round = 0
        var interrupted = false
        while case let pending = timed.filter({ policy.needsMore(samples: $0.samples.count, totalSeconds: $0.seconds) }),
              !pending.isEmpty {
            if shouldStop() { interrupted = true; break }
            round += 1
            if round == 1 || round % 10 == 0 { progress("\(shape): timing round \(round), \(pending.count) kernel(s)") }
            for job in pending.shuffled(using: &generator) {
                let milliseconds = job.time(job.tensors?.operands ?? operands)
                job.samples.append(milliseconds)
                job.seconds += milliseconds / 1e3
            }
        }
        let nearby = bandwidthBefore.map { $0.ceiling(with: interrupted ? nil : measureBandwidth?()) }
        for job in timed {
            let index = finished.firstIndex { $0.key == job.key(shape) }!
            let previous = finished[index]
            guard !job.samples.isEmpty else {
                finished[index] = BenchmarkRecord(key: previous.key, status: .skipped, equivalence: previous.equivalence,
                                                  note: "interrupted before timing", numaNodesUsed: previous.numaNodesUsed)
                continue
            }
            var record = BenchmarkRecord(key: previous.key, status: .ok, samples: job.samples,
                                         equivalence: previous.equivalence, numaNodesUsed: previous.numaNodesUsed)
            record.note = interrupted ? "interrupted after \(job.samples.count) sample(s)" : previous.note
            if memoryBound.contains(job.setting.threads) { record.nearbyBandwidth = nearby?.forThreads(job.setting.threads) }
            finished[index] = record
        }
        Self.fillRelativeSpeeds(&finished)
        finished.forEach(onRecord)
        return finished
    }

    static func gibibytes(_ bytes: Int) -> String {
        bytes == .max ? "unlimited" : String(format: "%.2f GiB", Double(bytes) / 1_073_741_824)
    }

    /// Speed-up over `naive` and over one thread, both from the same run and the same inputs.
    static func fillRelativeSpeeds(_ records: inout [BenchmarkRecord]) {
        let naive = records.first { $0.key.kernel == "naive" && $0.status == .ok }?.statistics?.median
        for index in records.indices {
            guard let median = records[index].statistics?.median, median > 0 else { continue }
            if let naive { records[index].speedupOverNaive = naive / median }
            let key = records[index].key
            let oneThread = records.first { $0.key.kernel == key.kernel && $0.key.threads == 1 && $0.key.pin == key.pin && $0.status == .ok }
                ?? records.first { $0.key.kernel == key.kernel && $0.key.threads == 1 && $0.status == .ok }
            if let base = oneThread?.statistics?.median { records[index].speedupOverOneThread = base / median }
        }
    }
}
