"""The peers: outside implementations of attention, each in its own module, made by name here.

Each peer class has `name`, `version`, `note` (what ran, for the CSV), `unsupported(shape, threads)` (a reason to
skip, or None), `set_threads(threads)`, `scratch_bytes(shape)` (for the memory guard) and
`prepare(shape, q, k, v, threads)`, which builds everything untimed (inputs in the peer's own format,
graphs, masks, scratch) and returns a runner: calling it computes O (B, H, Nq, d, float32) and returns it.
Formats: q, k, v hold the values of the shape's formats (attnpeers/formats.py; Q in `shape.dtype`, K and V
in `shape.kv_dtype`) as float32; a peer stores them in its own types for those formats, or declines the
shape in `unsupported` with the reason (never runs it in another format). O is rounded to `shape.dtype`.
Optional: `tolerance(shape)`, a check.Tolerance saying what the peer's own arithmetic does in that format.
The peer's own library is imported when the peer is made, so that a missing one is PeerUnavailable.
"""

from attnpeers.peers.base import PeerUnavailable

PEERS = ["numpy", "numpy-gqa", "onnxruntime", "onnxruntime-gqa", "torch", "ggml"]
ORT_OPS = ["auto", "attention", "matmul"]


def make_peer(name, ort_op="auto", spinning=False):
    """The peer called `name`; PeerUnavailable when its library does not import."""
    if name in ("numpy", "numpy-gqa"):
        from attnpeers.peers.numpy_peer import NumpyPeer
        return NumpyPeer(stack_group=name == "numpy-gqa")
    if name == "onnxruntime":
        from attnpeers.peers.onnxruntime_peer import OnnxRuntimePeer
        return OnnxRuntimePeer(ort_op, spinning)
    if name == "onnxruntime-gqa":
        from attnpeers.peers.onnxruntime_gqa_peer import OnnxRuntimeGqaPeer
        return OnnxRuntimeGqaPeer(spinning)
    if name == "torch":
        from attnpeers.peers.torch_peer import TorchPeer
        return TorchPeer()
    if name == "ggml":
        from attnpeers.peers.ggml_peer import GgmlPeer
        return GgmlPeer()
    raise ValueError("unknown peer '%s'; available: %s" % (name, ", ".join(PEERS)))


__all__ = ["PEERS", "ORT_OPS", "PeerUnavailable", "make_peer"]
