"""Q, K and V exactly as AttentionTensors(shape:seed:) fills them: one SplitMix64 stream of signed unit
floats, Q first, then K, then V, each in layout order."""

from attnpeers.splitmix import signed_unit_floats


_last = {}  # the last geometry's inputs: a sweep runs each geometry in every format in a row


def shared_inputs(shape, seed):
    """make_inputs, kept for the next call on the same geometry and seed (the formats of one geometry run in
    a row and start from the same fp32 values). The arrays are shared: nobody may write them."""
    key = (shape.geometry(), seed)
    if key not in _last:
        _last.clear()
        _last[key] = make_inputs(shape, seed)
    return _last[key]


def make_inputs(shape, seed):
    """(q, k, v) float32 arrays of shapes (B, H, Nq, d), (B, Hkv, Nk, d), (B, Hkv, Nk, d): the fp32 inputs,
    the same for every format (attnpeers/formats.py rounds them)."""
    q_count, k_count = shape.query_elements, shape.key_elements
    q = signed_unit_floats(seed, 0, q_count).reshape(shape.batch, shape.heads, shape.seq_q, shape.head_dim)
    k = signed_unit_floats(seed, q_count, k_count).reshape(shape.batch, shape.kv_heads, shape.seq_kv, shape.head_dim)
    v = signed_unit_floats(seed, q_count + k_count, k_count).reshape(
        shape.batch, shape.kv_heads, shape.seq_kv, shape.head_dim)
    return q, k, v
