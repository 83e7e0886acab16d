// naive — the plain oracle: materialise the whole score matrix, then softmax, then multiply by V.
//
// Algorithm: three passes per head over an Nq × Nk score matrix: S = scale·Q·Kᵀ (−∞ where masked), row-wise
//   softmax with libm's expf, O = P·V. Scalar loops as a textbook writes them; deliberately never optimised,
//   so every other kernel's speed-up is measured against the same honest baseline.
// Formats: every combination (Q/O f32, f16, bf16; K/V also q8_0): each value is decoded as it is read, through
//   one specialised copy of the loops per format pair, and each output row is accumulated in fp32 before it
//   is rounded into O's format. It is the oracle for every format; the f32 copy does what it always did.
// Memory traffic: the N×N matrix (Nq·Nk·4 bytes per head, 64 MiB at N = 4096) is written once and read
//   three times from DRAM; K and V are re-read from memory for every query row.
// Parallel strategy: none (single-threaded).
// Last measured result: 6.1 GFLOP/s unmasked (5.2% of the FMA peak), 3.3 causal (it computes the masked half);
//   Results/readme-single-thread.csv on a 2-core AMD EPYC (Zen 4, AVX-512) VM, N = 4096, 8 heads, d = 64, 1 thread.
import AttentionCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct NaiveKernel: AttentionKernel {
    public let name = "naive"
    public let summary = "full N×N score matrix, scalar three-pass softmax: the oracle, never optimised"
    public let tolerance = Tolerance(multiplier: 32)

    public init() {}

    /// Every combination: it decodes element by element, so it is the oracle for every format.
    public func supportsFormats(dtype: ElementFormat, kvDtype: ElementFormat) -> Bool { dtype.holdsQueriesAndOutputs }

    /// The score matrix, then one fp32 output row accumulated before it is stored in O's format.
    public func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int {
        shape.seqQ * shape.seqKV + shape.headDim
    }

    public func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        ElementFormat.dispatch(query: operands.query.format, keyValue: operands.key.format,
                               Pass(operands: operands, scratch: scratch.baseAddress!))
    }

    /// One copy of the three passes per (Q, K/V) format pair, each reading values through its decoder.
    private struct Pass: FormatPairBody {
        let operands: AttentionOperands
        let scratch: UnsafeMutablePointer<Float>

        func run<Q: ElementDecoder, KV: ElementDecoder>(query: Q.Type, keyValue: KV.Type) {
            let shape = operands.shape
            let nq = shape.seqQ, nk = shape.seqKV, d = shape.headDim
            let scores = scratch, acc = scratch + nq * nk
            for b in 0..<shape.batch {
                for h in 0..<shape.heads {
                    let firstQuery = operands.firstQueryRow(batch: b, head: h), firstKey = operands.firstKeyRow(batch: b, head: h)
                    for i in 0..<nq {
                        let visible = shape.visibleKeys(forQuery: i)
                        let q = operands.query.row(firstQuery + i)
                        for j in 0..<nk {
                            let k = operands.key.row(firstKey + j)
                            var dot: Float = 0
                            for c in 0..<d { dot += Q.decode(q, c) * KV.decode(k, c) }
                            scores[i * nk + j] = j < visible ? shape.scale * dot : -.infinity
                        }
                    }
                    for i in 0..<nq {
                        var rowMax = -Float.infinity
                        for j in 0..<nk { rowMax = max(rowMax, scores[i * nk + j]) }
                        var sum: Float = 0
                        for j in 0..<nk {
                            let weight = scores[i * nk + j] == -.infinity ? 0 : expf(scores[i * nk + j] - rowMax)
                            scores[i * nk + j] = weight
                            sum += weight
                        }
                        for j in 0..<nk { scores[i * nk + j] = sum == 0 ? 0 : scores[i * nk + j] / sum }
                    }
                    for i in 0..<nq {
                        for c in 0..<d { acc[c] = 0 }
                        // Only the keys row i sees: 0 · NaN in a masked value row would still be NaN.
                        for j in 0..<shape.visibleKeys(forQuery: i) {
                            let weight = scores[i * nk + j]
                            let v = operands.value.row(firstKey + j)
                            for c in 0..<d { acc[c] += weight * KV.decode(v, c) }
                        }
                        for c in 0..<d { operands.output.store(acc[c], row: firstQuery + i, column: c) }
                    }
                }
            }
        }
    }
}
