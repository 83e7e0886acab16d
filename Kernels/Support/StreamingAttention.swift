import AttentionCore
import CAffinity

/// Decode-sized attention with K and V read in place: the streaming path of `fused` and `parallel`.
///
/// One call handles one unit of a ``KeySplitPlan`` (up to 16 stacked query rows of one key/value head) over
/// one key range. K and V stay row-major `[Nk][d]` where they are: nothing of them is packed, they are read
/// once per unit, tile by tile of `w` keys (w = the SIMD width). Each tile is used by every 4-row group of
/// the unit while it sits in L1:
///
/// - scores `S[r][j] = q_r · k_j` (scale and log₂e folded into the packed Q): 4 rows × 4 keys at a time,
///   16 vector accumulators over the head dimension, one horizontal sum each — so a key row costs d/w
///   loads and 4·d/w FMAs, and the score tile comes out with keys in lanes, ready for the vector softmax;
/// - per row its own mask (the row's own query index, bottom-right causal alignment; keys past the range
///   and past `Nk` are −∞), then `fused`'s online-softmax step (`FusedKernel.onlineSoftmaxUpdate`);
/// - `acc += P·V` with V in place: broadcast p, FMA the V row (the shared 4-row micro-kernel), over the
///   keys all four rows see; each row adds the keys only it sees alone, so a key a row cannot see never
///   touches it (a NaN in such a V row stays out).
///
/// When `d` is not a multiple of `w` a K or V row cannot be loaded as whole vectors without reading its
/// neighbour (or past the buffer), so the tile is first copied into a zero-padded `[w][d′]` L1 tile.
enum StreamingAttention {
    /// Streams keys `keys` of unit `(kvIndex, block)` into `workspace`'s running max, sum and accumulator,
    /// which it first resets. Rows past the unit's real rows are padding and see no key.
    static func attend(_ operands: AttentionOperands, plan: KeySplitPlan, kvIndex: Int, block: Int,
                       keys: Range<Int>, workspace: StreamWorkspace) {
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
                let source = operands.q + offset
                let target = qp + r * dp
                let scale = shape.scale * log2e
                for c in 0..<d { target[c] = source[c] * scale }
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

        let base = (kvIndex * shape.seqKV) * d
        let inPlace = d == dp
        let lanes = laneIndices()
        var first = keys.lowerBound
        while first < end {
            let count = min(w, end - first)
            prefetchTile(operands.k + base, operands.v + base, firstKey: first + prefetchDistance * w,
                         end: keys.upperBound, headDim: d)
            let kTile: UnsafePointer<Float>, vTile: UnsafePointer<Float>
            if inPlace {
                kTile = operands.k + base + first * d
                vTile = operands.v + base + first * d
            } else {
                copyPadded(operands.k + base + first * d, rows: count, headDim: d, paddedDim: dp, into: workspace.keyTile)
                copyPadded(operands.v + base + first * d, rows: count, headDim: d, paddedDim: dp, into: workspace.valueTile)
                kTile = UnsafePointer(workspace.keyTile)
                vTile = UnsafePointer(workspace.valueTile)
            }
            var g = 0
            while g < paddedRows {
                let real = min(4, rows - g)
                var groupEnd = 0
                for r in g..<(g + real) { groupEnd = max(groupEnd, visible[r]) }
                if groupEnd > first {
                    scores4Rows(q: qp + g * dp, k: kTile, keys: count, paddedDim: dp, into: s + g * w)
                    var shared = count
                    for r in g..<(g + real) {
                        let limit = visible[r] - first
                        let row = s + r * w
                        if limit < w {
                            storeVector(loadVector(row).replacing(with: -.infinity, where: lanes .>= Int32(max(0, limit))), row)
                        }
                        shared = min(shared, max(0, min(count, limit)))
                        FusedKernel.onlineSoftmaxUpdate(scores: row, keys: w, blockMax: FusedKernel.rowMaximum(row, keys: w),
                                                        accumulator: acc + r * dp, paddedDim: dp,
                                                        runningMax: workspace.runningMax + r,
                                                        runningSum: workspace.runningSum + r)
                    }
                    if shared > 0 {
                        multiplyAccumulate4Rows(a: s + g * w, lda: w, b: vTile, ldb: dp, depth: shared,
                                                c: acc + g * dp, ldc: dp, columns: dp)
                    }
                    for r in g..<(g + real) {
                        let seen = min(count, visible[r] - first)
                        if seen > shared {
                            multiplyAccumulate1Row(a: s + r * w + shared, b: vTile + shared * dp, ldb: dp,
                                                   depth: seen - shared, c: acc + r * dp, columns: dp)
                        }
                    }
                }
                g += 4
            }
            first += w
        }
    }

