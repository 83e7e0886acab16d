"""onnxruntime: an in-memory ONNX graph on the CPU execution provider, run through IO binding.

Two graphs:
- `attention`: the standard `Attention` op (opset 23) on 4-D (B, H, S, d) inputs. Grouped- and multi-query
  attention go through `kv_num_heads` (K and V keep their Hkv heads). `is_causal` aligns the mask top-left,
  which is the bottom-right alignment only when the live rows are as many as the keys; otherwise the mask is
  a boolean input (True = attend). A one-row decode step sees every key and needs no mask.
- `matmul`: MatMul(Q, Kᵀ) · scale (+ additive −inf mask) → Softmax → MatMul(·, V), with K and V repeated per
  query head outside the timed region under GQA.
`auto` takes the first that builds and runs here. (onnxruntime_gqa_peer.py is ONNX Runtime's decoder op.)

Formats: both ops take Q, K, V and O in one type T, so only shapes whose kv_dtype is their dtype run; f32 and
f16 (float16 tensors); bf16 is tried (ml_dtypes.bfloat16 tensors) and skipped with ONNX Runtime's own error
where its CPU provider has no kernel for it. q8_0 is not an ONNX Runtime format (its quantised KV caches are
int8/int4 with other scales) and is skipped.
"""

from attnpeers.peers.base import PeerUnavailable, live_queries, with_dead_rows


class OnnxRuntimeSessions:
    """What both ONNX Runtime peers share: the library, the session options and running a bound graph."""

    def __init__(self, spinning=False):
        self.spinning = spinning
        try:
            import onnxruntime
            import onnx  # noqa: F401 - the graph builder
            from onnx import helper, TensorProto
        except ImportError as error:
            raise PeerUnavailable("onnxruntime/onnx not installed in this Python (%s); Scripts/peers/run installs them"
                                  % error)
        import numpy as np
        self.np, self.ort, self.helper, self.TensorProto = np, onnxruntime, helper, TensorProto
        self.version = onnxruntime.__version__
        self.note = ""

    def set_threads(self, threads):
        pass  # fixed per session (intra_op_num_threads)

    def format_unsupported(self, shape, op_name):
        """Why the op cannot take the shape's formats, or None."""
        if shape.kv_dtype == "q8_0":
            return ("%s has no q8_0 K/V (ONNX Runtime's quantised KV caches are another format: int8/int4 with "
                    "per-tensor or per-channel scales)" % op_name)
        if shape.kv_dtype != shape.dtype:
            return ("%s takes Q, K, V and O in one type: K/V %s with Q %s does not fit (--dtype %s runs it)"
                    % (op_name, shape.kv_dtype, shape.dtype, shape.kv_dtype))
        if shape.dtype == "bf16":
            try:
                import ml_dtypes  # noqa: F401
            except ImportError:
                return "bfloat16 tensors need ml_dtypes in this Python (onnx brings it)"
        return None

    def element(self, fmt):
        """(ONNX element type, numpy dtype) of a format."""
        np, T = self.np, self.TensorProto
        if fmt == "f16":
            return T.FLOAT16, np.float16
        if fmt == "bf16":
            import ml_dtypes
            return T.BFLOAT16, ml_dtypes.bfloat16
        return T.FLOAT, np.float32

    def format_notes(self, shape):
        return [] if shape.dtype == "f32" else ["%s tensors" % {"f16": "float16", "bf16": "bfloat16"}[shape.dtype]]

    def tolerance(self, shape):
        from attnpeers.check import Tolerance
        return Tolerance(shape.dtype, weights_format=None if shape.dtype == "f32" else shape.dtype)

    def session_notes(self, threads):
        return ["CPU EP", "intra_op_num_threads=%d" % threads] + ([] if self.spinning else ["no spinning"])

    def bound_session(self, model, threads, feeds, outputs):
        """A session on the CPU EP with `feeds` and `outputs` (name → numpy array) bound in place, run once
        (untimed: a graph the installed ONNX Runtime cannot run fails here). Returns the session's runner."""
        options = self.ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = self.ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = self.ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        if not self.spinning:
            # Idle pool threads sleep instead of spinning, so they do not steal cores from the peer timed next.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = self.ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        binding = session.io_binding()
        for name, array in feeds.items():
            binding.bind_ortvalue_input(name, self.ort.OrtValue.ortvalue_from_numpy(array))
        for name, array in outputs.items():
            binding.bind_ortvalue_output(name, self.ort.OrtValue.ortvalue_from_numpy(array))
        session.run_with_iobinding(binding)
        return lambda: session.run_with_iobinding(binding)


