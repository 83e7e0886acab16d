import Results
/// A small, seedable, fully deterministic pseudo-random number generator.
///
/// The gate's bootstrap must give the same interval for the same input on every machine and
/// every Swift release, so it cannot use `SystemRandomNumberGenerator`, and it avoids the standard
/// library's `random(in:using:)` helpers too, whose internal use of the generator is not a
/// documented contract. Everything that draws a number goes through the two methods below.
///
/// The state is xoshiro256** (Blackman & Vigna, 2018), 256 bits, period 2²⁵⁶ − 1. The four
/// state words are filled from the seed by SplitMix64, as the authors recommend, so that any
/// 64-bit seed (including 0) gives a well-mixed, non-zero state:
///
///     splitmix64:  z ← (s += 0x9E3779B97F4A7C15)
///                  z ← (z ⊕ (z ≫ 30)) · 0xBF58476D1CE4E5B9
///                  z ← (z ⊕ (z ≫ 27)) · 0x94D049BB133111EB
///                  return z ⊕ (z ≫ 31)
///
///     xoshiro256**: result ← rotl(s₁ · 5, 7) · 9
///                   t ← s₁ ≪ 17
///                   s₂ ⊕= s₀;  s₃ ⊕= s₁;  s₁ ⊕= s₂;  s₀ ⊕= s₃;  s₂ ⊕= t;  s₃ ← rotl(s₃, 45)
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole output stream is a function of `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        s0 = SeededGenerator.splitMix64(&mixer)
        s1 = SeededGenerator.splitMix64(&mixer)
        s2 = SeededGenerator.splitMix64(&mixer)
        s3 = SeededGenerator.splitMix64(&mixer)
    }

    /// One step of SplitMix64 (Steele, Lea & Flood, 2014): advances `state` and returns a mixed word.
    @inlinable
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 uniformly distributed bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A uniformly distributed integer in `0 ..< bound`, without modulo bias.
    ///
    /// Lemire's multiply-and-shift method (2019): the high word of `x · bound` is uniform on
    /// `0 ..< bound` once the draws whose low word falls below `2⁶⁴ mod bound` are rejected.
    /// - Precondition: `bound > 0`.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let rejectBelow = (0 &- range) % range   // 2⁶⁴ mod range
            while product.low < rejectBelow {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniformly distributed `Double` in `[0, 1)` with 53 random bits.
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

extension SeededGenerator {
    /// A stable 64-bit hash of a string (FNV-1a over its UTF-8 bytes, then one SplitMix64 round).
    ///
    /// Swift's `Hasher` is randomly seeded per process, so it cannot be used to derive
    /// reproducible per-benchmark seeds; this function can.
    public static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return splitMix64(&hash)
    }
}
