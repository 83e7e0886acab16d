"""attnpeers: races outside attention implementations ("peers") on attnbench's shapes and inputs.

Peers: `numpy` (BLAS matmuls, one head at a time), `numpy-gqa` (one matmul per key/value head, the query
heads that share it stacked), `onnxruntime` (an in-memory ONNX graph on the CPU execution provider),
`onnxruntime-gqa` (its GroupQueryAttention op), `torch` (`scaled_dot_product_attention`, when PyTorch is
installed) and `ggml` (llama.cpp's `ggml_flash_attn_ext`, when ggml-python is installed). Each runs the
formats it has (f32, f16, bf16, q8_0 K/V: `formats`) and declines the others with the reason.

Every peer sees bit-for-bit attnbench's inputs (`inputs`), is first checked against the same float64
reference with the same tolerance as Sources/AttentionCore/EquivalenceCheck.swift (`check`), and only then
timed (`timing`). Results go to a CSV in attnbench's schema (`schema`) that `merge` pools with an attnbench
run. `cli` is the command line (`python3 -m attnpeers`).

Modules import downwards only (no cycle; tests/test_layout.py checks it):

    cli → timing → peers.* → shape, inputs        cli → presets, environment, records → schema, statistics
    check → shape, inputs, formats                 merge → schema          (schema, merge: standard library only)
"""
