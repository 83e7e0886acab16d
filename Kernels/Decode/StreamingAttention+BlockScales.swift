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
    /// The f16 scales of `blocks` blocks of the `w` stored rows at `tile` (`rowBytes` apart), as fp32,
    /// transposed: `table[b·w + j]` is the scale of block `b` of row `j`. The bits are gathered with plain
    /// 16-bit loads and stores into `bits` (`[block][w]`), then converted a vector at a time: a scalar
    /// conversion per scale (insert, vcvtph2ps, store) took a fifth of the q8_0 decode step.
    @inline(__always)
    static func decodeBlockScales(_ tile: UnsafeRawPointer, rowBytes: Int, blocks: Int, bits: UnsafeMutablePointer<UInt16>,
                                  into table: UnsafeMutablePointer<Float>) {
        let w = vectorWidth
        for b in 0..<blocks {
            let column = tile + b &* ElementFormat.q8BlockBytes, row = bits + b &* w
            for j in 0..<w { row[j] = column.loadUnaligned(fromByteOffset: j &* rowBytes, as: UInt16.self) }
        }
        for b in 0..<blocks { storeVector(F16Decoder.loadVector(UnsafeRawPointer(bits + b &* w), 0), table + b &* w) }
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
        var column = 0
        while column + 4 * w <= columns {
            blockScaled4x4(v: v, column: column, rowBytes: rowBytes, coefficients: coefficients, depth: depth,
                           c: c + column, ldc: ldc, prefetch: prefetch + column / (4 * w) * depth * Q8Decoder.prefetchLinesPerStep * 16)
            column += 4 * w
        }
        while column < columns {
            blockScaled4x1(v: v, column: column, rowBytes: rowBytes, coefficients: coefficients + (column >> 5) &* 4 &* w,
                           depth: depth, c: c + column, ldc: ldc)
            column += w
        }
    }

    /// 4 rows × 4 vectors of C in 16 registers; vectors 0, 1 take the coefficients of block `column / 32`,
    /// vectors 2, 3 those of the block of `column + 2w` (the same block at w = 8).
    @inline(__always)
    private static func blockScaled4x4(v: UnsafeRawPointer, column: Int, rowBytes: Int, coefficients: UnsafePointer<Float>,
                                       depth: Int, c: UnsafeMutablePointer<Float>, ldc: Int, prefetch: UnsafePointer<Float>) {
        let w = vectorWidth
        let first = coefficients + (column >> 5) &* 4 &* w, second = coefficients + ((column &+ 2 &* w) >> 5) &* 4 &* w
        let c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc
        var r00 = loadVector(c0), r01 = loadVector(c0 + w), r02 = loadVector(c0 + 2 * w), r03 = loadVector(c0 + 3 * w)
        var r10 = loadVector(c1), r11 = loadVector(c1 + w), r12 = loadVector(c1 + 2 * w), r13 = loadVector(c1 + 3 * w)
        var r20 = loadVector(c2), r21 = loadVector(c2 + w), r22 = loadVector(c2 + 2 * w), r23 = loadVector(c2 + 3 * w)
        var r30 = loadVector(c3), r31 = loadVector(c3 + w), r32 = loadVector(c3 + 2 * w), r33 = loadVector(c3 + 3 * w)
        var row = v
        var ahead = prefetch
        for j in 0..<depth {
            prefetchLines(ahead, count: Q8Decoder.prefetchLinesPerStep)
            ahead += Q8Decoder.prefetchLinesPerStep * 16
            let b0 = Q8Decoder.unscaledVector(row, column), b1 = Q8Decoder.unscaledVector(row, column &+ w)
            let b2 = Q8Decoder.unscaledVector(row, column &+ 2 &* w), b3 = Q8Decoder.unscaledVector(row, column &+ 3 &* w)
            var x = FloatVector(repeating: first[j]), y = FloatVector(repeating: second[j])
            r00.addProduct(x, b0); r01.addProduct(x, b1); r02.addProduct(y, b2); r03.addProduct(y, b3)
            x = FloatVector(repeating: first[w &+ j]); y = FloatVector(repeating: second[w &+ j])
            r10.addProduct(x, b0); r11.addProduct(x, b1); r12.addProduct(y, b2); r13.addProduct(y, b3)
            x = FloatVector(repeating: first[2 &* w &+ j]); y = FloatVector(repeating: second[2 &* w &+ j])
            r20.addProduct(x, b0); r21.addProduct(x, b1); r22.addProduct(y, b2); r23.addProduct(y, b3)
            x = FloatVector(repeating: first[3 &* w &+ j]); y = FloatVector(repeating: second[3 &* w &+ j])
            r30.addProduct(x, b0); r31.addProduct(x, b1); r32.addProduct(y, b2); r33.addProduct(y, b3)
            row += rowBytes
        }
        storeVector(r00, c0); storeVector(r01, c0 + w); storeVector(r02, c0 + 2 * w); storeVector(r03, c0 + 3 * w)
        storeVector(r10, c1); storeVector(r11, c1 + w); storeVector(r12, c1 + 2 * w); storeVector(r13, c1 + 3 * w)
        storeVector(r20, c2); storeVector(r21, c2 + w); storeVector(r22, c2 + 2 * w); storeVector(r23, c2 + 3 * w)
        storeVector(r30, c3); storeVector(r31, c3 + w); storeVector(r32, c3 + 2 * w); storeVector(r33, c3 + 3 * w)
    }

    /// 4 rows × 1 vector of C (the columns past the last whole 4-vector step); `coefficients` is its block's.
    @inline(__always)
    private static func blockScaled4x1(v: UnsafeRawPointer, column: Int, rowBytes: Int, coefficients: UnsafePointer<Float>,
                                       depth: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let w = vectorWidth
        var r0 = loadVector(c), r1 = loadVector(c + ldc), r2 = loadVector(c + 2 * ldc), r3 = loadVector(c + 3 * ldc)
        var row = v
        for j in 0..<depth {
            let b0 = Q8Decoder.unscaledVector(row, column)
            r0.addProduct(FloatVector(repeating: coefficients[j]), b0)
            r1.addProduct(FloatVector(repeating: coefficients[w &+ j]), b0)
            r2.addProduct(FloatVector(repeating: coefficients[2 &* w &+ j]), b0)
            r3.addProduct(FloatVector(repeating: coefficients[3 &* w &+ j]), b0)
            row += rowBytes
        }
        storeVector(r0, c); storeVector(r1, c + ldc); storeVector(r2, c + 2 * ldc); storeVector(r3, c + 3 * ldc)
    }
}
