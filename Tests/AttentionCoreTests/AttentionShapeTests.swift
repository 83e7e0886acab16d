import XCTest
import AttentionCore

final class AttentionShapeTests: XCTestCase {
    func testDefaultScaleIsOneOverSquareRootOfHeadDim() {
        XCTAssertEqual(AttentionShape(heads: 1, seqQ: 4, headDim: 64, causal: false).scale, 0.125)
    }

    func testCausalMaskIsAlignedBottomRight() {
        // Nq < Nk: the last query sees every key, the first sees Nk − Nq + 1.
        let wide = AttentionShape(heads: 1, seqQ: 3, seqKV: 5, headDim: 4, causal: true)
        XCTAssertEqual((0..<3).map(wide.visibleKeys(forQuery:)), [3, 4, 5])
        // Nq > Nk: the first Nq − Nk rows see nothing.
        let tall = AttentionShape(heads: 1, seqQ: 5, seqKV: 3, headDim: 4, causal: true)
        XCTAssertEqual((0..<5).map(tall.visibleKeys(forQuery:)), [0, 0, 1, 2, 3])
        let full = AttentionShape(heads: 1, seqQ: 5, seqKV: 3, headDim: 4, causal: false)
        XCTAssertEqual((0..<5).map(full.visibleKeys(forQuery:)), [3, 3, 3, 3, 3])
    }

    func testValidationNamesTheProblem() {
        XCTAssertThrowsError(try AttentionShape(heads: 3, kvHeads: 2, seqQ: 4, headDim: 4, causal: false).validate()) {
            XCTAssertTrue("\($0)".contains("multiple of kv-heads"))
        }
        XCTAssertThrowsError(try AttentionShape(heads: 1, seqQ: 0, headDim: 4, causal: false).validate()) {
            XCTAssertTrue("\($0)".contains("seq"))
        }
        XCTAssertNoThrow(try AttentionShape(heads: 8, kvHeads: 2, seqQ: 4, headDim: 4, causal: false).validate())
    }

    /// Products that wrap `Int` (2^16 · 2^16 · 2^16 · 2^16 = 2^64 wraps to zero) are refused, not trusted.
    func testSizesAreCheckedProducts() {
        let wrapping = AttentionShape(batch: 1 << 16, heads: 1 << 16, seqQ: 1 << 16, headDim: 1 << 16, causal: false)
        XCTAssertNil(wrapping.checkedQueryElements)
        XCTAssertNil(wrapping.tensorBytes)
        XCTAssertThrowsError(try wrapping.validate()) { XCTAssertTrue("\($0)".contains("too large to address"), "\($0)") }
        let huge = AttentionShape(heads: 1 << 24, seqQ: 1 << 24, headDim: 1, causal: false)
        XCTAssertEqual(huge.checkedQueryElements, 1 << 48)
        XCTAssertThrowsError(try huge.validate(), "4 PiB of tensors")
        let small = AttentionShape(heads: 8, kvHeads: 2, seqQ: 100, seqKV: 30, headDim: 64, causal: true)
        XCTAssertEqual(small.tensorBytes, 2 * (8 * 100 * 64 + 2 * 30 * 64) * 4)
        XCTAssertNoThrow(try small.validate())
        XCTAssertNil(AttentionShape.product(Int.max, 2))
        XCTAssertEqual(AttentionShape.product(3, 5, 7), 105)
    }

    func testCostModelCountsOnlyUnmaskedWork() {
        let full = AttentionShape(batch: 2, heads: 3, seqQ: 8, headDim: 16, causal: false)
        XCTAssertEqual(CostModel.flops(full), 2 * 3 * 8 * 8 * 4 * 16)
        let causal = AttentionShape(heads: 1, seqQ: 8, headDim: 16, causal: true)
        XCTAssertEqual(CostModel.visiblePairs(causal), 36)   // 1 + 2 + … + 8
        XCTAssertEqual(CostModel.flops(causal), 36 * 4 * 16)
        XCTAssertEqual(CostModel.minimumBytes(full), Double(4 * 2 * 3 * 8 * 16 * 4))
    }

    func testSameSeedGivesBitIdenticalInputs() {
        let shape = AttentionShape(heads: 2, seqQ: 9, headDim: 5, causal: false)
        let a = AttentionTensors(shape: shape, seed: 99), b = AttentionTensors(shape: shape, seed: 99)
        let c = AttentionTensors(shape: shape, seed: 100)
        XCTAssertEqual(Array(a.q.buffer), Array(b.q.buffer))
        XCTAssertEqual(Array(a.v.buffer), Array(b.v.buffer))
        XCTAssertNotEqual(Array(a.k.buffer), Array(c.k.buffer))
        XCTAssertTrue(a.q.buffer.allSatisfy { $0 >= -1 && $0 < 1 })
    }

    func testTensorsAre64ByteAligned() {
        let tensors = AttentionTensors(shape: AttentionShape(heads: 1, seqQ: 3, headDim: 3, causal: false))
        for buffer in [tensors.q, tensors.k, tensors.v, tensors.o] {
            XCTAssertEqual(Int(bitPattern: buffer.pointer) % 64, 0)
        }
    }
}

final class EquivalenceCheckTests: XCTestCase {
    func testSampledRowsIncludeFirstAndLastAndAreDistinct() {
        let check = EquivalenceCheck(rowsPerHead: 16, seed: 3)
        let rows = check.rows(for: AttentionShape(heads: 1, seqQ: 1000, headDim: 4, causal: false))
        XCTAssertEqual(rows.count, 16)
        XCTAssertEqual(Set(rows).count, 16)
        XCTAssertEqual(rows.first, 0)
        XCTAssertEqual(rows.last, 999)
        XCTAssertEqual(check.rows(for: AttentionShape(heads: 1, seqQ: 10, headDim: 4, causal: false)), Array(0..<10))
    }

    func testDetectsAWrongOutputAndNaN() {
        let shape = AttentionShape(heads: 1, seqQ: 4, headDim: 4, causal: false)
        let tensors = AttentionTensors(shape: shape, seed: 1)
        var scores = [Double](repeating: 0, count: 4), row = [Double](repeating: 0, count: 4)
        for i in 0..<4 {
            ReferenceAttention.computeRow(tensors.operands, batch: 0, head: 0, query: i, scores: &scores, row: &row)
            for c in 0..<4 { tensors.o[i * 4 + c] = Float(row[c]) }
        }
        let check = EquivalenceCheck()
        XCTAssertTrue(check.compare(tensors.operands, tolerance: Tolerance(multiplier: 4)).passed)
        tensors.o[5] += 1e-3
        XCTAssertFalse(check.compare(tensors.operands, tolerance: Tolerance(multiplier: 4)).passed)
        tensors.o[5] = .nan
        let report = check.compare(tensors.operands, tolerance: Tolerance(multiplier: 4))
        XCTAssertEqual(report.nonFiniteMismatches, 1)
        XCTAssertFalse(report.passed)
    }
}
