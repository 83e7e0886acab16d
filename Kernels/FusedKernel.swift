// fused — FlashAttention-style streaming softmax on one thread.
//
// Algorithm (prefill, the packed path): for each query block of Bq rows, walk the key blocks once. Per block:
//   S = Q·Kᵀ with the register-blocked micro-kernel (log₂e and the scale folded into Q, so softmax uses exp2),
//   mask, then the online softmax: m′ = max(m, rowmax S), α = 2^(m − m′), P = 2^(S − m′), ℓ′ = α·ℓ + Σ P,
//   acc′ = α·acc + P·V. O = acc / ℓ once at the end. Under the causal mask the walk stops at the last key the
//   block's last row can see, so fully masked blocks cost nothing, and only blocks crossing the diagonal are
//   masked; in those, each tile of rows computes S only for the key vectors its last row sees, and each row
//   exponentiates only its visible vectors (so Bk = 512 wastes no more on the diagonal than Bk = 128 did).
// Algorithm (decode-sized shapes, Nq·G ≤ 16 with G query heads per KV head, or Nq ≤ 64 with any G: the
//   streaming path, Decode/StreamingAttention.swift, `KeySplitPlan.prefersStreaming`): the G·Nq query rows
//   sharing a KV head are stacked into blocks of 16, each row masked by its own query index, and run against
//   K and V in place, tile by tile of 16 keys, with the same online softmax. No packing; each KV head is read
//   once per block of 16 stacked rows.
// Formats: Q and O in f32, f16 or bf16, K and V in f32, f16, bf16 or q8_0. The packed path decodes K and V
//   to fp32 while packing its panels (O(Nk·d) per key/value head, never per query block) and Q while packing
//   each query block, and rounds O when writing it; everything between is the fp32 path. The streaming path
//   reads K and V in place in their format, converting in registers (see StreamingAttention.swift).
//   Prefill N = 4096, 8 heads, d = 128, unmasked, bf16 Q/K/V against f32, 5 interleaved rounds, medians (Zen 4
//   f25 m17, probe 116.9 GFLOP/s, shared VM): 91.3 against 92.0 GFLOP/s at 1 thread (0.99×).
// Memory traffic: packed path: Q and O once; each KV head's K and V packed once into SIMD panels (Nk·d′ floats
//   each), shared by the G query heads, and re-read from cache once per query block. Streaming path: Q, O,
//   K and V once each (the compulsory traffic). No N×N buffer on either.
// Parallel strategy: none here; the `parallel` kernel runs `attendQueryBlock`, or the streaming units, as its
//   work items.
// Instruction mix per score (one query–key pair), d = 64, Bk = 512. AVX-512 (from the disassembly's loop
//   bodies × trip counts): 8 FMAs of 16 lanes (4 for S = Q·Kᵀ, 4 for P·V, on 6 × 4 zmm tiles), 1.33 vector
//   loads of K/V, 2 broadcasts of Q/P, 0.14 tile loads and stores of S and O; the softmax adds per score
//   1/16 of a 22-instruction exp2 loop (6 FMAs + 1 multiply, 6 add/sub/max, 1 compare, 2 integer, 1 load,
//   1 store, 1 copy, 3 loop control), 1/16 of a load + max for the row maximum and 1/16 of a store to zero
//   the tile, and per row and key block ~45 instructions of horizontal max and sum and the rescale check,
//   1/512 of them per score (1/128 with the former Bk = 128). The 6 × 4 loop, unrolled twice, issues 48 FMAs,
//   8 loads, 12 broadcasts and 10 integer/branch instructions: FMA-bound on Zen 4 (one zmm FMA a cycle).
//   AVX2 (8 lanes, callgrind on an ATTNBENCH_CPU=haswell build, N = 512, H = 1, all of `fused`, Bk = 128):
//   44.5 instructions per score — 16.9 FMAs (16 products, 0.9 exp2), 7.4 broadcasts, 4.6 loads, 0.5 stores,
//   2.6 add/sub/max/integer, 7.4 address and branch, 5.1 in memset — against 66.8 before the 4 × 3 ymm tile
//   (the 4 × 4 tile spilled: 13.7 loads, 9.6 stores per score). With Bk = 512 and the diagonal skipping (same
//   callgrind run, unmasked): 42.0 per score — 16.9 in P·V, 15.4 in S = Q·Kᵀ, 3.9 in the block softmax,
//   5.0 in memset, 0.7 elsewhere. What cost time beyond the FMAs: exp2 left as
//   an out-of-line call (perf: 16% of samples), fixed by making exp2 transparent; then the row update still
//   called once per row from the block softmax (12 constants re-broadcast and a `vzeroupper` per row and
//   block), fixed by making it transparent too; the fixed cost per row and key block, amortised by Bk = 512;
//   and the work above the causal diagonal, now skipped per tile.
// Last measured result (Scripts/maintainer/readme-results: Scripts/peers/run-with-attnbench, one run per head size,
//   ONNX Runtime 1.32 and PyTorch 2.13 in the same run; 2-core AMD EPYC, family 25 model 17 = Zen 4, AVX-512
//   on a 256-bit datapath, shared VM, FMA probe 113–118 GFLOP/s/core): N = 4096, 8 heads, 1 thread: d = 64
//   100.5 GFLOP/s (85.4% of the probe) unmasked, 97.7 (83.1%) causal; d = 128 101.6 (86.4%) unmasked, 102.9
//   (87.4%) causal. ONNX Runtime `Attention` 76.1 / 81.9 GFLOP/s and PyTorch SDPA 80.1 / 84.1 unmasked
//   (d = 64 / 128). The same script's single-thread sweep, d = 64: 100.1 (85.6%) unmasked, 97.9 (83.7%) causal.
//   Against main before the 512-key blocks and the diagonal skipping, interleaved in one quiet-run (2 rounds,
//   fastest run each, probe ~112): d = 64 389.5 against 390.7 ms unmasked, 188.1 against 196.5 causal;
//   d = 128 768.9 against 878.2 ms unmasked, 385.8 against 415.1 causal. AVX2 build (ATTNBENCH_CPU=haswell,
//   same CPU, 8-lane probe ~116), d = 64, 2 interleaved rounds, median: 436.6 against 438.2 ms unmasked,
//   224.9 against 238.8 causal. The AVX2 build's latest figures (issue 21): MicroKernel+Tile4x3.swift's header.
//   Decode `--seq 1 --seq-kv 32768 --heads 32 --kv-heads 8 --head-dim 128 --causal on`: 14.7 ms, 85% of the
//   bandwidth roofline (Results/readme-decode.csv; best peer onnxruntime-gqa 39.9 ms at 1 thread).
import AttentionCore

