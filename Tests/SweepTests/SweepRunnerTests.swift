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

/// The naive kernel, logging the K/V format of every run it makes (checks and timed runs alike).
private final class FormatLog: @unchecked Sendable {
    var formats: [ElementFormat] = []
}

private struct LoggingKernel: AttentionKernel {
    let name = "logging"
    let summary = "naive, logging each run's K/V format"
    let tolerance = Tolerance(multiplier: 64)
    let log: FormatLog
    func supportsFormats(dtype: ElementFormat, kvDtype: ElementFormat) -> Bool {
        NaiveKernel().supportsFormats(dtype: dtype, kvDtype: kvDtype)
    }
    func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int {
        NaiveKernel().scratchFloats(for: shape, context: context)
    }
    func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        log.formats.append(operands.shape.kvDtype)
        NaiveKernel().run(operands, scratch: scratch, context: context)
    }
}

final class SweepRunnerTests: XCTestCase {
    /// The formats of one shape are timed in the same rounds: after each format's check, every round runs
    /// each format once, so a ratio between formats is not a ratio between two moments of a drifting machine.
    func testFormatsOfOneShapeAreTimedInTheSameRounds() {
        let log = FormatLog()
        let formats: [ElementFormat] = [.f32, .f16, .q8_0]
        let base = AttentionShape(heads: 2, kvHeads: 1, seqQ: 8, seqKV: 40, headDim: 32, causal: true)
        let other = AttentionShape(heads: 2, kvHeads: 1, seqQ: 8, seqKV: 72, headDim: 32, causal: true)
        let shapes = [base, other].flatMap { layout in formats.map { var shape = layout; shape.kvDtype = $0; return shape } }
        let rounds = 4
        let runner = SweepRunner(kernels: [LoggingKernel(log: log)], shapes: shapes, threadSettings: [],
                                 policy: TimingPolicy(warmupRuns: 0, minRepetitions: rounds, minSeconds: 0),
                                 check: EquivalenceCheck(), seed: 5)
        XCTAssertEqual(runner.timingGroups().map(\.count), [3, 3])
        let records = runner.run()
        XCTAssertEqual(records.map(\.key.shape), shapes)
        XCTAssertTrue(records.allSatisfy { $0.status == .ok && $0.samples.count == rounds })
        XCTAssertEqual(log.formats.count, 2 * formats.count * (1 + rounds))
        guard log.formats.count == 2 * formats.count * (1 + rounds) else { return }
        for group in 0..<2 {
            let runs = Array(log.formats[(group * formats.count * (1 + rounds))...].prefix(formats.count * (1 + rounds)))
            XCTAssertEqual(Array(runs.prefix(formats.count)), formats, "the checks come first, in shape order")
            for round in 0..<rounds {
                let timed = runs[(formats.count * (1 + round))...].prefix(formats.count)
                XCTAssertEqual(Set(timed), Set(formats), "round \(round) of group \(group) runs every format once")
            }
        }
    }

    /// Formats whose benchmarks do not fit the memory limit together are timed one after the other.
    func testFormatsTooLargeTogetherAreTimedAlone() {
        let base = AttentionShape(heads: 2, kvHeads: 1, seqQ: 8, seqKV: 40, headDim: 32, causal: false)
        let shapes = [ElementFormat.f32, .bf16].map { var shape = base; shape.kvDtype = $0; return shape }
        var runner = SweepRunner(kernels: [NaiveKernel()], shapes: shapes, threadSettings: [],
                                 policy: TimingPolicy(warmupRuns: 0, minRepetitions: 1, minSeconds: 0),
                                 check: EquivalenceCheck(), seed: 5)
        let single = SweepRunner.memoryEstimate(NaiveKernel(), shape: shapes[0], context: .singleThreaded)
        runner.memoryLimit = single + single / 4
        XCTAssertEqual(runner.timingGroups().map(\.count), [1, 1])
        runner.memoryLimit = 3 * single
        XCTAssertEqual(runner.timingGroups().map(\.count), [2])
        XCTAssertTrue(runner.run().allSatisfy { $0.status == .ok })
    }

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
