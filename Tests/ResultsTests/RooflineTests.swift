import Results
import XCTest
import AttentionCore
@testable import Results

/// The roofline columns: bandwidth for a thread count, min(peak, AI × bandwidth), and the CSV round trip.
final class RooflineTests: XCTestCase {
    func environment(before: MeasuredBandwidth?, after: MeasuredBandwidth?, fma: Double? = 100) -> RunEnvironment {
        var environment = RunEnvironment(timestamp: "2026-11-24T01:00:00Z", host: "h", cpuModel: "cpu", cores: 4,
                                         numaNodes: 1, build: "release-simd16", commit: "abc")
        environment.probeBefore = fma
        environment.bandwidthBefore = before
        environment.bandwidthAfter = after
        return environment
    }

    func testBandwidthForAThreadCount() {
        let bandwidth = MeasuredBandwidth(singleThread: 15, allThreads: 40, threads: 4)
        XCTAssertEqual(bandwidth.forThreads(1), 15)
        XCTAssertEqual(bandwidth.forThreads(2), 30)    // 2 × 15 < 40
        XCTAssertEqual(bandwidth.forThreads(3), 40)    // 3 × 15 capped by the all-thread figure
        XCTAssertEqual(bandwidth.forThreads(4), 40)
        XCTAssertEqual(bandwidth.forThreads(9), 40)
    }

    func testTheHigherProbeIsTheCeiling() {
        let env = environment(before: MeasuredBandwidth(singleThread: 15, allThreads: 30, threads: 4),
                              after: MeasuredBandwidth(singleThread: 12, allThreads: 36, threads: 4))
        XCTAssertEqual(env.bandwidth, MeasuredBandwidth(singleThread: 15, allThreads: 36, threads: 4))
        XCTAssertEqual(env.bandwidthGBs(threads: 1), 15)
        XCTAssertEqual(env.bandwidthGBs(threads: 4), 36)
        XCTAssertNil(environment(before: nil, after: nil).bandwidthGBs(threads: 1))
        XCTAssertEqual(environment(before: nil, after: MeasuredBandwidth(singleThread: 9, allThreads: 20, threads: 2))
            .bandwidthGBs(threads: 1), 9)
    }

    func testRooflineIsTheLowerOfCeilingAndSlope() {
        XCTAssertEqual(Roofline.attainable(peakGFLOPS: 100, bandwidthGBs: 20, intensity: 0.5), 10)   // memory-bound
        XCTAssertEqual(Roofline.attainable(peakGFLOPS: 100, bandwidthGBs: 20, intensity: 50), 100)   // compute-bound
        XCTAssertEqual(Roofline.attainable(peakGFLOPS: 100, bandwidthGBs: 20, intensity: 5), 100)    // the ridge
        XCTAssertEqual(Roofline.attainable(peakGFLOPS: nil, bandwidthGBs: 20, intensity: 2), 40)
        XCTAssertEqual(Roofline.attainable(peakGFLOPS: 100, bandwidthGBs: nil, intensity: 2), 100)
        XCTAssertNil(Roofline.attainable(peakGFLOPS: nil, bandwidthGBs: nil, intensity: 2))

        let env = environment(before: MeasuredBandwidth(singleThread: 20, allThreads: 30, threads: 4), after: nil)
        let decode = AttentionShape(heads: 32, kvHeads: 8, seqQ: 1, seqKV: 4096, headDim: 128, causal: true)
        let prefill = AttentionShape(heads: 8, seqQ: 2048, headDim: 64, causal: false)
        let decodeAI = CostModel.arithmeticIntensity(decode)
        XCTAssertEqual(env.rooflineGFLOPS(decode, threads: 1)!, decodeAI * 20, accuracy: 1e-9)
        XCTAssertEqual(env.rooflineGFLOPS(decode, threads: 4)!, decodeAI * 30, accuracy: 1e-9)
        XCTAssertEqual(env.rooflineGFLOPS(prefill, threads: 1), 100)
        XCTAssertEqual(env.rooflineGFLOPS(prefill, threads: 8), 400)   // the FMA peak counts cores, not threads
    }

    func testTheRooflineColumnsFollowHostID() {
        let columns = ["host_id", "bandwidth_gbs", "min_bytes", "roofline_gflops", "roofline_fraction"]
        let start = ResultsSchema.columns.firstIndex(of: "host_id")!
        XCTAssertEqual(Array(ResultsSchema.columns[start..<start + columns.count]), columns)
    }

