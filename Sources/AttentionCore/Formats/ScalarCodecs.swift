/// IEEE binary16 encoding and decoding in integer arithmetic, so the result is the same on every machine
/// and needs no F16C (kernels use the hardware conversion, which decodes to the same values).
public enum Float16Bits {
    /// The largest finite f16, 65504 (`0x7BFF`): where finite inputs saturate.
    public static let largestFinite: Float = 65504

    /// `value` rounded to f16, nearest with ties to even; finite values beyond ±65504 saturate to ±65504,
    /// ±∞ stays ±∞, NaN becomes a quiet NaN keeping the top of its payload.
    @inlinable public static func encode(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        if value.isNaN { return sign | 0x7E00 | UInt16(truncatingIfNeeded: (bits >> 13) & 0x03FF) }
        if value.isInfinite { return sign | 0x7C00 }
        let magnitude = abs(value)
        if magnitude >= largestFinite { return sign | 0x7BFF }
        let exponent = Int((bits >> 23) & 0xFF)
        if exponent < 113 {
            // Below 2⁻¹⁴: an f16 subnormal, a multiple of 2⁻²⁴. Scaling by 2²⁴ is exact, so rounding the
            // scaled value to an integer is the f16 rounding (1024 lands on the smallest normal, 0x0400).
            return sign | UInt16((magnitude * 0x1p24).rounded(.toNearestOrEven))
        }
        let fraction = bits & 0x7F_FFFF
        var half = UInt32(exponent - 112) << 10 | fraction >> 13
        let rest = fraction & 0x1FFF
        if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) { half += 1 }   // a carry moves into the exponent
        return sign | UInt16(truncatingIfNeeded: half)
    }

    /// The value of f16 bits `bits`, exactly (every f16 is a binary32); a signalling NaN comes back quiet.
    @inlinable public static func decode(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x03FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13 | (fraction != 0 ? 0x40_0000 : 0))
        }
        if exponent == 0 {
            let magnitude = Float(fraction) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
    }
}

/// bfloat16 encoding and decoding: the top 16 bits of a binary32.
public enum BFloat16Bits {
    /// The largest finite bf16 (`0x7F7F`, about 3.3895e38): where finite inputs saturate.
    public static let largestFinite = Float(bitPattern: 0x7F7F_0000)

    /// `value` rounded to bf16, nearest with ties to even; a finite value that would round past the largest
    /// finite bf16 saturates to it, ±∞ stays ±∞, NaN becomes a quiet NaN keeping the top of its payload.
    @inlinable public static func encode(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        // Rounding can carry a finite value into the all-ones exponent (∞): saturate instead.
        if value.isFinite && rounded & 0x7F80_0000 == 0x7F80_0000 {
            return UInt16(truncatingIfNeeded: (bits & 0x8000_0000) >> 16) | 0x7F7F
        }
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// The value of bf16 bits `bits`, exactly.
    @inlinable public static func decode(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}

/// ggml's q8_0 block: quantising up to 32 values, and reading one back.
public enum Q8Block {
    /// Quantises `count` (1…32) values at `values` into the 34-byte block at `block`; the block's remaining
    /// values are zeros. ggml's `quantize_row_q8_0_ref`: `d = max|x| / 127`, `q = round(x · (1/d))` half
    /// away from zero (`q = 0` when `d = 0`), scale stored as f16(d). A NaN or ±∞ among the values gives the
    /// block a NaN scale and zero bytes, so every value of it reads back as NaN.
    @inlinable public static func quantize(_ values: UnsafePointer<Float>, count: Int, into block: UnsafeMutableRawPointer) {
        var largest: Float = 0
        var finite = true
        for index in 0..<count {
            finite = finite && values[index].isFinite
            largest = Swift.max(largest, abs(values[index]))
        }
        let quants = block + 2
        guard finite else {
            block.storeBytes(of: UInt16(0x7E00).littleEndian, as: UInt16.self)
            quants.initializeMemory(as: Int8.self, repeating: 0, count: ElementFormat.q8BlockValues)
            return
        }
        let scale = largest / 127
        let inverse: Float = scale != 0 ? 1 / scale : 0
        block.storeBytes(of: Float16Bits.encode(scale).littleEndian, as: UInt16.self)
        for index in 0..<ElementFormat.q8BlockValues {
            let x = index < count ? values[index] : 0
            quants.storeBytes(of: Int8(clamping: Int((x * inverse).rounded(.toNearestOrAwayFromZero))),
                              toByteOffset: index, as: Int8.self)
        }
    }

    /// The block's scale, decoded.
    @inlinable public static func scale(_ block: UnsafeRawPointer) -> Float {
        Float16Bits.decode(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
    }

    /// Value `index` (0…31) of the block at `block`: `q · d`, exact in binary32 (8 × 11 significant bits).
    @inlinable public static func value(_ block: UnsafeRawPointer, _ index: Int) -> Float {
        Float(block.load(fromByteOffset: 2 &+ index, as: Int8.self)) * scale(block)
    }
}
