import ArgumentParser
import AttnBench

/// The shapes a sweep covers: the cross product of the sequence lengths, head counts and masks.
struct ShapeOptions: ParsableArguments {
    @Option(help: ShapePreset.help)
    var preset: ShapePreset?

    @Option(help: "Query sequence lengths, comma-separated (default: 1024).")
    var seq: PositiveIntList?

    @Option(name: .customLong("seq-kv"), help: "Key/value sequence lengths (cross-attention); default: same as --seq.")
    var seqKV: PositiveIntList?

    @Option(help: "Query head counts, comma-separated (default: 8).")
    var heads: PositiveIntList?

    @Option(name: .customLong("kv-heads"), help: "Key/value heads (grouped-query attention); default: same as --heads.")
    var kvHeads: Int?

    @Option(name: .customLong("head-dim"), help: "Head dimension d (default: 64).")
    var headDim: Int?

    @Option(help: "Batch size (default: 1).")
    var batch: Int?

    @Option(help: "Causal mask: off (BERT-style), on (GPT-style, aligned bottom-right) or both (default: off).")
    var causal: CausalMode?

    /// Larger than any real model uses, and large enough to overflow index arithmetic in products.
    static let largestDimension = 1 << 24

    func validate() throws {
        if let preset, let given = explicitShapeOptions.first {
            throw ValidationError("--preset \(preset.rawValue) sets the shapes itself; drop \(given) (or drop --preset)")
        }
        let headDim = headDim ?? 64, batch = batch ?? 1
        for (name, value) in [("--head-dim", headDim), ("--batch", batch), ("--kv-heads", kvHeads ?? 1)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        let lists = [("--seq", seq?.values ?? []), ("--seq-kv", seqKV?.values ?? []), ("--heads", heads?.values ?? []),
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

    /// The shape options given on the command line, by flag name (a preset excludes them all).
    var explicitShapeOptions: [String] {
        [("--seq", seq != nil), ("--seq-kv", seqKV != nil), ("--heads", heads != nil), ("--kv-heads", kvHeads != nil),
         ("--head-dim", headDim != nil), ("--batch", batch != nil), ("--causal", causal != nil)]
            .filter(\.1).map(\.0)
    }

    /// Every shape to run: the preset's, or the cross product ordered by mask, heads, then length.
    var shapes: [AttentionShape] {
        if let preset { return preset.shapes }
        let batch = batch ?? 1, headDim = headDim ?? 64
        var result: [AttentionShape] = []
        for causalFlag in (causal ?? .off).flags {
            for headCount in (heads ?? PositiveIntList([8])).values {
                let seq = self.seq ?? PositiveIntList([1024])
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
