import AttentionCore
import CKernelIntrinsics

/// Register-blocked fp32 matrix multiply-accumulate on four rows: `C[0..<4][0..<n] += A[0..<4][0..<k] · B[0..<k][0..<n]`.
///
/// The one inner loop shared by the vectorised kernels: `S = Q·Kᵀ` (A = packed Q, B = K transposed into
/// panels) and `O += P·V` (A = the probabilities, B = packed V) are both this product. For each step `p` of the
/// depth it loads one row of B as vectors and, for each of the four rows of A, broadcasts `A[r][p]` and fuses
/// a multiply-add into a register accumulator. With 4 rows × 4 vectors the loop holds 16 accumulators in
/// registers and issues 16 FMAs for 4 vector loads and 4 broadcasts, so on AVX-512 it is limited by the FMA
/// units, not by loads. `n` must be a multiple of ``vectorWidth`` (panels are padded with zeros to ensure it).
///
/// `prefetch`: the start of a stream that each 4 × 4 step requests w/4 cache lines of (fewer for a narrower
/// format of B: ``VectorRowReader/prefetchLinesPerStep``), in address order (``prefetchLines(_:count:)``),
/// continuing from one 4-vector column pass to the next: over the call, for fp32, `depth · columns / 4`
/// floats from it, evenly spread over the FMAs. The decode path passes the V tile two
/// tiles ahead, which B's in-place rows read next (`nil`, the default, issues no prefetch and compiles away).
@inline(__always)
func multiplyAccumulate4Rows(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, prefetch: UnsafePointer<Float>? = nil) {
    multiplyAccumulate4Rows(F32Decoder.self, a: a, lda: lda, b: UnsafeRawPointer(b), rowBytes: ldb &* 4, depth: depth,
                            c: c, ldc: ldc, columns: columns, prefetch: prefetch)
}

/// ``multiplyAccumulate4Rows(a:lda:b:ldb:depth:c:ldc:columns:prefetch:)`` with B's rows stored in `reader`'s
/// format, `rowBytes` apart, and converted to fp32 in registers as they are loaded (the decode path's V).
///
/// `blockStride`: floats between the A of one 32-column block of B and the next (0, the default: one A for
/// all columns). With it, the A rows may carry a factor per block of B, as the q8_0 decode path's `p·scale`
/// coefficients do (``StreamingAttention/multiplyAccumulate4RowsBlockScaled``); at 0 the block arithmetic
/// folds away at compile time.
@inline(__always)
func multiplyAccumulate4Rows<R: VectorRowReader>(_ reader: R.Type, a: UnsafePointer<Float>, lda: Int, blockStride: Int = 0,
                                                 b: UnsafeRawPointer, rowBytes: Int, depth: Int, c: UnsafeMutablePointer<Float>,
                                                 ldc: Int, columns: Int, prefetch: UnsafePointer<Float>? = nil) {
    var column = 0
    #if !ATTNBENCH_SIMD16
    // 16 ymm registers: 4 rows × 2 vectors (8 accumulators, 2 of B, 1 broadcast), where the 4 × 4 tile's
    // 21 spilled (the decode path's V is the only 8-lane caller; prefill has `multiplyAccumulateRows`' 4 × 3).
    // Two vectors at a multiple of 2w lie in one 32-column block.
    while column + 2 * vectorWidth <= columns {
        multiplyAccumulate4x2(reader, a: a + (column >> 5) &* blockStride, lda: lda, b: b, column: column, rowBytes: rowBytes,
                              depth: depth, c: c + column, ldc: ldc,
                              prefetch: prefetch.map { $0 + column / (2 * vectorWidth) * depth * R.prefetchLinesPerStep * 16 })
        column += 2 * vectorWidth
    }
    #endif
    while column + 4 * vectorWidth <= columns {
        // Pass k starts where pass k − 1's depth steps of 4w floats left the stream: k · 4w · depth.
        multiplyAccumulate4x4(reader, a: a + (column >> 5) &* blockStride, aRight: a + ((column &+ 2 &* vectorWidth) >> 5) &* blockStride,
                              lda: lda, b: b, column: column, rowBytes: rowBytes, depth: depth, c: c + column, ldc: ldc,
                              prefetch: prefetch.map { $0 + column / (4 * vectorWidth) * depth * R.prefetchLinesPerStep * 16 })
        column += 4 * vectorWidth
    }
    while column < columns {
        multiplyAccumulate4x1(reader, a: a + (column >> 5) &* blockStride, lda: lda, b: b, column: column, rowBytes: rowBytes,
                              depth: depth, c: c + column, ldc: ldc)
        column += vectorWidth
    }
}

