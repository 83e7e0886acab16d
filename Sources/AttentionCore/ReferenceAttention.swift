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
/// row i NaN, and NaN in K or V row j makes NaN exactly the rows that see key j. Inputs are the stored values
/// decoded exactly (fp32, f16, bf16 and q8_0 values are all binary32 values) and widened, so the only error
/// is float64 rounding, about 2⁻²⁹ times smaller than the fp32 bound kernels are held to.
public enum ReferenceAttention {
    /// Writes the float64 output row `(b, h, i)` into `row` (count `headDim`), using `scores` (count ≥ seqKV).
    public static func computeRow(_ operands: AttentionOperands, batch b: Int, head h: Int, query i: Int,
                                  scores: inout [Double], row: inout [Double]) {
        computeRow(StoredInputs(operands), batch: b, head: h, query: i, scores: &scores, row: &row)
    }

    /// As above, on any inputs (the stored tensors, or a seed's unrounded fp32 values).
    public static func computeRow<Inputs: ReferenceInputs>(_ inputs: Inputs, batch b: Int, head h: Int, query i: Int,
                                                           scores: inout [Double], row: inout [Double]) {
        let shape = inputs.shape
        let d = shape.headDim
        let queryRow = (b * shape.heads + h) * shape.seqQ + i
        let firstKey = (b * shape.kvHeads + h / shape.groupSize) * shape.seqKV
        let visible = shape.visibleKeys(forQuery: i)
        for c in 0..<d { row[c] = 0 }
        guard visible > 0 else { return }

        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * d) { buffer in
            let q = buffer.baseAddress!, kv = q + d
            inputs.load(.query, row: queryRow, into: q)
            var maximum = -Double.infinity
            for j in 0..<visible {
                inputs.load(.key, row: firstKey + j, into: kv)
                var dot = 0.0
                for c in 0..<d { dot += q[c] * kv[c] }
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
                inputs.load(.value, row: firstKey + j, into: kv)
                for c in 0..<d { row[c] += weight * kv[c] }
            }
        }
    }
}

/// Q, K and V as the reference reads them: rows of `headDim` values widened exactly to float64.
public protocol ReferenceInputs {
    var shape: AttentionShape { get }
    /// Writes row `row` (over all heads, as in ``AttentionTensors``) of `tensor` into `values`.
    func load(_ tensor: InputTensor, row: Int, into values: UnsafeMutablePointer<Double>)
}

/// One of the three inputs.
public enum InputTensor: Sendable { case query, key, value }

/// The stored tensors of a set of operands, decoded exactly from their formats.
public struct StoredInputs: ReferenceInputs {
    public let operands: AttentionOperands
    public init(_ operands: AttentionOperands) { self.operands = operands }
    public var shape: AttentionShape { operands.shape }

    public func load(_ tensor: InputTensor, row: Int, into values: UnsafeMutablePointer<Double>) {
        let view = tensor == .query ? operands.query : tensor == .key ? operands.key : operands.value
        let source = view.row(row), d = shape.headDim
        switch view.format {
        case .f32: Self.widen(F32Decoder.self, source, count: d, into: values)
        case .f16: Self.widen(F16Decoder.self, source, count: d, into: values)
        case .bf16: Self.widen(BF16Decoder.self, source, count: d, into: values)
        case .q8_0: Self.widen(Q8Decoder.self, source, count: d, into: values)
        }
    }

    @inline(__always)
    private static func widen<D: ElementDecoder>(_ decoder: D.Type, _ row: UnsafeRawPointer, count: Int,
                                                 into values: UnsafeMutablePointer<Double>) {
        for c in 0..<count { values[c] = Double(D.decode(row, c)) }
    }
}

extension SeededInputs: ReferenceInputs {
    public func load(_ tensor: InputTensor, row: Int, into values: UnsafeMutablePointer<Double>) {
        // The tensor's offset in the seed's stream once per row: `query(_:)`, `key(_:)` and `value(_:)` each
        // recompute it from the shape (checked products), which made the format error's reference rows cost
        // more than the stored ones.
        let d = shape.headDim
        let first: Int
        switch tensor {
        case .query: first = row * d
        case .key: first = shape.queryElements + row * d
        case .value: first = shape.queryElements + shape.keyElements + row * d
        }
        for c in 0..<d { values[c] = Double(draw(first + c)) }
    }
}
