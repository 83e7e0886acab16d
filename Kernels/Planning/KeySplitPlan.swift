import AttentionCore

/// How the streaming (decode-sized) path cuts one shape into work: row blocks of stacked query rows, and
/// key chunks (split-KV, "flash decoding").
///
/// Rows: the query heads that share a key/value head are stacked, head-major: stacked row `s` of key/value
/// head `(b, g)` is query row `s mod Nq` of query head `g·G + s / Nq` (G = the group size). A *unit* is one
/// row block of at most ``maxStackedRows`` stacked rows of one key/value head; it reads K and V in place,
/// once. Keys: a unit's visible key range `[0, V)` (V = the keys its last query row sees, so under the causal
/// mask chunks cover only visible keys) is cut into `C = chunks` ranges at fixed, tile-aligned boundaries
/// `⌊⌊V·W(c)/W(C)⌋ / w⌋·w`, shrinking from the first to the last (``weight(ofFirst:)``). The boundaries
/// depend only on the shape and the chunk count, never on which worker takes which chunk or on the schedule,
/// and the partial results are merged in chunk order, so the output is bit-identical from run to run.
/// Items run chunk-major (every unit's chunk 0, then every unit's chunk 1, …), so the largest chunks are
/// taken first and the smallest last.
public struct KeySplitPlan: Sendable, Equatable, CustomStringConvertible {
    /// Stacked rows per unit: four groups of the 4-row micro-kernel share one K/V tile while it is in L1.
    public static let maxStackedRows = 16
    /// Fewest visible keys per chunk, on average, the planner chooses (tests may force more chunks): below
    /// this the per-chunk overhead (Q packing, the merge) outweighs the parallelism gained. The last,
    /// smallest chunk holds 2/5 of the average.
    public static let minKeysPerChunk = 1024

    public let shape: AttentionShape
    /// Stacked rows per key/value head: `Nq · G`.
    public let stackedRows: Int
    /// Row blocks per key/value head.
    public let rowBlocks: Int
    /// Key chunks per unit.
    public let chunks: Int

    /// A plan with `chunks` key chunks per unit (at least 1).
    public init(shape: AttentionShape, chunks: Int) {
        self.shape = shape
        stackedRows = shape.seqQ * shape.groupSize
        rowBlocks = (stackedRows + Self.maxStackedRows - 1) / Self.maxStackedRows
        self.chunks = max(1, chunks)
    }

    /// The plan for `threads` workers: no split when the units alone keep every worker equally busy
    /// (their count is a multiple of the threads, or at least four per thread); otherwise enough chunks for
    /// about four items per worker, at least ``minKeysPerChunk`` visible keys long on average.
    public init(shape: AttentionShape, threads: Int) {
        let probe = KeySplitPlan(shape: shape, chunks: 1)
        let units = probe.units
        let threads = max(1, threads)
        var chunks = 1
        if threads > 1 && units % threads != 0 && units < 4 * threads {
            let wanted = (4 * threads + units - 1) / units
            let visible = shape.visibleKeys(forQuery: shape.seqQ - 1)
            chunks = max(1, min(wanted, visible / Self.minKeysPerChunk))
        }
        self.init(shape: shape, chunks: chunks)
    }

    /// Whether the streaming path should run `shape`: decode-sized problems, where packing K and V into
    /// panels would cost as much as the attention itself. That is every shape whose stacked rows fit one unit,
    /// and every shape with at most ``maxStreamingQueries`` query rows per head whatever its group size
    /// (multi-query decode: 32 query heads on one K/V head), q8_0 K/V up to ``maxStreamingStackedRowsQ8``
    /// stacked rows. The packed path runs each query head's rows as its
    /// own query block, so with one query row it re-reads the whole packed K and V once per query head (G
    /// times) for one useful row of its 6-row tile; streaming reads them once per 16 stacked rows. Measured
    /// (`fused`, 1 thread, Zen 4 f25 m17, probe 111–117 GFLOP/s, the previous and this build one after the
    /// other): `--seq 1 --seq-kv 32768 --heads 32 --kv-heads 1 --head-dim 128 --causal on` 172.8 ms packed,
    /// 7.9 ms streamed; `--seq-kv 8192`, 32 query heads on 1, 8 or 32 K/V heads, `--seq` 8 to 64: streaming
    /// 1.3–2.9× faster at every point; at `--seq` 128 and 512 (8 heads on 2 or 8 K/V heads) 0.95–1.37×.
    public static func prefersStreaming(_ shape: AttentionShape) -> Bool {
        let stacked = shape.seqQ * shape.groupSize
        if stacked <= maxStackedRows { return true }
        guard shape.seqQ <= maxStreamingQueries else { return false }
        return shape.kvDtype != .q8_0 || stacked <= maxStreamingStackedRowsQ8
    }

