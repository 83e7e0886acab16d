import AttentionCore
import CKernelIntrinsics

/// Decode-sized attention with K and V read in place: the streaming path of `fused` and `parallel`.
///
/// One call handles one unit of a ``KeySplitPlan`` (up to 16 stacked query rows of one key/value head) over
/// one key range. K and V stay row-major `[Nk][d]` where they are: nothing of them is packed, they are read
/// once per unit, tile by tile of `w` keys (w = the SIMD width). Each tile is used by every 4-row group of
/// the unit while it sits in L1:
///
/// - scores `S[r][j] = q_r · k_j` (scale and log₂e folded into the packed Q): 4 rows × 4 keys at a time,
///   16 vector accumulators over the head dimension; keys are grouped (g, g + w/4, g + w/2, g + 3w/4) so
///   that w − 1 pairwise lane folds (`LaneFolds.swift`: two shuffles and an add each) leave each row's w
///   scores with keys in lanes, ready for the vector softmax (per-key horizontal sums compiled to ~35
///   scalar-heavy instructions each);
/// - per row its own mask (the row's own query index, bottom-right causal alignment; keys past the range
///   and past `Nk` are −∞), then the online-softmax step (`softmaxStep`: butterfly max, rescale only when the max grows,
///   per-lane running sums);
/// - `acc += P·V` with V in place: broadcast p, FMA the V row (the shared 4-row micro-kernel), over the
///   keys all four rows see; each row adds the keys only it sees alone, so a key a row cannot see never
///   touches it (a NaN in such a V row stays out).
///
/// Memory traffic: K and V once per unit, Q and O once. Prefetch: each score step and each P·V step requests
/// w/4 lines of the K (V) tile two tiles ahead, hint T1, evenly over the tile's compute; the 4-row interleaved
/// loads alone defeat the hardware stream prefetcher (C model of the access order: 105–120 ns/key against
/// 60 for row-by-row loads).
///
/// Last measured (`Scripts/maintainer/readme-results`' decode table, `Results/readme-decode.csv`, AMD EPYC family 25
/// model 17 = Zen 4 VM, FMA probe 117–118 GFLOP/s per core; decode `--seq 1 --seq-kv 32768 --heads 32
/// --kv-heads 8 --head-dim 128 --causal on`): `fused` 1 thread 15.4 ms, 0.79 of the roofline; `parallel`
/// 2 threads 10.8 ms, 0.95. Same run: ONNX Runtime GroupQueryAttention 44.9 / 47.7 ms (1 / 2 threads), numpy
/// per KV group 59.5 / 40.2 ms. In the helper's paired quiet-run the version before the lane folds took
/// 34.1–34.3 ms (0.39–0.41) against 21.1–24.1 ms for this one. K/V in L2 (`--heads 4 --kv-heads 1
/// --seq-kv 768`): 22.4 µs against 27.8.
///
/// Formats: K and V in f16, bf16 or q8_0 are read in place too, each vector converted to fp32 in registers as
/// it is loaded (`Formats/VectorRowReader.swift`: vcvtph2ps, bf16 shifts, int8 × the block's scale), so the
/// bytes streamed from memory are the format's (half of fp32, 34/128 of it for q8_0) and no fp32 copy of the
/// cache exists. Q is decoded when it is packed, O rounded when it is written. The prefetch streams request
/// the format's bytes (`VectorRowReader.prefetchLinesPerStep`: half the lines for f16 and bf16), not an fp32
/// tile's. q8_0 decodes each tile's block scales once into a table and folds V's into the probabilities
/// (`StreamingAttention+BlockScales.swift`), so no vector pays for its block's scale but a K vector's multiply.
/// Per K/V vector a zmm conversion (vcvtph2ps; vpmovzxwd + vpslld, or one vpermb with VBMI; vpmovsxbd + vcvtdq2ps)
/// runs beside the four FMAs that use it (a C loop on Zen 4: 4.0 FMA-times per converted vector, as for fp32); q8_0's
/// K adds one multiply by the scale (4.8). The 8-lane (AVX2) path cuts its tiles for 16 ymm registers: scores in two
/// passes of two keys, P·V on 4 × 2 vectors (the 4 × 4 tiles spilled a third of their accumulators). AVX2 build on
/// the Zen 4 VM, `--seq-kv 4096` (K/V in L3), medians of 3–5 alternating runs against the spilling build: f32 1.62
/// against 2.18 ms, f16 1.14 against 1.85, bf16 1.13 against 1.51, q8_0 1.23 against 2.24.
/// Last measured (`Results/readme-formats-decode.csv`, AMD EPYC family 25 model 17 = Zen 4, AVX-512 build,
/// FMA probe 117.6 / 116.5 GFLOP/s, one run with the peers): `fused` 1 thread f32 16.05 ms, f16 7.29 (2.20×,
/// 87% of the byte roofline), bf16 6.95 (2.31×, 89%), q8_0 8.43 (1.90×, 54% of its roofline, which is the
/// FMA peak); `parallel` 2 threads f32 10.49, f16 4.97 (2.11×), bf16 4.59 (2.29×), q8_0 4.58 (2.29×, 52%).
/// f16 and bf16 stream at the read probe's rate; q8_0 is compute-bound: the step is 0.537 GFLOP (the `gflop`
/// column), 4.6 ms at the probe's peak, so no kernel doing its arithmetic in fp32 reaches 3× fp32's 16.05 ms
/// here, and q8_0's K side issues five FMA-pipe operations per four FMAs. Before the tile's scales were
/// decoded once (a scalar load, conversion and broadcast per vector): 11.5 against 9.3 ms at 1 thread,
/// 4 alternating runs each, the same session. On an Intel Xeon (family 6 model 207, AVX-512 with two 512-bit
/// FMA ports, probe 121.5 / 180.4 GFLOP/s before / after; `Results/readme-formats-decode-intel.csv`, one run with
/// the peers, the formats timed in the same rounds) the FMA rate is twice Zen 4's and q8_0 reaches neither the
/// FMA peak nor the byte roofline: `fused` 1 thread f32 20.60 ms, f16 10.72 (1.92×, 83% of the byte roofline),
/// bf16 10.64 (1.94×, 83%), q8_0 8.80 (2.34×, 54%); `parallel` 2 threads f32 11.33, f16 5.59 (2.03×, 79%), bf16
/// 5.52 (2.05×, 80%), q8_0 4.52 (2.51×, 52%). Its kernel time (perf, K/V in L2): score loops ~42%, P·V ~30%,
/// the tile's scale gathers ~5–9%, folds and softmax most of the rest. There every zmm operation issues to the
/// two FMA ports, so q8_0's conversions and K's scale multiply (13 vector operations per 8 FMAs) cap it at about
/// 62% of the FMA peak, and with the folds, softmax and gathers counted too at about 50% (by operation count:
/// ~2040 port operations per tile of 16 keys against 1024 FMAs); with K and V in L2 it ran at the same
/// 0.25 µs per key as from memory (0.27). On Zen 4 the conversions run beside the FMAs (the C loop above) and
/// only K's multiply competes with them.
/// Tried on that Intel VM and not kept (paired runs, the same session): computing the next tile's scores before
/// this tile's softmax (software pipelining, so the softmax's serial chains overlap the next tile's FMAs):
/// 1.001–1.022× the time of this loop at 256 and 32768 keys in every format, 6 alternating rounds.
///
/// When `d` is not a multiple of `w` a K or V row cannot be loaded as whole vectors without reading its
/// neighbour (or past the buffer), so the tile is first copied (decoded, in a narrower format) into a
/// zero-padded `[w][d′]` fp32 L1 tile.
enum StreamingAttention {
    /// Streams keys `keys` of unit `(kvIndex, block)` into `workspace`'s running max, sum and accumulator,
    /// which it first resets. Rows past the unit's real rows are padding and see no key.
    static func attend(_ operands: AttentionOperands, plan: KeySplitPlan, kvIndex: Int, block: Int,
                       keys: Range<Int>, workspace: StreamWorkspace) {
        switch operands.key.format {
        case .f32: attend(F32Decoder.self, operands, plan: plan, kvIndex: kvIndex, block: block, keys: keys, workspace: workspace)
        case .f16: attend(F16Decoder.self, operands, plan: plan, kvIndex: kvIndex, block: block, keys: keys, workspace: workspace)
        case .bf16: attend(BF16Decoder.self, operands, plan: plan, kvIndex: kvIndex, block: block, keys: keys, workspace: workspace)
        case .q8_0: attend(Q8Decoder.self, operands, plan: plan, kvIndex: kvIndex, block: block, keys: keys, workspace: workspace)
        }
    }

