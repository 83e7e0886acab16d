import AttentionCore
import Foundation
import Machine
import Synchronization

/// Streams a buffer several times larger than the last-level cache and sums it with SIMD loads.
///
/// Algorithm: eight independent ``FloatVector`` accumulators over consecutive vectors (no dependency chain
/// stalls the loads; at 16 lanes one pass is one 64-byte cache line per load), the sum returned so the
/// loads cannot be dropped. One thread reads the whole buffer; all threads read one contiguous slice each
/// (`concurrentPerform`, workers pinned one per core). The result is the best of a few passes, in GB/s
/// (10⁹ bytes/s). Memory traffic: reads only — a read-only stream is what a decode step does with K and V.
///
/// The buffer is allocated and written once, outside any timed code (its pages are first touched by the
/// worker that later reads them), and reused for every measurement. Its size: 4 × the L3 of every L3
/// instance, counting one L3 per 8 cores (AMD's core complexes; Intel's one L3 per socket is over-counted,
/// which only makes the buffer larger), at least 64 MiB, at most 2 GiB and an eighth of physical memory.
public final class BandwidthProbe: @unchecked Sendable {
    public let bytes: Int
    private let buffer: AlignedBuffer
    /// The all-thread figure's workers (one per core, pinned, from ``init(topology:)``), which the all-core
    /// FMA probe (``FMAPeakProbe/measureAllWorkers(_:iterations:trials:)``) uses too.
    public let context: KernelContext

    /// A probe for `topology`, its workers pinned one per core (`compact`).
    public convenience init(topology: MachineTopology) throws {
        let bytes = Self.bufferBytes(l3: topology.caches.l3, cores: topology.cores.count,
                                     physicalMemory: ProcessInfo.processInfo.physicalMemory)
        self.init(bytes: bytes, context: try KernelContext.oneWorkerPerCore(topology))
    }

    /// A probe streaming `bytes` (rounded down to whole vectors per worker), with `context`'s workers.
    public init(bytes: Int, context: KernelContext) {
        let granule = MemoryLayout<FloatVector>.size * 8 * context.threads
        self.bytes = max(granule, bytes / granule * granule)
        self.context = context
        buffer = AlignedBuffer(count: self.bytes / MemoryLayout<Float>.size)
        // AlignedBuffer zeroes on the allocating thread; write again from each slice's reader so its pages
        // are its own (first touch decides the NUMA node) and never the kernel's shared zero page.
        let slices = Slices(base: buffer.pointer, floats: buffer.count, parts: context.threads)
        WorkerPool.forEachWorker(context) { worker in
            let slice = slices.range(worker)
            (slices.base + slice.lowerBound).update(repeating: 1e-3, count: slice.count)
        }
    }

    /// 4 × L3 × ⌈cores / 8⌉, clamped to [64 MiB, min(2 GiB, physical memory / 8)].
    public static func bufferBytes(l3: Int, cores: Int, physicalMemory: UInt64) -> Int {
        let instances = max(1, (cores + 7) / 8)
        let wanted = 4 * max(l3, 0) * instances
        let ceiling = min(2 << 30, Int(clamping: physicalMemory / 8))
        return max(64 << 20, min(wanted, ceiling))
    }

    /// GB/s of one thread, pinned like worker 0, reading the whole buffer.
    public func singleThread(passes: Int = 3) -> Double {
        ThreadAffinity.withBinding(toCPU: context.cpu(ofWorker: 0)) {
            best(passes) { _ = Self.sum(UnsafePointer(buffer.pointer), floats: buffer.count) }
        }
    }

    /// GB/s of every worker reading its own slice at once.
    public func allThreads(passes: Int = 3) -> Double {
        let slices = Slices(base: buffer.pointer, floats: buffer.count, parts: context.threads)
        return best(passes) {
            WorkerPool.forEachWorker(context) { worker in
                let slice = slices.range(worker)
                _ = Self.sum(UnsafePointer(slices.base + slice.lowerBound), floats: slice.count)
            }
        }
    }

    private func best(_ passes: Int, _ pass: () -> Void) -> Double {
        var fastest = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<max(1, passes) {
            let elapsed = clock.measure(pass)
            fastest = min(fastest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return Double(bytes) / fastest / 1e9
    }

    /// The sum of `floats` floats (a multiple of 8 vectors) from `p`, 64-byte aligned. Eight accumulators keep
    /// eight loads in flight per step; the result is stored to a global so the optimiser must do the loads.
    @inline(never)
    static func sum(_ p: UnsafePointer<Float>, floats: Int) -> Float {
        let raw = UnsafeRawPointer(p)
        let stride = MemoryLayout<FloatVector>.stride
        var a0 = FloatVector(), a1 = FloatVector(), a2 = FloatVector(), a3 = FloatVector()
        var a4 = FloatVector(), a5 = FloatVector(), a6 = FloatVector(), a7 = FloatVector()
        var offset = 0
        let end = floats * MemoryLayout<Float>.stride
        while offset < end {
            a0 += raw.load(fromByteOffset: offset, as: FloatVector.self)
            a1 += raw.load(fromByteOffset: offset + stride, as: FloatVector.self)
            a2 += raw.load(fromByteOffset: offset + 2 * stride, as: FloatVector.self)
            a3 += raw.load(fromByteOffset: offset + 3 * stride, as: FloatVector.self)
            a4 += raw.load(fromByteOffset: offset + 4 * stride, as: FloatVector.self)
            a5 += raw.load(fromByteOffset: offset + 5 * stride, as: FloatVector.self)
            a6 += raw.load(fromByteOffset: offset + 6 * stride, as: FloatVector.self)
            a7 += raw.load(fromByteOffset: offset + 7 * stride, as: FloatVector.self)
            offset += 8 * stride
        }
        let total = horizontalSum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)))
        bandwidthSink.store(total.bitPattern, ordering: .relaxed)
        return total
    }
}

/// Where every probe sum goes, so no optimiser can prove the loads unused.
private let bandwidthSink = Atomic<UInt32>(0)

/// `parts` contiguous slices of a buffer of `floats` floats, each a whole number of 8-vector steps.
private struct Slices: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let floats: Int
    let parts: Int

    func range(_ part: Int) -> Range<Int> {
        let step = vectorWidth * 8
        let steps = floats / step
        let lower = steps * part / parts, upper = steps * (part + 1) / parts
        return lower * step..<upper * step
    }
}

extension KernelContext {
    /// One worker per core, pinned in plan order (`compact`): how the peak probes use the whole machine.
    public static func oneWorkerPerCore(_ topology: MachineTopology) throws -> KernelContext {
        KernelContext(plan: try PinPlan(topology: topology, threads: topology.cores.count, policy: .compact),
                      topology: topology)
    }
}
