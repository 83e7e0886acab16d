// parallel — the fused streaming-softmax kernel spread over threads, pinned and NUMA-aware.
//
// Algorithm: exactly `fused`'s per-block computation (`FusedKernel.attendQueryBlock`, not a copy), over
//   work items (head, query block). Phase 1 packs every key/value head into SIMD panels in parallel;
//   phase 2 processes the items. Both phases are `DispatchQueue.concurrentPerform` over the workers, each
//   worker bound to its planned CPU for its whole share and restored afterwards (Dispatch reuses threads).
//   Decode-sized shapes (Nq·G ≤ 16, or Nq ≤ 64), and shapes with fewer (head, query block) items than workers, take the
//   streaming path instead (ParallelKernel+Streaming.swift): stacked grouped-query rows against K and V in
//   place, with split-KV (key chunks merged exactly by log-sum-exp) when the units cannot keep the workers busy.
// Scheduling: `dynamic` (default) hands out items from an atomic counter in decreasing-cost order (under the
//   causal mask the bottom query blocks see the most keys), so the longest items start first; `static` deals
//   items to workers in snake order (0,1,…,T−1,T−1,…,0,…), which balances a cost that grows along the list.
// NUMA: when the context places memory (pin policy `numa`), key/value head k belongs to the k-th used node
//   (round-robin); its panels are packed — first-touched — by that node's workers, and its items sit in that
//   node's queue. A worker drains its own node's queue before helping others. (Not on the streaming path.)
// Formats: as `fused` (the same functions): K/V f16, bf16 and q8_0 decoded to fp32 in phase 1's packing, or
//   read in place and converted in registers on the streaming path, split-KV included.
// Memory traffic: as `fused`, plus one packed copy of K and V for all heads (2·B·Hkv·Nk·d′ floats); the
//   streaming path reads Q, K, V once and writes O once (plus the chunks' partials: (d′+2) floats per row per chunk).
// Last measured result (Scripts/maintainer/readme-results, 2-core AMD EPYC, family 25 model 17 = Zen 4, FMA probe
//   113–118 GFLOP/s/core, shared VM): prefill N = 4096, 8 heads, 2 threads, pin compact: d = 64 188.8 GFLOP/s
//   unmasked (1.88× its 1 thread), 187.5 causal (1.93×); d = 128 206.8 (1.98×), 204.3 causal (2.01×); in the
//   same runs ONNX Runtime 127.9 / 147.2 and PyTorch 142.2 / 162.4 unmasked (d = 64 / 128). The threads
//   table (d = 64): 1.97–1.99× unmasked, 1.90–1.97× causal under every pin policy. GQA against MHA prefill
//   (32 heads on 8 or 32 KV heads, d = 128, causal, 2 threads, one process): 204.6 against 191.6 GFLOP/s
//   with GQA first, 185.4 against 201.8 with MHA first (consecutive shapes differ by 3–5% on this VM).
//   Decode (seq 1, seq-kv 32768, 32/8 heads, d = 128, causal): 2 threads 10.4 ms, 0.90 of the bandwidth
//   roofline; best peer numpy per KV group 33.0 ms at 2 threads in the same run (ONNX Runtime
//   GroupQueryAttention 39.9 / 38.5 ms at 1 / 2 threads). MQA in L3 (seq-kv 16384, 8/1 heads): 1 thread
//   0.75 ms, 2 threads 0.47 ms (1.59×; 0.98–1.81× across 20 runs that day: the all-core FMA probe showed the
//   host running both virtual CPUs on one core's execution units at times).
import AttentionCore
import Dispatch
import Machine
import Synchronization

public struct ParallelKernel: AttentionKernel {
    public let name = "parallel"
    public let summary = "fused streaming softmax over (head, query block) items on pinned, NUMA-aware threads"
    public let tolerance = Tolerance(multiplier: 64)
    public let isParallel = true
    public let cache: CacheBudget
    /// Tests only: forces the streaming path and this many key chunks (split-KV) on every shape.
    let forcedChunks: Int?

    public init(cache: CacheBudget) { self.init(cache: cache, forcedChunks: nil) }

    init(cache: CacheBudget, forcedChunks: Int?) {
        self.cache = cache
        self.forcedChunks = forcedChunks
    }

    /// As `fused`: Q and O in f32, f16 or bf16, K and V in any format.
    public func supportsFormats(dtype: ElementFormat, kvDtype: ElementFormat) -> Bool {
        FusedKernel(cache: cache).supportsFormats(dtype: dtype, kvDtype: kvDtype)
    }

    private struct Layout {
        let blocks: BlockSizes
        let geometry: PanelGeometry
        let workspaceFloats: Int
        let queryBlocks: Int
        init(shape: AttentionShape, cache: CacheBudget) {
            blocks = BlockPlanner.fused(shape, cache: cache)
            geometry = PanelGeometry(headDim: shape.headDim, seqKV: shape.seqKV, keyBlock: blocks.keyBlock)
            workspaceFloats = FusedWorkspace.floats(blocks: blocks, paddedDim: geometry.paddedDim)
            queryBlocks = (shape.seqQ + blocks.queryBlock - 1) / blocks.queryBlock
        }
    }