/// 4 rows × 4 vectors of C in 16 registers. Vectors 0 and 1 take A from `a`, vectors 2 and 3 from `aRight`
/// (the same rows unless A carries a factor per block of B and the two halves lie in different blocks).
@inline(__always)
private func multiplyAccumulate4x4<R: VectorRowReader>(_ reader: R.Type, a: UnsafePointer<Float>, aRight: UnsafePointer<Float>,
                                                        lda: Int, b: UnsafeRawPointer, column: Int, rowBytes: Int, depth: Int,
                                                        c: UnsafeMutablePointer<Float>, ldc: Int, prefetch: UnsafePointer<Float>?) {
    let w = vectorWidth
    let c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc
    var r00 = loadVector(c0), r01 = loadVector(c0 + w), r02 = loadVector(c0 + 2 * w), r03 = loadVector(c0 + 3 * w)
    var r10 = loadVector(c1), r11 = loadVector(c1 + w), r12 = loadVector(c1 + 2 * w), r13 = loadVector(c1 + 3 * w)
    var r20 = loadVector(c2), r21 = loadVector(c2 + w), r22 = loadVector(c2 + 2 * w), r23 = loadVector(c2 + 3 * w)
    var r30 = loadVector(c3), r31 = loadVector(c3 + w), r32 = loadVector(c3 + 2 * w), r33 = loadVector(c3 + 3 * w)
    let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
    let e0 = aRight, e1 = aRight + lda, e2 = aRight + 2 * lda, e3 = aRight + 3 * lda
    var bRow = b
    var ahead = prefetch
    for p in 0..<depth {
        prefetchStep(R.self, &ahead)
        let b0 = R.loadVector(bRow, column), b1 = R.loadVector(bRow, column &+ w)
        let b2 = R.loadVector(bRow, column &+ 2 &* w), b3 = R.loadVector(bRow, column &+ 3 &* w)
        let x0 = FloatVector(repeating: a0[p]), y0 = FloatVector(repeating: e0[p])
        r00.addProduct(x0, b0); r01.addProduct(x0, b1); r02.addProduct(y0, b2); r03.addProduct(y0, b3)
        let x1 = FloatVector(repeating: a1[p]), y1 = FloatVector(repeating: e1[p])
        r10.addProduct(x1, b0); r11.addProduct(x1, b1); r12.addProduct(y1, b2); r13.addProduct(y1, b3)
        let x2 = FloatVector(repeating: a2[p]), y2 = FloatVector(repeating: e2[p])
        r20.addProduct(x2, b0); r21.addProduct(x2, b1); r22.addProduct(y2, b2); r23.addProduct(y2, b3)
        let x3 = FloatVector(repeating: a3[p]), y3 = FloatVector(repeating: e3[p])
        r30.addProduct(x3, b0); r31.addProduct(x3, b1); r32.addProduct(y3, b2); r33.addProduct(y3, b3)
        bRow += rowBytes
    }
    storeVector(r00, c0); storeVector(r01, c0 + w); storeVector(r02, c0 + 2 * w); storeVector(r03, c0 + 3 * w)
    storeVector(r10, c1); storeVector(r11, c1 + w); storeVector(r12, c1 + 2 * w); storeVector(r13, c1 + 3 * w)
    storeVector(r20, c2); storeVector(r21, c2 + w); storeVector(r22, c2 + 2 * w); storeVector(r23, c2 + 3 * w)
    storeVector(r30, c3); storeVector(r31, c3 + w); storeVector(r32, c3 + 2 * w); storeVector(r33, c3 + 3 * w)
}

