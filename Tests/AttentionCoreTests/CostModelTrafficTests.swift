import XCTest
@testable import AttentionCore

/// Compulsory traffic and arithmetic intensity: the x axis of the roofline.
final class CostModelTrafficTests: XCTestCase {
    /// 4 · (B·H·q·d + 2·B·Hkv·k·d + B·H·Nq·d) written out by hand for each case.
    func testMinimumBytesForMultiHeadGroupedAndMultiQuery() {
        let mha = AttentionShape(batch: 2, heads: 8, seqQ: 16, seqKV: 64, headDim: 32, causal: false)
        XCTAssertEqual(CostModel.minimumBytes(mha), Double(4 * (2 * 8 * 16 * 32 + 2 * 2 * 8 * 64 * 32 + 2 * 8 * 16 * 32)))
        let gqa = AttentionShape(batch: 2, heads: 8, kvHeads: 2, seqQ: 16, seqKV: 64, headDim: 32, causal: false)
        XCTAssertEqual(CostModel.minimumBytes(gqa), Double(4 * (2 * 8 * 16 * 32 + 2 * 2 * 2 * 64 * 32 + 2 * 8 * 16 * 32)))
        let mqa = AttentionShape(heads: 32, kvHeads: 1, seqQ: 1, seqKV: 4096, headDim: 128, causal: false)
        XCTAssertEqual(CostModel.minimumBytes(mqa), Double(4 * (32 * 128 + 2 * 4096 * 128 + 32 * 128)))
    }

    func testCausalReadsEveryKeyTheLastRowSeesAndOnlyQueryRowsThatSeeOne() {
        // Nq ≤ Nk: the bottom-right mask lets the last row see every key, and every row sees at least one.
        let decode = AttentionShape(heads: 4, kvHeads: 2, seqQ: 4, seqKV: 100, headDim: 8, causal: true)
        XCTAssertEqual(CostModel.minimumBytes(decode), Double(4 * (4 * 4 * 8 + 2 * 2 * 100 * 8 + 4 * 4 * 8)))
        // Nq > Nk: the first Nq − Nk = 6 rows see nothing; their Q is never read, their O is still written.
        let tall = AttentionShape(heads: 1, seqQ: 10, seqKV: 4, headDim: 8, causal: true)
        XCTAssertEqual(tall.visibleKeys(forQuery: 5), 0)
        XCTAssertEqual(tall.visibleKeys(forQuery: 6), 1)
        XCTAssertEqual(CostModel.minimumBytes(tall), Double(4 * (4 * 8 + 2 * 4 * 8 + 10 * 8)))
        // Without the mask the same shape reads all of Q.
        var full = tall
        full.causal = false
        XCTAssertEqual(CostModel.minimumBytes(full), Double(4 * (10 * 8 + 2 * 4 * 8 + 10 * 8)))
    }

    func testArithmeticIntensityOfADecodeStepGrowsWithTheGroup() {
        // One query row, long cache: AI ≈ flops / (K + V bytes) = 4·H·Nk·d / (8·Hkv·Nk·d) = H / (2·Hkv).
        let mha = AttentionShape(heads: 32, seqQ: 1, seqKV: 32768, headDim: 128, causal: true)
        let gqa = AttentionShape(heads: 32, kvHeads: 8, seqQ: 1, seqKV: 32768, headDim: 128, causal: true)
        XCTAssertEqual(CostModel.arithmeticIntensity(mha), 0.5, accuracy: 1e-3)
        XCTAssertEqual(CostModel.arithmeticIntensity(gqa), 2.0, accuracy: 1e-3)
        // Prefill is compute-bound: AI grows with N.
        let prefill = AttentionShape(heads: 32, seqQ: 4096, headDim: 128, causal: false)
        XCTAssertGreaterThan(CostModel.arithmeticIntensity(prefill), 500)
    }
}
