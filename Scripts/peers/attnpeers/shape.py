"""An attention problem's shape, its causal mask and its cost, as AttentionShape.swift and CostModel.swift.

Layout (docs/measurement.md, "The problem"): Q and O are [B][H][Nq][d], K and V are [B][Hkv][Nk][d]; query head h reads
key/value head h / (H / Hkv). The causal mask is aligned bottom-right: query i sees key j iff
j ≤ i + (Nk − Nq). Rows that see no key (causal with Nq > Nk: the first Nq − Nk) output zero; peers are
given only the "live" rows after them, so that none relies on its own convention for empty rows.
"""

import math
import struct

SHAPE_FIELDS = ["batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal"]
FORMAT_FIELDS = ["dtype", "kv_dtype"]
DEFAULT_FORMAT = "f32"
KNOWN_FORMATS = ("f32", "f16", "bf16", "q8_0")  # attnpeers.formats.KV_FORMATS (no numpy here)


def to_float32(value):
    """The float32 nearest to a Python float (round to nearest even), as a Python float."""
    return struct.unpack("f", struct.pack("f", value))[0]


def float32_scale(head_dim):
    """Float(1 / Float(headDim).squareRoot()), as AttentionShape computes it in float32. Rounding the double
    square root and quotient to float32 gives the correctly rounded float32 results (double carries more
    than 2·24 + 2 bits), so this needs no numpy, which must not load before the BLAS thread count is set."""
    return to_float32(1.0 / to_float32(math.sqrt(to_float32(head_dim))))