    public func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int {
        if let plan = streamingPlan(shape, context: context) { return Self.streamingScratchFloats(plan, context: context) }
        let layout = Layout(shape: shape, cache: cache)
        return SharedScratch.counterFloats + shape.batch * shape.kvHeads * layout.geometry.floatsPerHead
            + context.threads * layout.workspaceFloats
    }

    /// Under NUMA placement, moves each key/value head's K and V, the Q and O of its query heads and its
    /// packed panels to the node whose workers process it, and each worker's workspace to the worker's node
    /// (`move_pages`; `attnbench topology --check-placement` shows where pages land). Untimed.
    public func prepare(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        guard context.placesMemory, NUMAMemory.isAvailable, streamingPlan(operands.shape, context: context) == nil else { return }
        let shape = operands.shape
        let layout = Layout(shape: shape, cache: cache)
        let queues = WorkQueues(context: context, shape: shape, queryBlocks: layout.queryBlocks)
        let memory = SharedScratch(base: scratch.baseAddress!, panelFloats: shape.batch * shape.kvHeads * layout.geometry.floatsPerHead)
        let floatBytes = MemoryLayout<Float>.stride
        let headKeyBytes = shape.seqKV * operands.key.rowBytes, headQueryBytes = shape.seqQ * operands.query.rowBytes
        for kvIndex in 0..<(shape.batch * shape.kvHeads) {
            let node = queues.osNode(ofSlot: kvIndex % queues.nodeCount)
            _ = try? NUMAMemory.move(operands.key.row(kvIndex * shape.seqKV), bytes: headKeyBytes, toNode: node)
            _ = try? NUMAMemory.move(operands.value.row(kvIndex * shape.seqKV), bytes: headKeyBytes, toNode: node)
            _ = try? NUMAMemory.move(memory.panels + kvIndex * layout.geometry.floatsPerHead,
                                     bytes: layout.geometry.floatsPerHead * floatBytes, toNode: node)
            let b = kvIndex / shape.kvHeads, firstHead = (kvIndex % shape.kvHeads) * shape.groupSize
            for h in firstHead..<(firstHead + shape.groupSize) {
                let row = operands.firstQueryRow(batch: b, head: h)
                _ = try? NUMAMemory.move(operands.query.row(row), bytes: headQueryBytes, toNode: node)
                _ = try? NUMAMemory.move(operands.output.row(row), bytes: headQueryBytes, toNode: node)
            }
        }
        for worker in 0..<context.threads {
            _ = try? NUMAMemory.move(memory.workspaces + worker * layout.workspaceFloats,
                                     bytes: layout.workspaceFloats * floatBytes, toNode: context.node(ofWorker: worker))
        }
    }

    public func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        if let plan = streamingPlan(operands.shape, context: context) {
            return Self.stream(operands, plan: plan, scratch: scratch, context: context)
        }
        let shape = operands.shape
        let layout = Layout(shape: shape, cache: cache)
        let base = scratch.baseAddress!
        let memory = SharedScratch(base: base, panelFloats: shape.batch * shape.kvHeads * layout.geometry.floatsPerHead)
        let counters = memory.counters
        let queues = WorkQueues(context: context, shape: shape, queryBlocks: layout.queryBlocks)
        let stride = SharedScratch.counterStride
        for node in 0..<queues.nodeCount { (counters + node * stride).initialize(to: Atomic(0)) }

        // Phase 1: pack each key/value head, on a worker of the node that will use it.
        WorkerPool.forEachWorker(context) { worker in
            let panels = memory.panels
            let (slot, rank, peers) = queues.position(ofWorker: worker)
            var kvIndex = slot
            var owned = 0
            while kvIndex < shape.batch * shape.kvHeads {
                if owned % peers == rank {
                    let packed = PackedKeyValues(geometry: layout.geometry,
                                                 base: panels + kvIndex * layout.geometry.floatsPerHead)
                    packed.pack(keys: operands.key, values: operands.value, firstRow: kvIndex * shape.seqKV)
                }
                owned += 1
                kvIndex += queues.nodeCount
            }
        }

