import XCTest
import AttentionCore
@testable import Kernels

/// Every kernel in every format combination it declares, raced against the float64 reference on the stored
/// (rounded) values with the kernel's own tolerance plus O's rounding; NaN and ±∞ stored in f16 and bf16
/// K and V reach exactly the rows the numerics contract names; q8_0's NaN blocks do too.
final class FormatEquivalenceTests: XCTestCase {
    let cache = CacheBudget(l1: 32 * 1024, l2: 1 << 20)
    var kernels: [any AttentionKernel] {
        KernelRegistry.all(cache: cache) + [1, 3, 7].map { ParallelKernel(cache: cache, forcedChunks: $0) }
    }
    static let combinations: [(ElementFormat, ElementFormat)] = [
        (.f32, .f16), (.f32, .bf16), (.f32, .q8_0), (.f16, .f16), (.bf16, .bf16), (.f16, .q8_0), (.bf16, .q8_0), (.bf16, .f32),
    ]

    func label(_ kernel: any AttentionKernel) -> String {
        (kernel as? ParallelKernel)?.forcedChunks.map { "parallel \($0) chunks" } ?? kernel.name
    }

    func run(_ kernel: any AttentionKernel, _ tensors: AttentionTensors, threads: Int = 2) {
        let context = KernelContext(threads: kernel.isParallel ? threads : 1)
        let scratch = AlignedBuffer(count: kernel.scratchFloats(for: tensors.shape, context: context))
        scratch.fill(.nan)   // kernels must not read scratch they did not write
        tensors.o.fill(.nan)
        kernel.run(tensors.operands, scratch: scratch.buffer, context: context)
    }

    /// Races every kernel on `base` in `combinations`; the format error (a second float64 reference, on the
    /// unrounded inputs) is computed for the first kernel only, to keep the debug-build test short.
    func assertKernelsMatch(_ base: AttentionShape, combinations: [(ElementFormat, ElementFormat)] = combinations,
                            file: StaticString = #filePath, line: UInt = #line) {
        for (dtype, kvDtype) in combinations {
            var shape = base
            shape.dtype = dtype
            shape.kvDtype = kvDtype
            let tensors = AttentionTensors(shape: shape, seed: 31)
            for (index, kernel) in kernels.enumerated() where kernel.unsupportedReason(for: shape) == nil {
                run(kernel, tensors)
                let report = EquivalenceCheck(rowsPerHead: shape.seqQ).compare(tensors.operands, tolerance: kernel.tolerance,
                                                                               unrounded: index == 0 ? tensors.inputs : nil)
                XCTAssertTrue(report.passed, "\(label(kernel)) on \(shape): max abs \(report.maxAbsoluteError) > allowed \(report.allowedAbsoluteError), non-finite mismatches \(report.nonFiniteMismatches)",
                              file: file, line: line)
                if index == 0 { XCTAssertNotNil(report.formatError, file: file, line: line) }
            }
        }
    }

    func testWhoRunsWhat() {
        let q8 = AttentionShape(heads: 1, seqQ: 4, headDim: 8, causal: false, dtype: .bf16, kvDtype: .q8_0)
        for kernel in KernelRegistry.all(cache: cache) {
            let reason = kernel.unsupportedReason(for: q8)
            if kernel.name == "tiled" {
                XCTAssertEqual(reason, "tiled does not run dtype bf16 with kv-dtype q8_0 (it runs f32)")
            } else {
                XCTAssertNil(reason, kernel.name)
            }
            XCTAssertNil(kernel.unsupportedReason(for: AttentionShape(heads: 1, seqQ: 4, headDim: 8, causal: false)), kernel.name)
        }
    }

    func testHeadDimsThatAreNotMultiplesOfABlockOrTheSIMDWidth() {
        for d in [5, 24, 40, 48, 72] {
            assertKernelsMatch(AttentionShape(heads: 2, seqQ: 21, seqKV: 37, headDim: d, causal: true))
        }
    }

