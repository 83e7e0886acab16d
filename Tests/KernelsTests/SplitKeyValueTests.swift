import XCTest
import AttentionCore
@testable import Kernels

/// The streaming path (stacked grouped-query rows, K and V read in place) and split-KV: every split
/// configuration races the float64 reference with the kernel's own tolerance, NaN reaches exactly the rows
/// that see it, and the parallel output is bit-identical run to run and across schedules.
final class SplitKeyValueTests: XCTestCase {
    let cache = CacheBudget(l1: 32 * 1024, l2: 1 << 20)

    /// Shapes that exercise the streaming path's edges: causal with Nq > 1, Nq > Nk, GQA, MQA, B > 1,
    /// d not a multiple of the SIMD width, Nk not a multiple of the tile, and more than 16 stacked rows
    /// (row blocks that span query heads).
    let shapes: [AttentionShape] = [
        AttentionShape(heads: 8, kvHeads: 2, seqQ: 3, seqKV: 100, headDim: 64, causal: true),
        AttentionShape(heads: 4, kvHeads: 2, seqQ: 9, seqKV: 5, headDim: 24, causal: true),
        AttentionShape(heads: 8, kvHeads: 1, seqQ: 2, seqKV: 77, headDim: 17, causal: false),
        AttentionShape(batch: 3, heads: 4, kvHeads: 2, seqQ: 1, seqKV: 53, headDim: 33, causal: true),
        AttentionShape(heads: 8, kvHeads: 2, seqQ: 7, seqKV: 45, headDim: 5, causal: true),
        AttentionShape(heads: 2, seqQ: 1, seqKV: 300, headDim: 128, causal: false),
        AttentionShape(heads: 3, kvHeads: 1, seqQ: 5, seqKV: 1, headDim: 8, causal: false),
    ]

    func run(_ kernel: any AttentionKernel, _ tensors: AttentionTensors, context: KernelContext) {
        let scratch = AlignedBuffer(count: kernel.scratchFloats(for: tensors.shape, context: context))
        scratch.fill(.nan)   // the kernel must not read scratch it did not write
        tensors.o.fill(.nan)
        kernel.run(tensors.operands, scratch: scratch.buffer, context: context)
    }

    func assertMatchesReference(_ kernel: any AttentionKernel, _ shape: AttentionShape, context: KernelContext,
                                _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let tensors = AttentionTensors(shape: shape, seed: 17)
        run(kernel, tensors, context: context)
        let report = EquivalenceCheck(rowsPerHead: shape.seqQ).compare(tensors.operands, tolerance: kernel.tolerance)
        XCTAssertTrue(report.passed, "\(label) on \(shape): max abs \(report.maxAbsoluteError) > \(report.allowedAbsoluteError), non-finite mismatches \(report.nonFiniteMismatches)",
                      file: file, line: line)
        XCTAssertEqual(report.rowsChecked, shape.batch * shape.heads * shape.seqQ, file: file, line: line)
    }

    func testEveryChunkCountMatchesTheReference() {
        for shape in shapes {
            for chunks in [1, 2, 3, 5, 7, 13] {
                // 5 threads on this 2-core machine: more workers than CPUs and than items, so workers that
                // finish wait for preempted ones in the pool's join and some enter after all work is done.
                for threads in [1, 2, 5] {
                    for schedule in KernelContext.Schedule.allCases {
                        let kernel = ParallelKernel(cache: cache, forcedChunks: chunks)
                        assertMatchesReference(kernel, shape, context: KernelContext(threads: threads, schedule: schedule),
                                               "\(chunks) chunks, \(threads) threads, \(schedule)")
                    }
                }
            }
        }
    }