    /// ``attend(_:plan:kvIndex:block:keys:workspace:)`` with K and V stored as `R` reads them, converted in
    /// registers where whole tiles are read in place, decoded into the padded L1 tiles elsewhere.
    private static func attend<R: VectorRowReader>(_ reader: R.Type, _ operands: AttentionOperands, plan: KeySplitPlan,
                                                   kvIndex: Int, block: Int, keys: Range<Int>, workspace: StreamWorkspace) {
        let shape = operands.shape
        let d = shape.headDim, dp = workspace.paddedDim, w = vectorWidth
        let rows = plan.rows(inBlock: block)
        let paddedRows = roundUp(rows, toMultipleOf: 4)
        let qp = workspace.query, acc = workspace.accumulator, s = workspace.scores
        let visible = workspace.visible

        var end = keys.lowerBound
        for r in 0..<paddedRows {
            var seen = 0
            if r < rows {
                let (offset, query) = queryRow(operands, plan: plan, kvIndex: kvIndex, block: block, row: r)
                let target = qp + r * dp
                let scale = shape.scale * log2e
                if operands.query.format == .f32 {
                    let source = operands.q + offset
                    for c in 0..<d { target[c] = source[c] * scale }
                } else {
                    for c in 0..<d { target[c] = operands.query.value(row: offset / d, column: c) * scale }
                }
                (target + d).update(repeating: 0, count: dp - d)
                seen = min(keys.upperBound, shape.visibleKeys(forQuery: query))
            } else {
                (qp + r * dp).update(repeating: 0, count: dp)
            }
            visible[r] = seen
            end = max(end, seen)
        }
        acc.update(repeating: 0, count: paddedRows * dp)
        workspace.runningMax.update(repeating: -.infinity, count: paddedRows)
        workspace.runningSum.update(repeating: 0, count: paddedRows)

        let base = kvIndex * shape.seqKV, rowBytes = operands.key.rowBytes, tileBytes = dp &* 4
        // A block-scaled tile read in place gathers its scales with 32-bit row offsets; rows too long for them
        // (over 2³¹ bytes across a tile) are decoded into the padded tile instead.
        let inPlace = d == dp && (!R.hasBlockScales || rowBytes <= Int(Int32.max) / vectorWidth)
        let lanes = laneIndices()
        let scaleOffsets = inPlace ? lanes &* Int32(truncatingIfNeeded: rowBytes) : IntVector()
        let sums = workspace.laneSums
        sums.update(repeating: 0, count: paddedRows * w)
        var first = keys.lowerBound
        while first < end {
            let count = min(w, end - first)
            let aheadKey = first + prefetchDistance * w + w <= keys.upperBound ? first + prefetchDistance * w : first
            let kAhead = operands.key.row(base + aheadKey).assumingMemoryBound(to: Float.self)
            let vAhead = operands.value.row(base + aheadKey).assumingMemoryBound(to: Float.self)
            let kTile: UnsafeRawPointer, vTile: UnsafeRawPointer
            let tileInPlace = inPlace && count == w
            if tileInPlace {
                kTile = operands.key.row(base + first)
                vTile = operands.value.row(base + first)
                if R.hasBlockScales {
                    decodeBlockScales(kTile, blocks: workspace.blocks, offsets: scaleOffsets, into: workspace.keyScales)
                    decodeBlockScales(vTile, blocks: workspace.blocks, offsets: scaleOffsets, into: workspace.valueScales)
                }
            } else {
                copyPadded(R.self, operands.key.row(base + first), rowBytes: rowBytes, rows: count, headDim: d, paddedDim: dp,
                           into: workspace.keyTile)
                copyPadded(R.self, operands.value.row(base + first), rowBytes: rowBytes, rows: count, headDim: d, paddedDim: dp,
                           into: workspace.valueTile)
                kTile = UnsafeRawPointer(workspace.keyTile)
                vTile = UnsafeRawPointer(workspace.valueTile)
            }
            var g = 0
            while g < paddedRows {
                let real = min(4, rows - g)
                var groupEnd = 0
                for r in g..<(g + real) { groupEnd = max(groupEnd, visible[r]) }
                if groupEnd > first {
                    if tileInPlace {
                        scoreTile(R.self, q: qp + g * dp, k: kTile, rowBytes: rowBytes, scales: workspace.keyScales, paddedDim: dp,
                                  into: s + g * w, prefetch: kAhead)
                    } else {
                        scoreTile(F32Decoder.self, q: qp + g * dp, k: kTile, rowBytes: tileBytes, scales: workspace.keyScales,
                                  paddedDim: dp, into: s + g * w, prefetch: kAhead)
                    }
                    var shared = count
                    for r in g..<(g + real) {
                        let limit = visible[r] - first
                        let row = s + r * w
                        var scores = loadVector(row)
                        if limit < w { scores = scores.replacing(with: -.infinity, where: lanes .>= Int32(max(0, limit))) }
                        shared = min(shared, max(0, min(count, limit)))
                        softmaxStep(scores, into: row, accumulator: acc + r * dp, paddedDim: dp,
                                    runningMax: workspace.runningMax + r, laneSums: sums + r * w)
                    }
                    if shared > 0 {
                        if tileInPlace && R.hasBlockScales {
                            multiplyAccumulate4RowsBlockScaled(p: s + g * w, v: vTile, rowBytes: rowBytes, scales: workspace.valueScales,
                                                               coefficients: workspace.coefficients, depth: shared,
                                                               c: acc + g * dp, ldc: dp, columns: dp, prefetch: vAhead)
                        } else if tileInPlace {
                            multiplyAccumulate4Rows(R.self, a: s + g * w, lda: w, b: vTile, rowBytes: rowBytes, depth: shared,
                                                    c: acc + g * dp, ldc: dp, columns: dp, prefetch: vAhead)
                        } else {
                            multiplyAccumulate4Rows(F32Decoder.self, a: s + g * w, lda: w, b: vTile, rowBytes: tileBytes,
                                                    depth: shared, c: acc + g * dp, ldc: dp, columns: dp, prefetch: vAhead)
                        }
                    }
                    let vRowBytes = tileInPlace ? rowBytes : tileBytes
                    for r in g..<(g + real) {
                        let seen = min(count, visible[r] - first)
                        if seen > shared {
                            if tileInPlace {
                                multiplyAccumulate1Row(R.self, a: s + r * w + shared, b: vTile + shared * vRowBytes,
                                                       rowBytes: vRowBytes, depth: seen - shared, c: acc + r * dp, columns: dp)
                            } else {
                                multiplyAccumulate1Row(F32Decoder.self, a: s + r * w + shared, b: vTile + shared * vRowBytes,
                                                       rowBytes: vRowBytes, depth: seen - shared, c: acc + r * dp, columns: dp)
                            }
                        }
                    }
                }
                g += 4
            }
            first += w
        }
        for r in 0..<paddedRows { workspace.runningSum[r] = horizontalSum(loadVector(sums + r * w)) }
    }