public struct FusedKernel: AttentionKernel {
    public let name = "fused"
    public let summary = "FlashAttention-style streaming softmax, SIMD micro-kernels, no N×N buffer"
    public let tolerance = Tolerance(multiplier: 64)
    public let cache: CacheBudget

    public init(cache: CacheBudget) { self.cache = cache }

    /// Q and O in f32, f16 or bf16; K and V in any format, read in place on the streaming path and decoded
    /// while packing on the packed path.
    public func supportsFormats(dtype: ElementFormat, kvDtype: ElementFormat) -> Bool { dtype.holdsQueriesAndOutputs }

    public func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int {
        KeySplitPlan.prefersStreaming(shape) ? StreamWorkspace.floats(headDim: shape.headDim) : packedScratchFloats(for: shape)
    }

    /// Scratch of the packed path (``attendAllHeads(_:scratch:repeatingFirstRows:)``): one head's panels and
    /// the workspace.
    func packedScratchFloats(for shape: AttentionShape) -> Int {
        let blocks = BlockPlanner.fused(shape, cache: cache)
        let geometry = PanelGeometry(headDim: shape.headDim, seqKV: shape.seqKV, keyBlock: blocks.keyBlock)
        return geometry.floatsPerHead + FusedWorkspace.floats(blocks: blocks, paddedDim: geometry.paddedDim)
    }

