"""The float64 check, as Sources/AttentionCore/EquivalenceCheck.swift and ReferenceAttention.swift.

A peer's output is compared with a float64 reference on sampled query rows of every head, with the bound

    allowed_abs_err = 64 · ε₃₂ · (κ + log₂ Nk + 1) · max|V|,   κ = |scale| · max‖q_i‖ · max‖k_j‖

(a softmax-weighted average of V moves by about ε·κ·max|V| per rounded score, plus log₂ Nk roundings in the
sums). Non-finite elements must match the reference exactly (NaN where it is NaN, nowhere else).

Formats (attnpeers/formats.py): Q, K and V are the stored values, decoded exactly, so the bound above still
measures the peer's arithmetic. A `Tolerance` adds what a format does beyond that, each term a bound:

- the rounding of O into its format (dtype): u_O · max|V|, u the unit roundoff (|O| ≤ max|V|);
- a peer that rounds Q once more (ggml converts Q to K's dot-product type: f16, bf16 or q8_0): every score
  moves by at most δ = |scale| · max‖q − q̃‖ · max‖k‖, so every softmax weight by a factor within e^{±2δ},
  and O by at most (e^{2δ} − 1) · max|V|; q̃ is computed here with the same rounding;
- a peer whose softmax weights or P·V sums are held in a 16-bit format (PyTorch's and ONNX Runtime's reduced
  formats, ggml's f16 V accumulator): WEIGHTS_MULTIPLIER · u_w · (log₂ Nk + 1) · max|V|.

`format_err` is the largest |O − reference| where the reference is computed from the fp32 inputs before
rounding (`exact`): what the format costs in accuracy. It is reported, not gated.
"""

import math
import sys

from attnpeers.splitmix import SplitMix64

TOLERANCE_MULTIPLIER = 64.0
FLOAT_EPSILON = 2.0 ** -23  # Float.ulpOfOne
WEIGHTS_MULTIPLIER = 4.0


class Tolerance:
    """What a peer's format adds to the bound (see above): `output_format` is O's storage, `query_format` the
    format the peer rounds Q into on its own (None: it does not), `weights_format` the 16-bit format its
    softmax weights or P·V accumulators are held in (None: float32)."""

    def __init__(self, output_format="f32", query_format=None, weights_format=None):
        self.output_format, self.query_format, self.weights_format = output_format, query_format, weights_format

    def describe(self):
        parts = []
        if self.query_format:
            parts.append("Q rounded to %s by the peer" % self.query_format)
        if self.weights_format:
            parts.append("weights/accumulators in %s" % self.weights_format)
        return ", ".join(parts)


def check_rows(seq_q, rows_per_head, seed):
    """EquivalenceCheck.rows(for:): all rows when few, else first, last and seeded random ones, sorted."""
    if seq_q <= rows_per_head:
        return list(range(seq_q))
    chosen = {0, seq_q - 1}
    generator = SplitMix64(seed)
    while len(chosen) < rows_per_head:
        chosen.add(generator.next() % seq_q)
    return sorted(chosen)


def reference_rows(shape, queries, keys, values, rows):
    """float64 reference output (len(rows) × d) of one head: `queries` its (Nq × d) Q, `keys` and `values`
    its KV head's (Nk × d) K and V, already float64; `rows` the query rows wanted."""
    import numpy as np

    scores = (queries[rows] @ keys.T) * float(shape.scale)
    out = np.zeros((len(rows), shape.head_dim))
    for n, i in enumerate(rows):
        visible = shape.visible(i)
        if visible == 0:
            continue
        s = scores[n, :visible]
        if np.isnan(s).any():
            out[n] = np.nan
            continue
        top = s.max()
        if top == -np.inf:
            continue
        w = np.exp(s - top)
        out[n] = (w / w.sum()) @ values[:visible]
    return out


def _row_norms(block):
    import numpy as np

    block = np.where(np.isfinite(block), block, 0).astype(np.float64)
    return np.sqrt((block * block).sum(axis=-1))


