import XCTest
import AttentionCore
import Kernels
@testable import Sweep
import Results

/// Memory-bound rows get a bandwidth figure measured next to their timing, and their roofline uses it.
final class NearbyBandwidthTests: XCTestCase {
    func testMemoryBoundSettingsAreProbedBeforeAndAfterTheirRounds() {
        let cache = CacheBudget(l1: 32 * 1024, l2: 1 << 20)
        let settings = [1, 2].map { ThreadSetting(threads: $0, pin: "none", context: KernelContext(threads: $0)) }
        let decode = AttentionShape(heads: 4, kvHeads: 1, seqQ: 1, seqKV: 512, headDim: 32, causal: true)
        let prefill = AttentionShape(heads: 2, seqQ: 64, headDim: 16, causal: false)
        var runner = SweepRunner(kernels: [FusedKernel(cache: cache), ParallelKernel(cache: cache)], shapes: [decode, prefill],
                                 threadSettings: settings, policy: TimingPolicy(warmupRuns: 0, minRepetitions: 2, minSeconds: 0),
                                 check: EquivalenceCheck(), seed: 5)
        // Two probes per memory-bound shape: 10 GB/s before, 14 after (one thread); 16 / 20 for all cores.
        var probes = 0
        runner.measureBandwidth = {
            probes += 1
            return probes % 2 == 1 ? MeasuredBandwidth(singleThread: 10, allThreads: 16, threads: 2)
                                   : MeasuredBandwidth(singleThread: 14, allThreads: 20, threads: 2)
        }
        // The decode shape is memory-bound at one thread only.
        runner.isMemoryBound = { shape, threads in shape == decode && threads == 1 }
        let records = runner.run()
        XCTAssertEqual(probes, 2, "one probe before and one after the decode shape's rounds; none for the prefill")
        for record in records {
            if record.key.shape == decode && record.key.threads == 1 {
                XCTAssertEqual(record.nearbyBandwidth, 14, "\(record.key): the higher of the two single-thread figures")
            } else {
                XCTAssertNil(record.nearbyBandwidth, "\(record.key)")
            }
        }

        // The CSV row carries it and its roofline uses it, not the sweep's probe.
        var environment = RunEnvironment(timestamp: "t", host: "h", cpuModel: "c", cores: 2, numaNodes: 1, build: "b", commit: "x")
        environment.probeBefore = 100
        environment.bandwidthBefore = MeasuredBandwidth(singleThread: 50, allThreads: 60, threads: 2)
        let row = records.first { $0.key.shape == decode && $0.key.threads == 1 && $0.key.kernel == "fused" }!
        let cells = Dictionary(uniqueKeysWithValues: zip(ResultsSchema.columns, ResultsCSV.row(row, environment: environment)))
        XCTAssertEqual(cells["row_bandwidth_gbs"], "14")
        XCTAssertEqual(cells["bandwidth_gbs"], "50", "the sweep's figure stays in its own column")
        let expected = min(100, CostModel.arithmeticIntensity(decode) * 14)
        XCTAssertEqual(Double(cells["roofline_gflops"]!)!, expected, accuracy: expected * 1e-5)
    }

    func testMemoryBoundFollowsTheRidge() {
        var environment = RunEnvironment(timestamp: "t", host: "h", cpuModel: "c", cores: 2, numaNodes: 1, build: "b", commit: "x")
        let decode = AttentionShape(heads: 32, kvHeads: 8, seqQ: 1, seqKV: 4096, headDim: 128, causal: true)
        let prefill = AttentionShape(heads: 8, seqQ: 4096, headDim: 64, causal: false)
        XCTAssertFalse(environment.isMemoryBound(decode, threads: 1), "no probes, no verdict")
        environment.probeBefore = 100
        environment.bandwidthBefore = MeasuredBandwidth(singleThread: 20, allThreads: 30, threads: 2)
        XCTAssertTrue(environment.isMemoryBound(decode, threads: 1))
        XCTAssertFalse(environment.isMemoryBound(prefill, threads: 1))
    }
}
