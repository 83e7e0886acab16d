"""onnxruntime-gqa: ONNX Runtime's decoder attention, the `GroupQueryAttention` contrib op (com.microsoft),
as an LLM served by ONNX Runtime runs it: the CPU kernel that splits decoding over the key range.

The op appends the step's Nq new keys and values to a KV cache and attends causally (bottom-right) over the
Nk cached ones. Here the cache is a copy of all of K and V, shared between `past_key` and `present_key`
(and likewise for V), with `seqlens_k` = Nk − 1: the op writes the last Nq rows back with the values they
already hold, so every run sees attnbench's K and V. Q and O are in the op's (B, S, H·d) layout, converted
before timing; O is viewed back as (B, H, Nq, d) without a copy.

Only causal shapes with Nq ≤ Nk (no row without keys) fit the op, and the CPU kernel takes batch 1 when
1 < Nq < Nk; others are skipped with the reason.
"""

from attnpeers.peers.onnxruntime_peer import OnnxRuntimeSessions


class OnnxRuntimeGqaPeer(OnnxRuntimeSessions):
    name = "onnxruntime-gqa"

    def unsupported(self, shape, threads):
        why = self.format_unsupported(shape, "GroupQueryAttention")
        if why:
            return why
        if not shape.causal:
            return "GroupQueryAttention is causal only"
        if shape.seq_q > shape.seq_kv:
            return "GroupQueryAttention needs Nq <= Nk (new tokens appended to the cache)"
        if shape.batch > 1 and 1 < shape.seq_q < shape.seq_kv:
            return "GroupQueryAttention takes batch 1 when several new tokens meet a cache (ONNX Runtime's CPU kernel)"
        return None

    def scratch_bytes(self, shape):
        # The cache copies of K and V, the packed Q and O, and the op's scores.
        return 4 * (2 * shape.key_elements + 2 * shape.query_elements + shape.batch * shape.heads * shape.seq_q
                    * shape.seq_kv)

    def _model(self, shape):
        helper, T = self.helper, self.TensorProto
        E = self.element(shape.dtype)[0]
        B, H, G, Nq, Nk, d = shape.batch, shape.heads, shape.kv_heads, shape.seq_q, shape.seq_kv, shape.head_dim
        inputs = [helper.make_tensor_value_info("query", E, [B, Nq, H * d]),
                  helper.make_tensor_value_info("key", E, [B, Nq, G * d]),
                  helper.make_tensor_value_info("value", E, [B, Nq, G * d]),
                  helper.make_tensor_value_info("past_key", E, [B, G, Nk, d]),
                  helper.make_tensor_value_info("past_value", E, [B, G, Nk, d]),
                  helper.make_tensor_value_info("seqlens_k", T.INT32, [B]),
                  helper.make_tensor_value_info("total_sequence_length", T.INT32, [])]
        outputs = [helper.make_tensor_value_info("O", E, [B, Nq, H * d]),
                   helper.make_tensor_value_info("present_key", E, [B, G, Nk, d]),
                   helper.make_tensor_value_info("present_value", E, [B, G, Nk, d])]
        node = helper.make_node("GroupQueryAttention", [i.name for i in inputs], [o.name for o in outputs],
                                domain="com.microsoft", num_heads=H, kv_num_heads=G, scale=shape.scale)
        graph = helper.make_graph([node], "group_query_attention", inputs, outputs)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                        helper.make_opsetid("com.microsoft", 1)])
        model.ir_version = 8
        return model

    def prepare(self, shape, q, k, v, threads):
        np = self.np
        B, H, G, Nq, Nk, d = shape.batch, shape.heads, shape.kv_heads, shape.seq_q, shape.seq_kv, shape.head_dim

        element = self.element(shape.dtype)[1]

        def packed(x, heads):  # (B, heads, S, d) → (B, S, heads·d), in the format's type (exact)
            return np.ascontiguousarray(x.transpose(0, 2, 1, 3).reshape(B, x.shape[2], heads * d)).astype(element)

        key_cache, value_cache = k.astype(element), v.astype(element)  # copies
        feeds = {"query": packed(q, H), "key": packed(k[:, :, Nk - Nq:], G), "value": packed(v[:, :, Nk - Nq:], G),
                 "past_key": key_cache, "past_value": value_cache, "seqlens_k": np.full(B, Nk - 1, dtype=np.int32),
                 "total_sequence_length": np.array(Nk, dtype=np.int32)}
        result = np.empty((B, Nq, H * d), dtype=element)
        try:
            run_graph = self.bound_session(self._model(shape), threads, feeds,
                                           {"O": result, "present_key": key_cache, "present_value": value_cache})
        except Exception as error:  # noqa: BLE001 - e.g. an ONNX Runtime without the contrib op
            from attnpeers.peers.base import PeerUnavailable
            raise PeerUnavailable("GroupQueryAttention did not run: %s" % str(error).splitlines()[0][:200])
        self.note = "; ".join(["ONNX Runtime GroupQueryAttention (com.microsoft)", "KV cache shared past/present"]
                              + self.format_notes(shape) + self.session_notes(threads))
        output = result.reshape(B, Nq, H, d).transpose(0, 2, 1, 3)

        def run():
            run_graph()
            return output if element == np.float32 else output.astype(np.float32)

        return run
