import XCTest
import AttentionCore
import Kernels

/// Every panel width from 1 to 13 SIMD vectors through every kernel, against the float64 reference: the AVX2
/// tile splits a panel of v vectors into 4 × 3 and 4 × 2 tiles (3k + 1 = (k − 1) × 3 + 2 × 2, 3k + 2 = k × 3 + 2)
/// and a lone vector into the split-depth 4 × 1 kernel; the AVX-512 tile into 6 × 4 and 6 × 1. P·V's panel
/// is the padded head dimension, so d = v · w and v · w − 3 reach every split; S's panel is the key block, and
/// 23 query rows leave a row tail after the whole tiles in every build.
final class TileColumnPlanTests: XCTestCase {
    let kernels = KernelRegistry.all(cache: CacheBudget(l1: 32 * 1024, l2: 1024 * 1024))

    func testEveryPanelWidthFromOneToThirteenVectors() {
        for vectors in 1...13 {
            for d in Set([vectors * vectorWidth, max(1, vectors * vectorWidth - 3)]).sorted() {
                for causal in [false, true] {
                    let shape = AttentionShape(heads: 1, seqQ: 23, seqKV: 70, headDim: d, causal: causal)
                    let tensors = AttentionTensors(shape: shape, seed: UInt64(11 + d), magnitude: 1)
                    let check = EquivalenceCheck(rowsPerHead: shape.seqQ)
                    for kernel in kernels where kernel.unsupportedReason(for: shape) == nil {
                        let scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: .singleThreaded))
                        scratch.fill(.nan)
                        tensors.o.fill(.nan)
                        kernel.run(tensors.operands, scratch: scratch.buffer, context: .singleThreaded)
                        let report = check.compare(tensors.operands, tolerance: kernel.tolerance)
                        XCTAssertTrue(report.passed, "\(kernel.name) on \(shape): max abs \(report.maxAbsoluteError) > allowed \(report.allowedAbsoluteError), non-finite mismatches \(report.nonFiniteMismatches)")
                    }
                }
            }
        }
    }
}
