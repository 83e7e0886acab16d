"""SplitMix64, exactly as Sources/AttentionCore/SplitMix64.swift: the scalar generator and its vectorised
form, which yields attnbench's input floats bit for bit.

Output i (from 0) of SplitMix64(seed) mixes the state seed + (i + 1)·γ (mod 2⁶⁴), so any stretch of the
stream can be computed directly, without stepping through what precedes it.
"""

GAMMA = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
MASK64 = (1 << 64) - 1
FNV_PRIME = 0x100000001B3


class SplitMix64:
    """Scalar generator on Python integers (used for the checked rows and the timing order)."""

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
    """Outputs start, start+1, ..., start+count-1 of SplitMix64(seed) as a numpy uint64 array."""
    import numpy as np

    index = np.arange(start + 1, start + count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = index * np.uint64(GAMMA) + np.uint64(seed & MASK64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
    return z ^ (z >> np.uint64(31))


def signed_unit_floats(seed, start, count, chunk=1 << 22):
    """float32 values start..start+count-1 of SplitMix64(seed).nextSignedUnitFloat(), in chunks so that the
    uint64 temporaries stay small."""
    import numpy as np

    out = np.empty(count, dtype=np.float32)
    for first in range(0, count, chunk):
        n = min(chunk, count - first)
        bits = (splitmix64_outputs(seed, start + first, n) >> np.uint64(40)).astype(np.int64) - (1 << 23)
        # 24-bit integers and a power-of-two divisor: exact in float32, as in Swift.
        out[first:first + n] = bits.astype(np.float32) / np.float32(1 << 23)
    return out
