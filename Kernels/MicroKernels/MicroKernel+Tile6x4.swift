#if ATTNBENCH_SIMD16
/// The AVX-512 tile of ``multiplyAccumulateRows``: six rows of C across `columns`, four vectors at a time
/// (24 zmm accumulators), then one vector at a time for the rest.
@inline(__always)
func multiplyAccumulateWideRows(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int) {
    var column = 0
    while column + 4 * vectorWidth <= columns {
        multiplyAccumulate6x4(a: a, lda: lda, b: b + column, ldb: ldb, depth: depth, c: c + column, ldc: ldc)
        column += 4 * vectorWidth
    }
    while column < columns {
        multiplyAccumulate6x1(a: a, lda: lda, b: b + column, ldb: ldb, depth: depth, c: c + column, ldc: ldc)
        column += vectorWidth
    }
}

/// 6 rows × 4 vectors of C: 24 accumulators, 4 loads of B and 6 broadcasts of A per 24 FMAs.
@inline(__always)
private func multiplyAccumulate6x4(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                   c: UnsafeMutablePointer<Float>, ldc: Int) {
    let w = vectorWidth
    let c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc, c4 = c + 4 * ldc, c5 = c + 5 * ldc
    var r00 = loadVector(c0), r01 = loadVector(c0 + w), r02 = loadVector(c0 + 2 * w), r03 = loadVector(c0 + 3 * w)
    var r10 = loadVector(c1), r11 = loadVector(c1 + w), r12 = loadVector(c1 + 2 * w), r13 = loadVector(c1 + 3 * w)
    var r20 = loadVector(c2), r21 = loadVector(c2 + w), r22 = loadVector(c2 + 2 * w), r23 = loadVector(c2 + 3 * w)
    var r30 = loadVector(c3), r31 = loadVector(c3 + w), r32 = loadVector(c3 + 2 * w), r33 = loadVector(c3 + 3 * w)
    var r40 = loadVector(c4), r41 = loadVector(c4 + w), r42 = loadVector(c4 + 2 * w), r43 = loadVector(c4 + 3 * w)
    var r50 = loadVector(c5), r51 = loadVector(c5 + w), r52 = loadVector(c5 + 2 * w), r53 = loadVector(c5 + 3 * w)
    let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda
    var bRow = b
    for p in 0..<depth {
        let b0 = loadVector(bRow), b1 = loadVector(bRow + w), b2 = loadVector(bRow + 2 * w), b3 = loadVector(bRow + 3 * w)
        let x0 = FloatVector(repeating: a0[p])
        r00.addProduct(x0, b0); r01.addProduct(x0, b1); r02.addProduct(x0, b2); r03.addProduct(x0, b3)
        let x1 = FloatVector(repeating: a1[p])
        r10.addProduct(x1, b0); r11.addProduct(x1, b1); r12.addProduct(x1, b2); r13.addProduct(x1, b3)
        let x2 = FloatVector(repeating: a2[p])
        r20.addProduct(x2, b0); r21.addProduct(x2, b1); r22.addProduct(x2, b2); r23.addProduct(x2, b3)
        let x3 = FloatVector(repeating: a3[p])
        r30.addProduct(x3, b0); r31.addProduct(x3, b1); r32.addProduct(x3, b2); r33.addProduct(x3, b3)
        let x4 = FloatVector(repeating: a4[p])
        r40.addProduct(x4, b0); r41.addProduct(x4, b1); r42.addProduct(x4, b2); r43.addProduct(x4, b3)
        let x5 = FloatVector(repeating: a5[p])
        r50.addProduct(x5, b0); r51.addProduct(x5, b1); r52.addProduct(x5, b2); r53.addProduct(x5, b3)
        bRow += ldb
    }
    storeVector(r00, c0); storeVector(r01, c0 + w); storeVector(r02, c0 + 2 * w); storeVector(r03, c0 + 3 * w)
    storeVector(r10, c1); storeVector(r11, c1 + w); storeVector(r12, c1 + 2 * w); storeVector(r13, c1 + 3 * w)
    storeVector(r20, c2); storeVector(r21, c2 + w); storeVector(r22, c2 + 2 * w); storeVector(r23, c2 + 3 * w)
    storeVector(r30, c3); storeVector(r31, c3 + w); storeVector(r32, c3 + 2 * w); storeVector(r33, c3 + 3 * w)
    storeVector(r40, c4); storeVector(r41, c4 + w); storeVector(r42, c4 + 2 * w); storeVector(r43, c4 + 3 * w)
    storeVector(r50, c5); storeVector(r51, c5 + w); storeVector(r52, c5 + 2 * w); storeVector(r53, c5 + 3 * w)
}

/// 6 rows × 1 vector of C, for panel widths that are not a multiple of four vectors.
@inline(__always)
private func multiplyAccumulate6x1(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                   c: UnsafeMutablePointer<Float>, ldc: Int) {
    var r0 = loadVector(c), r1 = loadVector(c + ldc), r2 = loadVector(c + 2 * ldc)
    var r3 = loadVector(c + 3 * ldc), r4 = loadVector(c + 4 * ldc), r5 = loadVector(c + 5 * ldc)
    var bRow = b
    for p in 0..<depth {
        let b0 = loadVector(bRow)
        r0.addProduct(FloatVector(repeating: a[p]), b0)
        r1.addProduct(FloatVector(repeating: a[lda &+ p]), b0)
        r2.addProduct(FloatVector(repeating: a[2 &* lda &+ p]), b0)
        r3.addProduct(FloatVector(repeating: a[3 &* lda &+ p]), b0)
        r4.addProduct(FloatVector(repeating: a[4 &* lda &+ p]), b0)
        r5.addProduct(FloatVector(repeating: a[5 &* lda &+ p]), b0)
        bRow += ldb
    }
    storeVector(r0, c); storeVector(r1, c + ldc); storeVector(r2, c + 2 * ldc)
    storeVector(r3, c + 3 * ldc); storeVector(r4, c + 4 * ldc); storeVector(r5, c + 5 * ldc)
}
#endif