        // Phase 2: attention items.
        WorkerPool.forEachWorker(context) { worker in
            let panels = memory.panels, workspaces = memory.workspaces, counters = memory.counters
            let workspace = FusedWorkspace(base: workspaces + worker * layout.workspaceFloats,
                                           blocks: layout.blocks, paddedDim: layout.geometry.paddedDim)
            let process = { (node: Int, item: Int, descending: Bool) in
                let (kvIndex, head, block) = queues.decode(node: node, item: item, descending: descending)
                let b = kvIndex / shape.kvHeads
                let packed = PackedKeyValues(geometry: layout.geometry,
                                             base: panels + kvIndex * layout.geometry.floatsPerHead)
                let firstRow = block * layout.blocks.queryBlock
                FusedKernel.attendQueryBlock(operands, packed: packed, batch: b, head: head, firstRow: firstRow,
                                             rows: min(layout.blocks.queryBlock, shape.seqQ - firstRow),
                                             workspace: workspace)
            }
            let (slot, rank, peers) = queues.position(ofWorker: worker)
            switch context.schedule {
            case .static:
                // This node's items among this node's workers.
                for item in SnakeDeal(worker: rank, threads: peers, items: queues.itemCount(node: slot)) {
                    process(slot, item, false)
                }
            case .dynamic:
                for offset in 0..<queues.nodeCount {
                    let node = (slot + offset) % queues.nodeCount
                    let counter = counters + node * stride
                    while true {
                        let item = counter.pointee.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard item < queues.itemCount(node: node) else { break }
                        process(node, item, true)
                    }
                }
            }
            InjectedWork.repeatRows(operands, panels: panels, geometry: layout.geometry, workspace: workspace, worker: worker, workers: context.threads)
        }
        for node in 0..<queues.nodeCount { _ = (counters + node * stride).deinitialize(count: 1) }
    }
}

/// The parallel kernel's scratch: per-node work counters (one cache line each, so workers of different
/// nodes never share a line), then every key/value head's packed panels, then one workspace per worker.
struct SharedScratch: @unchecked Sendable {
    static let maxNodes = 64
    /// Counters are this many `Atomic<Int>` apart: 64 bytes.
    static let counterStride = 64 / MemoryLayout<Atomic<Int>>.stride
    static let counterFloats = maxNodes * 64 / MemoryLayout<Float>.stride

    let counters: UnsafeMutablePointer<Atomic<Int>>
    let panels: UnsafeMutablePointer<Float>
    let workspaces: UnsafeMutablePointer<Float>

    init(base: UnsafeMutablePointer<Float>, panelFloats: Int) {
        counters = UnsafeMutableRawPointer(base).bindMemory(to: Atomic<Int>.self, capacity: Self.maxNodes * Self.counterStride)
        panels = base + Self.counterFloats
        workspaces = panels + panelFloats
    }
}

/// How (head, query block) items are split into per-node queues, without allocating.
///
/// Key/value head index `k` (over batch × kvHeads) belongs to node slot `k mod nodeCount`. A node's queue
/// lists, for each of its key/value heads in order, each query head of the group, each query block.
struct WorkQueues {
    let nodeCount: Int
    let usedNodes: UInt64
    let context: KernelContext
    let shape: AttentionShape
    let queryBlocks: Int

    init(context: KernelContext, shape: AttentionShape, queryBlocks: Int) {
        var mask: UInt64 = 0
        if context.placesMemory {
            for worker in 0..<context.threads { mask |= 1 << UInt64(min(63, context.node(ofWorker: worker))) }
        }
        usedNodes = mask == 0 ? 1 : mask
        nodeCount = min(max(1, usedNodes.nonzeroBitCount), shape.batch * shape.kvHeads)
        self.context = context
        self.shape = shape
        self.queryBlocks = queryBlocks
    }

    /// The worker's node slot, its rank among the workers of that slot, and how many workers the slot has.
    func position(ofWorker worker: Int) -> (slot: Int, rank: Int, peers: Int) {
        let slot = slot(ofWorker: worker)
        var rank = 0, peers = 0
        for other in 0..<context.threads where self.slot(ofWorker: other) == slot {
            if other < worker { rank += 1 }
            peers += 1
        }
        return (slot, rank, peers)
    }

    private func slot(ofWorker worker: Int) -> Int {
        guard nodeCount > 1 else { return 0 }
        let node = UInt64(min(63, context.node(ofWorker: worker)))
        return (usedNodes & ((1 << node) - 1)).nonzeroBitCount % nodeCount
    }

    private func kvHeads(node: Int) -> Int {
        let total = shape.batch * shape.kvHeads
        return total / nodeCount + (node < total % nodeCount ? 1 : 0)
    }

    /// The OS node of slot `slot`: the slot-th node, in increasing order, that has workers.
    func osNode(ofSlot slot: Int) -> Int {
        var remaining = slot
        for node in 0..<64 where usedNodes & (1 << UInt64(node)) != 0 {
            if remaining == 0 { return node }
            remaining -= 1
        }
        return 0
    }

    func itemCount(node: Int) -> Int { kvHeads(node: node) * shape.groupSize * queryBlocks }

    /// The item's key/value head index (over batch × kvHeads), query head within the batch, and query block.
    /// `descending` walks each head's blocks from the bottom, the most expensive under the causal mask.
    @inline(__always)
    func decode(node: Int, item: Int, descending: Bool) -> (kvIndex: Int, head: Int, block: Int) {
        let perKV = shape.groupSize * queryBlocks
        let kvIndex = node + (item / perKV) * nodeCount
        let rest = item % perKV
        let head = (kvIndex % shape.kvHeads) * shape.groupSize + rest / queryBlocks
        let position = rest % queryBlocks
        return (kvIndex, head, descending ? queryBlocks - 1 - position : position)
    }
}
