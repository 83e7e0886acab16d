// The AVX2 micro-kernel (8 lanes, 16 ymm registers), compiled where the target lacks AVX-512.
//
// Instruction mix per score (one query–key pair), d = 64, Bk = 512, unmasked, from the disassembly's loop
//   bodies × trip counts (ATTNBENCH_CPU=haswell release build; the AVX-512 build's mix is in the header of
//   Kernels/FusedKernel.swift, its 6 × 4 zmm tile in MicroKernel+Tile6x4.swift): 16 ymm FMAs (8 for
//   S = Q·Kᵀ: 64 key vectors = 21 × 3 + 1; 8 for P·V: 8 value vectors = 3 + 3 + 2), of which 13.875 in the
//   4 × 3 loop, 2 in the 4 × 2 loop and 0.125 in the split 4 × 1 loop; 5.75 broadcasts of Q/P (memory
//   operands of `vbroadcastss`), 4.0 vector loads of K/V, 30.1 instructions in all in the product loops.
//   The 4 × 3 loop, unrolled twice by LLVM: 44 instructions per two steps of the depth, 24 FMAs,
//   8 broadcasts, 6 loads, 6 integer/branch.
//   The 4 × 2 loop: 34 per two steps, 16 FMAs, 8 broadcasts, 4 loads, 6 integer/branch; the split 4 × 1:
//   27 per two steps, 8 FMAs, 8 broadcasts, 2 loads, 9 integer/branch.
// llvm-mca 14 on the loop bodies as compiled, without their branch (cycles per iteration, 1000 iterations):
//   | loop                               | -mcpu=haswell          | -mcpu=znver3                 |
//   | 4 × 3 (24 FMAs)                    | 12.0 (FMA-bound)       | 24.0                         |
//   | 4 × 2 (16 FMAs)                    | 10.0 (1.25×)           | 16.0                         |
//   | split 4 × 1 (8 FMAs, 8 chains)     | 6.5 (1.6×: broadcasts) | 8.0                          |
//   | former 4 × 1 tail (8 FMAs, 4 chains)| 10.0 (2.5×: latency)  | 8.0                          |
//   | 6 × 2, measured below (12 FMAs)    | 7.0 (1.17×: front end) | 12.0                         |
//   | the FMA probe's loop (24 FMAs)     | 12.0                   | 24.0                         |
//   llvm-mca 14's Zen 3 model holds an FMA pipe two cycles per ymm FMA, so it rates the probe's own loop at
//   one FMA a cycle, half of what the probe measures on Zen 3 and Zen 4: read its figures against the probe
//   loop's. Per score (16 FMAs): 8.29 cycles on the Haswell model (8.0 is the FMA bound), 16.0 on the Zen 3
//   model (16.0 for the probe loop): within 4% of the FMA bound on both models.
// Tile shape, 4 × 3 against 6 × 2 (BLIS's Haswell sgemm shape: 12 accumulators, 2 loads + 6 broadcasts per
//   12 FMAs, no column tail at d = 64 or 128; it needs the 4-row tail after 10 × 6 rows of a 64-row block).
//   LLVM compiles the 6 × 2 loop without unrolling and computes the six row addresses with a chain of adds:
//   29 instructions per 12 FMAs against 22. Measured as CPU time (perf cpu-clock samples in the kernel
//   code per `fused` run, 3 and 2 alternating rounds, the 4 × 3 plan then splitting 3k + 1 as 2 × 2; the
//   shared VM's load average was 4–5, which wall-clock medians did not survive), AVX2 build on Zen 4,
//   N = 4096, H = 8: d = 64, 4 × 3 366.8 / 363.4 / 360.4 ms against 6 × 2 359.2 / 351.2 / 387.9; d = 128,
//   743.4 / 800.8 against 774.9 / 853.0. No gain, so the 4 × 3 tile stays, with its 4 × 2 and 4 × 1 tails.
// Also tried and not kept: exp2 by Estrin's scheme in the block softmax (a 3-FMA chain instead of 6): the
//   softmax's CPU time per run, two alternating rounds, was 43 / 43 ms against Horner's 44 / 47 (unrolled
//   twice, which spilled constants to the stack: 48 / 46 against 44 / 41): within the noise.
// Where the time goes (perf record, cpu-clock, `fused` alone, N = 4096, H = 8, d = 64 unmasked, AVX2 build on
//   Zen 4, before the exp2 below): the Q·Kᵀ product 42.8% of the samples (and 1.3% in the score tile's
//   memset), the P·V product 39.6%, the block softmax 10.0% (its exp2 loop most of it), the untimed check
//   3.3%. In both products the 4 × 3 loop holds the samples in proportion to its FMAs (75% of P·V's at
//   d = 64, the 4 × 2 tail the other 25%): at 72.8% of the probe in that run, with about 85% of the timed
//   samples in the products, the product loops run at about 86% of the probe's FMA rate.
// Kept (issue 21): the block softmax's exp2 without its final select and with the exponent bias in the
//   rounding constant (``exp2VectorFlushingToZero``, VectorMath/VectorExp2.swift): its loop is 20
//   instructions per 8 scores instead of 24 (14 vector operations instead of 17, no constant reloaded).
//   One attnbench process alternating it with ``exp2Vector(_:)`` run by run of the kernel (a temporary
//   hook, not committed), thread CPU time per run, median of the paired ratios: N = 4096, H = 8, two
//   processes each: d = 64 0.983 / 0.989 unmasked (16 pairs), 0.976 / 0.974 causal (29 / 31); d = 128
//   0.983 / 0.996 unmasked, 0.972 / 0.970 causal (16 pairs). N = 1024 (K and V in L2, 151–229 pairs):
//   d = 64 0.973 unmasked, 0.976 causal; d = 128 0.986, 0.989.
// Tried for issue 21 and not kept, measured the same way (variant against the code above):
//   - A store-only score tile: no memset, the accumulators starting at zero and written with plain stores,
//     and the Q·Kᵀ loop turned to walk K's strips of 24 keys outside and the 4-row tiles inside, so each
//     strip (6 KiB at d = 64) is read from L1 by every tile instead of the whole 128 KiB panel from L2 per
//     4 rows. N = 1024: 1.004 (d = 64) and 1.005 (d = 128) unmasked, 300 runs; N = 4096: eight paired
//     medians from 0.968 to 1.026 (mean 0.997). Neither the panel's L2 traffic nor the memset was a cost.
//   - exp2 and the row statistics moved into the Q·Kᵀ tile's stores (the probabilities computed against
//     each row's running maximum, left unchanged unless a block's maximum rises 64 above it, the first
//     block against the score of its first key; the lane-wise maxima and sums kept per row beside the tile),
//     so the exp2 work would overlap the next tile's FMAs and the row-maximum pass would go: N = 1024 1.046
//     (d = 64) and 1.056 (d = 128) unmasked, 151 pairs, slower; N = 4096 eight paired medians from 0.969
//     to 1.037, no gain.
//   - The kept exp2 by Estrin's scheme (a 3-FMA chain instead of 6, two multiplies more), both over the same
//     baseline: N = 1024 unmasked, 0.990 against Horner's 0.989 (d = 64), 0.999 against 0.993 (d = 128):
//     the loop is not bound by its latency.
//   - K panels stored as contiguous strips of the tile's 24 keys (`[d′][24]` each), Q·Kᵀ walked strip by
//     strip with the row tiles inside. In the `[d′][Bk]` panel a strip cannot stay in L1 at all: its rows lie
//     2 KiB apart, so its 128 lines share 4 of L1's 64 sets (which also voids the strip-outer variant above).
//     Intel f6 m207 (8-lane probe 88–98 GFLOP/s in the same half hour), N = 4096, H = 8, one process
//     alternating the two layouts run by run, 12–15 pairs, panel time over strip time: d = 64 0.989 and
//     0.989 unmasked, 1.004 causal; d = 128 1.036 and 0.995 unmasked, 1.030 causal. Not kept: the K panel's
//     L2 traffic is not what holds the products back.
//   - Where the time goes, from the same kind of process alternating the whole kernel with one that skips a
//     stage (8 pairs each, same VM): d = 64, Q·Kᵀ 41–47% of the time, P·V 44%, the block softmax 12%;
//     d = 128, Q·Kᵀ 44–46%, P·V 47%, the softmax below what the pairs resolve. perf on the same shapes puts
//     95–97% of Q·Kᵀ's samples in the 4 × 3 loop, unmasked and causal alike; at d = 128 P·V's split 4 × 1
//     tail (1 of 16 vectors) holds 10% of P·V's samples.
// Last measured result (docs/results.md's AVX2 tables, Results/readme-peers-avx2*.csv: AVX2 build on Zen 4,
//   family 25 model 17, one run each on an otherwise idle VM, the peers with --isa avx2): N = 4096, H = 8,
//   1 thread, `fused` d = 64 78.6% of the probe unmasked, 70.3% causal; d = 128 75.0%, 69.7%; `parallel` on
//   2 threads 1.99× / 1.74× its 1-thread time at d = 64, 2.10× / 1.71× at d = 128 (causal alone, right
//   after: 1.93× at d = 64); against PyTorch SDPA (AVX2) 1.19× / 1.47× at d = 64, 1.07× / 1.17× at d = 128.
// The same runs on an Intel Xeon, family 6 model 207 (Golden Cove-class cores: two 256-bit FMA ports; 8-lane
//   probe 92–99 GFLOP/s; Results/readme-peers-avx2-intel*.csv, one run each): `fused` d = 64 69.1% of the
//   probe unmasked, 58.6% causal; d = 128 75.5%, 61.6%; `parallel` 2 threads 1.91× / 1.91× and 2.11× / 1.93×;
//   against PyTorch SDPA (AVX2) 0.96× / 1.12× and 1.26× / 1.10×. perf there (d = 64, one run each): the
//   products 85% (unmasked) and 82% (causal) of the samples, the block softmax 9.7% and 9.3%, the score
//   tile's memset 1.8% and 1.9%: the same split as on Zen 4, and wall-clock times of one binary moved by up
//   to 47% within half an hour, so the causal gap there is not yet resolved into a cause.
// Measured with another session benchmarking (AVX2 build on Zen 4: ATTNBENCH_CPU=x86-64-v3 on the 2-core AMD
//   EPYC VM, family 25 model 17, 8-lane FMA probe 115.2–118.2 GFLOP/s per core; the other core busy,
//   load average 1.5–3.5): N = 4096, H = 8, 1 thread, `fused`, best of 5 alternating rounds' medians (3 + 2
//   in two sessions): d = 64 85.2 GFLOP/s (72.8% of the probe) unmasked, 76.2 (64.9%) causal; d = 128 85.6
//   (72.4%) unmasked, 81.3 (69.4%) causal. The build before the exp2 above, alternating with it: d = 64 84.2
//   (72.1%), 86.0 (73.7%); d = 128 82.8 (71.0%), 80.9 (69.4%). Round to round the medians of one build moved
//   by up to 40% (d = 64 unmasked, before: 51.3 to 84.2 GFLOP/s), so these wall-clock figures do not resolve a
//   2% change; the paired CPU-time ratios above do. `parallel` on 2 threads, in the same sessions: 1.00× to
//   2.05× its 1-thread time for either build, with the other core busy: not measurable there.
// Measured before issue 21's exp2 (AVX2 build on Zen 4: ATTNBENCH_CPU=haswell on the 2-core AMD EPYC VM,
//   family 25 model 17, 8-lane FMA probe 112.9–117.6 GFLOP/s per core, other sessions' work on the same
//   cores: load average 2.3–2.5; docs/results.md, Results/readme-peers-avx2*.csv): N = 4096, H = 8,
//   1 thread, `fused` d = 64 84.4 GFLOP/s (72.0% of the probe) unmasked, 78.4 (66.9%) causal; d = 128 84.7 (72.6%) unmasked,
//   84.0 (72.0%) causal; `parallel` on 2 threads 1.92× / 1.86× its 1-thread time (d = 64). PyTorch 2.13 SDPA
//   at ATEN_CPU_CAPABILITY=avx2 in the same runs took 1.15× / 1.15× `fused`'s time (d = 64), 1.03× / 1.32×
//   (d = 128).
//   Against this tile before its 4 × 2 and split 4 × 1 tails and the block softmax's 4-chain row maximum,
//   alternating in one session (load 2.2–2.4), d = 64, medians of 3 rounds: 478.5 / 436.3 / 434.1 ms against
//   527.8 / 541.6 / 545.4 unmasked, 208.8 / 238.7 / 275.1 against 220.6 / 275.1 / 279.7 causal; d = 128
//   unmasked, CPU time in the kernel code per run (perf cpu-clock, 5 rounds): 858 / 836 / 895 / 756 / 794 ms
//   against 874 / 882 / 872 / 847 / 814.
#if !ATTNBENCH_SIMD16
/// The AVX2 tile of ``multiplyAccumulateRows``: four rows of C across `columns`, three vectors at a time
/// (12 ymm accumulators, so the tile, its three vectors of B and a broadcast fit the 16 registers); two
/// vectors left over go through a 4 × 2 tile (8 accumulators), one through a 4 × 1 kernel that splits the
/// depth into two chains per row (8 in all). So 3k + 2 vectors are k × 3 + 2, and 3k + 1 are k × 3 + 1:
/// splitting those as (k − 1) × 3 + 2 × 2 instead was slower at d = 128 (the score panel's 64 vectors and
/// P·V's 16 are both 3k + 1): CPU time per `fused` run, AVX2 build on Zen 4, N = 4096, H = 8, d = 128
/// unmasked, 5 alternating rounds: 746 / 740 / 812 / 756 / 794 ms for k × 3 + 1 against
/// 780 / 773 / 765 / 778 / 862 for (k − 1) × 3 + 2 × 2.
///
/// Why: Zen 3 (and Haswell) retire two ymm FMAs a cycle with a 4-cycle latency, so a kernel needs 8
/// independent accumulators to keep both FMA pipes busy. The former tail, ``multiplyAccumulate4Rows``'s 4 × 1
/// kernel (4 chains), ran at half that rate, and d = 64 (8 vectors: 3 + 3 + 1 + 1) sent a quarter of every
/// P·V product through it.
@inline(__always)
func multiplyAccumulateWideRows(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int) {
    let w = vectorWidth
    let vectors = columns / w
    let threes = vectors / 3
    var column = 0
    for _ in 0..<threes {
        multiplyAccumulate4x3(a: a, lda: lda, b: b + column, ldb: ldb, depth: depth, c: c + column, ldc: ldc)
        column = column &+ 3 &* w
    }
    while column &+ 2 &* w <= columns {
        multiplyAccumulate4x2(a: a, lda: lda, b: b + column, ldb: ldb, depth: depth, c: c + column, ldc: ldc)
        column = column &+ 2 &* w
    }
    if column < columns {
        multiplyAccumulate4x1Split(a: a, lda: lda, b: b + column, ldb: ldb, depth: depth, c: c + column, ldc: ldc)
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

/// 4 rows × 2 vectors of C: 8 accumulators (as many as two FMA pipes of latency 4 need), 2 loads of B and
/// 4 broadcasts of A per 8 FMAs.
@inline(__always)
private func multiplyAccumulate4x2(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                   c: UnsafeMutablePointer<Float>, ldc: Int) {
    let w = vectorWidth
    let c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc
    var r00 = loadVector(c0), r01 = loadVector(c0 + w)
    var r10 = loadVector(c1), r11 = loadVector(c1 + w)
    var r20 = loadVector(c2), r21 = loadVector(c2 + w)
    var r30 = loadVector(c3), r31 = loadVector(c3 + w)
    let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
    var bRow = b
    for p in 0..<depth {
        let b0 = loadVector(bRow), b1 = loadVector(bRow + w)
        let x0 = FloatVector(repeating: a0[p])
        r00.addProduct(x0, b0); r01.addProduct(x0, b1)
        let x1 = FloatVector(repeating: a1[p])
        r10.addProduct(x1, b0); r11.addProduct(x1, b1)
        let x2 = FloatVector(repeating: a2[p])
        r20.addProduct(x2, b0); r21.addProduct(x2, b1)
        let x3 = FloatVector(repeating: a3[p])
        r30.addProduct(x3, b0); r31.addProduct(x3, b1)
        bRow += ldb
    }
    storeVector(r00, c0); storeVector(r01, c0 + w)
    storeVector(r10, c1); storeVector(r11, c1 + w)
    storeVector(r20, c2); storeVector(r21, c2 + w)
    storeVector(r30, c3); storeVector(r31, c3 + w)
}

/// 4 rows × 1 vector of C with the depth split into even and odd steps: 8 chains instead of 4, added at the
/// end (the sum's rounding differs from one chain's by reassociation only).
@inline(__always)
private func multiplyAccumulate4x1Split(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
                                        c: UnsafeMutablePointer<Float>, ldc: Int) {
    let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
    var r0 = loadVector(c), r1 = loadVector(c + ldc), r2 = loadVector(c + 2 * ldc), r3 = loadVector(c + 3 * ldc)
    var s0 = FloatVector(repeating: 0), s1 = s0, s2 = s0, s3 = s0
    var bRow = b
    var p = 0
    while p &+ 1 < depth {
        let b0 = loadVector(bRow), b1 = loadVector(bRow + ldb)
        r0.addProduct(FloatVector(repeating: a0[p]), b0); s0.addProduct(FloatVector(repeating: a0[p &+ 1]), b1)
        r1.addProduct(FloatVector(repeating: a1[p]), b0); s1.addProduct(FloatVector(repeating: a1[p &+ 1]), b1)
        r2.addProduct(FloatVector(repeating: a2[p]), b0); s2.addProduct(FloatVector(repeating: a2[p &+ 1]), b1)
        r3.addProduct(FloatVector(repeating: a3[p]), b0); s3.addProduct(FloatVector(repeating: a3[p &+ 1]), b1)
        bRow += 2 &* ldb
        p = p &+ 2
    }
    if p < depth {
        let b0 = loadVector(bRow)
        r0.addProduct(FloatVector(repeating: a0[p]), b0); r1.addProduct(FloatVector(repeating: a1[p]), b0)
        r2.addProduct(FloatVector(repeating: a2[p]), b0); r3.addProduct(FloatVector(repeating: a3[p]), b0)
    }
    storeVector(r0 + s0, c); storeVector(r1 + s1, c + ldc); storeVector(r2 + s2, c + 2 * ldc)
    storeVector(r3 + s3, c + 3 * ldc)
}
#endif
