#!/usr/bin/env python3
"""attnpeers: races outside attention implementations ("peers") on attnbench's shapes and inputs.

Peers: `numpy` (BLAS matmuls, one head at a time), `onnxruntime` (an in-memory ONNX graph on the CPU
execution provider) and `torch` (`scaled_dot_product_attention`, when PyTorch is installed).

Every peer sees bit-for-bit attnbench's inputs (regenerated from `--seed` with SplitMix64, filled Q then K
then V in layout order), is first checked against the same float64 reference on the same sampled rows with
the same tolerance formula as Sources/AttentionCore/EquivalenceCheck.swift, and only then timed. Results go
to a CSV in attnbench's schema (Sources/BenchKit/ResultsCSV.swift) with the peer's name in `kernel`, plus
the `<name>-samples.csv` companion, so that `Scripts/peers/merge` can pool them with an attnbench run.

Normally started through Scripts/peers/run, which sets up the virtual environment. `--self-test` checks the
input generator, the check, the statistics, the CSV schema and the merge without timing anything.
"""

import argparse
import datetime
import math
import os
import random
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import peerscsv  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
PEERS = ["numpy", "onnxruntime", "torch"]
TOLERANCE_MULTIPLIER = 64.0
FLOAT_EPSILON = 2.0 ** -23  # Float.ulpOfOne

GAMMA = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
MASK64 = (1 << 64) - 1