    /// One row's online-softmax step over a tile of scores `x` (keys in lanes, masked keys −∞):
    ///
    ///     m′ = max(m, max_j x_j),   α = 2^(m − m′),   p_j = 2^(x_j − m′),   ℓ′ = α·ℓ + p,   acc′ = α·acc
    ///
    /// with ℓ kept per lane (summed once, at the end of the range) and the rescale skipped when the maximum
    /// did not grow (α = 1: the common case after the first tiles). Writes p over the row's scores. A tile
    /// the row cannot see at all (every lane −∞, or NaN) adds nothing, but a NaN in it still reaches ℓ.
    @_transparent
    static func softmaxStep(_ x: FloatVector, into row: UnsafeMutablePointer<Float>,
                                    accumulator: UnsafeMutablePointer<Float>, paddedDim dp: Int,
                                    runningMax: UnsafeMutablePointer<Float>, laneSums: UnsafeMutablePointer<Float>) {
        let blockMax = maximumInEveryLane(x)
        if blockMax[0] == -.infinity {
            if any(x .!= x) { storeVector(FloatVector(repeating: .nan), laneSums) }
            storeVector(FloatVector(), row)
            return
        }
        var m = runningMax.pointee
        if blockMax[0] > m {
            let alpha = exp2Vector(FloatVector(repeating: m) - blockMax)
            storeVector(loadVector(laneSums) * alpha, laneSums)
            var c = 0
            while c < dp { storeVector(loadVector(accumulator + c) * alpha, accumulator + c); c += vectorWidth }
            m = blockMax[0]
            runningMax.pointee = m
        }
        let p = exp2Vector(x - FloatVector(repeating: m))
        storeVector(p, row)
        storeVector(loadVector(laneSums) + p, laneSums)
    }

