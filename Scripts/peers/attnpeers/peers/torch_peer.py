"""torch: `torch.nn.functional.scaled_dot_product_attention` on tensors sharing the numpy inputs' memory.

Grouped- and multi-query attention use `enable_gqa=True` where the installed PyTorch has it (2.5+), else K and
V are repeated per query head before timing. The causal mask is `is_causal` when the live rows are exactly
the keys (its top-left alignment is then bottom-right), `causal_lower_right` otherwise, and nothing for a
one-row decode step, which sees every key.
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
        return None

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
        tq = torch.from_numpy(live_queries(shape, q))
        tk, tv = torch.from_numpy(k), torch.from_numpy(v)
        kwargs = {"scale": shape.scale}
        notes = ["scaled_dot_product_attention", "torch.set_num_threads(%d)" % threads]
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
            return place(result.numpy())

        return run
