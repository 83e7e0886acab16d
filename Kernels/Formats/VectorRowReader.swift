// Vector readers of stored rows: one FloatVector of w consecutive values, converted in registers.
//
// The conversions are C helpers (`attnbench_lanes.h`: Swift's own SIMD conversions compile to out-of-line calls).
// f16: F16C's `vcvtph2ps`, 2 bytes a value.
// bf16: the 16 bits widened to 32 and shifted left 16 (`vpmovzxwd` + `vpslld`): a bf16 is the top half of
//   its binary32. With AVX-512 VBMI one zero-masked byte permute (`vpermb`) does both.
// q8_0: the int8 values sign-extended and converted (`vpmovsxbd` + `vcvtdq2ps`), times the block's f16 scale
//   broadcast. w divides 32 and rows are whole blocks, so a vector never straddles two blocks.
// Every conversion is exact, so a kernel reading f16, bf16 or q8_0 in place computes on the very values the
// reference decodes, and no fp32 copy of K or V exists.
import AttentionCore
import CKernelIntrinsics

/// A storage format read a vector at a time: values `column ..< column + w` of the row at `row`
/// (`column` a multiple of w, inside the row's padded length).
protocol VectorRowReader: ElementDecoder {
    static func loadVector(_ row: UnsafeRawPointer, _ column: Int) -> FloatVector
    /// Whether each block of 32 values carries its own scale (q8_0), which a caller that reads many rows can
    /// decode once per row into a table instead of once per vector.
    static var hasBlockScales: Bool { get }
    /// ``loadVector(_:_:)`` of key `key` of a tile whose block scales were decoded into `scales`
    /// (`[block][w]`, ``StreamingAttention/decodeBlockScales(_:blocks:offsets:into:)``); formats without
    /// block scales ignore the table.
    static func loadVector(_ row: UnsafeRawPointer, _ column: Int, key: Int, scales: UnsafePointer<Float>) -> FloatVector
    /// Cache lines a prefetch stream requests per step of the decode path (a step reads w values of four
    /// rows): w/4 for fp32, so that a tile's prefetches cover its bytes, and as many fewer as the format is
    /// narrower (w/8 for f16 and bf16; q8_0's 34/32 bytes a value rounded up), never fewer than one.
    static var prefetchLinesPerStep: Int { get }
}

extension VectorRowReader {
    @_transparent static var hasBlockScales: Bool { false }
    @_transparent
    static func loadVector(_ row: UnsafeRawPointer, _ column: Int, key: Int, scales: UnsafePointer<Float>) -> FloatVector {
        loadVector(row, column)
    }
}

extension F32Decoder: VectorRowReader {
    @_transparent static var prefetchLinesPerStep: Int { vectorWidth / 4 }
    @_transparent
    static func loadVector(_ row: UnsafeRawPointer, _ column: Int) -> FloatVector {
        row.loadUnaligned(fromByteOffset: column &* 4, as: FloatVector.self)
    }
}

extension F16Decoder: VectorRowReader {
    @_transparent static var prefetchLinesPerStep: Int { Swift.max(1, vectorWidth / 8) }
    @_transparent
    static func loadVector(_ row: UnsafeRawPointer, _ column: Int) -> FloatVector {
        #if ATTNBENCH_SIMD16
        return attnbench_load_f16x16(row + column &* 2)
        #else
        return attnbench_load_f16x8(row + column &* 2)
        #endif
    }
}

extension BF16Decoder: VectorRowReader {
    @_transparent static var prefetchLinesPerStep: Int { Swift.max(1, vectorWidth / 8) }
    @_transparent
    static func loadVector(_ row: UnsafeRawPointer, _ column: Int) -> FloatVector {
        #if ATTNBENCH_SIMD16
        return attnbench_load_bf16x16(row + column &* 2)
        #else
        return attnbench_load_bf16x8(row + column &* 2)
        #endif
    }
}

extension Q8Decoder: VectorRowReader {
    @_transparent static var prefetchLinesPerStep: Int { (vectorWidth + 7) / 8 }
    @_transparent
    static func loadVector(_ row: UnsafeRawPointer, _ column: Int) -> FloatVector {
        let block = row + (column >> 5) &* ElementFormat.q8BlockBytes
        let scale = halfToFloat(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
        #if ATTNBENCH_SIMD16
        return attnbench_load_i8x16(block + (2 &+ (column & 31)), scale)
        #else
        return attnbench_load_i8x8(block + (2 &+ (column & 31)), scale)
        #endif
    }

    @_transparent static var hasBlockScales: Bool { true }

    /// The int8 values times the scale in the table: one multiply with a broadcast memory operand, where
    /// ``loadVector(_:_:)`` loads, widens and converts the f16 scale of every vector.
    @_transparent
    static func loadVector(_ row: UnsafeRawPointer, _ column: Int, key: Int, scales: UnsafePointer<Float>) -> FloatVector {
        unscaledVector(row, column) * FloatVector(repeating: scales[(column >> 5) &* vectorWidth &+ key])
    }

    /// Values `column ..< column + w` of a row as the int8 values alone, the block's scale not applied.
    @_transparent
    static func unscaledVector(_ row: UnsafeRawPointer, _ column: Int) -> FloatVector {
        let values = row + ((column >> 5) &* ElementFormat.q8BlockBytes &+ 2 &+ (column & 31))
        #if ATTNBENCH_SIMD16
        return attnbench_load_i8x16_unscaled(values)
        #else
        return attnbench_load_i8x8_unscaled(values)
        #endif
    }
}

/// Runs `body` with the vector reader of `format`: one specialised copy of the caller's loop per format.
protocol FormatBody {
    func run<R: VectorRowReader>(_ reader: R.Type)
}

extension ElementFormat {
    @inline(__always)
    func withReader<Body: FormatBody>(_ body: Body) {
        switch self {
        case .f32: body.run(F32Decoder.self)
        case .f16: body.run(F16Decoder.self)
        case .bf16: body.run(BF16Decoder.self)
        case .q8_0: body.run(Q8Decoder.self)
        }
    }
}

/// Rows `0 ..< rows` of `source` (stored rows `rowBytes` apart, `d` values each) decoded into the fp32
/// rows of `target` (`dp` floats apart), each zero-padded from `d` to `dp`.
@inline(__always)
func decodeRows<D: ElementDecoder>(_ decoder: D.Type, _ source: UnsafeRawPointer, rowBytes: Int, rows: Int, headDim d: Int,
                                   into target: UnsafeMutablePointer<Float>, paddedDim dp: Int) {
    for r in 0..<rows {
        let from = source + r &* rowBytes, to = target + r &* dp
        for c in 0..<d { to[c] = D.decode(from, c) }
        (to + d).update(repeating: 0, count: dp &- d)
    }
}
