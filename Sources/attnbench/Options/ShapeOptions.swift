import ArgumentParser
import AttnBench

/// The shapes a sweep covers: the cross product of the masks, head counts, key/value head counts and
/// sequence lengths; `--seq-kv` pairs with `--seq` (one value applies to every length on the other side).
struct ShapeOptions: ParsableArguments {
    @Option(help: ShapePreset.help)
    var preset: ShapePreset?

    @Option(help: "Query sequence lengths, comma-separated (default: 1024).")
    var seq: PositiveIntList?

    @Option(name: .customLong("seq-kv"), help: ArgumentHelp(
        "Key/value sequence lengths (cross-attention, decode), comma-separated; default: same as --seq.",
        discussion: "Paired with --seq in order; a single value on either side goes with every value on the other."))
    var seqKV: PositiveIntList?

    @Option(help: "Query head counts, comma-separated (default: 8).")
    var heads: PositiveIntList?

    @Option(name: .customLong("kv-heads"), help: "Key/value head counts (grouped-query attention), comma-separated; each must divide every --heads value; default: same as --heads.")
    var kvHeads: PositiveIntList?

    @Option(name: .customLong("head-dim"), help: "Head dimension d (default: 64).")
    var headDim: Int?

    @Option(help: "Batch size (default: 1).")
    var batch: Int?

    @Option(help: "Causal mask: off (BERT-style), on (GPT-style, aligned bottom-right) or both (default: off).")
    var causal: CausalMode?

    @Option(help: ArgumentHelp(
        "Storage of Q, K, V and O, comma-separated: f32, f16 or bf16 (default: f32).",
        discussion: "Inputs are the same SplitMix64 fp32 values, rounded to the format (round to nearest even; f16 saturates finite values beyond ±65504). Also with --preset."))
    var dtype: QueryFormatList?

    @Option(name: .customLong("kv-dtype"), help: ArgumentHelp(
        "Storage of K and V only, comma-separated: f32, f16, bf16 or q8_0 (ggml's blocks of 32 int8 values along d with one fp16 scale; default: each --dtype).",
        discussion: "A q8_0 row whose head dimension is not a multiple of 32 ends with a partial block; a block holding NaN or ±inf gets a NaN scale, so it reads as NaN."))
    var kvDtype: FormatList?

    /// Larger than any real model uses, and large enough to overflow index arithmetic in products.
    static let largestDimension = 1 << 24

    func validate() throws {
        if let preset, let given = explicitShapeOptions.first {
            throw ValidationError("--preset \(preset.rawValue) sets the shapes itself; drop \(given) (or drop --preset)")
        }
        let headDim = headDim ?? 64, batch = batch ?? 1
        for (name, value) in [("--head-dim", headDim), ("--batch", batch)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        let lists = [("--seq", seq?.values ?? []), ("--seq-kv", seqKV?.values ?? []), ("--heads", heads?.values ?? []),
                     ("--head-dim", [headDim]), ("--batch", [batch]), ("--kv-heads", kvHeads?.values ?? [])]
        for (name, values) in lists {
            if let absurd = values.first(where: { $0 > Self.largestDimension }) {
                throw ValidationError("\(name) \(absurd) is absurdly large (at most \(Self.largestDimension))")
            }
        }
        if let refused = dtype?.values.first(where: { !$0.holdsQueriesAndOutputs }) {
            throw ValidationError("--dtype \(refused.rawValue) holds keys and values only; use --kv-dtype \(refused.rawValue) (Q and O: f32, f16 or bf16)")
        }
        if let seq, let seqKV, seq.values.count > 1, seqKV.values.count > 1, seq.values.count != seqKV.values.count {
            throw ValidationError("--seq-kv pairs with --seq in order: give as many values as --seq (\(seq.values.count)), or one")
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

    /// Every shape to run: the preset's, or the cross product ordered by mask, heads, key/value heads, then
    /// the (query, key) length pairs; each in every (`--dtype`, `--kv-dtype`) pair, formats innermost, so the
    /// formats of one shape sit together.
    var shapes: [AttentionShape] {
        let dtypes = dtype?.values ?? [.f32]
        return layouts.flatMap { base in
            dtypes.flatMap { dtype in
                (kvDtype?.values ?? [dtype]).map { kvDtype in
                    var shape = base
                    shape.dtype = dtype
                    shape.kvDtype = kvDtype
                    return shape
                }
            }
        }
    }

    /// The shapes without formats: the preset's, or the cross product of the shape options.
    var layouts: [AttentionShape] {
        if let preset { return preset.shapes }
        let batch = batch ?? 1, headDim = headDim ?? 64
        var result: [AttentionShape] = []
        for causalFlag in (causal ?? .off).flags {
            for headCount in (heads ?? PositiveIntList([8])).values {
                for kvHeadCount in kvHeads?.values ?? [headCount] {
                    for (queries, keys) in lengthPairs {
                        result.append(AttentionShape(batch: batch, heads: headCount, kvHeads: kvHeadCount,
                                                     seqQ: queries, seqKV: keys, headDim: headDim, causal: causalFlag))
                    }
                }
            }
        }
        return result
    }

    /// (query length, key length) pairs: `--seq` and `--seq-kv` in order, a single value on either side going
    /// with every value on the other (`--seq 1 --seq-kv 1024,4096` is two decode shapes).
    var lengthPairs: [(Int, Int)] {
        let queries = (seq ?? PositiveIntList([1024])).values
        guard let keys = seqKV?.values else { return queries.map { ($0, $0) } }
        let count = max(queries.count, keys.count)
        return (0..<count).map { (queries[min($0, queries.count - 1)], keys[min($0, keys.count - 1)]) }
    }
}