    /// Tiles ahead of the one being computed whose K and V lines are prefetched, spread over the tile's steps
    /// (K during S = Q·Kᵀ, V during P·V), hint T1 (on AMD: into L2). Measured on the decode shape (Nk = 32768,
    /// d = 128, 1 thread, Zen 4 VM): distance 1, 2 and 4 ran 21–24 ms, against 31–35 ms with no prefetch and
    /// with the former burst of the whole tile 4 tiles ahead; hints T0 and NTA (into L1) ran 29–49 ms.
    static let prefetchDistance = 2

    /// Writes `O = acc / ℓ` for the unit's rows (zero for rows that saw no key: ℓ = 0).
    static func writeOutput(_ operands: AttentionOperands, plan: KeySplitPlan, kvIndex: Int, block: Int,
                            workspace: StreamWorkspace) {
        let d = operands.shape.headDim, dp = workspace.paddedDim
        for r in 0..<plan.rows(inBlock: block) {
            let sum = workspace.runningSum[r]
            let inverse: Float = sum == 0 ? 0 : 1 / sum
            let offset = queryRow(operands, plan: plan, kvIndex: kvIndex, block: block, row: r).offset
            let a = workspace.accumulator + r * dp
            if operands.output.format == .f32 {
                let o = operands.o + offset
                for c in 0..<d { o[c] = a[c] * inverse }
            } else {
                for c in 0..<d { operands.output.store(a[c] * inverse, row: offset / d, column: c) }
            }
        }
    }