    func testFusedStreamsDecodeSizedShapes() {
        let fused = FusedKernel(cache: cache)
        for shape in shapes where KeySplitPlan.prefersStreaming(shape) {
            assertMatchesReference(fused, shape, context: .singleThreaded, "fused")
        }
        XCTAssertTrue(KeySplitPlan.prefersStreaming(AttentionShape(heads: 32, kvHeads: 8, seqQ: 1, seqKV: 32768, headDim: 128, causal: true)))
        XCTAssertFalse(KeySplitPlan.prefersStreaming(AttentionShape(heads: 8, seqQ: 4096, headDim: 64, causal: false)))
        // Multi-query decode and short chunks of queries stream whatever the group size, in several row blocks.
        let multiQuery = AttentionShape(heads: 32, kvHeads: 1, seqQ: 2, seqKV: 300, headDim: 64, causal: true)
        XCTAssertTrue(KeySplitPlan.prefersStreaming(multiQuery))
        XCTAssertEqual(KeySplitPlan(shape: multiQuery, chunks: 1).rowBlocks, 4)
        assertMatchesReference(fused, multiQuery, context: .singleThreaded, "fused")
        XCTAssertFalse(KeySplitPlan.prefersStreaming(AttentionShape(heads: 8, kvHeads: 1, seqQ: KeySplitPlan.maxStreamingQueries + 1,
                                                                    seqKV: 300, headDim: 64, causal: true)))
        // q8_0 K/V convert and scale per 4-row group when streamed: past 96 stacked rows they are packed once.
        var q8 = AttentionShape(heads: 32, kvHeads: 8, seqQ: 24, seqKV: 300, headDim: 64, causal: true, kvDtype: .q8_0)
        XCTAssertTrue(KeySplitPlan.prefersStreaming(q8))
        q8.seqQ = 32
        XCTAssertFalse(KeySplitPlan.prefersStreaming(q8))
        q8.kvDtype = .f16
        XCTAssertTrue(KeySplitPlan.prefersStreaming(q8))
    }

    func testRowsThatSeeNoKeyAreZeroUnderEverySplit() {
        // Causal, Nq = 9 > Nk = 5: query rows 0...3 of every head see no key.
        let shape = AttentionShape(heads: 4, kvHeads: 2, seqQ: 9, seqKV: 5, headDim: 24, causal: true)
        for chunks in [1, 2, 4] {
            let tensors = AttentionTensors(shape: shape, seed: 3)
            run(ParallelKernel(cache: cache, forcedChunks: chunks), tensors, context: KernelContext(threads: 2))
            for head in 0..<4 {
                for row in 0..<9 {
                    let values = (0..<24).map { tensors.o[(head * 9 + row) * 24 + $0] }
                    if row < 4 {
                        XCTAssertEqual(values, [Float](repeating: 0, count: 24), "\(chunks) chunks head \(head) row \(row)")
                    } else {
                        XCTAssertTrue(values.allSatisfy(\.isFinite), "\(chunks) chunks head \(head) row \(row)")
                    }
                }
            }
        }
    }

    func testNaNReachesExactlyTheRowsThatSeeItUnderEverySplit() {
        // Causal, Nq = 4, Nk = 40, four query heads on one KV head (16 stacked rows): query row i sees keys
        // 0...i+36, so key 37 is seen by rows 1, 2, 3 of every head and not by row 0.
        let shape = AttentionShape(heads: 4, kvHeads: 1, seqQ: 4, seqKV: 40, headDim: 20, causal: true)
        let kernels: [(String, any AttentionKernel)] = [("fused", FusedKernel(cache: cache))]
            + [1, 2, 3, 6].map { ("\($0) chunks", ParallelKernel(cache: cache, forcedChunks: $0)) }
        for (label, kernel) in kernels {
            for component in [AttentionTensors.Component.key, .value] {
                let tensors = AttentionTensors(shape: shape, seed: 8)
                (component == .key ? tensors.k : tensors.v)[37 * 20 + 6] = .nan
                run(kernel, tensors, context: KernelContext(threads: 2))
                for head in 0..<4 {
                    for row in 0..<4 {
                        let base = (head * 4 + row) * 20
                        let values = (0..<20).map { tensors.o[base + $0] }
                        let sees = row >= 1
                        if component == .key {
                            XCTAssertEqual(values.allSatisfy(\.isNaN), sees, "\(label) key NaN head \(head) row \(row)")
                        } else {
                            XCTAssertEqual(values[6].isNaN, sees, "\(label) value NaN head \(head) row \(row)")
                            XCTAssertTrue(values.enumerated().allSatisfy { $0.offset == 6 || $0.element.isFinite },
                                          "\(label) value NaN head \(head) row \(row)")
                        }
                        if !sees { XCTAssertTrue(values.allSatisfy(\.isFinite), "\(label) \(component) head \(head) row \(row)") }
                    }
                }
            }
            let tensors = AttentionTensors(shape: shape, seed: 9)
            tensors.q[(2 * 4 + 1) * 20 + 3] = .nan   // head 2, query row 1
            run(kernel, tensors, context: KernelContext(threads: 2))
            for stacked in 0..<16 {
                let values = (0..<20).map { tensors.o[stacked * 20 + $0] }
                XCTAssertEqual(values.allSatisfy(\.isNaN), stacked == 9, "\(label) query NaN row \(stacked)")
                if stacked != 9 { XCTAssertTrue(values.allSatisfy(\.isFinite), "\(label) query NaN row \(stacked)") }
            }
        }
    }