    func testRooflineColumnsRoundTrip() throws {
        let shape = AttentionShape(heads: 32, kvHeads: 8, seqQ: 1, seqKV: 4096, headDim: 128, causal: true)
        let key = BenchmarkKey(kernel: "parallel", shape: shape, threads: 2, pin: "compact")
        let record = BenchmarkRecord(key: key, status: .ok, samples: [2.0, 2.0, 2.0])
        let env = environment(before: MeasuredBandwidth(singleThread: 16, allThreads: 25, threads: 4),
                              after: MeasuredBandwidth(singleThread: 15, allThreads: 24, threads: 4))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.csv").path
        let writer = try ResultsWriter(path: path, header: ResultsSchema.columns)
        try writer.append(ResultsCSV.row(record, environment: env))
        let table = try CSVTable(contentsOf: path)
        func number(_ name: String) -> Double { Double(table.rows[0][table.column(name)!])! }

        let bytes = Double(4 * (32 * 128 + 2 * 8 * 4096 * 128 + 32 * 128))
        XCTAssertEqual(number("min_bytes"), bytes, accuracy: bytes * 1e-5)
        XCTAssertEqual(number("bandwidth_gbs"), 25)   // min(2 × 16, 25)
        let gflops = CostModel.flops(shape) / 2e6
        let roof = min(200, CostModel.flops(shape) / bytes * 25)
        XCTAssertEqual(number("roofline_gflops"), roof, accuracy: roof * 1e-5)
        XCTAssertEqual(number("roofline_fraction"), gflops / roof, accuracy: 1e-5)
        XCTAssertLessThan(number("roofline_gflops"), number("peak_gflops"), "a decode step is memory-bound")

        // A skipped row has the traffic but no measured fraction.
        let skipped = ResultsCSV.row(BenchmarkRecord(key: key, status: .skipped, note: "memory guard"), environment: env)
        XCTAssertEqual(skipped[ResultsSchema.columns.firstIndex(of: "roofline_fraction")!], "")
        XCTAssertFalse(skipped[ResultsSchema.columns.firstIndex(of: "min_bytes")!].isEmpty)
    }
}

extension RooflineTests {
    func testABandwidthProbeThatMovedMakesTheRunNoisy() {
        let steady = environment(before: MeasuredBandwidth(singleThread: 16, allThreads: 24, threads: 2),
                                 after: MeasuredBandwidth(singleThread: 17, allThreads: 23, threads: 2))
        XCTAssertNil(steady.bandwidthDrift)
        XCTAssertTrue(steady.noiseWarnings.isEmpty)
        let moved = environment(before: MeasuredBandwidth(singleThread: 16, allThreads: 24, threads: 2),
                                after: MeasuredBandwidth(singleThread: 16, allThreads: 15, threads: 2))
        XCTAssertEqual(moved.bandwidthDrift, "2-thread bandwidth probe moved from 24.0 to 15.0 GB/s during the sweep")
        XCTAssertEqual(moved.noiseWarnings.count, 1)
        XCTAssertEqual(ResultsCSV.row(BenchmarkRecord(key: BenchmarkKey(kernel: "fused",
            shape: AttentionShape(heads: 1, seqQ: 4, headDim: 4, causal: false), threads: 1, pin: "none"), status: .ok,
            samples: [1]), environment: moved)[ResultsSchema.columns.firstIndex(of: "noisy")!], "true")
    }
}

/// The all-core FMA probe: how many times one core's throughput the cores reach together, and the warning
/// when they share execution units.
final class CoreScalingTests: XCTestCase {
    func environment(cores: Int, one: Double?, all: (Double?, Double?)) -> RunEnvironment {
        var environment = RunEnvironment(timestamp: "2026-11-24T01:00:00Z", host: "h", cpuModel: "cpu", cores: cores,
                                         numaNodes: 1, build: "release-simd16", commit: "abc")
        environment.probeBefore = one
        environment.probeAfter = one
        (environment.probeAllCoresBefore, environment.probeAllCoresAfter) = all
        return environment
    }

    func testCoresOfTheirOwnScaleWithoutAWarning() {
        let env = environment(cores: 2, one: 100, all: (196, 190))
        XCTAssertEqual(env.coreScaling.before!, 1.96, accuracy: 1e-12)
        XCTAssertEqual(env.coreScaling.after!, 1.90, accuracy: 1e-12)
        XCTAssertNil(env.sharedCoresWarning)
        XCTAssertTrue(env.noiseWarnings.isEmpty)
        XCTAssertEqual(env.coreScalingSummary, "2 cores together: 1.96× / 1.90× one core (before / after)")
    }

    func testCoresThatShareExecutionUnitsWarnAndMarkTheRunNoisy() {
        let env = environment(cores: 2, one: 100, all: (195, 104))
        XCTAssertEqual(env.sharedCoresWarning,
                       "2 cores together reached only 1.04× one core's FMA throughput after the sweep (they share execution units), so thread scaling is capped near that")
        XCTAssertEqual(env.noiseWarnings.count, 1)
        let row = ResultsCSV.row(BenchmarkRecord(key: BenchmarkKey(kernel: "fused",
            shape: AttentionShape(heads: 1, seqQ: 4, headDim: 4, causal: false), threads: 2, pin: "none"), status: .ok,
            samples: [1]), environment: env)
        XCTAssertEqual(row[ResultsSchema.columns.firstIndex(of: "noisy")!], "true")
        XCTAssertEqual(row[ResultsSchema.columns.firstIndex(of: "probe_all_cores_before_gflops")!], "195")
        XCTAssertEqual(row[ResultsSchema.columns.firstIndex(of: "probe_all_cores_after_gflops")!], "104")
        // 16 cores at 13× one (turbo and power limits, not sharing) pass; at 11× they do not.
        XCTAssertNil(environment(cores: 16, one: 100, all: (1300, 1300)).sharedCoresWarning)
        XCTAssertNotNil(environment(cores: 16, one: 100, all: (1100, 1300)).sharedCoresWarning)
    }

    func testOneCoreOrNoAllCoreProbeSaysNothing() {
        XCTAssertNil(environment(cores: 1, one: 100, all: (50, 50)).sharedCoresWarning)
        XCTAssertNil(environment(cores: 1, one: 100, all: (100, 100)).coreScalingSummary)
        let none = environment(cores: 2, one: 100, all: (nil, nil))
        XCTAssertNil(none.sharedCoresWarning)
        XCTAssertNil(none.coreScalingSummary)
    }
}