    /// Saves the unit's running max, sum and accumulator as one chunk's partial result
    /// (`KeySplitPlan.partialFloats`: `[16]` max, `[16]` sum, `[16][d′]` accumulator).
    static func storePartial(rows: Int, workspace: StreamWorkspace, into partial: UnsafeMutablePointer<Float>) {
        let dp = workspace.paddedDim, m = KeySplitPlan.maxStackedRows
        partial.update(from: workspace.runningMax, count: rows)
        (partial + m).update(from: workspace.runningSum, count: rows)
        (partial + 2 * m).update(from: workspace.accumulator, count: rows * dp)
    }

    /// Merges the unit's `plan.chunks` partial results (consecutive, `stride` floats apart, in chunk order)
    /// exactly and writes its output rows:
    ///
    ///     M = max_c m_c,   w_c = 2^(m_c − M),   O = Σ_c w_c·acc_c / Σ_c w_c·ℓ_c
    ///
    /// A chunk in which a row saw no key (m_c = −∞) weighs 0 — times its ℓ_c, so a NaN it met still
    /// reaches the row; a row that saw no key anywhere has Σ w_c·ℓ_c = 0 and is zero.
    static func mergePartials(_ operands: AttentionOperands, plan: KeySplitPlan, kvIndex: Int, block: Int,
                              partials: UnsafePointer<Float>, stride: Int, paddedDim dp: Int) {
        let d = operands.shape.headDim, m = KeySplitPlan.maxStackedRows, w = vectorWidth
        for r in 0..<plan.rows(inBlock: block) {
            var largest = -Float.infinity
            for c in 0..<plan.chunks {
                let value = partials[c &* stride &+ r]
                if value > largest { largest = value }
            }
            let offset = queryRow(operands, plan: plan, kvIndex: kvIndex, block: block, row: r).offset
            var sum: Float = 0
            var column = 0
            while column < dp {
                var total = FloatVector(repeating: 0)
                sum = 0
                for c in 0..<plan.chunks {
                    let chunk = partials + c * stride
                    let weight = chunkWeight(max: chunk[r], largest: largest)
                    sum += weight * chunk[m &+ r]
                    total.addProduct(FloatVector(repeating: weight), loadVector(chunk + 2 * m + r * dp + column))
                }
                let inverse: Float = sum == 0 ? 0 : 1 / sum
                let scaled = total * inverse
                if operands.output.format == .f32 {
                    for lane in 0..<min(w, d - column) { operands.o[offset &+ column &+ lane] = scaled[lane] }
                } else {
                    for lane in 0..<min(w, d - column) {
                        operands.output.store(scaled[lane], row: offset / d, column: column + lane)
                    }
                }
                column += w
            }
        }
    }

    /// `2^(m − M)`, or 0 for a chunk that saw no key.
    @inline(__always)
    private static func chunkWeight(max m: Float, largest: Float) -> Float {
        m == -.infinity ? 0 : exp2Vector(FloatVector(repeating: m - largest))[0]
    }

    /// Stacked row `row` of unit `(kvIndex, block)`: the offset of its Q (and O) row and its query index.
    @inline(__always)
    static func queryRow(_ operands: AttentionOperands, plan: KeySplitPlan, kvIndex: Int, block: Int,
                         row: Int) -> (offset: Int, query: Int) {
        let shape = operands.shape
        let stacked = block * KeySplitPlan.maxStackedRows + row
        let head = (kvIndex % shape.kvHeads) * shape.groupSize + stacked / shape.seqQ
        let query = stacked % shape.seqQ
        return (operands.queryOffset(batch: kvIndex / shape.kvHeads, head: head) + query * shape.headDim, query)
    }

