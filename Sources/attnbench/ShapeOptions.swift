import ArgumentParser
import AttnBench

/// The shapes a sweep covers: the cross product of the sequence lengths, head counts and masks.
struct ShapeOptions: ParsableArguments {
    @Option(help: "Query sequence lengths, comma-separated.")
    var seq = PositiveIntList([1024])

    @Option(name: .customLong("seq-kv"), help: "Key/value sequence lengths (cross-attention); default: same as --seq.")
    var seqKV: PositiveIntList?

    @Option(help: "Query head counts, comma-separated.")
    var heads = PositiveIntList([8])

    @Option(name: .customLong("kv-heads"), help: "Key/value heads (grouped-query attention); default: same as --heads.")
    var kvHeads: Int?

    @Option(name: .customLong("head-dim"), help: "Head dimension d.")
    var headDim = 64

    @Option(help: "Batch size.")
    var batch = 1

    @Option(help: "Causal mask: off (BERT-style), on (GPT-style, aligned bottom-right) or both.")
    var causal = CausalMode.off

    /// Larger than any real model uses, and large enough to overflow index arithmetic in products.
    static let largestDimension = 1 << 24

    func validate() throws {
        for (name, value) in [("--head-dim", headDim), ("--batch", batch), ("--kv-heads", kvHeads ?? 1)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        let lists = [("--seq", seq.values), ("--seq-kv", seqKV?.values ?? []), ("--heads", heads.values),
                     ("--head-dim", [headDim]), ("--batch", [batch]), ("--kv-heads", [kvHeads ?? 1])]
        for (name, values) in lists {
            if let absurd = values.first(where: { $0 > Self.largestDimension }) {
                throw ValidationError("\(name) \(absurd) is absurdly large (at most \(Self.largestDimension))")
            }
        }
        for shape in shapes {
            do { try shape.validate() } catch { throw ValidationError("\(error)") }
        }
    }

    /// Every shape to run, ordered by mask, heads, then length.
    var shapes: [AttentionShape] {
        var result: [AttentionShape] = []
        for causalFlag in causal.flags {
            for headCount in heads.values {
                for (index, length) in seq.values.enumerated() {
                    let keys = seqKV.map { $0.values[min(index, $0.values.count - 1)] } ?? length
                    result.append(AttentionShape(batch: batch, heads: headCount, kvHeads: kvHeads ?? headCount,
                                                 seqQ: length, seqKV: keys, headDim: headDim, causal: causalFlag))
                }
            }
        }
        return result
    }
}
