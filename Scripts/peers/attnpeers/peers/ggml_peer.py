"""ggml: llama.cpp's CPU flash attention, `ggml_flash_attn_ext`, through the PyPI package `ggml-python`
(which builds ggml from source; `Scripts/peers/run --with-ggml` installs it).

Layout: ggml lists dimensions innermost first, so attnbench's contiguous Q (B, H, Nq, d) is a tensor
[d, Nq, H, B] and K, V (B, Hkv, Nk, d) are [d, Nk, Hkv, B] (V not transposed) without a copy; query head h
reads KV head h / (H / Hkv), as attnbench's. The result is [d, H, Nq, B] ("permuted"), viewed back as
(B, H, Nq, d). The tensors point at numpy buffers that the peer keeps (no copy of K or V into ggml).

Mask: ggml takes an additive f16 mask [Nk, rows padded to GGML_KQ_MASK_PAD], broadcast over heads and batch:
0 where query row i sees key j (j ≤ i + Nk − Nq, bottom-right as attnbench), −inf elsewhere and in the
padding rows. As for every peer, only the live rows (those that see a key) are given; the others are zero.
A one-row decode step sees every key and gets no mask.

Formats: K and V are stored in the shape's kv_dtype as ggml types (F32, F16, BF16, Q8_0: the same bytes as
attnpeers/formats.py encodes; Q8_0 needs d % 32 == 0), converted before timing. Q goes in as F32 holding
its dtype's values (ggml converts Q itself: to K's dot-product type on its one-row path, i.e. to f16, bf16 or
q8_0); O is cast in the graph to the dtype when that is not f32. Threads: the graph is planned and computed
with ggml's own thread count (ggml_graph_plan(n_threads) + ggml_graph_compute).
"""

import ctypes

from attnpeers.check import Tolerance
from attnpeers.formats import Q8_BLOCK, encode, f16_bits, decode
from attnpeers.peers.base import PeerUnavailable, live_queries, with_dead_rows

MASK_PAD_DEFAULT = 32  # GGML_KQ_MASK_PAD where the binding does not say


