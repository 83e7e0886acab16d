"""numpy: scores by BLAS sgemm, a stable softmax, then sgemm with V; float32 throughout.

`numpy` runs one query head at a time, as a textbook implementation does. `numpy-gqa` stacks the query
heads that share a key/value head into one (group · Nq) × d matrix, so that each K and V is read once per
KV head rather than once per query head (under GQA 4 that is a quarter of the memory traffic, which is what
decides decode). Masked scores are computed and then hidden: the cost model counts only unmasked work, so
causal GFLOP/s are about half the full ones on square shapes.

Formats: numpy has no bfloat16 or q8_0, so a numpy user keeps them as arrays (float16; bf16 as uint16 bit
patterns; q8_0 as int8 blocks with float16 scales, attnpeers/formats.py) and converts to float32 to compute:
here that conversion of Q, K and V, and the rounding of O into its format, are inside the timed call, on
the whole tensors. Every format and every d runs.
"""

import os

from attnpeers.formats import decode, encode, round_trip
from attnpeers.peers.base import live_queries, with_dead_rows


class NumpyPeer:
    def __init__(self, stack_group=False):
        import numpy as np

        self.np = np
        self.stack_group = stack_group
        self.name = "numpy-gqa" if stack_group else "numpy"
        self.version = np.__version__
        try:
            import threadpoolctl
            self.threadpoolctl = threadpoolctl
        except ImportError:
            self.threadpoolctl = None
        self.blas = self._blas_name()
        self.note = ""
        self._limiter = None
        self._threads = None

    def _blas_name(self):
        try:
            config = self.np.show_config(mode="dicts")
            blas = config["Build Dependencies"]["blas"]
            return "%s %s" % (blas.get("name", "?"), blas.get("version", "?"))
        except Exception:  # noqa: BLE001 - older numpy: no dict mode
            return "unknown"

    def unsupported(self, shape, threads):
        if self.stack_group and shape.group == 1:
            return "kv_heads = heads: nothing to stack, the same computation as numpy"
        fixed = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "0"
        if self.threadpoolctl is None and threads != int(fixed):
            return "threadpoolctl is not installed, so BLAS threads cannot be set (Scripts/peers/run installs it)"
        return None

    def set_threads(self, threads):
        if self.threadpoolctl is None or self._threads == threads:
            return
        if self._limiter is not None:
            self._limiter.restore_original_limits()
        self._limiter = self.threadpoolctl.threadpool_limits(limits=threads, user_api="blas")
        self._threads = threads

    def heads_per_product(self, shape):
        return shape.group if self.stack_group else 1

    def scratch_bytes(self, shape):
        rows = self.heads_per_product(shape) * shape.seq_q
        converted = 4 * (2 * shape.key_elements + 2 * shape.query_elements) if shape.formatted else 0
        return 4 * (rows * shape.seq_kv + 2 * rows + 2 * shape.query_elements) + converted

    def prepare(self, shape, q, k, v, threads):
        np = self.np
        n = self.heads_per_product(shape)  # query heads in one product, all reading the same KV head
        rows = n * shape.live_rows
        d = shape.head_dim
        scale = np.float32(shape.scale)
        scores = np.empty((rows, shape.seq_kv), dtype=np.float32)
        hidden = np.tile(shape.hidden_keys(), (n, 1)) if shape.masked else None
        queries = live_queries(shape, q)
        result = np.empty_like(queries)
        place = with_dead_rows(shape, q)
        stored = {"q": encode(queries, shape.dtype), "k": encode(k, shape.kv_dtype), "v": encode(v, shape.kv_dtype)}
        how = ("the %d query heads of a KV head stacked: one (%d×%d)·(%d×%d) sgemm per KV head"
               % (n, rows, d, d, shape.seq_kv)) if n > 1 else "per-head sgemm"
        self.note = "BLAS %s; %s + softmax%s" % (self.blas, how, "; masked scores computed then hidden"
                                                 if hidden is not None else "")
        if shape.formatted:
            self.note += "; %s converted to float32 inside the timed call" % ", ".join(
                "%s %s" % (name, fmt) for name, fmt in (("Q", shape.dtype), ("K/V", shape.kv_dtype)) if fmt != "f32")
            if shape.dtype != "f32":
                self.note += ", O rounded to %s" % shape.dtype

        def run():
            queries, k, v = (decode(stored[name], fmt) for name, fmt in
                             (("q", shape.dtype), ("k", shape.kv_dtype), ("v", shape.kv_dtype)))
            keys_t = [[k[b, g].T for g in range(shape.kv_heads)] for b in range(shape.batch)]
            for b in range(shape.batch):
                for h0 in range(0, shape.heads, n):
                    g = h0 // shape.group
                    np.matmul(queries[b, h0:h0 + n].reshape(rows, d), keys_t[b][g], out=scores)
                    np.multiply(scores, scale, out=scores)
                    if hidden is not None:
                        np.copyto(scores, -np.inf, where=hidden)
                    np.subtract(scores, scores.max(axis=1, keepdims=True), out=scores)
                    np.exp(scores, out=scores)
                    total = scores.sum(axis=1, keepdims=True)
                    target = result[b, h0:h0 + n].reshape(rows, d)  # a view: result is contiguous
                    np.matmul(scores, v[b, g], out=target)
                    np.divide(target, total, out=target)
            return place(round_trip(result, shape.dtype))

        return run