def compare(shape, q, k, v, o, rows_per_head, seed, multiplier=TOLERANCE_MULTIPLIER, exact=None, tolerance=None):
    """EquivalenceCheck.compare: a dict with max_abs_err, max_rel_err, nrms_err, allowed_abs_err,
    mismatches, rows_checked, format_err and passed. q, k, v: the stored inputs (decoded); `exact`: the fp32
    inputs before rounding, for format_err (None: the same as q, k, v); `tolerance`: a Tolerance (None: O
    rounded to the shape's dtype, nothing else). Each KV head is converted to float64 once, for its group."""
    import numpy as np

    from attnpeers.formats import UNIT_ROUNDOFF, round_trip

    tolerance = tolerance or Tolerance(shape.dtype)
    rows = check_rows(shape.seq_q, rows_per_head, seed)
    format_err = 0.0
    query_shift = 0.0  # max‖q − q̃‖ · max‖k‖ · |scale| over the checked rows
    finite_v = v[np.isfinite(v)]
    output_scale = float(np.abs(finite_v).max()) if finite_v.size else 0.0
    relative_floor = max(1e-3 * output_scale, sys.float_info.min)
    max_abs = max_rel = error_squares = reference_squares = 0.0
    mismatches = 0
    kappa = 0.0

    for b in range(shape.batch):
        for g in range(shape.kv_heads):
            keys, values = k[b, g].astype(np.float64), v[b, g].astype(np.float64)
            key_norm = float(_row_norms(k[b, g]).max())
            for h in range(g * shape.group, (g + 1) * shape.group):
                query_norms = _row_norms(q[b, h, rows])
                kappa = max(kappa, float((abs(shape.scale) * query_norms * key_norm).max()))
                if tolerance.query_format:
                    moved = _row_norms(q[b, h, rows].astype(np.float64)
                                       - round_trip(q[b, h, rows], tolerance.query_format).astype(np.float64))
                    query_shift = max(query_shift, float(abs(shape.scale) * moved.max() * key_norm))
                r = reference_rows(shape, q[b, h].astype(np.float64), keys, values, rows)
                out = o[b, h, rows].astype(np.float64)
                if exact is not None:
                    eq, ek, ev = exact
                    r32 = reference_rows(shape, eq[b, h].astype(np.float64), ek[b, g].astype(np.float64),
                                         ev[b, g].astype(np.float64), rows)
                    finite = np.isfinite(r32) & np.isfinite(out)
                    if finite.any():
                        format_err = max(format_err, float(np.abs(out[finite] - r32[finite]).max()))
                special = np.isnan(r) | ~np.isfinite(out)
                if special.any():
                    rs, os_ = r[special], out[special]
                    mismatches += int(((np.isnan(rs) != np.isnan(os_)) | (~np.isnan(rs) & (rs != os_))).sum())
                ok = ~special
                error = np.abs(out[ok] - r[ok])
                if error.size:
                    max_abs = max(max_abs, float(error.max()))
                    max_rel = max(max_rel, float((error / np.maximum(np.abs(r[ok]), relative_floor)).max()))
                    error_squares += float((error * error).sum())
                    reference_squares += float((r[ok] * r[ok]).sum())
    expected = FLOAT_EPSILON * (kappa + math.log2(shape.seq_kv) + 1) * output_scale
    if reference_squares > 0:
        nrms = math.sqrt(error_squares / reference_squares)
    else:
        nrms = math.inf if error_squares > 0 else 0.0
    allowed = multiplier * expected
    if tolerance.output_format != "f32":
        allowed += UNIT_ROUNDOFF[tolerance.output_format] * output_scale
    if tolerance.query_format:
        allowed += math.expm1(2 * query_shift) * output_scale
    if tolerance.weights_format:
        allowed += (WEIGHTS_MULTIPLIER * UNIT_ROUNDOFF[tolerance.weights_format] * (math.log2(shape.seq_kv) + 1)
                    * output_scale)
    return {"max_abs_err": max_abs, "max_rel_err": max_rel, "nrms_err": nrms, "allowed_abs_err": allowed,
            "mismatches": mismatches, "rows_checked": len(rows) * shape.batch * shape.heads,
            "format_err": format_err if exact is not None else max_abs,
            "passed": mismatches == 0 and max_abs <= allowed}