class GgmlPeer:
    name = "ggml"

    def __init__(self):
        try:
            import ggml
        except (ImportError, OSError) as error:
            raise PeerUnavailable(
                "ggml-python is not installed in the peers' venv (%s); `Scripts/peers/run --with-ggml` installs it "
                "(it builds ggml from source: a C compiler and about a minute)" % str(error).splitlines()[0])
        import numpy as np

        self.ggml, self.np = ggml, np
        try:
            from importlib.metadata import version
            self.version = version("ggml-python")
        except Exception:  # noqa: BLE001 - metadata missing: still runs
            self.version = getattr(ggml, "__version__", "unknown")
        self.types = {"f32": ggml.GGML_TYPE_F32, "f16": ggml.GGML_TYPE_F16, "bf16": ggml.GGML_TYPE_BF16,
                      "q8_0": ggml.GGML_TYPE_Q8_0}
        self.mask_pad = getattr(ggml, "GGML_KQ_MASK_PAD", MASK_PAD_DEFAULT)
        self.note = ""

    def unsupported(self, shape, threads):
        if shape.kv_dtype == "q8_0" and shape.head_dim % Q8_BLOCK:
            return "ggml's q8_0 needs head_dim %% 32 == 0, got d = %d" % shape.head_dim
        return None

    def set_threads(self, threads):
        pass  # the thread count is part of the compute plan (ggml_graph_plan)

    def scratch_bytes(self, shape):
        # K and V in their format, Q, O, the mask and the work buffer (per thread: a few rows of d floats).
        per = {"f32": 4, "f16": 2, "bf16": 2, "q8_0": 34.0 / 32}[shape.kv_dtype]
        return int(2 * per * shape.key_elements + 8 * shape.query_elements + 2 * shape.seq_q * shape.seq_kv
                   + (1 << 24))

    def query_format(self, shape):
        """The format ggml's one-row path converts Q into: K's vec_dot type."""
        return None if shape.kv_dtype == "f32" else shape.kv_dtype

    def tolerance(self, shape):
        return Tolerance(shape.dtype, query_format=self.query_format(shape),
                         weights_format="f16" if shape.kv_dtype == "f16" else None)

    def _tensor(self, ctx, kind, dims, array):
        """A 4-D ggml tensor of type `kind` (ne = dims, innermost first) whose data is `array`'s buffer."""
        ggml = self.ggml
        tensor = ggml.ggml_new_tensor_4d(ctx, kind, *dims)
        if ggml.ggml_nbytes(tensor) != array.nbytes:
            raise PeerUnavailable("ggml tensor of %d bytes for a %d-byte buffer" % (ggml.ggml_nbytes(tensor),
                                                                                    array.nbytes))
        tensor.contents.data = ctypes.c_void_p(array.ctypes.data)
        return tensor

    def _stored(self, x, fmt):
        """x (float32, already holding fmt's values) as the bytes of ggml's type for fmt."""
        np = self.np
        if fmt == "q8_0":
            return np.ascontiguousarray(encode(x, fmt).block_bytes())
        return np.ascontiguousarray(encode(x, fmt))

    def mask(self, shape):
        """The additive f16 mask (padded rows × Nk): 0 where visible, −inf where hidden and in the padding."""
        np = self.np
        rows = shape.live_rows
        padded = -(-rows // self.mask_pad) * self.mask_pad
        mask = np.full((padded, shape.seq_kv), -np.inf, dtype=np.float32)
        mask[:rows] = np.where(shape.hidden_keys(), np.float32(-np.inf), np.float32(0))
        return f16_bits(mask)

    def prepare(self, shape, q, k, v, threads):
        ggml, np = self.ggml, self.np
        B, H, G, rows, Nk, d = shape.batch, shape.heads, shape.kv_heads, shape.live_rows, shape.seq_kv, shape.head_dim
        queries = live_queries(shape, q)
        keys, values = self._stored(k, shape.kv_dtype), self._stored(v, shape.kv_dtype)
        kv_type = self.types[shape.kv_dtype]
        mask = self.mask(shape) if shape.masked else None
        result = np.empty((B, rows, H, d), dtype=np.float32)
        cast = np.empty((B, rows, H, d), dtype=np.uint16) if shape.dtype != "f32" else None

        params = ggml.ggml_init_params(mem_size=16 * ggml.ggml_tensor_overhead() + ggml.ggml_graph_overhead() + 4096,
                                       mem_buffer=None, no_alloc=True)
        ctx = ggml.ggml_init(params)
        if not ctx:
            raise PeerUnavailable("ggml_init failed")
        # Everything ggml points at lives as long as the runner (several runners, one per thread count, are
        # timed together).
        keep = [_Context(ggml, ctx), queries, keys, values, mask, result, cast]
        tq = self._tensor(ctx, ggml.GGML_TYPE_F32, (d, rows, H, B), queries)
        tk = self._tensor(ctx, kv_type, (d, Nk, G, B), keys)
        tv = self._tensor(ctx, kv_type, (d, Nk, G, B), values)
        tm = self._tensor(ctx, ggml.GGML_TYPE_F16, (Nk, mask.shape[0], 1, 1), mask) if mask is not None else None
        attention = ggml.ggml_flash_attn_ext(ctx, tq, tk, tv, tm, shape.scale, 0.0, 0.0)
        attention.contents.data = ctypes.c_void_p(result.ctypes.data)
        top = attention
        if cast is not None:
            top = ggml.ggml_cast(ctx, attention, self.types[shape.dtype])
            top.contents.data = ctypes.c_void_p(cast.ctypes.data)
        graph = ggml.ggml_new_graph(ctx)
        ggml.ggml_build_forward_expand(graph, top)
        plan = ggml.ggml_graph_plan(graph, threads, None)
        work = np.empty(max(1, plan.work_size), dtype=np.uint8)
        plan.work_data = ctypes.cast(work.ctypes.data, ctypes.POINTER(ctypes.c_uint8))
        keep += [work, plan, graph]

        notes = ["ggml_flash_attn_ext (ggml-python %s)" % self.version, "K/V %s" % shape.kv_dtype.upper()]
        if self.query_format(shape):
            notes.append("its one-row path rounds Q to %s (K's dot type)" % self.query_format(shape))
        if shape.kv_dtype == "f16":
            notes.append("f16 V accumulator on that path")
        if shape.group > 1:
            notes.append("GQA by broadcast")
        if mask is not None:
            notes.append("f16 mask padded to %d rows" % mask.shape[0])
        if cast is not None:
            notes.append("O cast to %s in the graph" % shape.dtype)
        notes.append("ggml_graph_compute n_threads=%d" % threads)
        self.note = "; ".join(notes)

        place = with_dead_rows(shape, q)
        compute, plan_ref = ggml.ggml_graph_compute, ctypes.byref(plan)
        dtype = shape.dtype

        def run(keep=keep):
            status = compute(graph, plan_ref)
            if status != 0:
                raise PeerUnavailable("ggml_graph_compute returned status %d" % status)
            out = result if cast is None else decode(cast, dtype)
            return place(out.transpose(0, 2, 1, 3))

        return run


class _Context:
    """Frees the ggml context when the peer lets go of it."""

    def __init__(self, ggml, ctx):
        self.ggml, self.ctx = ggml, ctx

    def __del__(self):
        try:
            self.ggml.ggml_free(self.ctx)
        except Exception:  # noqa: BLE001 - interpreter shutting down
            pass