    public func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        if KeySplitPlan.prefersStreaming(operands.shape) {
            streamAllHeads(operands, scratch: scratch)
        } else {
            attendAllHeads(operands, scratch: scratch, repeatingFirstRows: InjectedWork.repeatedRows(operands.shape.seqQ))
        }
    }

    /// Decode-sized shapes: each key/value head's stacked query rows against its K and V in place, one
    /// unit at a time, the whole key range in one chunk (one thread gains nothing from splitting it).
    func streamAllHeads(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>) {
        let plan = KeySplitPlan(shape: operands.shape, chunks: 1)
        let workspace = StreamWorkspace(base: scratch.baseAddress!, headDim: operands.shape.headDim)
        for unit in 0..<plan.units {
            let kvIndex = unit / plan.rowBlocks, block = unit % plan.rowBlocks
            StreamingAttention.attend(operands, plan: plan, kvIndex: kvIndex, block: block,
                                      keys: 0..<plan.visibleEnd(ofBlock: block), workspace: workspace)
            StreamingAttention.writeOutput(operands, plan: plan, kvIndex: kvIndex, block: block, workspace: workspace)
        }
    }

    /// Every head, every query block; then, when `repeatingFirstRows > 0`, each head's first that many rows a
    /// second time (same values, more work: `fused-inflated` and the gate calibration's InjectedWork).
    func attendAllHeads(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, repeatingFirstRows: Int) {
        let shape = operands.shape
        let blocks = BlockPlanner.fused(shape, cache: cache)
        let geometry = PanelGeometry(headDim: shape.headDim, seqKV: shape.seqKV, keyBlock: blocks.keyBlock)
        let base = scratch.baseAddress!
        let packed = PackedKeyValues(geometry: geometry, base: base)
        let workspace = FusedWorkspace(base: base + geometry.floatsPerHead, blocks: blocks, paddedDim: geometry.paddedDim)
        for b in 0..<shape.batch {
            for kvHead in 0..<shape.kvHeads {
                let firstHead = kvHead * shape.groupSize
                packed.pack(keys: operands.key, values: operands.value, firstRow: operands.firstKeyRow(batch: b, head: firstHead))
                for h in firstHead..<(firstHead + shape.groupSize) {
                    for pass in 0..<(repeatingFirstRows > 0 ? 2 : 1) {
                        let end = pass == 0 ? shape.seqQ : min(shape.seqQ, repeatingFirstRows)
                        var row = 0
                        while row < end {
                            let rows = min(blocks.queryBlock, end - row)
                            Self.attendQueryBlock(operands, packed: packed, batch: b, head: h,
                                                  firstRow: row, rows: rows, workspace: workspace)
                            row += rows
                        }
                    }
                }
            }
        }
    }

    /// Computes output rows `firstRow ..< firstRow + rows` (at most `workspace.queryBlock`) of head `(b, h)`
    /// from the head's packed keys and values. The unit of work of both `fused` and `parallel`.
    @inline(__always)
    public static func attendQueryBlock(_ operands: AttentionOperands, packed: PackedKeyValues, batch b: Int, head h: Int,
                                        firstRow: Int, rows: Int, workspace: FusedWorkspace) {
        let shape = operands.shape
        let g = packed.geometry
        let d = g.headDim, dp = g.paddedDim, bk = g.keyBlock
        let paddedRows = roundUp(rows, toMultipleOf: 4)
        let queryRow = operands.firstQueryRow(batch: b, head: h) + firstRow
        let qp = workspace.query, acc = workspace.accumulator, s = workspace.scores
        let rowMax = workspace.rowMax, rowSum = workspace.rowSum, blockMax = workspace.blockMax

        packScaledQuery(operands.query, firstRow: queryRow, rows: rows, paddedRows: paddedRows, headDim: d, paddedDim: dp,
                        scale: shape.scale * log2e, into: qp)
        acc.update(repeating: 0, count: paddedRows * dp)
        rowMax.update(repeating: -.infinity, count: rows)
        rowSum.update(repeating: 0, count: rows)

        // Keys beyond what the block's last row sees are masked for every row: stop there.
        let keysNeeded = shape.visibleKeys(forQuery: firstRow + rows - 1)
        let keysSeenByAll = shape.visibleKeys(forQuery: firstRow)
        var block = 0
        while block * bk < keysNeeded {
            let firstKey = block * bk
            s.update(repeating: 0, count: paddedRows * bk)
            // A block that crosses the diagonal (or the padded keys past Nk) is masked for some rows: each
            // tile of rows computes, and each row exponentiates, only the vectors of keys it can see.
            let crossing = firstKey + bk > keysSeenByAll
            let visibleInBlock = { (row: Int) in
                crossing ? shape.visibleKeys(forQuery: firstRow + min(row, rows - 1), inBlockFrom: firstKey, keys: bk) : bk
            }
            multiplyAccumulateVisibleColumns(a: qp, lda: dp, b: packed.keyPanel(block), ldb: bk, depth: dp,
                                             c: s, ldc: bk, rows: paddedRows, visible: visibleInBlock)
            if crossing {
                maskScores(s, rows: rows, stride: bk, firstKey: firstKey, keys: bk, shape: shape, firstRow: firstRow)
            }
            softmaxBlock(scores: s, rows: rows, keys: bk, visible: visibleInBlock, accumulator: acc, paddedDim: dp,
                         runningMax: rowMax, runningSum: rowSum, blockMax: blockMax)
            accumulateVisibleRows(p: s, ldp: bk, values: packed.valuePanel(block), ldv: dp, rows: paddedRows,
                                  realRows: rows, visible: { shape.visibleKeys(forQuery: firstRow + $0, inBlockFrom: firstKey, keys: bk) },
                                  acc: acc, ldacc: dp, columns: dp)
            block += 1
        }

        let output = operands.output
        for row in 0..<rows {
            // ℓ = 0 only for rows that see no key: their output is defined as zero.
            let sum = rowSum[row]
            let inverse: Float = sum == 0 ? 0 : 1 / sum
            if output.format == .f32 {
                let o = operands.o + (queryRow &+ row) &* d
                for c in 0..<d { o[c] = acc[row &* dp &+ c] * inverse }
            } else {
                for c in 0..<d { output.store(acc[row &* dp &+ c] * inverse, row: queryRow + row, column: c) }
            }
        }
    }

    /// The largest of `keys` scores (a multiple of the vector width).
    @_transparent
    static func rowMaximum(_ scores: UnsafePointer<Float>, keys: Int) -> Float {
        var maxima = FloatVector(repeating: -.infinity)
        var j = 0
        while j < keys { maxima = lanewiseMax(maxima, loadVector(scores + j)); j += vectorWidth }
        return horizontalMax(maxima)
    }

    /// One row's online-softmax step over a key block whose largest score is `blockMax`: turns the row's
    /// scores into unnormalised probabilities `2^(s − m′)` in place and rescales the running sum and
    /// accumulator by `2^(m − m′)`, where `m′ = max(m, blockMax)`.
    // `@_transparent` for the reason given at ``exp2Vector(_:)``: with `@inline(__always)` the optimiser
    // kept it as a call per row in ``softmaxBlock`` (12 constants re-broadcast and a `vzeroupper` each time).
    @_transparent
    static func onlineSoftmaxUpdate(scores: UnsafeMutablePointer<Float>, keys: Int, blockMax: Float,
                                    accumulator: UnsafeMutablePointer<Float>, paddedDim: Int,
                                    runningMax: UnsafeMutablePointer<Float>, runningSum: UnsafeMutablePointer<Float>) {
        let w = vectorWidth
        if blockMax == -.infinity {
            // Every key of this block is masked for this row (it contributes nothing), or every score is
            // NaN or −∞; a NaN must still reach the output.
            if containsNaN(scores, count: keys) { runningSum.pointee = .nan }
            scores.update(repeating: 0, count: keys)
            return
        }
        let newMax = Swift.max(runningMax.pointee, blockMax)
        let shift = FloatVector(repeating: newMax)
        var sums = FloatVector(repeating: 0)
        var j = 0
        while j < keys {
            #if ATTNBENCH_SIMD16
            let p = exp2Vector(loadVector(scores + j) - shift)
            #else
            let p = exp2VectorFlushingToZero(loadVector(scores + j) - shift)
            #endif
            storeVector(p, scores + j)
            sums += p
            j += w
        }
        if newMax == runningMax.pointee {
            // The common case after the first blocks: the maximum did not move, nothing to rescale.
            runningSum.pointee += horizontalSum(sums)
            return
        }
        let alpha = exp2Vector(FloatVector(repeating: runningMax.pointee - newMax))
        runningSum.pointee = runningSum.pointee * alpha[0] + horizontalSum(sums)
        runningMax.pointee = newMax
        var c = 0
        while c < paddedDim { storeVector(loadVector(accumulator + c) * alpha, accumulator + c); c += w }
    }
}

