// parallel, streaming path — decode-sized shapes and shapes with too few (head, query block) items.
//
// Work: the units of a `KeySplitPlan` (stacked query rows of one key/value head, K and V read in place by
//   `StreamingAttention`) times its key chunks. When the units alone cannot keep the workers equally busy
//   the key range is split (flash decoding): each (unit, chunk) item leaves its partial max, sum and
//   accumulator in scratch and counts itself done on its unit's counter; the worker that finishes a unit's
//   last chunk merges that unit's chunks, in chunk order. Chunk boundaries depend only on the shape and the
//   thread count, each item's arithmetic only on its own unit and chunk, and the merge only on the chunks, so
//   the output is bit-identical from run to run under either schedule, whichever worker merges.
// One dispatch per call: merging in the last finisher instead of in a second `concurrentPerform` after a
//   barrier saves a second wake-up of the pool's threads, ~45 µs on this VM (worker start ~21 µs after the
//   call, the caller's wake-up ~20 µs after the last iteration), which is an eighth of an MQA decode step
//   that fits in L3.
// Scheduling: key chunks shrink to a quarter of the first and items run chunk-major (`KeySplitPlan`).
//   `dynamic` takes items from one atomic counter, so a worker that starts late or runs slowly holds the
//   others up at the end by one small chunk; `static` deals them in snake order (workers 0…T−1, then
//   T−1…0, …), one larger and one smaller chunk per worker and round trip. NUMA placement is not applied on
//   this path (items are not tied to nodes).
import AttentionCore
import Synchronization

extension ParallelKernel {
    /// The streaming plan when this shape takes the streaming path under `context`, else `nil`: forced by
    /// tests, decode-sized (`KeySplitPlan.prefersStreaming`), or with fewer (head, query block) items for
    /// the packed path than workers.
    func streamingPlan(_ shape: AttentionShape, context: KernelContext) -> KeySplitPlan? {
        if let forcedChunks { return KeySplitPlan(shape: shape, chunks: forcedChunks) }
        let queryBlocks = (shape.seqQ + BlockPlanner.fused(shape, cache: cache).queryBlock - 1)
            / BlockPlanner.fused(shape, cache: cache).queryBlock
        guard KeySplitPlan.prefersStreaming(shape) || shape.batch * shape.heads * queryBlocks < context.threads else {
            return nil
        }
        return KeySplitPlan(shape: shape, threads: context.threads)
    }

    static func streamingScratchFloats(_ plan: KeySplitPlan, context: KernelContext) -> Int {
        let split = plan.chunks > 1
            ? plan.items * KeySplitPlan.partialFloats(paddedDim: paddedDim(plan)) + StreamScratch.unitCounterFloats(plan.units)
            : 0
        return SharedScratch.counterFloats + context.threads * StreamWorkspace.floats(headDim: plan.shape.headDim) + split
    }

    private static func paddedDim(_ plan: KeySplitPlan) -> Int { roundUp(plan.shape.headDim, toMultipleOf: vectorWidth) }

    static func stream(_ operands: AttentionOperands, plan: KeySplitPlan, scratch: UnsafeMutableBufferPointer<Float>,
                       context: KernelContext) {
        let workspaceFloats = StreamWorkspace.floats(headDim: plan.shape.headDim)
        let partialFloats = KeySplitPlan.partialFloats(paddedDim: paddedDim(plan))
        let memory = StreamScratch(base: scratch.baseAddress!, threads: context.threads, workspaceFloats: workspaceFloats,
                                   partialFloats: plan.chunks > 1 ? plan.items * partialFloats : 0)
        memory.counter.initialize(to: Atomic(0))
        if plan.chunks > 1 { for unit in 0..<plan.units { (memory.unitCounters + unit).initialize(to: Atomic(0)) } }
        let threads = context.threads, schedule = context.schedule, dp = paddedDim(plan)

        WorkerPool.forEachWorker(context) { worker in
            let counter = memory.counter, workspaces = memory.workspaces, partials = memory.partials
            let unitCounters = memory.unitCounters
            let workspace = StreamWorkspace(base: workspaces + worker * workspaceFloats, headDim: plan.shape.headDim)
            let process = { (item: Int) in
                let unit = plan.unit(ofItem: item), chunk = plan.chunk(ofItem: item)
                let kvIndex = unit / plan.rowBlocks, block = unit % plan.rowBlocks
                let keys = plan.keyRange(chunk: chunk, visibleEnd: plan.visibleEnd(ofBlock: block))
                StreamingAttention.attend(operands, plan: plan, kvIndex: kvIndex, block: block, keys: keys, workspace: workspace)
                if plan.chunks == 1 {
                    StreamingAttention.writeOutput(operands, plan: plan, kvIndex: kvIndex, block: block, workspace: workspace)
                    return
                }
                StreamingAttention.storePartial(rows: plan.rows(inBlock: block), workspace: workspace,
                                                into: partials + plan.partialSlot(ofItem: item) * partialFloats)
                // Release publishes this chunk's partial; the last finisher's acquire sees every chunk's
                // (the increments form one release sequence).
                let finished = unitCounters[unit].wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue + 1
                if finished == plan.chunks {
                    StreamingAttention.mergePartials(operands, plan: plan, kvIndex: kvIndex, block: block,
                                                     partials: partials + unit * plan.chunks * partialFloats,
                                                     stride: partialFloats, paddedDim: dp)
                }
            }
            switch schedule {
            case .static:
                for item in SnakeDeal(worker: worker, threads: threads, items: plan.items) { process(item) }
            case .dynamic:
                while true {
                    let item = counter.pointee.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard item < plan.items else { break }
                    process(item)
                }
            }
        }
        if plan.chunks > 1 { _ = memory.unitCounters.deinitialize(count: plan.units) }
        _ = memory.counter.deinitialize(count: 1)
    }
}

/// The streaming path's scratch: the work counter (one cache line), one ``StreamWorkspace`` per worker, the
/// chunks' partial results item by item, then one done-counter per unit (only when the key range is split).
private struct StreamScratch: @unchecked Sendable {
    let counter: UnsafeMutablePointer<Atomic<Int>>
    let workspaces: UnsafeMutablePointer<Float>
    let partials: UnsafeMutablePointer<Float>
    let unitCounters: UnsafeMutablePointer<Atomic<Int>>

    /// Floats that hold `units` done-counters.
    static func unitCounterFloats(_ units: Int) -> Int {
        units * MemoryLayout<Atomic<Int>>.stride / MemoryLayout<Float>.stride
    }

    /// `partialFloats`: all items' partial results (a multiple of 2 floats, so the counters after them are
    /// 8-byte aligned).
    init(base: UnsafeMutablePointer<Float>, threads: Int, workspaceFloats: Int, partialFloats: Int) {
        counter = UnsafeMutableRawPointer(base).bindMemory(to: Atomic<Int>.self, capacity: 1)
        workspaces = base + SharedScratch.counterFloats
        partials = workspaces + threads * workspaceFloats
        unitCounters = UnsafeMutableRawPointer(partials + partialFloats).bindMemory(to: Atomic<Int>.self, capacity: 1)
    }
}
