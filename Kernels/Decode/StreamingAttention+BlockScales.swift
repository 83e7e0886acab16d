import AttentionCore
import CKernelIntrinsics

// K and V in a block-scaled format (q8_0: 32 int8 values and one f16 scale per block) read in place by the
// streaming decode path, the scales decoded once per tile instead of once per vector.
//
// Why: reading a q8_0 vector as `int8 → fp32 × scale` costs a scalar load, an f16 → fp32 conversion and a
// broadcast of the block's scale, and a multiply, for every 16 values and every 4-row group. On Zen 4
// (measured in a C loop, 4 FMAs per converted vector as here): vpmovsxbd + vcvtdq2ps run beside the FMAs for
// free (4.0 FMA-times per vector), a multiply by the scale adds one FMA-time (4.8), and the per-vector scale
// decode made the q8_0 decode step slower than f16 although it streams half the bytes.
//
// - Scores: `q·k = Σ_b scale_b · (q_b · int8_b)`. The tile's K scales are decoded once into a `[block][w]`
//   table; each K vector is `int8 → fp32` times its scale broadcast from the table (a memory operand).
// - P·V: `acc += p·(scale·int8) = (p·scale)·int8`. The coefficients `p_rj · scale_jb` of the 4 rows, w keys
//   and each block are w-wide products of the probabilities and the transposed V scales (4 per block); the
//   4 × 4-vector micro-kernel then broadcasts the coefficient of each vector's block and FMAs the bare
//   int8 → fp32 values. No multiply is left per V vector.
//
// Both are exact rearrangements up to rounding: the products `scale·int8` are exact in fp32 (11 × 8 bits),
// `p·scale` is one rounding, so a V term differs from the per-vector form by at most one ulp of the term.
// A NaN scale (a block that held NaN or ±∞) still makes every value of its block NaN, and a key a row cannot
// see still never reaches it (the caller passes only the keys all four rows see).
extension StreamingAttention {
    /// The f16 scales of `blocks` blocks of the `w` stored rows at `tile`, as fp32, transposed: `table[b·w + j]`
    /// is the scale of block `b` of row `j`, whose first byte is `offsets[j]` bytes past the tile's
    /// (`j · rowBytes`). One gather and one vcvtph2ps per block (`attnbench_gather_f16x16`); the rows are
    /// whole vectors of values (the tile is read in place), so each block holds at least w values and the
    /// gather's 4-byte words stay inside it. Against the former 16-bit stores read back as a vector (which
    /// missed store-to-load forwarding), Intel family 6 model 207, 12 alternating rounds, median of the runs'
    /// medians, `fused` 1 thread, 32 query heads on 8 K/V heads, d = 128: 0.231 against 0.242 ms at 1024 keys,
    /// 8.87 against 9.17 ms at 32768.
    @inline(__always)
    static func decodeBlockScales(_ tile: UnsafeRawPointer, blocks: Int, offsets: IntVector, into table: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = tile + b &* ElementFormat.q8BlockBytes
            #if ATTNBENCH_SIMD16
            storeVector(attnbench_gather_f16x16(block, offsets), table + b &* vectorWidth)
            #else
            storeVector(attnbench_gather_f16x8(block, offsets), table + b &* vectorWidth)
            #endif
        }
    }

    /// `C[0..<4][0..<n] += P[0..<4][0..<k] · V[0..<k][0..<n]` with V's rows in q8_0 in place (`rowBytes`
    /// apart), P the `[4][w]` probabilities and `scales` V's block scales (`[block][w]`): the coefficients
    /// `p·scale` are formed first (`[block][4][w]` in `coefficients`), then each 4 × 4-vector step loads four
    /// int8 vectors, converts them and FMAs them with the coefficient of their block (two blocks per step at
    /// w = 16, one at w = 8). `n` is a multiple of w; `prefetch` as in ``multiplyAccumulate4Rows``.
    @inline(__always)
    static func multiplyAccumulate4RowsBlockScaled(p: UnsafePointer<Float>, v: UnsafeRawPointer, rowBytes: Int,
                                                   scales: UnsafePointer<Float>, coefficients: UnsafeMutablePointer<Float>,
                                                   depth: Int, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int,
                                                   prefetch: UnsafePointer<Float>) {
        let w = vectorWidth
        let p0 = loadVector(p), p1 = loadVector(p + w), p2 = loadVector(p + 2 * w), p3 = loadVector(p + 3 * w)
        for b in 0..<((columns + 31) >> 5) {
            let scale = loadVector(scales + b &* w), row = coefficients + b &* 4 &* w
            storeVector(p0 * scale, row); storeVector(p1 * scale, row + w)
            storeVector(p2 * scale, row + 2 * w); storeVector(p3 * scale, row + 3 * w)
        }
        multiplyAccumulate4Rows(Q8Values.self, a: coefficients, lda: w, blockStride: 4 * w, b: v, rowBytes: rowBytes, depth: depth,
                                c: c, ldc: ldc, columns: columns, prefetch: prefetch)
    }
}

/// q8_0 rows read as their int8 values alone, each block's scale left to the caller (folded into the A of
/// ``multiplyAccumulate4Rows(_:a:lda:blockStride:b:rowBytes:depth:c:ldc:columns:prefetch:)``).
enum Q8Values: VectorRowReader {
    static var format: ElementFormat { .q8_0 }
    static func decode(_ row: UnsafeRawPointer, _ column: Int) -> Float {
        Float(row.load(fromByteOffset: (column >> 5) &* ElementFormat.q8BlockBytes &+ 2 &+ (column & 31), as: Int8.self))
    }
    @_transparent static func loadVector(_ row: UnsafeRawPointer, _ column: Int) -> FloatVector {
        Q8Decoder.unscaledVector(row, column)
    }
    @_transparent static var prefetchLinesPerStep: Int { Q8Decoder.prefetchLinesPerStep }
}
