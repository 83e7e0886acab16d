"""Storage formats of Q, K, V and O (issue 20's contract, which the Swift side implements too).

- `f32`: as generated.
- `f16`: IEEE binary16, round to nearest even (numpy's float32 → float16 cast); beyond ±65504 is ±inf (the
  generated inputs lie in [−1, 1], so this never happens to them).
- `bf16`: the top 16 bits of the float32 after adding 0x7FFF + (bit 16): round to nearest even; a NaN keeps
  its top bits with the quiet bit (0x0040) set, as ggml's GGML_FP32_TO_BF16 does.
- `q8_0`: ggml's block format. Each row (along d) is cut into blocks of 32 consecutive values; a block is one
  fp16 scale `d = max|x| / 127` and 32 int8 `q = round-half-away-from-zero(x · (1/d))` with `1/d` taken from
  the float32 d before it is rounded to fp16 (what ggml's quantize_row_q8_0_ref computes); `d = 0` and
  `q = 0` for an all-zero block. The value is `q · fp16(d)`. A row whose d is not a multiple of 32 ends with
  a partial block of `d mod 32` values, stored padded with zeros (ggml itself needs d % 32 == 0). A block
  holding NaN or ±inf stores a NaN scale and zero q, so the whole block decodes to NaN.

`encode` gives the stored form, `decode` the float32 values it stands for (exact: every f16, bf16 and
q8_0 value is a float32). `round_trip` = decode(encode(x)); it is idempotent, so a peer may re-encode the
decoded values and get the same bytes.
"""

FORMATS = ["f32", "f16", "bf16"]            # --dtype: Q, K, V and O
KV_FORMATS = ["f32", "f16", "bf16", "q8_0"]  # --kv-dtype: K and V
Q8_BLOCK = 32

# Unit roundoff (half an ulp of 1) of each float format: the largest relative error of one rounding.
UNIT_ROUNDOFF = {"f32": 2.0 ** -24, "f16": 2.0 ** -11, "bf16": 2.0 ** -8}
# Bytes per stored element (q8_0: 34 bytes per 32 values).
BYTES_PER_ELEMENT = {"f32": 4.0, "f16": 2.0, "bf16": 2.0, "q8_0": 34.0 / 32.0}


def _np():
    import numpy as np
    return np


def f16_bits(x):
    """uint16 bit patterns of x rounded to binary16 (nearest even)."""
    np = _np()
    return np.asarray(x, dtype=np.float32).astype(np.float16).view(np.uint16)


def f16_decode(bits):
    np = _np()
    return np.asarray(bits, dtype=np.uint16).view(np.float16).astype(np.float32)


def bf16_bits(x):
    """uint16 bit patterns of x rounded to bfloat16 (nearest even; NaN kept, made quiet)."""
    np = _np()
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    nan = np.isnan(np.asarray(x, dtype=np.float32))
    return np.where(nan, (u >> 16) | 0x40, rounded).astype(np.uint16)


def bf16_decode(bits):
    np = _np()
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


class Q8Blocks:
    """q8_0 storage of an array (..., d): `scales` (..., blocks) fp16 bit patterns, `qs` (..., blocks, 32)
    int8 (the partial last block padded with zeros), `head_dim` the d they hold."""

    def __init__(self, scales, qs, head_dim):
        self.scales, self.qs, self.head_dim = scales, qs, head_dim

    def block_bytes(self):
        """ggml's block_q8_0 layout, {ggml_half d; int8_t qs[32]} = 34 bytes per block, as a uint8 array
        (..., blocks · 34)."""
        np = _np()
        dtype = np.dtype([("d", "<u2"), ("qs", "i1", (Q8_BLOCK,))])
        packed = np.empty(self.scales.shape, dtype=dtype)
        packed["d"] = self.scales
        packed["qs"] = self.qs
        return packed.view(np.uint8).reshape(self.scales.shape[:-1] + (-1,))


def q8_0_encode(x):
    np = _np()
    x = np.asarray(x, dtype=np.float32)
    d = x.shape[-1]
    blocks = -(-d // Q8_BLOCK)
    padded = np.zeros(x.shape[:-1] + (blocks * Q8_BLOCK,), dtype=np.float32)
    padded[..., :d] = x
    padded = padded.reshape(x.shape[:-1] + (blocks, Q8_BLOCK))
    finite = np.isfinite(padded).all(axis=-1)
    safe = np.where(np.isfinite(padded), padded, np.float32(0))
    amax = np.abs(safe).max(axis=-1)
    scale = (amax / np.float32(127)).astype(np.float32)
    with np.errstate(divide="ignore"):
        inverse = np.where(scale > 0, np.float32(1) / np.where(scale > 0, scale, np.float32(1)), np.float32(0))
    scaled = (safe * inverse[..., None].astype(np.float32)).astype(np.float32).astype(np.float64)
    q = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)  # roundf: half away from zero (exact in float64)
    q = np.where(finite[..., None], q, 0).astype(np.int8)
    scales = np.where(finite, f16_bits(scale), np.uint16(0x7E00)).astype(np.uint16)
    return Q8Blocks(scales, q, d)


def q8_0_decode(blocks):
    np = _np()
    scale = f16_decode(blocks.scales)
    values = blocks.qs.astype(np.float32) * scale[..., None]
    return np.ascontiguousarray(values.reshape(values.shape[:-2] + (-1,))[..., :blocks.head_dim])


def encode(x, fmt):
    """The stored form of x in `fmt`: float32 array (f32), uint16 bit patterns (f16, bf16), Q8Blocks (q8_0)."""
    np = _np()
    if fmt == "f32":
        return np.asarray(x, dtype=np.float32)
    if fmt == "f16":
        return f16_bits(x)
    if fmt == "bf16":
        return bf16_bits(x)
    if fmt == "q8_0":
        return q8_0_encode(x)
    raise ValueError("unknown format %r" % fmt)


def decode(stored, fmt):
    """The float32 values a stored form stands for (exactly)."""
    np = _np()
    if fmt == "f32":
        return np.asarray(stored, dtype=np.float32)
    if fmt == "f16":
        return f16_decode(stored)
    if fmt == "bf16":
        return bf16_decode(stored)
    if fmt == "q8_0":
        return q8_0_decode(stored)
    raise ValueError("unknown format %r" % fmt)


def round_trip(x, fmt):
    """x as stored in `fmt`, decoded: the values every peer and the reference read."""
    if fmt == "f32":
        return x
    return decode(encode(x, fmt), fmt)


def stored_inputs(shape, q, k, v):
    """(q, k, v) rounded to the shape's formats (Q to dtype, K and V to kv_dtype), as float32."""
    return round_trip(q, shape.dtype), round_trip(k, shape.kv_dtype), round_trip(v, shape.kv_dtype)
