import AttentionCore

/// Cache capacities, in bytes, that block sizes are derived from (per core: L1 data and L2).
public struct CacheBudget: Sendable, Equatable {
    public var l1: Int
    public var l2: Int
    public init(l1: Int, l2: Int) {
        self.l1 = l1 > 0 ? l1 : 32 * 1024
        self.l2 = l2 > 0 ? l2 : 1024 * 1024
    }
}

/// Query and key block sizes for one shape.
public struct BlockSizes: Sendable, Equatable, CustomStringConvertible {
    /// Query rows processed together; a multiple of 4 (the micro-kernel's row count).
    public var queryBlock: Int
    /// Keys per packed panel; a multiple of 4 SIMD vectors (the micro-kernel's column count).
    public var keyBlock: Int
    public var description: String { "Bq=\(queryBlock) Bk=\(keyBlock)" }
}

/// Derives block sizes from cache capacities, so the working set of the innermost loops stays resident.
public enum BlockPlanner {
    /// Keys per panel: the largest multiple of four vectors, up to `limit`, whose K and V panels
    /// (`2 · Bk · d′ · 4` bytes) fit in `1/panelShare` of L2. The panels stream from L2 (one vector load per
    /// four FMAs, well within L2 bandwidth), while every key block costs each row a fixed overhead
    /// (row maximum, horizontal reductions, rescaling, the score tile's loads and stores).
    public static func keyBlock(paddedDim: Int, cache: CacheBudget, panelShare: Int = 4, limit: Int = 128) -> Int {
        let minimum = 4 * vectorWidth
        let fitting = cache.l2 / panelShare / (2 * paddedDim * MemoryLayout<Float>.size)
        return min(max(minimum, limit / minimum * minimum), max(minimum, fitting / minimum * minimum))
    }

    /// Streaming softmax: key panels of up to 512 keys whose K and V fit in half of L2, and the Q block,
    /// accumulator and score tile (`Bq · (2d′ + Bk) · 4` bytes) in the other half.
    /// Keys: each key block costs every row a fixed overhead (two horizontal reductions, the rescale check, the
    /// score tile's loads and stores), so longer blocks amortise it; since the products and the softmax of a
    /// block that crosses the causal diagonal skip the vectors of keys no row of a tile sees, a long block no
    /// longer wastes work there. Measured on Zen 4 (probe ~116 GFLOP/s), N = 4096, H = 8, 1 thread, fastest of
    /// 3 interleaved runs on the shared VM: d = 128, Bk = 512 against 128: 727 against 799 ms unmasked,
    /// 357 against 366 ms causal; d = 64, Bk = 512 against 128: 355 against 365 ms unmasked, 179 against
    /// 189 ms causal (Bk = 256 and 384 within the noise of 512, 1024 slower).
    /// Rows: above d′ = 64 the limit is 120 (a multiple of the 6- and 4-row tiles) rather than 64: every query
    /// block re-reads its head's K and V panels (2 MB each at N = 4096, d = 128) from L3, and twice the rows
    /// halve that traffic. Measured on Zen 4 (probe 117 GFLOP/s), N = 4096, H = 8, d = 128, 1 thread:
    /// 87.4% of the probe against 83.7% with 64 rows unmasked, 81.7% against 81.2% causal; at d = 64 it
    /// made no gain (81.1% against 81.4%, causal 77.0% against 79.2%), so 64 stays there.
    public static func fused(_ shape: AttentionShape, cache: CacheBudget) -> BlockSizes {
        let dp = roundUp(shape.headDim, toMultipleOf: vectorWidth)
        let bk = keyBlock(paddedDim: dp, cache: cache, panelShare: 2, limit: 512)
        let rows = cache.l2 / 2 / ((2 * dp + bk) * MemoryLayout<Float>.size)
        return BlockSizes(queryBlock: clampRows(rows, shape: shape, limit: dp > 64 ? 120 : 64), keyBlock: bk)
    }

    /// Tiled softmax: the score strip of a query block (`Bq · Nk′ · 4` bytes) in half of L2.
    public static func tiled(_ shape: AttentionShape, cache: CacheBudget) -> BlockSizes {
        let dp = roundUp(shape.headDim, toMultipleOf: vectorWidth)
        let bk = keyBlock(paddedDim: dp, cache: cache)
        let paddedKeys = roundUp(shape.seqKV, toMultipleOf: bk)
        let rows = cache.l2 / 2 / (paddedKeys * MemoryLayout<Float>.size)
        return BlockSizes(queryBlock: clampRows(rows, shape: shape), keyBlock: bk)
    }

    /// At least 4 and at most `limit` rows (more only coarsens causal skipping and parallel work items),
    /// a multiple of 4, and no more than the sequence needs.
    private static func clampRows(_ rows: Int, shape: AttentionShape, limit: Int = 64) -> Int {
        min(roundUp(shape.seqQ, toMultipleOf: 4), max(4, min(limit, rows) / 4 * 4))
    }
}
