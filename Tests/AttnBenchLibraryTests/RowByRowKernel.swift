import AttnBench
import Foundation

/// A kernel written outside attnbench, as another package would write it: plain Swift, no SIMD. It
/// computes each output row with the running-max softmax over the visible keys.
struct RowByRowKernel: AttentionKernel {
    var name: String { "row-by-row" }
    var summary: String { "one query row at a time, online softmax, scalar" }
    var tolerance: Tolerance { Tolerance(multiplier: 64) }

    func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int { shape.headDim }

    func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        let shape = operands.shape, d = shape.headDim
        for b in 0..<shape.batch {
            for h in 0..<shape.heads {
                let q = operands.q + operands.queryOffset(batch: b, head: h)
                let o = operands.o + operands.queryOffset(batch: b, head: h)
                // keyOffset takes the query head: it finds the key/value head that query head reads.
                let k = operands.k + operands.keyOffset(batch: b, head: h)
                let v = operands.v + operands.keyOffset(batch: b, head: h)
                for i in 0..<shape.seqQ {
                    var maximum = -Float.infinity, sum: Float = 0
                    for c in 0..<d { scratch[c] = 0 }
                    for j in 0..<shape.visibleKeys(forQuery: i) {
                        var score: Float = 0
                        for c in 0..<d { score += q[i * d + c] * k[j * d + c] }
                        score *= shape.scale
                        let newMaximum = max(maximum, score)
                        let rescale = maximum == -.infinity ? 0 : expf(maximum - newMaximum)
                        let weight = expf(score - newMaximum)
                        sum = sum * rescale + weight
                        for c in 0..<d { scratch[c] = scratch[c] * rescale + weight * v[j * d + c] }
                        maximum = newMaximum
                    }
                    for c in 0..<d { o[i * d + c] = sum > 0 ? scratch[c] / sum : 0 }
                }
            }
        }
    }
}
