"""The float64 check, as Sources/AttentionCore/EquivalenceCheck.swift and ReferenceAttention.swift.

A peer's output is compared with a float64 reference on sampled query rows of every head, with the bound

    allowed_abs_err = 64 · ε₃₂ · (κ + log₂ Nk + 1) · max|V|,   κ = |scale| · max‖q_i‖ · max‖k_j‖

(a softmax-weighted average of V moves by about ε·κ·max|V| per rounded score, plus log₂ Nk roundings in the
sums). Non-finite elements must match the reference exactly (NaN where it is NaN, nowhere else).
"""

import math
import sys

from attnpeers.splitmix import SplitMix64

TOLERANCE_MULTIPLIER = 64.0
FLOAT_EPSILON = 2.0 ** -23  # Float.ulpOfOne


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


def compare(shape, q, k, v, o, rows_per_head, seed, multiplier=TOLERANCE_MULTIPLIER):
    """EquivalenceCheck.compare: a dict with max_abs_err, max_rel_err, nrms_err, allowed_abs_err,
    mismatches, rows_checked and passed. Each KV head is converted to float64 once, for its whole group."""
    import numpy as np

    rows = check_rows(shape.seq_q, rows_per_head, seed)
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
                r = reference_rows(shape, q[b, h].astype(np.float64), keys, values, rows)
                out = o[b, h, rows].astype(np.float64)
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
    return {"max_abs_err": max_abs, "max_rel_err": max_rel, "nrms_err": nrms, "allowed_abs_err": allowed,
            "mismatches": mismatches, "rows_checked": len(rows) * shape.batch * shape.heads,
            "passed": mismatches == 0 and max_abs <= allowed}
