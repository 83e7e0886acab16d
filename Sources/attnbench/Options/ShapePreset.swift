import AttnBench
import ArgumentParser

/// Named shape sets for inference: `--preset decode` and `--preset prefill` (Llama-3-8B-sized heads).
///
/// - `decode`: a few new tokens against a long cache. Nq ∈ {1, 4, 16} × Nk ∈ {1K, 4K, 16K, 32K, 128K},
///   32 query heads with 32 (multi-head), 8 (grouped-query) or 1 (multi-query) key/value heads, d = 128,
///   causal: 45 shapes. Arithmetic intensity ≈ Nq·H/Hkv flop/byte, so these sit on the bandwidth slope of
///   the roofline. The largest, Nk = 128K with 32 KV heads, has 4 GiB of K and V (Hkv · Nk · 1 KiB).
/// - `prefill`: a prompt read in one go. Nq = Nk ∈ {1024, 2048, 4096}, 32 heads with 32 or 8 KV heads,
///   d = 128, without and with the causal mask: 12 shapes, compute-bound (AI in the hundreds).
///
/// A preset replaces the shape options: giving it together with `--seq`, `--seq-kv`, `--heads`,
/// `--kv-heads`, `--head-dim`, `--batch` or `--causal` is a usage error.
enum ShapePreset: String, ExpressibleByArgument, CaseIterable, Sendable {
    case decode, prefill

    static let heads = 32
    static let headDim = 128

    /// Every shape of the preset, ordered by mask, key/value heads, query length, then key length.
    var shapes: [AttentionShape] {
        switch self {
        case .decode:
            return [32, 8, 1].flatMap { kvHeads in
                [1, 4, 16].flatMap { queries in
                    [1024, 4096, 16384, 32768, 131072].map { keys in
                        AttentionShape(heads: Self.heads, kvHeads: kvHeads, seqQ: queries, seqKV: keys,
                                       headDim: Self.headDim, causal: true)
                    }
                }
            }
        case .prefill:
            return [false, true].flatMap { causal in
                [32, 8].flatMap { kvHeads in
                    [1024, 2048, 4096].map { length in
                        AttentionShape(heads: Self.heads, kvHeads: kvHeads, seqQ: length, headDim: Self.headDim,
                                       causal: causal)
                    }
                }
            }
        }
    }

    /// One line for `--help`.
    static let help = ArgumentHelp(
        "Inference shapes instead of --seq/--heads/…: decode (Nq 1,4,16 × Nk 1K–128K, 32 heads with 32/8/1 KV heads, d 128, causal) or prefill (Nq = Nk 1024–4096, 32 heads with 32/8 KV heads, d 128, causal off and on).",
        valueName: "decode|prefill")
}