def warn(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------------
# SplitMix64, exactly as Sources/AttentionCore/SplitMix64.swift


class SplitMix64:
    """Scalar reference implementation (Python integers)."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + GAMMA) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * MIX1) & MASK64
        z = ((z ^ (z >> 27)) * MIX2) & MASK64
        return z ^ (z >> 31)

    def next_signed_unit_float(self):
        """Float(Int32(truncatingIfNeeded: next() >> 40) - (1 << 23)) / Float(1 << 23), as a Python float."""
        return float((self.next() >> 40) - (1 << 23)) / float(1 << 23)


def splitmix64_outputs(seed, start, count):
    """Outputs number start, start+1, ... of SplitMix64(seed), vectorised: output i (from 0) mixes the state
    seed + (i + 1)·γ (mod 2⁶⁴)."""
    import numpy as np

    index = np.arange(start + 1, start + count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = index * np.uint64(GAMMA) + np.uint64(seed & MASK64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
    return z ^ (z >> np.uint64(31))


def signed_unit_floats(seed, start, count, chunk=1 << 22):
    """float32 values start..start+count-1 of SplitMix64(seed).nextSignedUnitFloat()."""
    import numpy as np

    out = np.empty(count, dtype=np.float32)
    for first in range(0, count, chunk):
        n = min(chunk, count - first)
        bits = (splitmix64_outputs(seed, start + first, n) >> np.uint64(40)).astype(np.int64) - (1 << 23)
        # 24-bit integers and a power-of-two divisor: exact in float32, as in Swift.
        out[first:first + n] = bits.astype(np.float32) / np.float32(1 << 23)
    return out


# --------------------------------------------------------------------------------------------------------
# Shapes, inputs, cost model


class Shape:
    def __init__(self, batch, heads, kv_heads, seq_q, seq_kv, head_dim, causal):
        self.batch, self.heads, self.kv_heads = batch, heads, kv_heads
        self.seq_q, self.seq_kv, self.head_dim, self.causal = seq_q, seq_kv, head_dim, causal
        import numpy as np
        # Float(1 / Float(headDim).squareRoot()): computed in float32, as AttentionShape does.
        self.scale = float(np.float32(1) / np.sqrt(np.float32(head_dim)))

    @property
    def group(self):
        return self.heads // self.kv_heads

    @property
    def offset(self):
        return self.seq_kv - self.seq_q

    def visible(self, i):
        if not self.causal:
            return self.seq_kv
        return max(0, min(self.seq_kv, i + self.offset + 1))

    @property
    def dead_rows(self):
        """Leading query rows that see no key (causal, seqQ > seqKV): their output is zero."""
        return max(0, -self.offset) if self.causal else 0

    @property
    def query_elements(self):
        return self.batch * self.heads * self.seq_q * self.head_dim

    @property
    def key_elements(self):
        return self.batch * self.kv_heads * self.seq_kv * self.head_dim

    def fields(self):
        return {"batch": str(self.batch), "heads": str(self.heads), "kv_heads": str(self.kv_heads),
                "seq_q": str(self.seq_q), "seq_kv": str(self.seq_kv), "head_dim": str(self.head_dim),
                "causal": "true" if self.causal else "false"}

    def __str__(self):
        text = "B%d H%d" % (self.batch, self.heads)
        if self.kv_heads != self.heads:
            text += "/KV%d" % self.kv_heads
        text += " Nq%d" % self.seq_q
        if self.seq_kv != self.seq_q:
            text += " Nk%d" % self.seq_kv
        return text + " d%d %s" % (self.head_dim, "causal" if self.causal else "full")


def visible_pairs(shape):
    """CostModel.visiblePairs: unmasked (query, key) pairs per head, in closed form."""
    if not shape.causal:
        return shape.seq_q * shape.seq_kv
    total = 0
    # visible(i) = clamp(i + offset + 1, 0, Nk): zero, then 1..Nk-1 rising by one, then Nk.
    first_rising = max(0, -shape.offset)                 # first i with visible >= 1
    first_full = max(0, shape.seq_kv - shape.offset - 1)  # first i with visible == Nk
    lo, hi = min(first_rising, shape.seq_q), min(max(first_full, first_rising), shape.seq_q)
    for_rising = hi - lo
    if for_rising > 0:
        a, b = lo + shape.offset + 1, hi - 1 + shape.offset + 1
        total += (a + b) * for_rising // 2
    total += (shape.seq_q - hi) * shape.seq_kv
    return total


def flops(shape):
    """CostModel.flops: 4·d per visible pair, per head."""
    return float(shape.batch * shape.heads) * float(visible_pairs(shape)) * 4.0 * float(shape.head_dim)


def make_inputs(shape, seed):
    """Q, K, V exactly as AttentionTensors(shape:seed:) fills them, as float32 arrays in layout order."""
    q_count, k_count = shape.query_elements, shape.key_elements
    q = signed_unit_floats(seed, 0, q_count).reshape(shape.batch, shape.heads, shape.seq_q, shape.head_dim)
    k = signed_unit_floats(seed, q_count, k_count).reshape(shape.batch, shape.kv_heads, shape.seq_kv, shape.head_dim)
    v = signed_unit_floats(seed, q_count + k_count, k_count).reshape(shape.batch, shape.kv_heads, shape.seq_kv, shape.head_dim)
    return q, k, v


# --------------------------------------------------------------------------------------------------------
# The float64 check, as EquivalenceCheck.swift + ReferenceAttention.swift


def check_rows(seq_q, rows_per_head, seed):
    """EquivalenceCheck.rows(for:): all rows when few, else first, last and seeded random ones, sorted."""
    if seq_q <= rows_per_head:
        return list(range(seq_q))
    chosen = {0, seq_q - 1}
    generator = SplitMix64(seed)
    while len(chosen) < rows_per_head:
        chosen.add(generator.next() % seq_q)
    return sorted(chosen)


def reference_rows(shape, q, k, v, b, h, rows):
    """float64 reference output rows (len(rows) × d) of head (b, h)."""
    import numpy as np

    g = h // shape.group
    keys = k[b, g].astype(np.float64)
    values = v[b, g].astype(np.float64)
    queries = q[b, h, rows].astype(np.float64)
    scores = (queries @ keys.T) * float(shape.scale)
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


def compare(shape, q, k, v, o, rows_per_head, seed, multiplier=TOLERANCE_MULTIPLIER):
    """EquivalenceCheck.compare: a dict with max_abs_err, max_rel_err, nrms_err, allowed_abs_err,
    mismatches, rows_checked and passed."""
    import numpy as np

    rows = check_rows(shape.seq_q, rows_per_head, seed)
    finite_v = v[np.isfinite(v)]
    output_scale = float(np.abs(finite_v).max()) if finite_v.size else 0.0
    relative_floor = max(1e-3 * output_scale, sys.float_info.min)
    max_abs = max_rel = error_squares = reference_squares = 0.0
    mismatches = 0
    kappa = 0.0

    def row_norms(block):
        block = np.where(np.isfinite(block), block, 0).astype(np.float64)
        return np.sqrt((block * block).sum(axis=-1))

    for b in range(shape.batch):
        for h in range(shape.heads):
            key_norm = float(row_norms(k[b, h // shape.group]).max())
            query_norms = row_norms(q[b, h, rows])
            kappa = max(kappa, float((abs(shape.scale) * query_norms * key_norm).max()))
            r = reference_rows(shape, q, k, v, b, h, rows)
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


# --------------------------------------------------------------------------------------------------------
# Statistics, as SampleStatistics.swift


def quantile(ordered, q):
    position = q * (len(ordered) - 1)
    lower = int(math.floor(position))
    upper = min(lower + 1, len(ordered) - 1)
    fraction = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * fraction


def statistics(samples):
    if not samples:
        return None
    ordered = sorted(samples)
    median = quantile(ordered, 0.5)
    return {"count": len(ordered), "min": ordered[0], "max": ordered[-1], "median": median,
            "p90": quantile(ordered, 0.9), "mean": sum(ordered) / len(ordered),
            "mad": quantile(sorted(abs(x - median) for x in ordered), 0.5)}


# --------------------------------------------------------------------------------------------------------
# Peers. Each `prepare` returns a runner: calling it computes O (B, H, Nq, d, float32) and returns it.
# Everything a runner needs (inputs in the peer's own format, graphs, masks, scratch) is built untimed in
# prepare, as attnbench kernels get their scratch before timing.


class PeerUnavailable(Exception):
    pass


def causal_mask_hidden(rows, keys, offset):
    """Boolean (rows × keys): True where the bottom-right-aligned causal mask hides key j from row i."""
    import numpy as np
    return np.arange(keys)[None, :] > (np.arange(rows)[:, None] + offset)


class NumpyPeer:
    name = "numpy"

    def __init__(self):
        import numpy as np
        self.np = np
        self.version = np.__version__
        try:
            import threadpoolctl
            self.threadpoolctl = threadpoolctl
        except ImportError:
            self.threadpoolctl = None
        self.blas = self._blas_name()
        self.note = "BLAS %s; per-head sgemm + softmax; masked scores computed then hidden" % self.blas
        self._limiter = None
        self._threads = None

    def _blas_name(self):
        try:
            config = self.np.show_config(mode="dicts")
            blas = config["Build Dependencies"]["blas"]
            return "%s %s" % (blas.get("name", "?"), blas.get("version", "?"))
        except Exception:
            return "unknown"

    def unsupported(self, threads):
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

    def scratch_bytes(self, shape):
        return 4 * (shape.seq_q * shape.seq_kv + 2 * shape.seq_q)

    def prepare(self, shape, q, k, v, threads):
        np = self.np
        dead = shape.dead_rows
        rows = shape.seq_q - dead
        scale = np.float32(shape.scale)
        scores = np.empty((rows, shape.seq_kv), dtype=np.float32)
        hidden = causal_mask_hidden(rows, shape.seq_kv, shape.offset + dead) if shape.causal else None
        out = np.empty_like(q)
        keys_t = [[k[b, g].T for g in range(shape.kv_heads)] for b in range(shape.batch)]

        def run():
            out[:, :, :dead] = 0
            for b in range(shape.batch):
                for h in range(shape.heads):
                    g = h // shape.group
                    np.matmul(q[b, h, dead:], keys_t[b][g], out=scores)
                    np.multiply(scores, scale, out=scores)
                    if hidden is not None:
                        np.copyto(scores, -np.inf, where=hidden)
                    np.subtract(scores, scores.max(axis=1, keepdims=True), out=scores)
                    np.exp(scores, out=scores)
                    total = scores.sum(axis=1, keepdims=True)
                    target = out[b, h, dead:]
                    np.matmul(scores, v[b, g], out=target)
                    np.divide(target, total, out=target)
            return out

        return run


class OnnxRuntimePeer:
    name = "onnxruntime"

    def __init__(self, op="auto", spinning=False):
        self.spinning = spinning
        try:
            import onnxruntime
            import onnx
            from onnx import helper, TensorProto
        except ImportError as error:
            raise PeerUnavailable("onnxruntime/onnx not installed in this Python (%s); Scripts/peers/run installs them" % error)
        import numpy as np
        self.np, self.ort, self.onnx, self.helper, self.TensorProto = np, onnxruntime, onnx, helper, TensorProto
        self.version = onnxruntime.__version__
        self.requested_op = op
        self.op = None  # resolved on first prepare
        self.note = ""

    def set_threads(self, threads):
        pass  # fixed per session (intra_op_num_threads)

    def unsupported(self, threads):
        return None

    def scratch_bytes(self, shape):
        return 4 * shape.batch * shape.heads * shape.seq_q * shape.seq_kv * 2

    def _session(self, model, threads):
        options = self.ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = self.ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = self.ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        if not self.spinning:
            # Idle pool threads sleep instead of spinning, so they do not steal cores from the peer timed next.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return self.ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])

    def _attention_model(self, shape, rows, masked):
        """ONNX Attention (opset 23) on 4-D (B, H, S, d) inputs: GQA through kv_num_heads; the causal mask
        is `is_causal` when square (its top-left alignment equals bottom-right then), else a bool mask."""
        helper, T = self.helper, self.TensorProto
        B, H, G, Nk, d = shape.batch, shape.heads, shape.kv_heads, shape.seq_kv, shape.head_dim
        inputs = [helper.make_tensor_value_info("Q", T.FLOAT, [B, H, rows, d]),
                  helper.make_tensor_value_info("K", T.FLOAT, [B, G, Nk, d]),
                  helper.make_tensor_value_info("V", T.FLOAT, [B, G, Nk, d])]
        names = ["Q", "K", "V"]
        if masked:
            inputs.append(helper.make_tensor_value_info("M", T.BOOL, [rows, Nk]))
            names.append("M")
        node = helper.make_node("Attention", names, ["O"], q_num_heads=H, kv_num_heads=G, scale=shape.scale,
                                is_causal=1 if (shape.causal and not masked) else 0)
        graph = helper.make_graph([node], "attention", inputs,
                                  [helper.make_tensor_value_info("O", T.FLOAT, [B, H, rows, d])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 23)])
        model.ir_version = 10
        return model

    def _matmul_model(self, shape, rows, masked):
        """Plain ops: MatMul(Q, Kᵀ) · scale (+ additive −inf mask) → Softmax → MatMul(·, V). K and V are
        given per query head (repeated for GQA outside the timed region)."""
        helper, T = self.helper, self.TensorProto
        B, H, Nk, d = shape.batch, shape.heads, shape.seq_kv, shape.head_dim
        inputs = [helper.make_tensor_value_info("Q", T.FLOAT, [B, H, rows, d]),
                  helper.make_tensor_value_info("K", T.FLOAT, [B, H, Nk, d]),
                  helper.make_tensor_value_info("V", T.FLOAT, [B, H, Nk, d])]
        nodes = [helper.make_node("Transpose", ["K"], ["Kt"], perm=[0, 1, 3, 2]),
                 helper.make_node("MatMul", ["Q", "Kt"], ["S0"]),
                 helper.make_node("Mul", ["S0", "scale"], ["S1"])]
        initializers = [helper.make_tensor("scale", T.FLOAT, [], [shape.scale])]
        last = "S1"
        if masked:
            inputs.append(helper.make_tensor_value_info("M", T.FLOAT, [rows, Nk]))
            nodes.append(helper.make_node("Add", ["S1", "M"], ["S2"]))
            last = "S2"
        nodes += [helper.make_node("Softmax", [last], ["P"], axis=-1),
                  helper.make_node("MatMul", ["P", "V"], ["O"])]
        graph = helper.make_graph(nodes, "attention_matmul", inputs,
                                  [helper.make_tensor_value_info("O", T.FLOAT, [B, H, rows, d])], initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        return model

    def prepare(self, shape, q, k, v, threads):
        np = self.np
        dead = shape.dead_rows
        rows = shape.seq_q - dead
        offset = shape.offset + dead
        masked = shape.causal and offset != 0
        choices = ["attention", "matmul"] if self.requested_op == "auto" else [self.requested_op]
        errors = []
        for op in choices:
            try:
                if op == "attention":
                    model = self._attention_model(shape, rows, masked)
                    feeds = {"Q": np.ascontiguousarray(q[:, :, dead:]), "K": k, "V": v}
                    if masked:
                        feeds["M"] = ~causal_mask_hidden(rows, shape.seq_kv, offset)
                else:
                    model = self._matmul_model(shape, rows, shape.causal)
                    kk = np.repeat(k, shape.group, axis=1) if shape.group > 1 else k
                    vv = np.repeat(v, shape.group, axis=1) if shape.group > 1 else v
                    feeds = {"Q": np.ascontiguousarray(q[:, :, dead:]), "K": kk, "V": vv}
                    if shape.causal:
                        feeds["M"] = np.where(causal_mask_hidden(rows, shape.seq_kv, offset),
                                              np.float32(-np.inf), np.float32(0))
                session = self._session(model, threads)
                result = np.empty((shape.batch, shape.heads, rows, shape.head_dim), dtype=np.float32)
                binding = session.io_binding()
                for name, array in feeds.items():
                    binding.bind_ortvalue_input(name, self.ort.OrtValue.ortvalue_from_numpy(array))
                binding.bind_ortvalue_output("O", self.ort.OrtValue.ortvalue_from_numpy(result))
                session.run_with_iobinding(binding)  # fails here, untimed, if the op is not implemented
            except Exception as error:  # noqa: BLE001 - try the next graph
                errors.append("%s: %s" % (op, str(error).splitlines()[0][:200]))
                continue
            self.op = op
            self.note = ("ONNX Attention (opset 23%s)" % ("; GQA via kv_num_heads" if shape.group > 1 else "")
                         if op == "attention" else
                         "ONNX MatMul+Softmax graph%s" % ("; K/V repeated per query head" if shape.group > 1 else ""))
            self.note += "; CPU EP; intra_op_num_threads=%d%s" % (threads, "" if self.spinning else "; no spinning")
            out = np.zeros_like(q) if dead else None

            def run(session=session, binding=binding, result=result, out=out):
                session.run_with_iobinding(binding)
                if out is None:
                    return result
                out[:, :, dead:] = result
                return out

            return run
        raise PeerUnavailable("no ONNX graph ran: " + "; ".join(errors))


class TorchPeer:
    name = "torch"

    def __init__(self):
        try:
            import torch
            import torch.nn.functional as functional
        except ImportError as error:
            raise PeerUnavailable(
                "PyTorch is not installed in the peers' venv (%s); `Scripts/peers/run --with-torch` installs it "
                "(a ~190 MB CPU-only wheel where pip's find-links has one, else PyPI's CUDA build, ~3 GB with its "
                "nvidia-* dependencies)" % str(error).splitlines()[0])
        import numpy as np
        self.np, self.torch, self.functional = np, torch, functional
        self.version = torch.__version__
        self.note = ""

    def unsupported(self, threads):
        return None

    def set_threads(self, threads):
        if self.torch.get_num_threads() != threads:
            self.torch.set_num_threads(threads)

    def scratch_bytes(self, shape):
        return 4 * shape.batch * shape.heads * shape.seq_q * shape.seq_kv

    def prepare(self, shape, q, k, v, threads):
        torch, np = self.torch, self.np
        dead = shape.dead_rows
        rows = shape.seq_q - dead
        offset = shape.offset + dead
        tq = torch.from_numpy(np.ascontiguousarray(q[:, :, dead:]))
        tk, tv = torch.from_numpy(k), torch.from_numpy(v)
        kwargs = {"scale": shape.scale}
        notes = ["scaled_dot_product_attention", "torch.set_num_threads(%d)" % threads]
        if shape.group > 1:
            try:
                self.functional.scaled_dot_product_attention(tq[:, :, :1], tk[:, :, :1], tv[:, :, :1], enable_gqa=True)
                kwargs["enable_gqa"] = True
                notes.append("enable_gqa")
            except TypeError:
                tk = tk.repeat_interleave(shape.group, dim=1)
                tv = tv.repeat_interleave(shape.group, dim=1)
                notes.append("K/V repeated per query head")
        if shape.causal and offset == 0:
            kwargs["is_causal"] = True
            notes.append("is_causal")
        elif shape.causal:
            try:
                from torch.nn.attention.bias import causal_lower_right
                kwargs["attn_mask"] = causal_lower_right(rows, shape.seq_kv)
                notes.append("causal_lower_right")
            except ImportError:
                kwargs["attn_mask"] = torch.from_numpy(~causal_mask_hidden(rows, shape.seq_kv, offset))
                notes.append("bool mask")
        self.note = "; ".join(notes)
        out = torch.zeros(q.shape, dtype=torch.float32) if dead else None
        sdpa = self.functional.scaled_dot_product_attention

        def run():
            with torch.inference_mode():
                result = sdpa(tq, tk, tv, **kwargs)
            if out is None:
                return result.numpy()
            out[:, :, dead:] = result
            return out.numpy()

        return run


def make_peer(name, ort_op, spinning=False):
    if name == "numpy":
        return NumpyPeer()
    if name == "onnxruntime":
        return OnnxRuntimePeer(ort_op, spinning)
    if name == "torch":
        return TorchPeer()
    raise ValueError(name)


# --------------------------------------------------------------------------------------------------------
# The machine and the run, as RunEnvironment / MachineFingerprint / BuildInfo


def physical_cores():
    """Physical cores (distinct package/core ids of online CPUs), as hwloc counts them for attnbench;
    os.cpu_count() where sysfs does not say."""
    seen = set()
    base = "/sys/devices/system/cpu"
    try:
        for entry in os.listdir(base):
            if not (entry.startswith("cpu") and entry[3:].isdigit()):
                continue
            online = os.path.join(base, entry, "online")
            if os.path.exists(online) and open(online).read().strip() == "0":
                continue
            topology = os.path.join(base, entry, "topology")
            package = open(os.path.join(topology, "physical_package_id")).read().strip()
            core = open(os.path.join(topology, "core_id")).read().strip()
            seen.add((package, core))
    except OSError:
        seen = set()
    return len(seen) or os.cpu_count() or 1


def numa_nodes():
    try:
        nodes = [n for n in os.listdir("/sys/devices/system/node") if n.startswith("node") and n[4:].isdigit()]
    except OSError:
        return 1
    return max(1, len(nodes))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name") and ":" in line:
                    value = line.split(":", 1)[1].strip()
                    if value:
                        return value
    except OSError:
        pass
    return "unknown-cpu"


def load_average():
    try:
        return float(open("/proc/loadavg").read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def memory_available():
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def git_commit():
    def git(*arguments):
        try:
            result = subprocess.run(["git", "-C", REPO] + list(arguments), capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown"
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def environment():
    cores = physical_cores()
    load = load_average()
    return {"timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "host": socket.gethostname() or "unknown-host", "cpu_model": cpu_model(), "cores": cores,
            "numa_nodes": numa_nodes(), "commit": git_commit(), "load_average": load,
            "noisy": load is not None and load > cores}


# --------------------------------------------------------------------------------------------------------
# Records and CSV rows


class Record:
    def __init__(self, peer, build, shape, threads, status, note="", check=None):
        self.peer, self.build, self.shape, self.threads = peer, build, shape, threads
        self.status, self.note, self.check = status, note, check
        self.samples = []
        self.speedup_vs_1t = None

    @property
    def stats(self):
        return statistics(self.samples)

    @property
    def gflops(self):
        stats = self.stats
        if not stats or stats["median"] <= 0:
            return None
        return flops(self.shape) / (stats["median"] * 1e6)

    def key_fields(self):
        fields = {"kernel": self.peer, "threads": str(self.threads), "pin": "none"}
        fields.update(self.shape.fields())
        return fields

    def row(self, env, peak_per_core):
        stats = self.stats or {}
        check = self.check or {}
        peak = peak_per_core * min(self.threads, max(1, env["cores"])) if peak_per_core else None
        gflops = self.gflops
        values = {
            "schema_version": str(peerscsv.SCHEMA_VERSION), "timestamp": env["timestamp"], "host": env["host"],
            "cpu_model": env["cpu_model"], "cores": str(env["cores"]), "numa_nodes": str(env["numa_nodes"]),
            "build": self.build, "commit": env["commit"], "repetitions": str(len(self.samples)),
            "min_ms": peerscsv.fmt(stats.get("min")), "median_ms": peerscsv.fmt(stats.get("median")),
            "mean_ms": peerscsv.fmt(stats.get("mean")), "p90_ms": peerscsv.fmt(stats.get("p90")),
            "max_ms": peerscsv.fmt(stats.get("max")), "mad_ms": peerscsv.fmt(stats.get("mad")),
            "gflops": peerscsv.fmt(gflops),
            "max_abs_err": peerscsv.fmt(check.get("max_abs_err")), "max_rel_err": peerscsv.fmt(check.get("max_rel_err")),
            "passed": "true" if self.status == "ok" else "false", "status": self.status,
            "nrms_err": peerscsv.fmt(check.get("nrms_err")), "allowed_abs_err": peerscsv.fmt(check.get("allowed_abs_err")),
            "gflop": peerscsv.fmt(flops(self.shape) / 1e9), "speedup_vs_naive": "",
            "numa_nodes_used": "1", "speedup_vs_1t": peerscsv.fmt(self.speedup_vs_1t),
            "parallel_efficiency": peerscsv.fmt(self.speedup_vs_1t / self.threads if self.speedup_vs_1t else None),
            "peak_gflops": peerscsv.fmt(peak),
            "peak_fraction": peerscsv.fmt(gflops / peak if (gflops is not None and peak) else None),
            "probe_before_gflops": "", "probe_after_gflops": "",
            "load_average": peerscsv.fmt(env["load_average"]), "noisy": "true" if env["noisy"] else "false",
            "note": self.note,
        }
        values.update(self.key_fields())
        return [values.get(column, "") for column in peerscsv.COLUMNS]

    def sample_rows(self, env):
        fields = self.key_fields()
        prefix = [str(peerscsv.SCHEMA_VERSION), env["timestamp"], env["host"]] + [fields[c] for c in peerscsv.KEY_COLUMNS]
        return [prefix + [str(index), peerscsv.fmt(sample)] for index, sample in enumerate(self.samples)]


def fill_relative_speeds(records):
    for record in records:
        stats = record.stats
        if not stats or stats["median"] <= 0:
            continue
        base = next((r for r in records if r.peer == record.peer and r.threads == 1 and r.status == "ok"), None)
        if base is not None and base.stats:
            record.speedup_vs_1t = base.stats["median"] / stats["median"]


def shape_seed(base, shape):
    """SweepRunner.seed(_:_:): the seed of a shape's timing order."""
    mixed = SplitMix64(base).next()
    for field in [shape.batch, shape.heads, shape.kv_heads, shape.seq_q, shape.seq_kv, shape.head_dim,
                  1 if shape.causal else 0]:
        mixed = ((mixed ^ field) * 0x100000001B3) & MASK64
    return mixed


def now_ms():
    return time.perf_counter_ns() / 1e6


# --------------------------------------------------------------------------------------------------------
# Command line


def int_list(text):
    values = []
    for part in text.split(","):
        part = part.strip()
        if part == "max":
            values.append("max")
            continue
        value = int(part)
        if value < 1:
            raise argparse.ArgumentTypeError("values must be at least 1, got %d" % value)
        values.append(value)
    return values


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="attnpeers.py", description=__doc__.split("\n\n")[0],
        epilog="Mirrors `attnbench sweep`'s shape and timing options; see Scripts/peers/README.md.")
    shape = parser.add_argument_group("shapes (as attnbench)")
    shape.add_argument("--seq", type=int_list, default=[1024], help="query sequence lengths, comma-separated")
    shape.add_argument("--seq-kv", type=int_list, default=None, help="key/value lengths; default: --seq")
    shape.add_argument("--heads", type=int_list, default=[8], help="query head counts, comma-separated")
    shape.add_argument("--kv-heads", type=int, default=None, help="key/value heads (GQA); default: --heads")
    shape.add_argument("--head-dim", type=int, default=64)
    shape.add_argument("--batch", type=int, default=1)
    shape.add_argument("--causal", choices=["off", "on", "both"], default="off")
    run = parser.add_argument_group("run (as attnbench)")
    run.add_argument("--threads", type=int_list, default=[1], help="thread counts, comma-separated; max = all cores")
    run.add_argument("--repetitions", type=int, default=3, help="minimum timed repetitions")
    run.add_argument("--min-time", type=float, default=0.5, help="minimum total timed seconds")
    run.add_argument("--warmup", type=int, default=1, help="untimed runs after the check run")
    run.add_argument("--max-repetitions", type=int, default=500)
    run.add_argument("--seed", type=int, default=42)
    run.add_argument("--check-rows", type=int, default=64, help="query rows per head checked in float64")
    run.add_argument("--output", default=None, help="results CSV; default Results/attnbench-peers-<stamp>.csv")
    run.add_argument("--quiet", action="store_true")
    peers = parser.add_argument_group("peers")
    peers.add_argument("--peers", default=",".join(PEERS), help="comma-separated: numpy,onnxruntime,torch")
    peers.add_argument("--ort-op", choices=["auto", "attention", "matmul"], default="auto",
                       help="ONNX graph: the opset-23 Attention op, or MatMul+Softmax; auto tries Attention first")
    peers.add_argument("--allow-spinning", action="store_true",
                       help="let idle ONNX Runtime and OpenMP worker threads spin (default: they sleep, so that "
                            "a peer's idle pool does not slow the peer timed after it on a shared core)")
    peers.add_argument("--peak-gflops", type=float, default=None,
                       help="per-core fp32 peak (e.g. attnbench's probe); fills peak_gflops and peak_fraction")
    peers.add_argument("--self-test", action="store_true", help="check generator, check, stats, schema, merge; no timing")
    args = parser.parse_args(argv)
    if args.self_test:
        return args
    for name, value in [("--head-dim", args.head_dim), ("--batch", args.batch), ("--kv-heads", args.kv_heads or 1),
                        ("--repetitions", args.repetitions), ("--check-rows", args.check_rows)]:
        if value < 1:
            parser.error("%s must be at least 1, got %d" % (name, value))
    if not (0 <= args.min_time <= 3600):
        parser.error("--min-time must be between 0 and 3600 seconds")
    if not (0 <= args.seed < 1 << 64):
        parser.error("--seed must be a 64-bit unsigned integer")
    if "max" in args.seq or (args.seq_kv and "max" in args.seq_kv) or "max" in args.heads:
        parser.error("max is allowed in --threads only")
    args.peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    for peer in args.peers:
        if peer not in PEERS:
            parser.error("unknown peer '%s'; available: %s" % (peer, ", ".join(PEERS)))
    if len(set(args.peers)) != len(args.peers):
        parser.error("--peers names a peer twice")
    return args