    func testGroupedAndMultiQueryDecodeAndPrefill() {
        assertKernelsMatch(AttentionShape(heads: 8, kvHeads: 2, seqQ: 1, seqKV: 300, headDim: 128, causal: true))
        assertKernelsMatch(AttentionShape(heads: 8, kvHeads: 1, seqQ: 2, seqKV: 77, headDim: 64, causal: false))
        assertKernelsMatch(AttentionShape(batch: 2, heads: 6, kvHeads: 2, seqQ: 45, headDim: 32, causal: true))
        assertKernelsMatch(AttentionShape(heads: 4, kvHeads: 2, seqQ: 9, seqKV: 53, headDim: 33, causal: true))
    }

    func testCausalWithMoreQueriesThanKeys() {
        assertKernelsMatch(AttentionShape(heads: 2, seqQ: 60, seqKV: 25, headDim: 32, causal: true))
        assertKernelsMatch(AttentionShape(heads: 4, kvHeads: 2, seqQ: 9, seqKV: 5, headDim: 24, causal: true))
    }

    /// Past `KeySplitPlan.maxStreamingQueries` query rows the packed path runs: its panel packing decodes
    /// each format, on head sizes that are not multiples of a block or the SIMD width and under the causal
    /// mask with more queries than keys.
    func testPackedPathOnAwkwardShapes() {
        let rows = KeySplitPlan.maxStreamingQueries + 5
        XCTAssertFalse(KeySplitPlan.prefersStreaming(AttentionShape(heads: 4, kvHeads: 2, seqQ: rows, seqKV: 53, headDim: 40, causal: true)))
        assertKernelsMatch(AttentionShape(heads: 4, kvHeads: 2, seqQ: rows, seqKV: 53, headDim: 40, causal: true))
        assertKernelsMatch(AttentionShape(heads: 2, seqQ: rows, seqKV: 90, headDim: 5, causal: false))
    }

    func testSeveralKeyBlocks() {
        assertKernelsMatch(AttentionShape(heads: 1, seqQ: 70, seqKV: 1100, headDim: 64, causal: true),
                           combinations: [(.f16, .f16), (.bf16, .bf16), (.f32, .q8_0)])
    }