/// log₂e: scores are kept in base-2 units so softmax can use ``exp2Vector``.
let log2e: Float = 1.442_695_04

/// Rows `firstRow ..< firstRow + rows` of Q (any format, decoded as they are read) into a zero-padded
/// `[paddedRows][paddedDim]` block, multiplied by `scale`.
@inline(__always)
func packScaledQuery(_ q: TensorView, firstRow: Int, rows: Int, paddedRows: Int, headDim d: Int, paddedDim dp: Int,
                     scale: Float, into qp: UnsafeMutablePointer<Float>) {
    guard q.format != .f32 else {
        return packScaledQuery(q.floats + firstRow * d, rows: rows, paddedRows: paddedRows, headDim: d, paddedDim: dp,
                               scale: scale, into: qp)
    }
    qp.update(repeating: 0, count: paddedRows * dp)
    for row in 0..<rows {
        for c in 0..<d { qp[row * dp + c] = q.value(row: firstRow + row, column: c) * scale }
    }
}

/// Copies `rows` query rows into a zero-padded `[paddedRows][paddedDim]` block, multiplied by `scale`.
@inline(__always)
func packScaledQuery(_ q: UnsafePointer<Float>, rows: Int, paddedRows: Int, headDim d: Int, paddedDim dp: Int,
                     scale: Float, into qp: UnsafeMutablePointer<Float>) {
    qp.update(repeating: 0, count: paddedRows * dp)
    for row in 0..<rows {
        for c in 0..<d { qp[row &* dp &+ c] = q[row &* d &+ c] * scale }
    }
}

