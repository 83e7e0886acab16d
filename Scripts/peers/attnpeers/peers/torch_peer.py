"""torch: `torch.nn.functional.scaled_dot_product_attention` on tensors sharing the numpy inputs' memory.

Grouped- and multi-query attention use `enable_gqa=True` where the installed PyTorch has it (2.5+), else K and
V are repeated per query head before timing. The causal mask is `is_causal` when the live rows are exactly
the keys (its top-left alignment is then bottom-right), `causal_lower_right` otherwise, and nothing for a
one-row decode step, which sees every key.

Formats: f32, bf16 and f16 tensors (torch.bfloat16, torch.float16, converted before timing; exact, they hold
the format's values). SDPA takes Q, K and V in one dtype, so a shape whose kv_dtype is not its dtype is
skipped, as is q8_0, which PyTorch does not have.
"""

from attnpeers.peers.base import PeerUnavailable, live_queries, with_dead_rows


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
        self.torch, self.functional = torch, functional
        self.version = torch.__version__
        self.note = ""

    def unsupported(self, shape, threads):
        if shape.kv_dtype == "q8_0":
            return "PyTorch SDPA has no q8_0 (ggml block-quantised) K/V"
        if shape.kv_dtype != shape.dtype:
            return ("SDPA takes Q, K and V in one dtype: K/V %s with Q %s does not fit (--dtype %s runs it)"
                    % (shape.kv_dtype, shape.dtype, shape.kv_dtype))
        return None

    def torch_dtype(self, fmt):
        return {"f32": self.torch.float32, "f16": self.torch.float16, "bf16": self.torch.bfloat16}[fmt]

    def tolerance(self, shape):
        from attnpeers.check import Tolerance
        return Tolerance(shape.dtype, weights_format=None if shape.dtype == "f32" else shape.dtype)

    def set_threads(self, threads):
        if self.torch.get_num_threads() != threads:
            self.torch.set_num_threads(threads)

    def scratch_bytes(self, shape):
        return 4 * shape.batch * shape.heads * shape.seq_q * shape.seq_kv

    def _supports_gqa(self, tq, tk, tv):
        try:
            self.functional.scaled_dot_product_attention(tq[:, :, :1], tk[:, :, :1], tv[:, :, :1], enable_gqa=True)
            return True
        except TypeError:
            return False

    def prepare(self, shape, q, k, v, threads):
        torch = self.torch
        dtype = self.torch_dtype(shape.dtype)
        tq = torch.from_numpy(live_queries(shape, q)).to(dtype)
        tk, tv = torch.from_numpy(k).to(dtype), torch.from_numpy(v).to(dtype)
        kwargs = {"scale": shape.scale}
        notes = ["scaled_dot_product_attention", "torch.set_num_threads(%d)" % threads]
        if shape.dtype != "f32":
            notes.append("%s tensors" % str(dtype).replace("torch.", ""))
        if shape.group > 1:
            if self._supports_gqa(tq, tk, tv):
                kwargs["enable_gqa"] = True
                notes.append("enable_gqa")
            else:
                tk = tk.repeat_interleave(shape.group, dim=1)
                tv = tv.repeat_interleave(shape.group, dim=1)
                notes.append("K/V repeated per query head")
        if shape.masked and shape.live_offset == 0:
            kwargs["is_causal"] = True
            notes.append("is_causal")
        elif shape.masked:
            try:
                from torch.nn.attention.bias import causal_lower_right
                kwargs["attn_mask"] = causal_lower_right(shape.live_rows, shape.seq_kv)
                notes.append("causal_lower_right")
            except ImportError:
                kwargs["attn_mask"] = torch.from_numpy(~shape.hidden_keys())
                notes.append("bool mask")
        self.note = "; ".join(notes)
        place = with_dead_rows(shape, q)
        sdpa = self.functional.scaled_dot_product_attention

        def run():
            with torch.inference_mode():
                result = sdpa(tq, tk, tv, **kwargs)
            return place(result.numpy() if result.dtype == torch.float32 else result.float().numpy())

        return run
