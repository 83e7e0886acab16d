import XCTest
import AttentionCore
import Kernels

/// Races every registered kernel against the float64 reference on awkward shapes, with the kernel's own
/// declared tolerance as the error bound.
final class KernelEquivalenceTests: XCTestCase {
    let kernels = KernelRegistry.all(cache: CacheBudget(l1: 32 * 1024, l2: 1024 * 1024))

    /// Runs every kernel on `shape` and asserts it matches the reference on every row.
    func assertAllKernelsMatch(_ shape: AttentionShape, seed: UInt64 = 7, magnitude: Float = 1,
                               file: StaticString = #filePath, line: UInt = #line) {
        let tensors = AttentionTensors(shape: shape, seed: seed, magnitude: magnitude)
        let check = EquivalenceCheck(rowsPerHead: shape.seqQ)
        for kernel in kernels {
            let scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: .singleThreaded))
            scratch.fill(.nan)   // kernels must not read scratch they did not write
            tensors.o.fill(.nan)
            kernel.run(tensors.operands, scratch: scratch.buffer, context: .singleThreaded)
            let report = check.compare(tensors.operands, tolerance: kernel.tolerance)
            XCTAssertTrue(report.passed, "\(kernel.name) on \(shape): max abs \(report.maxAbsoluteError) > allowed \(report.allowedAbsoluteError), non-finite mismatches \(report.nonFiniteMismatches)",
                          file: file, line: line)
            XCTAssertEqual(report.rowsChecked, shape.batch * shape.heads * shape.seqQ, file: file, line: line)
        }
    }

    func testHeadDimNotAMultipleOfTheSIMDWidth() {
        for d in [1, 3, 17, 33, 65] {
            assertAllKernelsMatch(AttentionShape(heads: 2, seqQ: 37, headDim: d, causal: false))
        }
    }

    func testCommonHeadDims() {
        for d in [64, 128] {
            assertAllKernelsMatch(AttentionShape(heads: 2, seqQ: 150, headDim: d, causal: true))
        }
    }

    func testLengthsNotMultiplesOfBlockSizes() {
        for n in [5, 63, 65, 129, 257] {
            assertAllKernelsMatch(AttentionShape(heads: 1, seqQ: n, headDim: 64, causal: n % 2 == 1))
        }
    }

    /// Key blocks are up to 512 keys long: these lengths give every query block several of them, so the online
    /// softmax rescales across blocks, and blocks that cross the causal diagonal (or the padded keys past Nk)
    /// skip the key vectors above it, at several offsets of the diagonal within a block and a row tile.
    func testSeveralKeyBlocksOnAndOffTheDiagonal() {
        assertAllKernelsMatch(AttentionShape(heads: 1, seqQ: 1100, headDim: 64, causal: true))
        assertAllKernelsMatch(AttentionShape(heads: 1, seqQ: 300, seqKV: 1100, headDim: 128, causal: true))
        assertAllKernelsMatch(AttentionShape(heads: 1, seqQ: 130, seqKV: 1030, headDim: 40, causal: false))
    }

    func testCrossAttentionWithDifferentLengths() {
        assertAllKernelsMatch(AttentionShape(heads: 2, seqQ: 70, seqKV: 201, headDim: 40, causal: false))
        assertAllKernelsMatch(AttentionShape(heads: 2, seqQ: 201, seqKV: 70, headDim: 40, causal: false))
    }

    func testCausalWithMoreQueriesThanKeys() {
        // The first Nq − Nk rows see no key and must come out as zeros.
        let shape = AttentionShape(heads: 2, seqQ: 130, seqKV: 50, headDim: 24, causal: true)
        assertAllKernelsMatch(shape)
        for kernel in kernels {
            let tensors = AttentionTensors(shape: shape, seed: 3)
            let scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: .singleThreaded))
            kernel.run(tensors.operands, scratch: scratch.buffer, context: .singleThreaded)
            XCTAssertEqual(tensors.o[0], 0, kernel.name)
            XCTAssertEqual(tensors.o[(shape.seqQ - shape.seqKV - 1) * shape.headDim], 0, kernel.name)
        }
    }

    func testCausalWithFewerQueriesThanKeys() {
        assertAllKernelsMatch(AttentionShape(heads: 2, seqQ: 33, seqKV: 300, headDim: 64, causal: true))
    }

    func testGroupedAndMultiQueryHeads() {
        assertAllKernelsMatch(AttentionShape(heads: 6, kvHeads: 2, seqQ: 45, headDim: 32, causal: true))
        assertAllKernelsMatch(AttentionShape(heads: 4, kvHeads: 1, seqQ: 45, headDim: 32, causal: false))
    }

    func testBatchGreaterThanOne() {
        assertAllKernelsMatch(AttentionShape(batch: 3, heads: 2, kvHeads: 1, seqQ: 40, seqKV: 52, headDim: 16, causal: true))
    }

    func testLargeMagnitudeInputsThatWouldOverflowANaiveSoftmax() {
        // Scores reach ~±1e4: exp without the max shift would overflow fp32 (max ≈ 3.4e38 ≈ e^88).
        assertAllKernelsMatch(AttentionShape(heads: 2, seqQ: 64, headDim: 64, causal: false), magnitude: 100)
        assertAllKernelsMatch(AttentionShape(heads: 1, seqQ: 33, headDim: 8, causal: true), magnitude: 300)
    }

    func testSingleQuerySingleKey() {
        assertAllKernelsMatch(AttentionShape(heads: 1, seqQ: 1, headDim: 64, causal: false))
        assertAllKernelsMatch(AttentionShape(heads: 1, seqQ: 1, headDim: 1, causal: true))
    }

    func testRandomisedShapes() {
        var generator = SplitMix64(seed: 2026)
        for _ in 0..<12 {
            let kvHeads = Int(generator.next() % 3) + 1
            let shape = AttentionShape(batch: Int(generator.next() % 2) + 1, heads: kvHeads * (Int(generator.next() % 2) + 1),
                                       kvHeads: kvHeads, seqQ: Int(generator.next() % 90) + 1,
                                       seqKV: Int(generator.next() % 90) + 1, headDim: Int(generator.next() % 70) + 1,
                                       causal: generator.next() % 2 == 0)
            assertAllKernelsMatch(shape, seed: generator.next())
        }
    }

    func testSameSeedGivesBitIdenticalOutputs() {
        let shape = AttentionShape(heads: 2, seqQ: 77, headDim: 48, causal: true)
        for kernel in kernels {
            var outputs: [[Float]] = []
            for _ in 0..<2 {
                let tensors = AttentionTensors(shape: shape, seed: 11)
                let scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: .singleThreaded))
                kernel.run(tensors.operands, scratch: scratch.buffer, context: .singleThreaded)
                outputs.append(Array(tensors.o.buffer))
            }
            XCTAssertEqual(outputs[0].map(\.bitPattern), outputs[1].map(\.bitPattern), kernel.name)
        }
    }
}