def shapes(args):
    result = []
    for causal in {"off": [False], "on": [True], "both": [False, True]}[args.causal]:
        for heads in args.heads:
            kv_heads = args.kv_heads or heads
            if heads % kv_heads:
                raise SystemExit("heads (%d) must be a multiple of kv-heads (%d)" % (heads, kv_heads))
            for index, length in enumerate(args.seq):
                keys = args.seq_kv[min(index, len(args.seq_kv) - 1)] if args.seq_kv else length
                result.append(Shape(args.batch, heads, kv_heads, length, keys, args.head_dim, causal))
    return result


def run_shape(shape, args, peers, unavailable, thread_counts, memory_limit, progress):
    """Checks, then times every (peer, threads) on one shape; returns its records (SweepRunner.run(shape:))."""
    records, jobs = [], []
    tensor_bytes = 4 * (2 * shape.query_elements + 2 * shape.key_elements)
    progress("%s: generating inputs" % shape)
    q, k, v = make_inputs(shape, args.seed) if tensor_bytes <= memory_limit else (None, None, None)
    for name in args.peers:
        peer = peers.get(name)
        for threads in thread_counts:
            if peer is None:
                records.append(Record(name, "peer-%s" % name, shape, threads, "skipped", unavailable[name]))
                continue
            build = "peer-%s-%s" % (name, peer.version)
            reason = peer.unsupported(threads)
            needed = tensor_bytes + peer.scratch_bytes(shape)
            if q is None or needed > memory_limit:
                reason = "memory guard: needs %.2f GiB, limit %.2f GiB" % (needed / 2 ** 30, memory_limit / 2 ** 30)
            if reason:
                records.append(Record(name, build, shape, threads, "skipped", reason))
                continue
            progress("%s %s t%d: checking against the float64 reference" % (name, shape, threads))
            try:
                peer.set_threads(threads)
                runner = peer.prepare(shape, q, k, v, threads)
                start = now_ms()
                output = runner()
                check_ms = now_ms() - start
            except PeerUnavailable as error:
                records.append(Record(name, build, shape, threads, "skipped", str(error)))
                continue
            report = compare(shape, q, k, v, output, args.check_rows, args.seed)
            note = peer.note
            if not report["passed"]:
                why = "equivalence check failed"
                if report["mismatches"]:
                    why += " (%d non-finite mismatches)" % report["mismatches"]
                records.append(Record(name, build, shape, threads, "failed", why + "; " + note, report))
                continue
            if check_ms < args.min_time * 1e3:
                for _ in range(args.warmup):
                    runner()
            record = Record(name, build, shape, threads, "ok", note, report)
            records.append(record)
            jobs.append((record, peer, runner))
    generator = random.Random(shape_seed(args.seed, shape))
    seconds = {id(record): 0.0 for record, _, _ in jobs}
    maximum = max(args.repetitions, args.max_repetitions)

    def needs_more(record):
        n = len(record.samples)
        return n < maximum and (n < args.repetitions or seconds[id(record)] < args.min_time)

    round_number = 0
    try:
        while True:
            pending = [job for job in jobs if needs_more(job[0])]
            if not pending:
                break
            round_number += 1
            if round_number == 1 or round_number % 10 == 0:
                progress("%s: timing round %d, %d peer(s)" % (shape, round_number, len(pending)))
            generator.shuffle(pending)
            for record, peer, runner in pending:
                peer.set_threads(record.threads)
                start = now_ms()
                runner()
                elapsed = now_ms() - start
                record.samples.append(elapsed)
                seconds[id(record)] += elapsed / 1e3
    except KeyboardInterrupt:
        for record, _, _ in jobs:
            record.note = "interrupted after %d sample(s); %s" % (len(record.samples), record.note)
            if not record.samples:
                record.status = "skipped"
        fill_relative_speeds(records)
        raise InterruptedRun(records)
    fill_relative_speeds(records)
    return records


