#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Attention computed in float64 for chosen query rows: the oracle every kernel is checked against.
///
/// For query row `i` of head `(b, h)` with key/value head `g = h / groupSize`:
///
///     sⱼ = scale · Σ_c q[i][c] · k[j][c]            for the visible keys j < visibleKeys(i)
///     pⱼ = exp(sⱼ − maxⱼ sⱼ) / Σⱼ exp(sⱼ − maxⱼ sⱼ)
///     o[c] = Σⱼ pⱼ · v[j][c]
///
/// Numerics, shared by every kernel: rows with no visible key, or whose scores are all −∞, are defined as
/// zero; a −∞ score gets weight zero; a +∞ score makes the row NaN (∞/∞ has no value); NaN in Q row i makes
/// row i NaN, and NaN in K or V row j makes NaN exactly the rows that see key j. Inputs are widened from fp32 exactly, so the only error
/// is float64 rounding, about 2⁻²⁹ times smaller than the fp32 bound kernels are held to.
public enum ReferenceAttention {
    /// Writes the float64 output row `(b, h, i)` into `row` (count `headDim`), using `scores` (count ≥ seqKV).
    public static func computeRow(_ operands: AttentionOperands, batch b: Int, head h: Int, query i: Int,
                                  scores: inout [Double], row: inout [Double]) {
        let shape = operands.shape
        let d = shape.headDim
        let q = operands.q + operands.queryOffset(batch: b, head: h) + i * d
        let k = operands.k + operands.keyOffset(batch: b, head: h)
        let v = operands.v + operands.keyOffset(batch: b, head: h)
        let visible = shape.visibleKeys(forQuery: i)
        for c in 0..<d { row[c] = 0 }
        guard visible > 0 else { return }

        var maximum = -Double.infinity
        for j in 0..<visible {
            var dot = 0.0
            for c in 0..<d { dot += Double(q[c]) * Double(k[j * d + c]) }
            scores[j] = Double(shape.scale) * dot
            maximum = Swift.max(maximum, scores[j])
        }
        if scores[0..<visible].contains(where: \.isNaN) {
            for c in 0..<d { row[c] = .nan }
            return
        }
        if maximum == -.infinity { return }   // every score −∞: defined as zero, like a fully masked row
        var total = 0.0
        for j in 0..<visible {
            let weight = exp(scores[j] - maximum)
            scores[j] = weight
            total += weight
        }
        for j in 0..<visible {
            let weight = scores[j] / total
            for c in 0..<d { row[c] += weight * Double(v[j * d + c]) }
        }
    }
}