    func testSplitOutputIsBitIdenticalAcrossRunsAndSchedules() {
        // One KV head, 8 query heads, 2 threads: one unit for two workers, so the planner splits the keys.
        let shape = AttentionShape(heads: 8, kvHeads: 1, seqQ: 1, seqKV: 8200, headDim: 64, causal: true)
        let kernel = ParallelKernel(cache: cache)
        let plan = kernel.streamingPlan(shape, context: KernelContext(threads: 2))
        XCTAssertGreaterThan(plan?.chunks ?? 0, 1, "the planner should split this shape")
        let tensors = AttentionTensors(shape: shape, seed: 21)
        var reference: [UInt32]?
        for schedule in KernelContext.Schedule.allCases {
            for _ in 0..<4 {
                run(kernel, tensors, context: KernelContext(threads: 2, schedule: schedule))
                let bits = Array(tensors.o.buffer).map(\.bitPattern)
                if let reference {
                    XCTAssertEqual(bits, reference, "\(schedule)")
                } else {
                    reference = bits
                }
            }
        }
        let report = EquivalenceCheck(rowsPerHead: 1).compare(tensors.operands, tolerance: kernel.tolerance)
        XCTAssertTrue(report.passed, "max abs \(report.maxAbsoluteError) > \(report.allowedAbsoluteError)")
    }
}

/// The split planner: when it splits, and which keys each chunk covers.
final class KeySplitPlanTests: XCTestCase {
    func testSplitsOnlyWhenUnitsCannotKeepWorkersBusy() {
        let decode = AttentionShape(heads: 32, kvHeads: 8, seqQ: 1, seqKV: 32768, headDim: 128, causal: true)
        XCTAssertEqual(KeySplitPlan(shape: decode, threads: 1).chunks, 1)
        XCTAssertEqual(KeySplitPlan(shape: decode, threads: 2).chunks, 1, "8 units share evenly among 2 workers")
        XCTAssertGreaterThan(KeySplitPlan(shape: decode, threads: 16).chunks, 1, "8 units cannot feed 16 workers")
        let mqa = AttentionShape(heads: 8, kvHeads: 1, seqQ: 1, seqKV: 16384, headDim: 128, causal: false)
        XCTAssertEqual(KeySplitPlan(shape: mqa, threads: 1).chunks, 1)
        XCTAssertEqual(KeySplitPlan(shape: mqa, threads: 2).chunks, 8)
        let short = AttentionShape(heads: 8, kvHeads: 1, seqQ: 1, seqKV: 900, headDim: 128, causal: false)
        XCTAssertEqual(KeySplitPlan(shape: short, threads: 2).chunks, 1, "chunks below the minimum length are not worth it")
    }

    func testChunksCoverTheVisibleKeysExactlyOnceAtTileBoundaries() {
        let shape = AttentionShape(heads: 4, kvHeads: 1, seqQ: 3, seqKV: 1000, headDim: 64, causal: true)
        for chunks in [1, 2, 3, 7, 64, 100] {
            let plan = KeySplitPlan(shape: shape, chunks: chunks)
            let visible = plan.visibleEnd(ofBlock: 0)
            XCTAssertEqual(visible, 1000)
            var next = 0
            for chunk in 0..<chunks {
                let range = plan.keyRange(chunk: chunk, visibleEnd: visible)
                XCTAssertEqual(range.lowerBound, next, "\(chunks) chunks, chunk \(chunk)")
                if chunk < chunks - 1 { XCTAssertEqual(range.upperBound % vectorWidth, 0) }
                next = range.upperBound
            }
            XCTAssertEqual(next, visible, "\(chunks) chunks")
        }
    }