    /// `S[r][j] = q_r · k_j` for four rows of packed Q (`[4][d′]`) and a full tile of w key rows of stride d′,
    /// into `[4][w]`, keys in lanes. The keys are taken in w/4 groups of four, group g holding keys
    /// g, g + w/4, g + w/2, g + 3w/4: the order in which the pairwise folds (``foldLevel1(_:_:)`` …) put
    /// each key's sum into its own lane. Two fold levels run inside a group, the rest across groups.
    @inline(__always)
    private static func scoreTile<R: VectorRowReader>(_ reader: R.Type, q: UnsafePointer<Float>, k: UnsafeRawPointer, rowBytes: Int,
                                                      scales: UnsafePointer<Float>, paddedDim dp: Int,
                                                      into s: UnsafeMutablePointer<Float>, prefetch: UnsafePointer<Float>) {
        let w = vectorWidth
        #if ATTNBENCH_SIMD16
        let t0 = scoreGroup(R.self, q: q, k: k, rowBytes: rowBytes, scales: scales, group: 0, paddedDim: dp, prefetch: prefetch + 0 * (dp / w) * R.prefetchLinesPerStep * 16), t2 = scoreGroup(R.self, q: q, k: k, rowBytes: rowBytes, scales: scales, group: 2, paddedDim: dp, prefetch: prefetch + 2 * (dp / w) * R.prefetchLinesPerStep * 16)
        let h0 = foldLevel3(t0.0, t2.0), h1 = foldLevel3(t0.1, t2.1), h2 = foldLevel3(t0.2, t2.2), h3 = foldLevel3(t0.3, t2.3)
        let t1 = scoreGroup(R.self, q: q, k: k, rowBytes: rowBytes, scales: scales, group: 1, paddedDim: dp, prefetch: prefetch + 1 * (dp / w) * R.prefetchLinesPerStep * 16), t3 = scoreGroup(R.self, q: q, k: k, rowBytes: rowBytes, scales: scales, group: 3, paddedDim: dp, prefetch: prefetch + 3 * (dp / w) * R.prefetchLinesPerStep * 16)
        storeVector(foldLevel4(h0, foldLevel3(t1.0, t3.0)), s)
        storeVector(foldLevel4(h1, foldLevel3(t1.1, t3.1)), s + w)
        storeVector(foldLevel4(h2, foldLevel3(t1.2, t3.2)), s + 2 * w)
        storeVector(foldLevel4(h3, foldLevel3(t1.3, t3.3)), s + 3 * w)
        #else
        let t0 = scoreGroup(R.self, q: q, k: k, rowBytes: rowBytes, scales: scales, group: 0, paddedDim: dp, prefetch: prefetch + 0 * (dp / w) * R.prefetchLinesPerStep * 16), t1 = scoreGroup(R.self, q: q, k: k, rowBytes: rowBytes, scales: scales, group: 1, paddedDim: dp, prefetch: prefetch + 1 * (dp / w) * R.prefetchLinesPerStep * 16)
        storeVector(foldLevel3(t0.0, t1.0), s)
        storeVector(foldLevel3(t0.1, t1.1), s + w)
        storeVector(foldLevel3(t0.2, t1.2), s + 2 * w)
        storeVector(foldLevel3(t0.3, t1.3), s + 3 * w)
        #endif
    }

