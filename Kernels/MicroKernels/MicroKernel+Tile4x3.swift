#if !ATTNBENCH_SIMD16
/// The AVX2 tile of ``multiplyAccumulateRows``: four rows of C across `columns`, three vectors at a time
/// (12 ymm accumulators, so the tile, its three vectors of B and a broadcast fit the 16 registers), then
/// one vector at a time for the rest.
@inline(__always)
func multiplyAccumulateWideRows(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int) {
    var column = 0
    while column + 3 * vectorWidth <= columns {
        multiplyAccumulate4x3(a: a, lda: lda, b: b + column, ldb: ldb, depth: depth, c: c + column, ldc: ldc)
        column += 3 * vectorWidth
    }
    if column < columns {
        multiplyAccumulate4Rows(a: a, lda: lda, b: b + column, ldb: ldb, depth: depth, c: c + column, ldc: ldc,
                                columns: columns - column)
    }
}

/// 4 rows × 3 vectors of C: 12 accumulators, 3 loads of B and 4 broadcasts of A per 12 FMAs.
@inline(__always)
private func multiplyAccumulate4x3(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                   c: UnsafeMutablePointer<Float>, ldc: Int) {
    let w = vectorWidth
    let c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc
    var r00 = loadVector(c0), r01 = loadVector(c0 + w), r02 = loadVector(c0 + 2 * w)
    var r10 = loadVector(c1), r11 = loadVector(c1 + w), r12 = loadVector(c1 + 2 * w)
    var r20 = loadVector(c2), r21 = loadVector(c2 + w), r22 = loadVector(c2 + 2 * w)
    var r30 = loadVector(c3), r31 = loadVector(c3 + w), r32 = loadVector(c3 + 2 * w)
    let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
    var bRow = b
    for p in 0..<depth {
        let b0 = loadVector(bRow), b1 = loadVector(bRow + w), b2 = loadVector(bRow + 2 * w)
        let x0 = FloatVector(repeating: a0[p])
        r00.addProduct(x0, b0); r01.addProduct(x0, b1); r02.addProduct(x0, b2)
        let x1 = FloatVector(repeating: a1[p])
        r10.addProduct(x1, b0); r11.addProduct(x1, b1); r12.addProduct(x1, b2)
        let x2 = FloatVector(repeating: a2[p])
        r20.addProduct(x2, b0); r21.addProduct(x2, b1); r22.addProduct(x2, b2)
        let x3 = FloatVector(repeating: a3[p])
        r30.addProduct(x3, b0); r31.addProduct(x3, b1); r32.addProduct(x3, b2)
        bRow += ldb
    }
    storeVector(r00, c0); storeVector(r01, c0 + w); storeVector(r02, c0 + 2 * w)
    storeVector(r10, c1); storeVector(r11, c1 + w); storeVector(r12, c1 + 2 * w)
    storeVector(r20, c2); storeVector(r21, c2 + w); storeVector(r22, c2 + 2 * w)
    storeVector(r30, c3); storeVector(r31, c3 + w); storeVector(r32, c3 + 2 * w)
}
#endif
