/// Reads one stored value of a row as binary32, exactly: a format as a type, so that code generic over it
/// (the naive kernel, the reference, panel packing) is specialised per format with no switch per element.
public protocol ElementDecoder {
    static var format: ElementFormat { get }
    /// Value `column` of the row starting at `row`.
    static func decode(_ row: UnsafeRawPointer, _ column: Int) -> Float
}

public enum F32Decoder: ElementDecoder {
    public static var format: ElementFormat { .f32 }
    @inlinable @inline(__always)
    public static func decode(_ row: UnsafeRawPointer, _ column: Int) -> Float {
        row.loadUnaligned(fromByteOffset: column &* 4, as: Float.self)
    }
}

public enum F16Decoder: ElementDecoder {
    public static var format: ElementFormat { .f16 }
    @inlinable @inline(__always)
    public static func decode(_ row: UnsafeRawPointer, _ column: Int) -> Float {
        halfToFloat(UInt16(littleEndian: row.loadUnaligned(fromByteOffset: column &* 2, as: UInt16.self)))
    }
}

public enum BF16Decoder: ElementDecoder {
    public static var format: ElementFormat { .bf16 }
    @inlinable @inline(__always)
    public static func decode(_ row: UnsafeRawPointer, _ column: Int) -> Float {
        BFloat16Bits.decode(UInt16(littleEndian: row.loadUnaligned(fromByteOffset: column &* 2, as: UInt16.self)))
    }
}

public enum Q8Decoder: ElementDecoder {
    public static var format: ElementFormat { .q8_0 }
    @inlinable @inline(__always)
    public static func decode(_ row: UnsafeRawPointer, _ column: Int) -> Float {
        let block = row + (column >> 5) &* ElementFormat.q8BlockBytes
        return Float(block.load(fromByteOffset: 2 &+ (column & 31), as: Int8.self))
            * halfToFloat(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
    }
}

/// f16 bits to binary32: the hardware conversion (F16C's `vcvtph2ps` on x86) where Swift has `Float16`,
/// else ``Float16Bits/decode(_:)``. Both are exact and agree on every bit pattern (a test checks all 65536).
@inlinable @inline(__always)
public func halfToFloat(_ bits: UInt16) -> Float {
    #if os(macOS) && arch(x86_64)
    return Float16Bits.decode(bits)
    #else
    return Float(Float16(bitPattern: bits))
    #endif
}

/// Code to run once per (query format, key/value format) pair, specialised for both.
public protocol FormatPairBody {
    associatedtype Result
    func run<Q: ElementDecoder, KV: ElementDecoder>(query: Q.Type, keyValue: KV.Type) -> Result
}

extension ElementFormat {
    /// Runs `body` with the decoders of `query` and `keyValue`: one specialised copy per pair.
    @inlinable
    public static func dispatch<Body: FormatPairBody>(query: ElementFormat, keyValue: ElementFormat, _ body: Body) -> Body.Result {
        switch query {
        case .f32: return dispatchKeyValue(F32Decoder.self, keyValue, body)
        case .f16: return dispatchKeyValue(F16Decoder.self, keyValue, body)
        case .bf16: return dispatchKeyValue(BF16Decoder.self, keyValue, body)
        case .q8_0: return dispatchKeyValue(Q8Decoder.self, keyValue, body)
        }
    }

    @inlinable
    static func dispatchKeyValue<Q: ElementDecoder, Body: FormatPairBody>(_ query: Q.Type, _ keyValue: ElementFormat,
                                                                         _ body: Body) -> Body.Result {
        switch keyValue {
        case .f32: return body.run(query: query, keyValue: F32Decoder.self)
        case .f16: return body.run(query: query, keyValue: F16Decoder.self)
        case .bf16: return body.run(query: query, keyValue: BF16Decoder.self)
        case .q8_0: return body.run(query: query, keyValue: Q8Decoder.self)
        }
    }

    /// Value `column` of the row at `row` stored in this format (a switch per call: for slow paths).
    @inlinable
    public func decode(_ row: UnsafeRawPointer, _ column: Int) -> Float {
        switch self {
        case .f32: return F32Decoder.decode(row, column)
        case .f16: return F16Decoder.decode(row, column)
        case .bf16: return BF16Decoder.decode(row, column)
        case .q8_0: return Q8Decoder.decode(row, column)
        }
    }

    /// Stores `value` as value `column` of the row at `row`, rounded to this format (f32, f16, bf16; a q8_0
    /// value cannot be stored alone: see ``encodeRow(_:count:into:)``).
    @inlinable
    public func encode(_ value: Float, into row: UnsafeMutableRawPointer, _ column: Int) {
        switch self {
        case .f32: row.storeBytes(of: value, toByteOffset: column &* 4, as: Float.self)
        case .f16: row.storeBytes(of: Float16Bits.encode(value).littleEndian, toByteOffset: column &* 2, as: UInt16.self)
        case .bf16: row.storeBytes(of: BFloat16Bits.encode(value).littleEndian, toByteOffset: column &* 2, as: UInt16.self)
        case .q8_0: preconditionFailure("q8_0 values are stored a block at a time")
        }
    }

    /// Stores a row of `count` binary32 values, rounded to this format (q8_0: block by block).
    public func encodeRow(_ values: UnsafePointer<Float>, count: Int, into row: UnsafeMutableRawPointer) {
        if self == .q8_0 {
            var first = 0
            while first < count {
                Q8Block.quantize(values + first, count: Swift.min(32, count - first),
                                 into: row + first / 32 * Self.q8BlockBytes)
                first += 32
            }
            return
        }
        for column in 0..<count { encode(values[column], into: row, column) }
    }
}