    /// Four rows × the four keys of group `g` (g + i·w/4, i = 0…3): 16 register accumulators over the head
    /// dimension (4 key loads, 4 query loads, 16 FMAs per step), then the first two fold levels, which pair key
    /// g with g + w/2 and g + w/4 with g + 3w/4, then those two: one vector per row.
    @inline(__always)
    private static func scoreGroup<R: VectorRowReader>(_ reader: R.Type, q: UnsafePointer<Float>, k: UnsafeRawPointer, rowBytes: Int,
                                                       scales: UnsafePointer<Float>, group g: Int, paddedDim dp: Int,
                                                       prefetch: UnsafePointer<Float>)
        -> (FloatVector, FloatVector, FloatVector, FloatVector) {
        let w = vectorWidth, step = w / 4 * rowBytes
        let k0 = k + g * rowBytes, k1 = k0 + step, k2 = k1 + step, k3 = k2 + step
        #if !ATTNBENCH_SIMD16
        // 16 ymm registers cannot hold 16 accumulators, 4 key vectors and a query vector: the compiler spilled
        // a third of the accumulators and shuffled the rest between registers every step (perf: half the AVX2
        // decode time). Two passes of two keys each (8 accumulators + 2 keys + 1 query = 11 registers), the
        // pairs the first fold level joins anyway; each key is still read once, each query row twice (from L1).
        let even = scorePair(R.self, q: q, k0, k2, keys: (g, g &+ w / 2), scales: scales, paddedDim: dp, prefetch: prefetch)
        let odd = scorePair(R.self, q: q, k1, k3, keys: (g &+ w / 4, g &+ 3 &* w / 4), scales: scales, paddedDim: dp, prefetch: nil)
        return (foldLevel2(even.0, odd.0), foldLevel2(even.1, odd.1), foldLevel2(even.2, odd.2), foldLevel2(even.3, odd.3))
        #else
        let q0 = q, q1 = q + dp, q2 = q + 2 * dp, q3 = q + 3 * dp
        var a00 = FloatVector(), a01 = FloatVector(), a02 = FloatVector(), a03 = FloatVector()
        var a10 = FloatVector(), a11 = FloatVector(), a12 = FloatVector(), a13 = FloatVector()
        var a20 = FloatVector(), a21 = FloatVector(), a22 = FloatVector(), a23 = FloatVector()
        var a30 = FloatVector(), a31 = FloatVector(), a32 = FloatVector(), a33 = FloatVector()
        var c = 0
        while c < dp {
            prefetchLines(prefetch + c / w * R.prefetchLinesPerStep * 16, count: R.prefetchLinesPerStep)
            let b0 = R.loadVector(k0, c, key: g, scales: scales), b1 = R.loadVector(k1, c, key: g &+ w / 4, scales: scales)
            let b2 = R.loadVector(k2, c, key: g &+ w / 2, scales: scales), b3 = R.loadVector(k3, c, key: g &+ 3 &* w / 4, scales: scales)
            let x0 = loadVector(q0 + c)
            a00.addProduct(x0, b0); a01.addProduct(x0, b1); a02.addProduct(x0, b2); a03.addProduct(x0, b3)
            let x1 = loadVector(q1 + c)
            a10.addProduct(x1, b0); a11.addProduct(x1, b1); a12.addProduct(x1, b2); a13.addProduct(x1, b3)
            let x2 = loadVector(q2 + c)
            a20.addProduct(x2, b0); a21.addProduct(x2, b1); a22.addProduct(x2, b2); a23.addProduct(x2, b3)
            let x3 = loadVector(q3 + c)
            a30.addProduct(x3, b0); a31.addProduct(x3, b1); a32.addProduct(x3, b2); a33.addProduct(x3, b3)
            c += w
        }
        return (foldLevel2(foldLevel1(a00, a02), foldLevel1(a01, a03)),
                foldLevel2(foldLevel1(a10, a12), foldLevel1(a11, a13)),
                foldLevel2(foldLevel1(a20, a22), foldLevel1(a21, a23)),
                foldLevel2(foldLevel1(a30, a32), foldLevel1(a31, a33)))
        #endif
    }

    /// Four rows × keys `k` and `l` (the keys of `keys` in the tile): 8 register accumulators over the head
    /// dimension, then the first fold level, which joins the two keys: one vector per row. The AVX2 half of
    /// ``scoreGroup``; `prefetch` (nil: none) as there.
    @inline(__always)
    private static func scorePair<R: VectorRowReader>(_ reader: R.Type, q: UnsafePointer<Float>, _ k: UnsafeRawPointer,
                                                      _ l: UnsafeRawPointer, keys: (Int, Int), scales: UnsafePointer<Float>,
                                                      paddedDim dp: Int, prefetch: UnsafePointer<Float>?)
        -> (FloatVector, FloatVector, FloatVector, FloatVector) {
        let w = vectorWidth
        let q0 = q, q1 = q + dp, q2 = q + 2 * dp, q3 = q + 3 * dp
        var a00 = FloatVector(), a01 = FloatVector(), a10 = FloatVector(), a11 = FloatVector()
        var a20 = FloatVector(), a21 = FloatVector(), a30 = FloatVector(), a31 = FloatVector()
        var c = 0
        var ahead = prefetch
        while c < dp {
            prefetchStep(R.self, &ahead)
            let b0 = R.loadVector(k, c, key: keys.0, scales: scales), b1 = R.loadVector(l, c, key: keys.1, scales: scales)
            let x0 = loadVector(q0 + c)
            a00.addProduct(x0, b0); a01.addProduct(x0, b1)
            let x1 = loadVector(q1 + c)
            a10.addProduct(x1, b0); a11.addProduct(x1, b1)
            let x2 = loadVector(q2 + c)
            a20.addProduct(x2, b0); a21.addProduct(x2, b1)
            let x3 = loadVector(q3 + c)
            a30.addProduct(x3, b0); a31.addProduct(x3, b1)
            c += w
        }
        return (foldLevel1(a00, a01), foldLevel1(a10, a11), foldLevel1(a20, a21), foldLevel1(a30, a31))
    }

