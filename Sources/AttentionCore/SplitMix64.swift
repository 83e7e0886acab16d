/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast generator whose output depends on the seed alone,
/// so the same `--seed` gives bit-identical inputs on every machine and every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-1, 1) with 24 random bits: exactly representable in fp32, independent of libm.
    public mutating func nextSignedUnitFloat() -> Float {
        Float(Int32(truncatingIfNeeded: next() >> 40) - (1 << 23)) / Float(1 << 23)
    }
}

extension SplitMix64 {
    /// The `index`-th output (0-based) of a generator seeded with `seed`, without drawing the ones before:
    /// SplitMix64's state after n draws is `seed + n·γ`, so any draw can be computed on its own.
    @inlinable public static func output(seed: UInt64, index: Int) -> UInt64 {
        var z = seed &+ (UInt64(truncatingIfNeeded: index) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// ``nextSignedUnitFloat()``'s value for draw `index`.
    @inlinable public static func signedUnitFloat(seed: UInt64, index: Int) -> Float {
        Float(Int32(truncatingIfNeeded: output(seed: seed, index: index) >> 40) - (1 << 23)) / Float(1 << 23)
    }
}