class InterruptedRun(Exception):
    def __init__(self, records):
        super().__init__("interrupted")
        self.records = records


def render(records):
    lines = ["%-12s %-34s %3s %8s %11s %9s  %s" % ("peer", "shape", "thr", "status", "median ms", "GFLOP/s", "note")]
    for r in records:
        stats = r.stats
        lines.append("%-12s %-34s %3d %8s %11s %9s  %s" % (
            r.peer, str(r.shape), r.threads, r.status, "%.3f" % stats["median"] if stats else "-",
            "%.2f" % r.gflops if r.gflops else "-", r.note))
    return "\n".join(lines)


def main(argv):
    args = parse(argv)
    if not args.self_test and not args.allow_spinning:
        # Must be set before torch (OpenMP) is imported; a value the user set wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if args.self_test:
        import selftest
        return selftest.run()
    env = environment()
    thread_counts = []
    for value in args.threads:
        value = env["cores"] if value == "max" else value
        if value not in thread_counts:
            thread_counts.append(value)
    try:
        import threadpoolctl  # noqa: F401
    except ImportError:
        if len(thread_counts) == 1:
            # Without threadpoolctl BLAS threads are fixed when numpy loads, which has not happened yet.
            for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ.setdefault(variable, str(thread_counts[0]))
    output = args.output or os.path.join(REPO, "Results", "attnbench-peers-%s.csv"
                                         % datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S"))
    progress = (lambda line: None) if args.quiet else (lambda line: warn("… " + line))

    peers, unavailable = {}, {}
    for name in args.peers:
        try:
            peers[name] = make_peer(name, args.ort_op, args.allow_spinning)
        except PeerUnavailable as error:
            unavailable[name] = str(error)
            warn("note: peer %s skipped: %s" % (name, error))
    available = memory_available()
    memory_limit = int(0.8 * available) if available else 1 << 62

    print("attnpeers on %s, %d cores; peers: %s" % (env["cpu_model"], env["cores"], ", ".join(
        "%s %s" % (n, peers[n].version) if n in peers else "%s (not installed)" % n for n in args.peers)))
    records = []
    interrupted = False

    def write():
        peerscsv.write_atomic(output, peerscsv.COLUMNS, [r.row(env, args.peak_gflops) for r in records])
        peerscsv.write_atomic(peerscsv.samples_path(output), peerscsv.SAMPLE_COLUMNS,
                              [row for r in records for row in r.sample_rows(env)])

    for shape in shapes(args):
        try:
            records += run_shape(shape, args, peers, unavailable, thread_counts, memory_limit, progress)
        except InterruptedRun as stop:
            records += stop.records
            interrupted = True
        write()  # after every shape, so an interrupted run keeps what finished
        if interrupted:
            break
    if not records:
        write()
    print(render(records))
    print("results: %s\nsamples: %s" % (output, peerscsv.samples_path(output)))
    if env["noisy"]:
        warn("warning: noisy machine: load average %.2f exceeds the %d cores; compare ratios, not absolute times"
             % (env["load_average"], env["cores"]))
    if interrupted:
        warn("interrupted: %d record(s) written" % len(records))
        return 130
    failed = [r for r in records if r.status == "failed"]
    if failed:
        warn("error: %d peer benchmark(s) failed the equivalence check: %s" % (
            len(failed), "; ".join("%s %s t%d" % (r.peer, r.shape, r.threads) for r in failed)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