    /// `rows` stored rows of `d` values (`rowBytes` apart), decoded into `[w][d′]` fp32, zero-padded (rows
    /// past `rows` too).
    @inline(__always)
    private static func copyPadded<R: VectorRowReader>(_ reader: R.Type, _ source: UnsafeRawPointer, rowBytes: Int, rows: Int,
                                                       headDim d: Int, paddedDim dp: Int, into tile: UnsafeMutablePointer<Float>) {
        decodeRows(R.self, source, rowBytes: rowBytes, rows: rows, headDim: d, into: tile, paddedDim: dp)
        (tile + rows * dp).update(repeating: 0, count: (vectorWidth - rows) * dp)
    }

    @inline(__always)
    private static func laneIndices() -> IntVector {
        var lanes = IntVector()
        for lane in 0..<vectorWidth { lanes[lane] = Int32(lane) }
        return lanes
    }
}

/// Per-worker scratch of ``StreamingAttention``: packed, scaled Q rows, accumulators, the score tile, the
/// running max and sum, each row's visible-key limit, and two padded K/V tiles for `d` not a multiple of w.
struct StreamWorkspace {
    let query: UnsafeMutablePointer<Float>
    let accumulator: UnsafeMutablePointer<Float>
    let scores: UnsafeMutablePointer<Float>
    let runningMax: UnsafeMutablePointer<Float>
    let runningSum: UnsafeMutablePointer<Float>
    let visible: UnsafeMutablePointer<Int>
    let keyTile: UnsafeMutablePointer<Float>
    let valueTile: UnsafeMutablePointer<Float>
    /// Each row's running sum ℓ, kept per lane (`[16][w]`).
    let laneSums: UnsafeMutablePointer<Float>
    /// Block-scaled formats (q8_0): the scales of the K and V tile, `[block][w]`, and the P·V coefficients
    /// `p·scale`, `[block][4][w]` (``StreamingAttention/multiplyAccumulate4RowsBlockScaled``).
    let keyScales: UnsafeMutablePointer<Float>
    let valueScales: UnsafeMutablePointer<Float>
    let coefficients: UnsafeMutablePointer<Float>
    /// Blocks of 32 values in a padded row.
    let blocks: Int
    let paddedDim: Int

    /// Floats needed for head dimension `d` (each part a whole number of cache lines).
    static func floats(headDim: Int) -> Int {
        let dp = roundUp(headDim, toMultipleOf: vectorWidth), rows = KeySplitPlan.maxStackedRows
        let blocks = blockCount(paddedDim: dp)
        return 2 * rows * dp + 2 * rows * vectorWidth + 2 * 16 + 2 * 16 + 2 * vectorWidth * dp + 6 * blocks * vectorWidth
    }

    /// q8_0 blocks in a padded row (the last one partial when `d′` is not a multiple of 32).
    private static func blockCount(paddedDim dp: Int) -> Int {
        (dp + ElementFormat.q8BlockValues - 1) / ElementFormat.q8BlockValues
    }

    init(base: UnsafeMutablePointer<Float>, headDim: Int) {
        let dp = roundUp(headDim, toMultipleOf: vectorWidth), rows = KeySplitPlan.maxStackedRows
        paddedDim = dp
        query = base
        accumulator = query + rows * dp
        scores = accumulator + rows * dp
        runningMax = scores + rows * vectorWidth
        runningSum = runningMax + 16
        visible = UnsafeMutableRawPointer(runningSum + 16).bindMemory(to: Int.self, capacity: rows)
        keyTile = runningSum + 16 + 32
        valueTile = keyTile + vectorWidth * dp
        laneSums = valueTile + vectorWidth * dp
        blocks = Self.blockCount(paddedDim: dp)
        keyScales = laneSums + rows * vectorWidth
        valueScales = keyScales + blocks * vectorWidth
        coefficients = valueScales + blocks * vectorWidth
    }
}
