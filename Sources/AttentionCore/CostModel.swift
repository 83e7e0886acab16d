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

    /// Bytes that must cross memory at least once: Q, K, V read and O written, fp32.
    public static func minimumBytes(_ shape: AttentionShape) -> Double {
        Double(shape.tensorBytes ?? .max)
    }

    /// FLOPs per byte of compulsory traffic.
    public static func arithmeticIntensity(_ shape: AttentionShape) -> Double {
        flops(shape) / minimumBytes(shape)
    }
}