    func testChunksShrinkToAQuarterOfTheFirst() {
        let shape = AttentionShape(heads: 8, kvHeads: 1, seqQ: 1, seqKV: 16384, headDim: 128, causal: false)
        for chunks in [2, 5, 8, 16] {
            let plan = KeySplitPlan(shape: shape, chunks: chunks)
            let sizes = (0..<chunks).map { plan.keyRange(chunk: $0, visibleEnd: 16384).count }
            for (larger, smaller) in zip(sizes, sizes.dropFirst()) {
                XCTAssertLessThan(smaller, larger, "\(chunks) chunks: \(sizes)")
            }
            // w(C − 1) / w(0) = 1/4, up to a tile of rounding at each end of each chunk.
            XCTAssertEqual(Double(sizes.last!), Double(sizes.first!) / 4, accuracy: Double(2 * vectorWidth), "\(sizes)")
        }
    }

    func testSnakeDealHandsOutEveryItemOnceAndEqualKeysPerWorker() {
        for threads in 1...7 {
            for items in [0, 1, threads, 2 * threads + 1, 29] {
                let dealt = (0..<threads).flatMap { Array(SnakeDeal(worker: $0, threads: threads, items: items)) }
                XCTAssertEqual(dealt.sorted(), Array(0..<items), "\(threads) threads, \(items) items")
            }
        }
        XCTAssertEqual(Array(SnakeDeal(worker: 0, threads: 3, items: 12)), [0, 5, 6, 11])
        // The MQA decode plan at 2 threads: 8 shrinking chunks, dealt 4 and 4, the same keys each (to a tile).
        let mqa = AttentionShape(heads: 8, kvHeads: 1, seqQ: 1, seqKV: 16384, headDim: 128, causal: false)
        let plan = KeySplitPlan(shape: mqa, threads: 2)
        XCTAssertEqual(plan.chunks, 8)
        let keys = (0..<2).map { worker in
            SnakeDeal(worker: worker, threads: 2, items: plan.items).reduce(0) {
                $0 + plan.keyRange(chunk: plan.chunk(ofItem: $1), visibleEnd: 16384).count
            }
        }
        XCTAssertEqual(Double(keys[0]), Double(keys[1]), accuracy: Double(4 * vectorWidth), "\(keys)")
    }

    func testItemsRunChunkMajorAndEveryPartialHasItsOwnSlot() {
        // Batch 3 × 2 KV heads, one row block each: 6 units.
        let shape = AttentionShape(batch: 3, heads: 4, kvHeads: 2, seqQ: 1, seqKV: 8192, headDim: 64, causal: true)
        let plan = KeySplitPlan(shape: shape, chunks: 3)
        XCTAssertEqual(plan.units, 6)
        XCTAssertEqual((0..<plan.items).map { plan.chunk(ofItem: $0) }, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2])
        XCTAssertEqual((0..<6).map { plan.unit(ofItem: $0) }, Array(0..<6))
        XCTAssertEqual((0..<plan.items).map { plan.partialSlot(ofItem: $0) }.sorted(), Array(0..<plan.items))
        XCTAssertEqual(plan.partialSlot(ofItem: 7), 1 * 3 + 1, "unit 1's chunk 1 sits after unit 1's chunk 0")
    }


    func testCausalChunksCoverOnlyVisibleKeys() {
        // Nq = 8 > 16 / G rows per block: block 0 holds query rows 0...7 of head 0 and 0...7 of head 1.
        let shape = AttentionShape(heads: 4, kvHeads: 1, seqQ: 8, seqKV: 20, headDim: 16, causal: true)
        let plan = KeySplitPlan(shape: shape, chunks: 3)
        XCTAssertEqual(plan.rowBlocks, 2)
        XCTAssertEqual(plan.visibleEnd(ofBlock: 0), 20)
        let early = AttentionShape(heads: 1, seqQ: 40, seqKV: 30, headDim: 16, causal: true)
        let earlyPlan = KeySplitPlan(shape: early, chunks: 2)
        XCTAssertEqual(earlyPlan.visibleEnd(ofBlock: 0), 6, "rows 0...15 see at most keys 0...5")
        XCTAssertEqual(earlyPlan.keyRange(chunk: 1, visibleEnd: 6).upperBound, 6)
    }
}
