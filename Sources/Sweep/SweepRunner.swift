import Foundation
import AttentionCore
import Results

/// Checks and times kernels over shapes and thread settings.
///
/// For each shape: inputs are generated once from the seed; every kernel is run once and checked against
/// the float64 reference on that very shape (failures are recorded and never timed); then the passing
/// benchmarks are timed in rounds, each round visiting them in a fresh seeded random order, so that a drift
/// in machine speed (another tenant, thermal limits) hits every kernel alike instead of the last one. The
/// formats of one shape are timed in the same rounds (``timingGroups()``), so the same holds between formats.
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
    /// just before and just after the timing rounds of a shape and its other formats when ``isMemoryBound`` says
    /// any of their settings is.
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

    /// A kernel and the setting it runs under, on one shape, with its scratch memory and the operands it runs on.
    private final class Job {
        let kernel: any AttentionKernel
        let setting: ThreadSetting
        let shape: AttentionShape
        let scratch: AlignedBuffer
        /// The shape's inputs, or a private copy of them for kernels that place memory (NUMA), so that moving
        /// its pages does not change where the other kernels' data lives. Held so that `operands` stay valid.
        let tensors: AttentionTensors
        let operands: AttentionOperands
        var samples: [Double] = []
        var seconds = 0.0
        init(kernel: any AttentionKernel, setting: ThreadSetting, shape: AttentionShape, tensors: AttentionTensors) {
            self.kernel = kernel
            self.setting = setting
            self.shape = shape
            self.tensors = setting.context.placesMemory ? tensors.copy() : tensors
            operands = self.tensors.operands
            scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: setting.context))
        }
        var key: BenchmarkKey {
            BenchmarkKey(kernel: kernel.name, shape: shape, threads: setting.threads, pin: setting.pin)
        }
        /// One run, in milliseconds.
        func time() -> Double {
            let clock = ContinuousClock()
            let elapsed = clock.measure { kernel.run(operands, scratch: scratch.buffer, context: setting.context) }
            return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
        }
    }

    /// One shape's checked benchmarks: its records so far (in kernel and setting order) and the jobs to time.
    private struct PreparedShape {
        var records: [BenchmarkRecord]
        var timed: [Job]
    }

    public func run() -> [BenchmarkRecord] {
        var records: [BenchmarkRecord] = []
        for group in timingGroups() where !shouldStop() {
            records += run(group: group)
        }
        return records
    }

    /// The shapes timed together, in order: consecutive shapes that differ only in their formats (`dtype`,
    /// `kv_dtype`; the CLI puts formats innermost) form one group when their tensors and each one's largest
    /// benchmark fit the memory limit together, so that a ratio between formats ("f16 K/V against f32") comes
    /// from samples taken in the same rounds, under the same drift of a shared machine. Other shapes, and
    /// formats too large to be held at once, are timed alone.
    func timingGroups() -> [[AttentionShape]] {
        var groups: [[AttentionShape]] = []
        var groupBytes = 0
        for shape in shapes {
            let bytes = largestEstimate(shape)
            let (total, overflow) = groupBytes.addingReportingOverflow(bytes)
            if let last = groups.last?.last, Self.sameLayout(last, shape), !overflow, total <= memoryLimit {
                groups[groups.count - 1].append(shape)
                groupBytes = total
            } else {
                groups.append([shape])
                groupBytes = bytes
            }
        }
        return groups
    }

    /// Whether two shapes differ at most in their storage formats.
    static func sameLayout(_ a: AttentionShape, _ b: AttentionShape) -> Bool {
        var b = b
        b.dtype = a.dtype
        b.kvDtype = a.kvDtype
        return a == b
    }

    /// The largest ``memoryEstimate(_:shape:context:)`` of `shape` over the kernels and their settings: what the
    /// shape adds to a timing group's memory.
    private func largestEstimate(_ shape: AttentionShape) -> Int {
        kernels.flatMap { kernel in
            settings(for: kernel).map { Self.memoryEstimate(kernel, shape: shape, context: $0.context) }
        }.max() ?? 0
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

    /// Checks every benchmark of every shape of `group`, then times the passing ones together in rounds.
    private func run(group: [AttentionShape]) -> [BenchmarkRecord] {
        var prepared: [PreparedShape] = []
        for shape in group {
            if shouldStop() { break }
            prepared.append(prepare(shape))
        }
        let jobs = prepared.flatMap(\.timed)
        let memoryBound = Set(jobs.filter { isMemoryBound($0.shape, $0.setting.threads) }.map(\.key))
        let bandwidthBefore = memoryBound.isEmpty ? nil : measureBandwidth?()
        var generator = SplitMix64(seed: Self.seed(seed, group[0]))
        let label = group.count == 1 ? "\(group[0])" : "\(group[0]) and \(group.count - 1) other format(s)"
        var round = 0
        var interrupted = false
        while case let pending = jobs.filter({ policy.needsMore(samples: $0.samples.count, totalSeconds: $0.seconds) }),
              !pending.isEmpty {
            if shouldStop() { interrupted = true; break }
            round += 1
            if round == 1 || round % 10 == 0 { progress("\(label): timing round \(round), \(pending.count) kernel(s)") }
            for job in pending.shuffled(using: &generator) {
                let milliseconds = job.time()
                job.samples.append(milliseconds)
                job.seconds += milliseconds / 1e3
            }
        }
        let nearby = bandwidthBefore.map { $0.ceiling(with: interrupted ? nil : measureBandwidth?()) }
        var records: [BenchmarkRecord] = []
        for var shape in prepared {
            for job in shape.timed {
                let index = shape.records.firstIndex { $0.key == job.key }!
                let previous = shape.records[index]
                guard !job.samples.isEmpty else {
                    shape.records[index] = BenchmarkRecord(key: previous.key, status: .skipped, equivalence: previous.equivalence,
                                                           note: "interrupted before timing", numaNodesUsed: previous.numaNodesUsed)
                    continue
                }
                var record = BenchmarkRecord(key: previous.key, status: .ok, samples: job.samples,
                                             equivalence: previous.equivalence, numaNodesUsed: previous.numaNodesUsed)
                record.note = interrupted ? "interrupted after \(job.samples.count) sample(s)" : previous.note
                if memoryBound.contains(job.key) { record.nearbyBandwidth = nearby?.forThreads(job.setting.threads) }
                shape.records[index] = record
            }
            Self.fillRelativeSpeeds(&shape.records)
            records += shape.records
        }
        records.forEach(onRecord)
        return records
    }

    /// One shape's inputs, and every kernel and setting checked against the float64 reference on them (and
    /// warmed up): the failures and skips recorded, the passing ones returned as jobs to time.
    private func prepare(_ shape: AttentionShape) -> PreparedShape {
        let tensorBytes = shape.tensorBytes ?? .max
        if tensorBytes > memoryLimit {
            let records = kernels.flatMap { kernel in
                settings(for: kernel).map {
                    BenchmarkRecord(key: BenchmarkKey(kernel: kernel.name, shape: shape, threads: $0.threads, pin: $0.pin),
                                    status: .skipped, note: "memory guard: tensors need \(Self.gibibytes(tensorBytes)), limit \(Self.gibibytes(memoryLimit))")
                }
            }
            return PreparedShape(records: records, timed: [])
        }
        progress("\(shape): generating inputs")
        let tensors = AttentionTensors(shape: shape, seed: seed)
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
                let job = Job(kernel: kernel, setting: setting, shape: shape, tensors: tensors)
                kernel.prepare(job.operands, scratch: job.scratch.buffer, context: setting.context)
                job.tensors.o.fill(.nan)
                let checkMilliseconds = job.time()
                let report = check.compare(job.operands, tolerance: kernel.tolerance, unrounded: tensors.inputs)
                guard report.passed else {
                    finished.append(BenchmarkRecord(key: key, status: .failed, equivalence: report,
                                                    note: "equivalence check failed", numaNodesUsed: setting.numaNodesUsed))
                    continue
                }
                if checkMilliseconds < policy.minSeconds * 1e3 {
                    for _ in 0..<policy.warmupRuns { _ = job.time() }
                }
                finished.append(BenchmarkRecord(key: key, status: .ok, equivalence: report,
                                                numaNodesUsed: setting.numaNodesUsed))
                timed.append(job)
            }
        }
        return PreparedShape(records: finished, timed: timed)
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
