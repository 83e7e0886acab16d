"""Inference-shape presets (issue 12): the shapes of `--preset decode` and `--preset prefill`.

- decode: one step of a Llama-3-8B-sized layer reading a KV cache: Nq ∈ {1, 4, 16} new query rows (1 plain
  decoding, 4 and 16 speculative or batched verification), Nk from 1K to 128K keys, 32 query heads with 32
  (multi-head), 8 (grouped-query) or 1 (multi-query) key/value heads, d = 128, causal bottom-right.
- prefill: the prompt itself, Nq = Nk ∈ {1K, 2K, 4K}, with the same heads, KV heads and d, causal.

attnbench's own `--preset`, where the binary has one, decides what `run-with-attnbench` runs: the peers then
take their shapes from attnbench's results file (`--shapes-from`). This module is the expansion used where
the binary has none, and by the peers run alone. `python3 -m attnpeers.presets NAME` prints the attnbench
options of each sweep the preset needs, one line per sweep (attnbench takes one --kv-heads per sweep, and
pairs --seq with --seq-kv by position).
"""

import sys

HEADS = 32
KV_HEADS = [32, 8, 1]
HEAD_DIM = 128

PRESETS = {
    "decode": {"pairs": [(q, 1024 << i) for q in (1, 4, 16) for i in range(8)]},
    "prefill": {"pairs": [(n, n) for n in (1024, 2048, 4096)]},
}


def sweeps(name):
    """One attnbench option list per sweep of the preset."""
    pairs = PRESETS[name]["pairs"]
    seq = ",".join(str(q) for q, _ in pairs)
    seq_kv = ",".join(str(k) for _, k in pairs)
    return [["--seq", seq, "--seq-kv", seq_kv, "--heads", str(HEADS), "--kv-heads", str(kv), "--head-dim",
             str(HEAD_DIM), "--causal", "on"] for kv in KV_HEADS]


def shapes(name, batch=1):
    """The preset's shapes, in the order of its sweeps."""
    from attnpeers.shape import Shape

    return [Shape(batch, HEADS, kv, q, k, HEAD_DIM, True) for kv in KV_HEADS for q, k in PRESETS[name]["pairs"]]


def main(argv):
    if len(argv) != 1 or argv[0] not in PRESETS:
        print("usage: python3 -m attnpeers.presets %s" % "|".join(PRESETS), file=sys.stderr)
        return 64
    for options in sweeps(argv[0]):
        print(" ".join(options))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