    /// Tiles ahead of the one being computed whose K and V rows are prefetched (4 tiles of d = 128: 64 KB
    /// of K and V ahead). Measured on the decode shape (Nk = 32768, d = 128, Zen 4), hint T1: distance 2–4
    /// ran 30–34 ms against 36 ms without prefetch; hint T0 or NTA, or distance 1, were slower.
    static let prefetchDistance = 4

    /// Prefetches the K and V rows of the tile at `firstKey` (those before `end`), one request per line.
    @inline(__always)
    private static func prefetchTile(_ k: UnsafePointer<Float>, _ v: UnsafePointer<Float>, firstKey: Int, end: Int,
                                     headDim d: Int) {
        guard firstKey < end else { return }
        let floats = min(vectorWidth, end - firstKey) * d
        var offset = firstKey * d
        let last = offset + floats
        while offset < last {
            attnbench_prefetch(k + offset)
            attnbench_prefetch(v + offset)
            offset += 16
        }
    }

    /// Writes `O = acc / ℓ` for the unit's rows (zero for rows that saw no key: ℓ = 0).
    static func writeOutput(_ operands: AttentionOperands, plan: KeySplitPlan, kvIndex: Int, block: Int,
                            workspace: StreamWorkspace) {
        let d = operands.shape.headDim, dp = workspace.paddedDim
        for r in 0..<plan.rows(inBlock: block) {
            let sum = workspace.runningSum[r]
            let inverse: Float = sum == 0 ? 0 : 1 / sum
            let o = operands.o + queryRow(operands, plan: plan, kvIndex: kvIndex, block: block, row: r).offset
            let a = workspace.accumulator + r * dp
            for c in 0..<d { o[c] = a[c] * inverse }
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
                let value = partials[c * stride + r]
                if value > largest { largest = value }
            }
            let o = operands.o + queryRow(operands, plan: plan, kvIndex: kvIndex, block: block, row: r).offset
            var sum: Float = 0
            var column = 0
            while column < dp {
                var total = FloatVector(repeating: 0)
                sum = 0
                for c in 0..<plan.chunks {
                    let chunk = partials + c * stride
                    let weight = chunkWeight(max: chunk[r], largest: largest)
                    sum += weight * chunk[m + r]
                    total.addProduct(FloatVector(repeating: weight), loadVector(chunk + 2 * m + r * dp + column))
                }
                let inverse: Float = sum == 0 ? 0 : 1 / sum
                let scaled = total * inverse
                for lane in 0..<min(w, d - column) { o[column + lane] = scaled[lane] }
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

    /// `S[r][j] = q_r · k_j` for four rows of packed Q (`[4][d′]`) and `keys` ≤ w key rows of stride d′,
    /// into `[4][w]` (lanes from `keys` on are left as they were: the mask overwrites them).
    @inline(__always)
    private static func scores4Rows(q: UnsafePointer<Float>, k: UnsafePointer<Float>, keys: Int, paddedDim dp: Int,
                                    into s: UnsafeMutablePointer<Float>) {
        let w = vectorWidth
        let q0 = q, q1 = q + dp, q2 = q + 2 * dp, q3 = q + 3 * dp
        var j = 0
        while j + 4 <= keys {
            let k0 = k + j * dp, k1 = k0 + dp, k2 = k1 + dp, k3 = k2 + dp
            var a00 = FloatVector(), a01 = FloatVector(), a02 = FloatVector(), a03 = FloatVector()
            var a10 = FloatVector(), a11 = FloatVector(), a12 = FloatVector(), a13 = FloatVector()
            var a20 = FloatVector(), a21 = FloatVector(), a22 = FloatVector(), a23 = FloatVector()
            var a30 = FloatVector(), a31 = FloatVector(), a32 = FloatVector(), a33 = FloatVector()
            var c = 0
            while c < dp {
                let b0 = loadVector(k0 + c), b1 = loadVector(k1 + c), b2 = loadVector(k2 + c), b3 = loadVector(k3 + c)
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
            storeSums(a00, a01, a02, a03, s + j)
            storeSums(a10, a11, a12, a13, s + w + j)
            storeSums(a20, a21, a22, a23, s + 2 * w + j)
            storeSums(a30, a31, a32, a33, s + 3 * w + j)
            j += 4
        }
        while j < keys {
            let kj = k + j * dp
            var a0 = FloatVector(), a1 = FloatVector(), a2 = FloatVector(), a3 = FloatVector()
            var c = 0
            while c < dp {
                let b = loadVector(kj + c)
                a0.addProduct(loadVector(q0 + c), b); a1.addProduct(loadVector(q1 + c), b)
                a2.addProduct(loadVector(q2 + c), b); a3.addProduct(loadVector(q3 + c), b)
                c += w
            }
            s[j] = horizontalSum(a0); s[w + j] = horizontalSum(a1)
            s[2 * w + j] = horizontalSum(a2); s[3 * w + j] = horizontalSum(a3)
            j += 1
        }
        if keys == w { gatherScoreRows(s) }
    }

    /// The lane sums of four vectors into `s[0..<4]`, as one 4-lane store: ``gatherScoreRows`` reloads
    /// exactly these 16 bytes, so the load is forwarded from the store instead of waiting for four scalar
    /// stores to reach L1 (a store-forwarding stall that held up the whole tile).
    @inline(__always)
    private static func storeSums(_ a: FloatVector, _ b: FloatVector, _ c: FloatVector, _ d: FloatVector,
                                  _ s: UnsafeMutablePointer<Float>) {
        let sums = SIMD4<Float>(horizontalSum(a), horizontalSum(b), horizontalSum(c), horizontalSum(d))
        UnsafeMutableRawPointer(s).storeBytes(of: sums, as: SIMD4<Float>.self)
    }

    /// Rewrites each of the four score rows of a full tile, stored as 4-lane pieces, as one vector store,
    /// so that the mask and softmax's vector loads forward from it.
    @inline(__always)
    private static func gatherScoreRows(_ s: UnsafeMutablePointer<Float>) {
        for r in 0..<4 {
            let row = UnsafeMutableRawPointer(s + r * vectorWidth)
            let p0 = row.load(as: SIMD4<Float>.self), p1 = row.load(fromByteOffset: 16, as: SIMD4<Float>.self)
            let low = SIMD8<Float>(lowHalf: p0, highHalf: p1)
            #if ATTNBENCH_SIMD16
            let p2 = row.load(fromByteOffset: 32, as: SIMD4<Float>.self), p3 = row.load(fromByteOffset: 48, as: SIMD4<Float>.self)
            row.storeBytes(of: FloatVector(lowHalf: low, highHalf: SIMD8<Float>(lowHalf: p2, highHalf: p3)), as: FloatVector.self)
            #else
            row.storeBytes(of: low, as: FloatVector.self)
            #endif
        }
    }

    /// `rows` rows of `d` floats into `[w][d′]`, zero-padded (rows past `rows` too).
    @inline(__always)
    private static func copyPadded(_ source: UnsafePointer<Float>, rows: Int, headDim d: Int, paddedDim dp: Int,
                                   into tile: UnsafeMutablePointer<Float>) {
        for r in 0..<vectorWidth {
            let target = tile + r * dp
            if r < rows {
                target.update(from: source + r * d, count: d)
                (target + d).update(repeating: 0, count: dp - d)
            } else {
                target.update(repeating: 0, count: dp)
            }
        }
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
    let paddedDim: Int

    /// Floats needed for head dimension `d` (each part a whole number of cache lines).
    static func floats(headDim: Int) -> Int {
        let dp = roundUp(headDim, toMultipleOf: vectorWidth), rows = KeySplitPlan.maxStackedRows
        return 2 * rows * dp + rows * vectorWidth + 2 * 16 + 2 * 16 + 2 * vectorWidth * dp
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
    }
}
