"""Q, K and V exactly as AttentionTensors(shape:seed:) fills them: one SplitMix64 stream of signed unit
floats, Q first, then K, then V, each in layout order."""

from attnpeers.splitmix import signed_unit_floats


def make_inputs(shape, seed):
    """(q, k, v) float32 arrays of shapes (B, H, Nq, d), (B, Hkv, Nk, d), (B, Hkv, Nk, d)."""
    q_count, k_count = shape.query_elements, shape.key_elements
    q = signed_unit_floats(seed, 0, q_count).reshape(shape.batch, shape.heads, shape.seq_q, shape.head_dim)
    k = signed_unit_floats(seed, q_count, k_count).reshape(shape.batch, shape.kv_heads, shape.seq_kv, shape.head_dim)
    v = signed_unit_floats(seed, q_count + k_count, k_count).reshape(
        shape.batch, shape.kv_heads, shape.seq_kv, shape.head_dim)
    return q, k, v