    /// Stacked rows per K/V head up to which q8_0 K and V stream when they do not fit one unit: every 4-row
    /// group of a unit converts the tile's K vectors and multiplies them by their block's scale again, where
    /// the packed path decodes K and V once. Measured (`fused`, 1 thread, Zen 4 f25 m17, `--seq-kv 8192
    /// --heads 32 --head-dim 128 --causal on --kv-dtype q8_0`, the previous build's packed path against this
    /// one's streaming): 8 K/V heads, `--seq` 16 (64 stacked rows) 40.2 ms packed, 30.5 streamed; 24 (96)
    /// 76.7 and 45.1; 32 (128) 63.0–70.8 and 69.6, even; 64 (256) 97.5 and 120.8. 32 K/V heads, `--seq` 32 (32 rows):
    /// 105.5 and 61.1. f16 at `--seq` 64 on 8 K/V heads streamed faster still (102.3 against 107.7 ms).
    public static let maxStreamingStackedRowsQ8 = 96

    /// Query rows per head up to which the streaming path runs any group size: up to here re-reading K and V
    /// in place once per 16 stacked rows costs less than packing them and re-reading the panels per query head.
    public static let maxStreamingQueries = 64

    /// Units: batch × key/value heads × row blocks.
    public var units: Int { shape.batch * shape.kvHeads * rowBlocks }
    /// Work items: units × chunks.
    public var items: Int { units * chunks }

    /// The unit of work item `item` (items run chunk-major).
    @inline(__always) public func unit(ofItem item: Int) -> Int { item % units }
    /// The key chunk of work item `item`.
    @inline(__always) public func chunk(ofItem item: Int) -> Int { item / units }
    /// Where item `item`'s partial result goes among all partials, which are stored unit-major (a unit's
    /// chunks consecutive, in chunk order, as the merge reads them).
    @inline(__always) public func partialSlot(ofItem item: Int) -> Int { unit(ofItem: item) * chunks + chunk(ofItem: item) }

    /// Rows of row block `block`.
    @inline(__always) public func rows(inBlock block: Int) -> Int {
        min(Self.maxStackedRows, stackedRows - block * Self.maxStackedRows)
    }

    /// Keys the rows of `block` can see at most: the visible count of its last query row.
    @inline(__always) public func visibleEnd(ofBlock block: Int) -> Int {
        let first = block * Self.maxStackedRows
        let last = first + rows(inBlock: block) - 1
        // Stacked rows are head-major: a block that spans a head boundary contains that head's last row.
        let lastQuery = last / shape.seqQ == first / shape.seqQ ? last % shape.seqQ : shape.seqQ - 1
        return shape.visibleKeys(forQuery: lastQuery)
    }

    /// The keys chunk `chunk` of a unit whose rows see `visibleEnd` keys covers.
    @inline(__always) public func keyRange(chunk: Int, visibleEnd: Int) -> Range<Int> {
        let w = vectorWidth, total = weight(ofFirst: chunks)
        let start = chunk == 0 ? 0 : visibleEnd * weight(ofFirst: chunk) / total / w * w
        let end = chunk == chunks - 1 ? visibleEnd : visibleEnd * weight(ofFirst: chunk + 1) / total / w * w
        return start..<max(start, end)
    }

    /// `W(c) = Σ_{i<c} w(i)` with `w(i) = 4(C − 1) − 3i`: the chunks shrink linearly from the first to a
    /// quarter of it (the last holds 2/(5C) of the keys where equal chunks would hold 1/C). Integer, so the
    /// boundaries are exact.
    ///
    /// Why taper: under the dynamic schedule a worker that starts late (Dispatch's wake-up, 20–50 µs on
    /// these VMs) or runs slowly (a busy sibling core) holds the others up at the end by at most the chunk it
    /// took last, and with items chunk-major the chunks taken last are the smallest. Under the static
    /// schedule, dealing items in snake order gives each worker one larger and one smaller chunk per round
    /// trip, so shares stay equal. Measured on an MQA decode step in L3 (8/1 heads, 16K keys, d = 128, 8
    /// chunks, 2 threads, Zen 4 f25 m17, alternating runs): the workers' finishing times were 13–23 µs apart
    /// on average against 29–79 µs with equal chunks, and the median step 433–467 µs against 474–738 µs.
    @inline(__always) func weight(ofFirst c: Int) -> Int {
        chunks == 1 ? c : c * 4 * (chunks - 1) - 3 * c * (c - 1) / 2
    }

    /// Floats of one chunk's partial result for one unit: per row the running max, the running sum and
    /// the accumulator.
    public static func partialFloats(paddedDim: Int) -> Int { maxStackedRows * (paddedDim + 2) }

    public var description: String { "units=\(units) chunks=\(chunks)" }
}
