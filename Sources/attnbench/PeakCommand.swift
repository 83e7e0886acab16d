import ArgumentParser
import AttnBench
import Foundation

/// The roofline's ceiling: this machine's fp32 FMA throughput, measured in process with the kernels' SIMD width.
struct PeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak",
        abstract: "Measure the fp32 FMA peak per core (and of all cores together), with the kernels' SIMD width.")

    @Option(help: "Trials per measurement; the best is reported.")
    var trials = 5

    func validate() throws {
        if !(1...1000).contains(trials) { throw ValidationError("--trials must be between 1 and 1000, got \(trials)") }
    }

    func run() throws {
        let topology = try MachineTopology.discover()
        let single = FMAPeakProbe.measure(trials: trials)
        print(String(format: "fp32 FMA peak, 1 thread: %.1f GFLOP/s (%d-lane SIMD, %@)", single, vectorWidth, BuildInfo.label))

        // Every core at once, each worker pinned to its own core: shows turbo and shared-power limits.
        let plan = try PinPlan(topology: topology, threads: topology.cores.count, policy: .compact)
        let context = KernelContext(plan: plan, topology: topology)
        let results = PerWorker(count: context.threads)
        WorkerPool.forEachWorker(context) { worker in results.set(worker, FMAPeakProbe.measure(trials: trials)) }
        let total = results.values.reduce(0, +)
        print(String(format: "fp32 FMA peak, %d threads (one per core): %.1f GFLOP/s (%.1f per core)",
                     context.threads, total, total / Double(context.threads)))
    }
}

/// One value per worker, written from the workers.
private final class PerWorker: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Double]
    init(count: Int) { storage = Array(repeating: 0, count: count) }
    func set(_ index: Int, _ value: Double) { lock.lock(); storage[index] = value; lock.unlock() }
    var values: [Double] { lock.lock(); defer { lock.unlock() }; return storage }
}