class Shape:
    """The problem: its geometry, mask and formats (`dtype` stores Q, K, V and O; `kv_dtype`, default
    `dtype`, stores K and V; see attnpeers/formats.py)."""

    def __init__(self, batch, heads, kv_heads, seq_q, seq_kv, head_dim, causal, dtype=DEFAULT_FORMAT, kv_dtype=None):
        self.batch, self.heads, self.kv_heads = batch, heads, kv_heads
        self.seq_q, self.seq_kv, self.head_dim, self.causal = seq_q, seq_kv, head_dim, causal
        self.dtype, self.kv_dtype = dtype, kv_dtype or dtype
        self.scale = float32_scale(head_dim)

    def with_formats(self, dtype, kv_dtype=None):
        """The same geometry in other formats."""
        return Shape(*self.geometry(), dtype, kv_dtype)

    def geometry(self):
        return (self.batch, self.heads, self.kv_heads, self.seq_q, self.seq_kv, self.head_dim, self.causal)

    @property
    def formatted(self):
        """Whether any tensor is stored in another format than f32."""
        return self.dtype != DEFAULT_FORMAT or self.kv_dtype != DEFAULT_FORMAT

    def __eq__(self, other):
        return isinstance(other, Shape) and self.key() == other.key()

    def __hash__(self):
        return hash(self.key())

    def __repr__(self):
        return "Shape(%s)" % ", ".join("%s=%r" % pair for pair in zip(SHAPE_FIELDS, self.key()))

    def key(self):
        return self.geometry() + (self.dtype, self.kv_dtype)

    @property
    def group(self):
        """Query heads per key/value head: 1 multi-head, H grouped-query... H multi-query."""
        return self.heads // self.kv_heads

    @property
    def offset(self):
        return self.seq_kv - self.seq_q

    def visible(self, i):
        """Keys query row i sees."""
        if not self.causal:
            return self.seq_kv
        return max(0, min(self.seq_kv, i + self.offset + 1))

    @property
    def dead_rows(self):
        """Leading query rows that see no key (causal, Nq > Nk): their output is zero."""
        return max(0, -self.offset) if self.causal else 0

    @property
    def live_rows(self):
        return self.seq_q - self.dead_rows

    @property
    def live_offset(self):
        """Bottom-right offset of the live rows: live row r is query row dead_rows + r."""
        return self.offset + self.dead_rows

    @property
    def masked(self):
        """Whether the mask hides any key from a live row. A causal decode step with one query row sees every
        key, so its mask hides nothing and peers may run it unmasked."""
        return self.causal and self.visible(self.dead_rows) < self.seq_kv

    def hidden_keys(self):
        """Boolean (live rows × Nk): True where the causal mask hides key j from live row r."""
        import numpy as np

        return np.arange(self.seq_kv)[None, :] > (np.arange(self.live_rows)[:, None] + self.live_offset)

    @property
    def query_elements(self):
        return self.batch * self.heads * self.seq_q * self.head_dim

    @property
    def key_elements(self):
        return self.batch * self.kv_heads * self.seq_kv * self.head_dim

    @property
    def tensor_bytes(self):
        """Q, O, K and V in float32, twice when they are also held rounded to another format."""
        return 4 * (2 * self.query_elements + 2 * self.key_elements) * (2 if self.formatted else 1)

    def fields(self):
        """The shape's CSV columns."""
        values = dict(zip(SHAPE_FIELDS, (str(value) for value in self.geometry())))
        values["causal"] = "true" if self.causal else "false"
        values["dtype"], values["kv_dtype"] = self.dtype, self.kv_dtype
        return values

    @classmethod
    def from_fields(cls, row):
        """The shape of a results CSV row (the inverse of fields()); ValueError when a column is malformed.
        A row without `dtype` (an older file) is f32; without `kv_dtype`, its dtype."""
        try:
            numbers = [int(row[name]) for name in SHAPE_FIELDS[:-1]]
        except (KeyError, TypeError, ValueError):
            raise ValueError("shape columns %s malformed: %s" % (SHAPE_FIELDS, [row.get(n) for n in SHAPE_FIELDS]))
        if row.get("causal") not in ("true", "false"):
            raise ValueError("causal column must be true or false, got %r" % row.get("causal"))
        dtype = row.get("dtype") or DEFAULT_FORMAT
        kv_dtype = row.get("kv_dtype") or dtype
        if dtype not in KNOWN_FORMATS[:3] or kv_dtype not in KNOWN_FORMATS:
            raise ValueError("dtype/kv_dtype must be one of %s, got %r/%r" % ("/".join(KNOWN_FORMATS), dtype, kv_dtype))
        return cls(*numbers, row["causal"] == "true", dtype, kv_dtype)

    def __str__(self):
        text = "B%d H%d" % (self.batch, self.heads)
        if self.kv_heads != self.heads:
            text += "/KV%d" % self.kv_heads
        text += " Nq%d" % self.seq_q
        if self.seq_kv != self.seq_q:
            text += " Nk%d" % self.seq_kv
        text += " d%d %s" % (self.head_dim, "causal" if self.causal else "full")
        return text + format_suffix(self.dtype, self.kv_dtype)


def format_suffix(dtype, kv_dtype):
    """The shape text's format part: ` <dtype>` when it is not f32, ` kv:<kv_dtype>` when K/V differ from it."""
    text = "" if dtype == DEFAULT_FORMAT else " " + dtype
    return text + ("" if kv_dtype == dtype else " kv:" + kv_dtype)


def visible_pairs(shape):
    """CostModel.visiblePairs: unmasked (query, key) pairs per head, in closed form."""
    if not shape.causal:
        return shape.seq_q * shape.seq_kv
    total = 0
    # visible(i) = clamp(i + offset + 1, 0, Nk): zero, then 1..Nk-1 rising by one, then Nk.
    first_rising = max(0, -shape.offset)                 # first i with visible >= 1
    first_full = max(0, shape.seq_kv - shape.offset - 1)  # first i with visible == Nk
    lo, hi = min(first_rising, shape.seq_q), min(max(first_full, first_rising), shape.seq_q)
    rising = hi - lo
    if rising > 0:
        a, b = lo + shape.offset + 1, hi - 1 + shape.offset + 1
        total += (a + b) * rising // 2
    total += (shape.seq_q - hi) * shape.seq_kv
    return total


def flops(shape):
    """CostModel.flops: 4·d per visible pair, per head."""
    return float(shape.batch * shape.heads) * float(visible_pairs(shape)) * 4.0 * float(shape.head_dim)