class OnnxRuntimePeer(OnnxRuntimeSessions):
    name = "onnxruntime"

    def __init__(self, op="auto", spinning=False):
        super().__init__(spinning)
        self.requested_op = op
        self.op = None  # the graph that ran last

    def unsupported(self, shape, threads):
        return self.format_unsupported(shape, "ONNX Attention")

    def scratch_bytes(self, shape):
        repeated = 2 * 4 * shape.batch * shape.heads * shape.seq_kv * shape.head_dim if shape.group > 1 else 0
        return 4 * shape.batch * shape.heads * shape.seq_q * shape.seq_kv * 2 + repeated

    def _attention_model(self, shape, mask_input):
        helper, T = self.helper, self.TensorProto
        E = self.element(shape.dtype)[0]
        B, H, G, rows, Nk, d = shape.batch, shape.heads, shape.kv_heads, shape.live_rows, shape.seq_kv, shape.head_dim
        inputs = [helper.make_tensor_value_info("Q", E, [B, H, rows, d]),
                  helper.make_tensor_value_info("K", E, [B, G, Nk, d]),
                  helper.make_tensor_value_info("V", E, [B, G, Nk, d])]
        names = ["Q", "K", "V"]
        if mask_input:
            inputs.append(helper.make_tensor_value_info("M", T.BOOL, [rows, Nk]))
            names.append("M")
        node = helper.make_node("Attention", names, ["O"], q_num_heads=H, kv_num_heads=G, scale=shape.scale,
                                is_causal=1 if (shape.masked and not mask_input) else 0)
        graph = helper.make_graph([node], "attention", inputs,
                                  [helper.make_tensor_value_info("O", E, [B, H, rows, d])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 23)])
        model.ir_version = 10
        return model

    def _matmul_model(self, shape):
        helper, T = self.helper, self.TensorProto
        E = self.element(shape.dtype)[0]
        B, H, rows, Nk, d = shape.batch, shape.heads, shape.live_rows, shape.seq_kv, shape.head_dim
        inputs = [helper.make_tensor_value_info("Q", E, [B, H, rows, d]),
                  helper.make_tensor_value_info("K", E, [B, H, Nk, d]),
                  helper.make_tensor_value_info("V", E, [B, H, Nk, d])]
        nodes = [helper.make_node("Transpose", ["K"], ["Kt"], perm=[0, 1, 3, 2]),
                 helper.make_node("MatMul", ["Q", "Kt"], ["S0"]),
                 helper.make_node("Mul", ["S0", "scale"], ["S1"])]
        initializers = [helper.make_tensor("scale", T.FLOAT, [], [shape.scale])]
        if E != T.FLOAT:
            nodes[2] = helper.make_node("Mul", ["S0", "scale_e"], ["S1"])
            nodes.insert(2, helper.make_node("Cast", ["scale"], ["scale_e"], to=E))
        last = "S1"
        if shape.masked:
            inputs.append(helper.make_tensor_value_info("M", E, [rows, Nk]))
            nodes.append(helper.make_node("Add", ["S1", "M"], ["S2"]))
            last = "S2"
        nodes += [helper.make_node("Softmax", [last], ["P"], axis=-1),
                  helper.make_node("MatMul", ["P", "V"], ["O"])]
        graph = helper.make_graph(nodes, "attention_matmul", inputs,
                                  [helper.make_tensor_value_info("O", E, [B, H, rows, d])], initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        return model

    def _graph(self, op, shape, q, k, v):
        """(model, feeds, note) of one graph kind."""
        np = self.np
        element = self.element(shape.dtype)[1]
        queries = live_queries(shape, q).astype(element)
        k, v = k.astype(element), v.astype(element)  # exact: they hold the format's values
        if op == "attention":
            # is_causal is top-left aligned: right for us only when the live rows are exactly the keys.
            mask_input = shape.masked and shape.live_offset != 0
            feeds = {"Q": queries, "K": k, "V": v}
            if mask_input:
                feeds["M"] = ~shape.hidden_keys()
            notes = ["ONNX Attention (opset 23)"] + self.format_notes(shape)
            if shape.group > 1:
                notes.append("GQA via kv_num_heads")
            if shape.masked:
                notes.append("bool mask input" if mask_input else "is_causal")
            return self._attention_model(shape, mask_input), feeds, notes
        feeds = {"Q": queries, "K": np.repeat(k, shape.group, axis=1) if shape.group > 1 else k,
                 "V": np.repeat(v, shape.group, axis=1) if shape.group > 1 else v}
        if shape.masked:
            feeds["M"] = np.where(shape.hidden_keys(), -np.inf, 0).astype(element)
        notes = ["ONNX MatMul+Softmax graph"] + self.format_notes(shape) + (["K/V repeated per query head"] if shape.group > 1 else [])
        return self._matmul_model(shape), feeds, notes

    def prepare(self, shape, q, k, v, threads):
        np = self.np
        choices = ["attention", "matmul"] if self.requested_op == "auto" else [self.requested_op]
        errors = []
        for op in choices:
            result = np.empty((shape.batch, shape.heads, shape.live_rows, shape.head_dim),
                              dtype=self.element(shape.dtype)[1])
            try:
                model, feeds, notes = self._graph(op, shape, q, k, v)
                run_graph = self.bound_session(model, threads, feeds, {"O": result})
            except Exception as error:  # noqa: BLE001 - try the next graph
                errors.append("%s: %s" % (op, str(error).splitlines()[0][:200]))
                continue
            self.op = op
            self.note = "; ".join(notes + self.session_notes(threads))
            place = with_dead_rows(shape, q)

            def run(run_graph=run_graph, result=result):
                run_graph()
                return place(result if result.dtype == np.float32 else result.astype(np.float32))

            return run
        raise PeerUnavailable("no ONNX graph ran: " + "; ".join(errors))