/// Sets to −∞ the scores of keys `firstKey + j` that row `firstRow + row` may not see (the causal mask and
/// the zero-padded keys past `seqKV`).
@inline(__always)
func maskScores(_ s: UnsafeMutablePointer<Float>, rows: Int, stride: Int, firstKey: Int, keys: Int,
                shape: AttentionShape, firstRow: Int) {
    for row in 0..<rows {
        let visible = shape.visibleKeys(forQuery: firstRow + row) - firstKey
        if visible < keys {
            (s + row * stride + max(0, visible)).update(repeating: -.infinity, count: keys - max(0, visible))
        }
    }
}

/// Whether any of `count` floats is NaN (a slow path: only rows whose maximum is −∞ get here).
@inline(__always)
func containsNaN(_ values: UnsafePointer<Float>, count: Int) -> Bool {
    for index in 0..<count where values[index].isNaN { return true }
    return false
}

/// Per-worker scratch of the streaming-softmax item: packed Q, accumulator, score tile, running max and
/// sum, and the current block's row maxima.
public struct FusedWorkspace {
    public let query: UnsafeMutablePointer<Float>
    public let accumulator: UnsafeMutablePointer<Float>
    public let scores: UnsafeMutablePointer<Float>
    public let rowMax: UnsafeMutablePointer<Float>
    public let rowSum: UnsafeMutablePointer<Float>
    public let blockMax: UnsafeMutablePointer<Float>
    public let queryBlock: Int

    /// Floats needed, each part rounded up to a whole number of cache lines.
    public static func floats(blocks: BlockSizes, paddedDim: Int) -> Int {
        let rows = blocks.queryBlock
        return 2 * lineRounded(rows * paddedDim) + lineRounded(rows * blocks.keyBlock) + 3 * lineRounded(rows)
    }

    public init(base: UnsafeMutablePointer<Float>, blocks: BlockSizes, paddedDim: Int) {
        let rows = blocks.queryBlock
        query = base
        accumulator = query + Self.lineRounded(rows * paddedDim)
        scores = accumulator + Self.lineRounded(rows * paddedDim)
        rowMax = scores + Self.lineRounded(rows * blocks.keyBlock)
        rowSum = rowMax + Self.lineRounded(rows)
        blockMax = rowSum + Self.lineRounded(rows)
        queryBlock = rows
    }

    private static func lineRounded(_ floats: Int) -> Int { roundUp(floats, toMultipleOf: 16) }
}
