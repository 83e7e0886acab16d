// parallel, streaming path — decode-sized shapes and shapes with too few (head, query block) items.
//
// Work: the units of a `KeySplitPlan` (stacked query rows of one key/value head, K and V read in place by
//   `StreamingAttention`) times its key chunks. When the units alone cannot keep the workers equally busy
//   the key range is split (flash decoding): each (unit, chunk) item leaves its partial max, sum and
//   accumulator in scratch, and after a barrier each unit's chunks are merged in chunk order. Chunk
//   boundaries depend only on the shape and the thread count, each item's arithmetic only on its own unit
//   and chunk, so the output is bit-identical from run to run under either schedule.
// Scheduling: `dynamic` takes items from one atomic counter; `static` deals item i to worker i mod T. The
//   merge deals units the same static way. NUMA placement is not applied on this path (items are not tied
//   to nodes).
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
        let partials = plan.chunks > 1 ? plan.items * KeySplitPlan.partialFloats(paddedDim: paddedDim(plan)) : 0
        return SharedScratch.counterFloats + context.threads * StreamWorkspace.floats(headDim: plan.shape.headDim) + partials
    }

    private static func paddedDim(_ plan: KeySplitPlan) -> Int { roundUp(plan.shape.headDim, toMultipleOf: vectorWidth) }

    static func stream(_ operands: AttentionOperands, plan: KeySplitPlan, scratch: UnsafeMutableBufferPointer<Float>,
                       context: KernelContext) {
        let workspaceFloats = StreamWorkspace.floats(headDim: plan.shape.headDim)
        let memory = StreamScratch(base: scratch.baseAddress!, threads: context.threads, workspaceFloats: workspaceFloats)
        memory.counter.initialize(to: Atomic(0))
        let partialFloats = KeySplitPlan.partialFloats(paddedDim: paddedDim(plan))
        let threads = context.threads, schedule = context.schedule

        WorkerPool.forEachWorker(context) { worker in
            let counter = memory.counter, workspaces = memory.workspaces, partials = memory.partials
            let workspace = StreamWorkspace(base: workspaces + worker * workspaceFloats, headDim: plan.shape.headDim)
            let process = { (item: Int) in
                let unit = item / plan.chunks, chunk = item % plan.chunks
                let kvIndex = unit / plan.rowBlocks, block = unit % plan.rowBlocks
                let keys = plan.keyRange(chunk: chunk, visibleEnd: plan.visibleEnd(ofBlock: block))
                StreamingAttention.attend(operands, plan: plan, kvIndex: kvIndex, block: block, keys: keys, workspace: workspace)
                if plan.chunks == 1 {
                    StreamingAttention.writeOutput(operands, plan: plan, kvIndex: kvIndex, block: block, workspace: workspace)
                } else {
                    StreamingAttention.storePartial(rows: plan.rows(inBlock: block), workspace: workspace,
                                                    into: partials + item * partialFloats)
                }
            }
            switch schedule {
            case .static:
                for item in Swift.stride(from: worker, to: plan.items, by: threads) { process(item) }
            case .dynamic:
                while true {
                    let item = counter.pointee.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard item < plan.items else { break }
                    process(item)
                }
            }
        }
        if plan.chunks > 1 {
            WorkerPool.forEachWorker(context) { worker in
                let partials = memory.partials
                for unit in Swift.stride(from: worker, to: plan.units, by: threads) {
                    StreamingAttention.mergePartials(operands, plan: plan, kvIndex: unit / plan.rowBlocks,
                                                     block: unit % plan.rowBlocks,
                                                     partials: partials + unit * plan.chunks * partialFloats,
                                                     stride: partialFloats, paddedDim: paddedDim(plan))
                }
            }
        }
        _ = memory.counter.deinitialize(count: 1)
    }
}

/// The streaming path's scratch: the work counter (one cache line), one ``StreamWorkspace`` per worker, then
/// the chunks' partial results, item by item.
private struct StreamScratch: @unchecked Sendable {
    let counter: UnsafeMutablePointer<Atomic<Int>>
    let workspaces: UnsafeMutablePointer<Float>
    let partials: UnsafeMutablePointer<Float>

    init(base: UnsafeMutablePointer<Float>, threads: Int, workspaceFloats: Int) {
        counter = UnsafeMutableRawPointer(base).bindMemory(to: Atomic<Int>.self, capacity: 1)
        workspaces = base + SharedScratch.counterFloats
        partials = workspaces + threads * workspaceFloats
    }
}
