/// Whole-panel register-blocked fp32 multiply-accumulate: `C[0..<m][0..<n] += A[0..<m][0..<k] · B[0..<k][0..<n]`
/// for any row count `m`, on a tile shape chosen for the build's register file.
///
/// Each step `p` of the depth loads the tile's vectors of row `p` of B once and broadcasts `A[r][p]` once per
/// row, so a tile of R rows × V vectors issues R·V FMAs for V loads and R broadcasts. The larger the tile,
/// the fewer load-port operations per FMA; the limit is the register file, which must hold the R·V
/// accumulators, the V vectors of B and a broadcast without spilling:
/// - 16 lanes (AVX-512, 32 zmm): 6 rows × 4 vectors, 24 accumulators + 4 B + 1 broadcast = 29 registers,
///   10 load operations per 24 FMAs (the 4 × 4 tile needs 8 per 16). Four vectors are the width of a
///   d = 64 row and half of a 128-key panel, so neither product has a column tail at those sizes.
/// - 8 lanes (AVX2, 16 ymm): 4 rows × 3 vectors, 12 accumulators + 3 B + 1 broadcast = 16 registers.
///   A 4 × 4 tile would need 21, so the compiler folds the B loads into the FMAs and reloads each vector
///   of B four times (20 loads per 16 FMAs) — load-bound on two load ports.
/// Rows past the last whole tile go through the 4-row and then the 1-row kernels; columns past the last
/// whole tile through a single-vector kernel of the tile's row count.
///
/// On an Intel Xeon (family 6 model 207: two 512-bit FMA ports, twice Zen 4's rate) `fused` prefill reached
/// 52–66% of the same run's 16-lane probe (N = 4096, H = 8, d = 64 and 128, both masks) against Zen 4's 85%,
/// with 84% of its samples in these products and the 6 × 4 loop's B loads carrying the most. llvm-mca 14 rates
/// the loop FMA-bound there (12.0 cycles per 24 FMAs, `-mcpu=sapphirerapids`). Tried and not kept, each variant
/// alternating with this code run by run of `fused` in one process (6–10 pairs per shape, d = 64 and 128):
/// - BLIS-style cache blocking: key strips of 4 vectors outside and row tiles inside (a strip stays in L1
///   across the query block's tiles), P·V in depth chunks of 64 or 128 keys: 0.93–1.07× the time, no
///   consistent direction;
/// - the K panel's row stride padded by one cache line (2048-byte rows map a strip onto 8 of L1's 64 sets):
///   0.969–0.990× in one set of runs, 1.001–1.017× in a second.
#if ATTNBENCH_SIMD16
let wideTileRows = 6
#else
let wideTileRows = 4
#endif

/// `C += A·B` over `rows` rows of A and C (any count) and `columns` columns (a multiple of ``vectorWidth``).
@inline(__always)
func multiplyAccumulateRows(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int) {
    var row = 0
    while row + wideTileRows <= rows {
        multiplyAccumulateWideRows(a: a + row * lda, lda: lda, b: b, ldb: ldb, depth: depth,
                                   c: c + row * ldc, ldc: ldc, columns: columns)
        row += wideTileRows
    }
    #if ATTNBENCH_SIMD16
    if row + 4 <= rows {
        multiplyAccumulate4Rows(a: a + row * lda, lda: lda, b: b, ldb: ldb, depth: depth,
                                c: c + row * ldc, ldc: ldc, columns: columns)
        row += 4
    }
    #endif
    while row < rows {
        multiplyAccumulate1Row(a: a + row * lda, b: b, ldb: ldb, depth: depth, c: c + row * ldc, columns: columns)
        row += 1
    }
}

/// `C += A·B` over `rows` rows where row `i` of C needs only its first `visible(i)` columns (counts
/// non-decreasing in `i`, at most the panel width): each tile of rows computes the vectors its last row needs.
/// `S = Q·Kᵀ` on a key block that crosses the causal diagonal: the tiles above the diagonal skip the vectors of
/// keys none of their rows sees, instead of computing scores that the mask then overwrites.
@inline(__always)
func multiplyAccumulateVisibleColumns(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                      c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, visible: (Int) -> Int) {
    var row = 0
    while row < rows {
        let count = min(wideTileRows, rows - row)
        let columns = roundUp(visible(row + count - 1), toMultipleOf: vectorWidth)
        if columns > 0 {
            multiplyAccumulateRows(a: a + row * lda, lda: lda, b: b, ldb: ldb, depth: depth,
                                   c: c + row * ldc, ldc: ldc, rows: count, columns: columns)
        }
        row += count
    }
}

/// `O += P·V` over `rows` rows where row `i` sees only the first `visible(i)` keys (rows `0..<realRows`,
/// counts non-decreasing in `i`, as the causal mask makes them; `depth` bounds them all).
///
/// Each tile of rows shares the wide kernel over the keys its first row sees; every other real row of the
/// tile then adds its few extra keys alone. Masked probabilities are zero, but multiplying them by V would
/// still turn a NaN or ∞ in a value row the query cannot see into NaN: a row's output must depend only on
/// the keys it attends to. Rows past `realRows` (padding) get the shared part only; tiles made of padding
/// alone are skipped.
@inline(__always)
func accumulateVisibleRows(p: UnsafePointer<Float>, ldp: Int, values: UnsafePointer<Float>, ldv: Int,
                           rows: Int, realRows: Int, visible: (Int) -> Int,
                           acc: UnsafeMutablePointer<Float>, ldacc: Int, columns: Int) {
    var row = 0
    while row < min(rows, realRows) {
        let count = min(wideTileRows, rows - row)
        let shared = visible(row)
        if shared > 0 {
            multiplyAccumulateRows(a: p + row * ldp, lda: ldp, b: values, ldb: ldv, depth: shared,
                                   c: acc + row * ldacc, ldc: ldacc, rows: count, columns: columns)
        }
        for extra in (row + 1)..<min(row + count, realRows) {
            let seen = visible(extra)
            if seen > shared {
                multiplyAccumulate1Row(a: p + extra * ldp + shared, b: values + shared * ldv, ldb: ldv,
                                       depth: seen - shared, c: acc + extra * ldacc, columns: columns)
            }
        }
        row += count
    }
}
