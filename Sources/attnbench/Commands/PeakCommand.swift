import ArgumentParser
import AttnBench
import Foundation

/// The roofline's ceiling and slope: this machine's fp32 FMA throughput, measured in process with the kernels'
/// SIMD width, and its read bandwidth from memory.
struct PeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak",
        abstract: "Measure the fp32 FMA peak per core (and of all cores together), with the kernels' SIMD width, and the read bandwidth of 1 thread and of all cores.")

    @Option(help: "Trials per measurement; the best is reported.")
    var trials = 5

    func validate() throws {
        if !(1...1000).contains(trials) { throw ValidationError("--trials must be between 1 and 1000, got \(trials)") }
    }

    func run() throws {
        let topology = try MachineTopology.discover()
        let single = FMAPeakProbe.measure(trials: trials)
        print(String(format: "fp32 FMA peak, 1 thread: %.1f GFLOP/s (%d-lane SIMD, %@)", single, vectorWidth, BuildInfo.label))

        // Every core at once, each worker pinned to its own core (the bandwidth probe's workers): shows turbo
        // and shared-power limits.
        let probe = try BandwidthProbe(topology: topology)
        let context = probe.context
        let total = FMAPeakProbe.measureAllWorkers(context, trials: trials)
        print(String(format: "fp32 FMA peak, %d threads (one per core): %.1f GFLOP/s (%.1f per core)",
                     context.threads, total, total / Double(context.threads)))

        let bandwidth = probe.measure(passes: trials)
        let mib = probe.bytes >> 20
        print(String(format: "read bandwidth, 1 thread: %.1f GB/s (%d MiB buffer; caches: %@)", bandwidth.singleThread, mib,
                     topology.caches.description))
        print(String(format: "read bandwidth, %d threads (one per core): %.1f GB/s", bandwidth.threads, bandwidth.allThreads))
        print(String(format: "roofline ridge: %.1f flop/byte at 1 thread, %.1f at %d threads (peak ÷ bandwidth)",
                     single / bandwidth.singleThread, total / bandwidth.allThreads, bandwidth.threads))
    }
}
