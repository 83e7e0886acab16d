import AttentionCore
import Foundation

/// Measures this core's fp32 fused-multiply-add peak, in process, with the same SIMD width the kernels use.
///
/// Twelve independent accumulators, each updated `acc = acc · a + b` in a loop: more independent chains than
/// the 8 it takes to hide the FMA latency (4 cycles) on two FMA pipes, so the loop runs at the FMA units'
/// throughput, and few enough that accumulators and constants (14 vectors) stay in registers on AVX2's 16
/// ymm registers too (16 chains spilled there and halved the figure). Each FMA counts as 2 flops per lane. The result is the best of several short trials, like a roofline's ceiling.
public enum FMAPeakProbe {
    /// GFLOP/s of one thread: the best of `trials` runs of `iterations` loop steps.
    public static func measure(iterations: Int = 2_000_000, trials: Int = 5) -> Double {
        var best = 0.0
        for _ in 0..<trials {
            let clock = ContinuousClock()
            var sink: Float = 0
            let elapsed = clock.measure { sink = fmaLoop(iterations: iterations) }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            if sink.isNaN { continue }   // never true; keeps the loop's result alive
            best = max(best, Double(iterations) * 12 * Double(vectorWidth) * 2 / seconds / 1e9)
        }
        return best
    }

    /// GFLOP/s of `context`'s workers running the probe at once, each pinned to its planned CPU: the sum of
    /// their best trials. With one worker per core (``KernelContext/oneWorkerPerCore(_:)``) it shows what
    /// the cores deliver together: turbo and power limits on bare metal, and on a shared VM whether its
    /// virtual CPUs really run on separate cores (two vCPUs on one core's SMT siblings share its FMA units
    /// and together reach about what one does alone).
    public static func measureAllWorkers(_ context: KernelContext, iterations: Int = 2_000_000, trials: Int = 5) -> Double {
        let results = WorkerResults(count: context.threads)
        WorkerPool.forEachWorker(context) { worker in
            results.set(worker, measure(iterations: iterations, trials: trials))
        }
        return results.values.reduce(0, +)
    }

    @inline(never)
    static func fmaLoop(iterations: Int) -> Float {
        // 0.999 and 1e-3 keep every accumulator bounded near 1: no overflow, no subnormals.
        let a = FloatVector(repeating: 0.999), b = FloatVector(repeating: 1e-3)
        var r0 = FloatVector(repeating: 0.1), r1 = FloatVector(repeating: 0.2), r2 = FloatVector(repeating: 0.3)
        var r3 = FloatVector(repeating: 0.4), r4 = FloatVector(repeating: 0.5), r5 = FloatVector(repeating: 0.6)
        var r6 = FloatVector(repeating: 0.7), r7 = FloatVector(repeating: 0.8), r8 = FloatVector(repeating: 0.9)
        var r9 = FloatVector(repeating: 1.0), r10 = FloatVector(repeating: 1.1), r11 = FloatVector(repeating: 1.2)
        for _ in 0..<iterations {
            r0 = b.addingProduct(r0, a); r1 = b.addingProduct(r1, a); r2 = b.addingProduct(r2, a); r3 = b.addingProduct(r3, a)
            r4 = b.addingProduct(r4, a); r5 = b.addingProduct(r5, a); r6 = b.addingProduct(r6, a); r7 = b.addingProduct(r7, a)
            r8 = b.addingProduct(r8, a); r9 = b.addingProduct(r9, a); r10 = b.addingProduct(r10, a); r11 = b.addingProduct(r11, a)
        }
        let total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)) + ((r8 + r9) + (r10 + r11))
        return horizontalSum(total)
    }
}

/// One value per worker, written from the workers.
private final class WorkerResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Double]
    init(count: Int) { storage = Array(repeating: 0, count: count) }
    func set(_ index: Int, _ value: Double) { lock.lock(); storage[index] = value; lock.unlock() }
    var values: [Double] { lock.lock(); defer { lock.unlock() }; return storage }
}
