/// Work and minimum memory traffic of one attention problem, for GFLOP/s and roofline figures.
public enum CostModel {
    /// Floating-point operations that must be done: `4 · d` per visible (query, key) pair —
    /// `2d` for the score `q·k` and `2d` for accumulating `p · v`. Under the causal mask only unmasked
    /// pairs count, so a kernel that computes the masked half gains nothing from it. Softmax is not counted.
    public static func flops(_ shape: AttentionShape) -> Double {
        Double(shape.batch) * Double(shape.heads) * Double(visiblePairs(shape)) * 4 * Double(shape.headDim)
    }

    /// Number of (query, key) pairs per head that the mask leaves visible.
    public static func visiblePairs(_ shape: AttentionShape) -> Int {
        guard shape.causal else { return shape.seqQ * shape.seqKV }
        // Rows i with 1 ≤ visible(i) < Nk form an arithmetic series; the rest see all keys or none.
        var pairs = 0
        for i in 0..<shape.seqQ { pairs += shape.visibleKeys(forQuery: i) }
        return pairs
    }

    /// Bytes that must cross memory at least once, each tensor in its own format: every query row that sees
    /// a key read from Q, every K and V row some query sees read once, and all of O written once:
    ///
    ///     bq · (B·H·q + B·H·Nq) + 2 · bkv · B·Hkv·k,   q = rows with visible(i) > 0,  k = maxᵢ visible(i)
    ///
    /// where bq and bkv are the bytes of one row of d values in `dtype` and `kvDtype` (fp32 4d, f16 and bf16
    /// 2d, q8_0 34 per block of 32 values, a partial last block counted whole: ``ElementFormat/rowBytes(_:)``).
    /// Without the mask q = Nq and k = Nk. Under the bottom-right-aligned causal mask the last query row sees
    /// every key, so k = Nk still; q = min(Nq, Nk), as the first Nq − Nk rows see nothing and their output
    /// is written as zero without reading Q. Grouped-query heads share their K and V: Hkv, not H, counts.
    public static func minimumBytes(_ shape: AttentionShape) -> Double {
        let queryHeads = Double(shape.batch * shape.heads), keyHeads = Double(shape.batch * shape.kvHeads)
        let keys = shape.seqQ > 0 ? shape.visibleKeys(forQuery: shape.seqQ - 1) : 0
        let queriesThatSee = shape.causal ? min(shape.seqQ, max(0, shape.seqKV)) : shape.seqQ
        let queryRowBytes = Double(shape.dtype.rowBytes(shape.headDim))
        let keyRowBytes = Double(shape.kvDtype.rowBytes(shape.headDim))
        return queryHeads * Double(queriesThatSee + shape.seqQ) * queryRowBytes + 2 * keyHeads * Double(keys) * keyRowBytes
    }

    /// FLOPs per byte of compulsory traffic.
    public static func arithmeticIntensity(_ shape: AttentionShape) -> Double {
        flops(shape) / minimumBytes(shape)
    }
}