/// 4 rows × 2 vectors of C in 8 registers: the 8-lane tile of ``multiplyAccumulate4Rows``.
@inline(__always)
private func multiplyAccumulate4x2<R: VectorRowReader>(_ reader: R.Type, a: UnsafePointer<Float>, lda: Int, b: UnsafeRawPointer,
                                                        column: Int, rowBytes: Int, depth: Int,
                                                        c: UnsafeMutablePointer<Float>, ldc: Int, prefetch: UnsafePointer<Float>?) {
    let w = vectorWidth
    let c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc
    var r00 = loadVector(c0), r01 = loadVector(c0 + w), r10 = loadVector(c1), r11 = loadVector(c1 + w)
    var r20 = loadVector(c2), r21 = loadVector(c2 + w), r30 = loadVector(c3), r31 = loadVector(c3 + w)
    var bRow = b
    var ahead = prefetch
    for p in 0..<depth {
        prefetchStep(R.self, &ahead)
        let b0 = R.loadVector(bRow, column), b1 = R.loadVector(bRow, column &+ w)
        let x0 = FloatVector(repeating: a[p]), x1 = FloatVector(repeating: a[lda &+ p])
        r00.addProduct(x0, b0); r01.addProduct(x0, b1); r10.addProduct(x1, b0); r11.addProduct(x1, b1)
        let x2 = FloatVector(repeating: a[2 &* lda &+ p]), x3 = FloatVector(repeating: a[3 &* lda &+ p])
        r20.addProduct(x2, b0); r21.addProduct(x2, b1); r30.addProduct(x3, b0); r31.addProduct(x3, b1)
        bRow += rowBytes
    }
    storeVector(r00, c0); storeVector(r01, c0 + w); storeVector(r10, c1); storeVector(r11, c1 + w)
    storeVector(r20, c2); storeVector(r21, c2 + w); storeVector(r30, c3); storeVector(r31, c3 + w)
}

/// 4 rows × 1 vector of C, for panel widths that are not a multiple of four vectors.
@inline(__always)
private func multiplyAccumulate4x1<R: VectorRowReader>(_ reader: R.Type, a: UnsafePointer<Float>, lda: Int, b: UnsafeRawPointer,
                                                        column: Int, rowBytes: Int, depth: Int,
                                                        c: UnsafeMutablePointer<Float>, ldc: Int) {
    var r0 = loadVector(c), r1 = loadVector(c + ldc), r2 = loadVector(c + 2 * ldc), r3 = loadVector(c + 3 * ldc)
    var bRow = b
    for p in 0..<depth {
        let b0 = R.loadVector(bRow, column)
        r0.addProduct(FloatVector(repeating: a[p]), b0)
        r1.addProduct(FloatVector(repeating: a[lda &+ p]), b0)
        r2.addProduct(FloatVector(repeating: a[2 &* lda &+ p]), b0)
        r3.addProduct(FloatVector(repeating: a[3 &* lda &+ p]), b0)
        bRow += rowBytes
    }
    storeVector(r0, c); storeVector(r1, c + ldc); storeVector(r2, c + 2 * ldc); storeVector(r3, c + 3 * ldc)
}

/// One step of a prefetch stream over rows in `reader`'s format (nil: no stream): requests its lines per step
/// (``VectorRowReader/prefetchLinesPerStep``) and moves the stream past them.
@inline(__always)
func prefetchStep<R: VectorRowReader>(_ reader: R.Type, _ stream: inout UnsafePointer<Float>?) {
    if let line = stream {
        prefetchLines(line, count: R.prefetchLinesPerStep)
        stream = line + R.prefetchLinesPerStep * 16
    }
}

/// Prefetches, in address order, the `count` cache lines at `p` (hint T1, `attnbench_prefetch`): one step of
/// a stream that requests a whole tile ahead evenly over the steps of the compute that needs it next
/// (``VectorRowReader/prefetchLinesPerStep``: w/4 lines for fp32 rows).
@inline(__always)
func prefetchLines(_ p: UnsafePointer<Float>, count: Int) {
    for line in 0..<count { attnbench_prefetch(p + 16 * line) }
}

/// `C[0][0..<n] += a[0..<k] · B[0..<k][0..<n]` for a single row: the ragged edge of ``accumulateVisibleRows``.
@inline(__always)
func multiplyAccumulate1Row(a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                            c: UnsafeMutablePointer<Float>, columns: Int) {
    multiplyAccumulate1Row(F32Decoder.self, a: a, b: UnsafeRawPointer(b), rowBytes: ldb &* 4, depth: depth, c: c, columns: columns)
}

/// ``multiplyAccumulate1Row(a:b:ldb:depth:c:columns:)`` with B's rows in `reader`'s format, `rowBytes` apart.
@inline(__always)
func multiplyAccumulate1Row<R: VectorRowReader>(_ reader: R.Type, a: UnsafePointer<Float>, b: UnsafeRawPointer, rowBytes: Int,
                                                depth: Int, c: UnsafeMutablePointer<Float>, columns: Int) {
    var column = 0
    while column < columns {
        var r = loadVector(c + column)
        for p in 0..<depth { r.addProduct(FloatVector(repeating: a[p]), R.loadVector(b + p &* rowBytes, column)) }
        storeVector(r, c + column)
        column += vectorWidth
    }
}
