import XCTest
import AttentionCore
import Kernels
@testable import Sweep
import Results

/// A kernel that writes garbage: the runner must report it as failed and never time it.
private struct BrokenKernel: AttentionKernel {
    let name = "broken"
    let summary = "writes ones"
    let tolerance = Tolerance(multiplier: 64)
    func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int { 0 }
    func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        operands.o.update(repeating: 1, count: operands.shape.queryElements)
    }
}

final class SweepRunnerTests: XCTestCase {
    func testFailingKernelIsRecordedAndNotTimedWhileOthersAre() {
        let cache = CacheBudget(l1: 32 * 1024, l2: 1 << 20)
        let shapes = [AttentionShape(heads: 2, seqQ: 40, headDim: 16, causal: true)]
        var runner = SweepRunner(kernels: [NaiveKernel(), BrokenKernel(), FusedKernel(cache: cache)], shapes: shapes,
                                 threadSettings: [], policy: TimingPolicy(warmupRuns: 0, minRepetitions: 2, minSeconds: 0),
                                 check: EquivalenceCheck(), seed: 1)
        var streamed: [String] = []
        runner.onRecord = { streamed.append($0.key.kernel) }
        let records = runner.run()
        XCTAssertEqual(records.map(\.key.kernel), ["naive", "broken", "fused"])
        XCTAssertEqual(streamed, ["naive", "broken", "fused"])
        XCTAssertEqual(records[1].status, .failed)
        XCTAssertTrue(records[1].samples.isEmpty)
        XCTAssertEqual(records[0].status, .ok)
        XCTAssertEqual(records[2].status, .ok)
        XCTAssertEqual(records[2].samples.count, 2)
        XCTAssertNotNil(records[2].speedupOverNaive)
        XCTAssertEqual(records[0].speedupOverNaive, 1)
    }

    func testParallelKernelRunsAtEveryThreadSetting() {
        let cache = CacheBudget(l1: 32 * 1024, l2: 1 << 20)
        let settings = [1, 2].map { ThreadSetting(threads: $0, pin: "none", context: KernelContext(threads: $0)) }
        let runner = SweepRunner(kernels: [ParallelKernel(cache: cache), FusedKernel(cache: cache)],
                                 shapes: [AttentionShape(heads: 2, seqQ: 70, headDim: 32, causal: false)],
                                 threadSettings: settings, policy: TimingPolicy(warmupRuns: 0, minRepetitions: 1, minSeconds: 0),
                                 check: EquivalenceCheck(), seed: 3)
        let records = runner.run()
        XCTAssertEqual(records.map(\.key.threads), [1, 2, 1])
        XCTAssertEqual(records[0].speedupOverOneThread, 1)
        XCTAssertNotNil(records[1].speedupOverOneThread)
        XCTAssertTrue(records.allSatisfy { $0.status == .ok })
    }
}