    /// Key row 37 of 40 is seen by query rows 1…3 of each head (causal, Nq = 4), not by row 0.
    func testNonFiniteKeysAndValuesReachExactlyTheRowsThatSeeThem() {
        for dtype in [ElementFormat.f16, .bf16] {
            for (seqQ, heads) in [(4, 4), (40, 1)] {
                let shape = AttentionShape(heads: heads, kvHeads: 1, seqQ: seqQ, seqKV: 40, headDim: 20, causal: true,
                                           dtype: dtype)
                let firstSeeing = seqQ - 40 + 37
                for poison in [Float.nan, .infinity, -.infinity] {
                    for component in [AttentionTensors.Component.key, .value] {
                        let tensors = AttentionTensors(shape: shape, seed: 8)
                        (component == .key ? tensors.k : tensors.v)[37 * 20 + 6] = poison
                        for kernel in kernels where kernel.unsupportedReason(for: shape) == nil {
                            run(kernel, tensors)
                            let what = "\(label(kernel)) \(dtype) \(poison) in \(component), Nq \(seqQ)"
                            let report = EquivalenceCheck(rowsPerHead: seqQ).compare(tensors.operands, tolerance: kernel.tolerance)
                            XCTAssertTrue(report.passed, "\(what): \(report.nonFiniteMismatches) non-finite mismatches, \(report.maxAbsoluteError)")
                            for head in 0..<heads {
                                for row in 0..<seqQ {
                                    let values = (0..<20).map { tensors.o[((head * seqQ) + row) * 20 + $0] }
                                    if row < firstSeeing {
                                        XCTAssertTrue(values.allSatisfy(\.isFinite), "\(what) head \(head) row \(row)")
                                    } else if poison.isNaN {
                                        if component == .key {
                                            XCTAssertTrue(values.allSatisfy(\.isNaN), "\(what) head \(head) row \(row)")
                                        } else {
                                            XCTAssertTrue(values[6].isNaN, "\(what) head \(head) row \(row)")
                                            XCTAssertTrue(values.enumerated().allSatisfy { $0.offset == 6 || $0.element.isFinite },
                                                          "\(what) head \(head) row \(row)")
                                        }
                                    } else if component == .value {
                                        XCTAssertEqual(values[6], poison, "\(what) head \(head) row \(row)")
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// q8_0 cannot hold NaN or ±∞: the block holding one becomes NaN, so a poisoned key row is NaN in every
    /// row that sees it, and a poisoned value block is NaN in its 32 columns (8 here, d = 40) of those rows.
    func testQ8NonFiniteBlocksReachTheRowsThatSeeThem() {
        let shape = AttentionShape(heads: 4, kvHeads: 1, seqQ: 4, seqKV: 40, headDim: 40, causal: true, dtype: .f16, kvDtype: .q8_0)
        for poison in [Float.nan, .infinity] {
            for component in [AttentionTensors.Component.key, .value] {
                let tensors = AttentionTensors(shape: shape, seed: 5)
                (component == .key ? tensors.k : tensors.v)[37 * 40 + 35] = poison
                for kernel in kernels where kernel.unsupportedReason(for: shape) == nil {
                    run(kernel, tensors)
                    for stacked in 0..<16 {
                        let values = (0..<40).map { tensors.o[stacked * 40 + $0] }
                        let sees = stacked % 4 >= 1
                        let what = "\(label(kernel)) \(poison) in \(component) row \(stacked)"
                        if !sees {
                            XCTAssertTrue(values.allSatisfy(\.isFinite), what)
                        } else if component == .key {
                            XCTAssertTrue(values.allSatisfy(\.isNaN), what)
                        } else {
                            XCTAssertTrue(values[32...].allSatisfy(\.isNaN), what)
                            XCTAssertTrue(values[..<32].allSatisfy(\.isFinite), what)
                        }
                    }
                }
            }
        }
    }

    func testSplitOutputInEveryFormatIsBitIdenticalAcrossSchedules() {
        for kvDtype in [ElementFormat.f16, .bf16, .q8_0] {
            let shape = AttentionShape(heads: 8, kvHeads: 1, seqQ: 1, seqKV: 4100, headDim: 64, causal: true, dtype: .bf16,
                                       kvDtype: kvDtype)
            let tensors = AttentionTensors(shape: shape, seed: 21)
            var reference: [UInt8]?
            for schedule in KernelContext.Schedule.allCases {
                let kernel = ParallelKernel(cache: cache, forcedChunks: 4)
                let context = KernelContext(threads: 2, schedule: schedule)
                let scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: context))
                kernel.run(tensors.operands, scratch: scratch.buffer, context: context)
                if let reference { XCTAssertEqual(tensors.o.bytes, reference, "\(kvDtype) \(schedule)") } else { reference = tensors.o.bytes }
            }
            let report = EquivalenceCheck(rowsPerHead: 1).compare(tensors, tolerance: Tolerance(multiplier: 64))
            XCTAssertTrue(report.passed, "\(kvDtype): \(report.maxAbsoluteError) > \(report.allowedAbsoluteError)")
        }
    }

    /// The formats' accuracy cost is reported and ordered as their precision is: q8_0 and bf16 cost more
    /// than f16, and f32 costs only the kernel's own error.
    func testFormatErrorFollowsPrecision() {
        var errors: [ElementFormat: Double] = [:]
        for kvDtype in [ElementFormat.f32, .f16, .bf16, .q8_0] {
            let shape = AttentionShape(heads: 4, kvHeads: 2, seqQ: 1, seqKV: 500, headDim: 64, causal: true, kvDtype: kvDtype)
            let tensors = AttentionTensors(shape: shape, seed: 2)
            let kernel = FusedKernel(cache: cache)
            run(kernel, tensors)
            let report = EquivalenceCheck().compare(tensors, tolerance: kernel.tolerance)
            XCTAssertTrue(report.passed)
            errors[kvDtype] = report.formatError
        }
        XCTAssertLessThan(errors[.f32]!, errors[.f16]!)
        XCTAssertLessThan(errors[.f16]!, errors[.bf16]!)
        XCTAssertLessThan(errors[.f16]!, errors[.q8_0]!)
    }
}
