import XCTest
import Foundation
import Dispatch
import AttentionCore
import Kernels
import Machine

/// The parallel kernel must match the float64 reference under every pin policy, thread count and schedule,
/// and must leave Dispatch's threads unpinned.
final class ParallelKernelTests: XCTestCase {
    let kernel = ParallelKernel(cache: CacheBudget(l1: 32 * 1024, l2: 1 << 20))

    func context(_ topology: MachineTopology, threads: Int, policy: PinPolicy, schedule: KernelContext.Schedule) throws -> KernelContext {
        KernelContext(plan: try PinPlan(topology: topology, threads: threads, policy: policy), topology: topology,
                      schedule: schedule)
    }

    func assertMatches(_ shape: AttentionShape, _ context: KernelContext, file: StaticString = #filePath, line: UInt = #line) {
        let tensors = AttentionTensors(shape: shape, seed: 5)
        let scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: context))
        scratch.fill(.nan)
        tensors.o.fill(.nan)
        kernel.run(tensors.operands, scratch: scratch.buffer, context: context)
        let report = EquivalenceCheck(rowsPerHead: shape.seqQ).compare(tensors.operands, tolerance: kernel.tolerance)
        XCTAssertTrue(report.passed, "\(shape) \(context): max abs \(report.maxAbsoluteError)", file: file, line: line)
    }

    func testEveryPolicyThreadCountAndScheduleOnThisMachine() throws {
        let topology = try MachineTopology.discover()
        let shapes = [
            AttentionShape(heads: 4, seqQ: 150, headDim: 64, causal: true),
            AttentionShape(heads: 6, kvHeads: 2, seqQ: 90, seqKV: 70, headDim: 20, causal: false),
            AttentionShape(batch: 2, heads: 2, kvHeads: 1, seqQ: 130, seqKV: 40, headDim: 33, causal: true),
        ]
        for shape in shapes {
            for policy in PinPolicy.allCases {
                for threads in [1, 2, 3, topology.cores.count + 2] {
                    for schedule in KernelContext.Schedule.allCases {
                        assertMatches(shape, try context(topology, threads: threads, policy: policy, schedule: schedule))
                    }
                }
            }
        }
    }

    func testNUMAQueuesOnASimulatedFourNodeMachine() throws {
        // Plans from a synthetic 2-package × 2-node topology, run with unpinned workers (the CPUs need
        // not exist here), exercise the per-node queues and work stealing.
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        for threads in [3, 8, 16] {
            for schedule in KernelContext.Schedule.allCases {
                var context = try context(topology, threads: threads, policy: .numa, schedule: schedule)
                context.workerCPUs = []
                XCTAssertTrue(context.placesMemory)
                assertMatches(AttentionShape(batch: 2, heads: 6, kvHeads: 3, seqQ: 100, headDim: 16, causal: true), context)
                assertMatches(AttentionShape(heads: 1, seqQ: 77, headDim: 16, causal: false), context)
            }
        }
    }

    /// Each key/value head `k` belongs to the `k mod n`-th of the `n` NUMA nodes the workers use (in
    /// increasing OS order): its K and V, and the Q and O of its query heads, must be on that node after
    /// `prepare`. Every page starts on the node of the *last* head instead, so a `prepare` that moves
    /// nothing leaves the other heads' pages on the wrong node and fails. Needs two or more NUMA nodes:
    /// on one node, every placement (and none) puts every page on it.
    func testNUMAPlacementPutsEachHeadsPagesOnThatHeadsNode() throws {
        guard NUMAMemory.isAvailable else { throw XCTSkip("libnuma reports NUMA unavailable") }
        let topology = try MachineTopology.discover()
        guard topology.numaNodes.count >= 2 else {
            throw XCTSkip("one NUMA node: placement cannot be told apart from no placement here")
        }
        let plan = try PinPlan(topology: topology, threads: topology.cores.count, policy: .numa)
        let context = KernelContext(plan: plan, topology: topology)
        let usedNodes = Array(Set(context.workerNodes)).sorted()
        XCTAssertGreaterThanOrEqual(usedNodes.count, 2, "a numa plan over every core spans every node")
        let shape = AttentionShape(batch: 2, heads: 6, kvHeads: 3, seqQ: 256, headDim: 64, causal: true)
        let tensors = AttentionTensors(shape: shape, seed: 8)
        let floatBytes = MemoryLayout<Float>.stride
        let lastNode = usedNodes[(shape.batch * shape.kvHeads - 1) % usedNodes.count]
        for buffer in [tensors.q, tensors.k, tensors.v, tensors.o] {
            try NUMAMemory.move(buffer.pointer, bytes: buffer.count * floatBytes, toNode: lastNode)
        }
        let scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: context))
        kernel.prepare(tensors.operands, scratch: scratch.buffer, context: context)

        let operands = tensors.operands
        let keyBytes = shape.seqKV * shape.headDim * floatBytes, queryBytes = shape.seqQ * shape.headDim * floatBytes
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        /// Pages wholly inside the range (a page shared with the neighbouring head may go either way).
        func innerPages(_ address: Int, bytes: Int) throws -> [Int] {
            let start = (address + pageSize - 1) / pageSize * pageSize
            let end = (address + bytes) / pageSize * pageSize
            guard end > start else { return [] }
            return try NUMAMemory.nodesOfPages(UnsafeRawPointer(bitPattern: start)!, bytes: end - start)
        }
        var checkedPages = 0
        for kvIndex in 0..<(shape.batch * shape.kvHeads) {
            let node = usedNodes[kvIndex % usedNodes.count]
            let b = kvIndex / shape.kvHeads, kvHead = kvIndex % shape.kvHeads
            func address(_ base: UnsafePointer<Float>, _ offset: Int) -> Int { Int(bitPattern: base + offset) }
            var ranges = [(address(operands.k, operands.keyOffset(batch: b, head: kvHead)), keyBytes, "K"),
                          (address(operands.v, operands.keyOffset(batch: b, head: kvHead)), keyBytes, "V")]
            for h in (kvHead * shape.groupSize)..<((kvHead + 1) * shape.groupSize) {
                ranges += [(address(operands.q, operands.queryOffset(batch: b, head: h)), queryBytes, "Q head \(h)"),
                           (address(UnsafePointer(operands.o), operands.queryOffset(batch: b, head: h)), queryBytes, "O head \(h)")]
            }
            for (start, bytes, what) in ranges {
                let pages = try innerPages(start, bytes: bytes)
                checkedPages += pages.count
                XCTAssertTrue(pages.allSatisfy { $0 == node }, "batch \(b) kv head \(kvHead) \(what): pages on \(Set(pages)), expected node \(node)")
            }
        }
        XCTAssertGreaterThan(checkedPages, 0)
        kernel.run(tensors.operands, scratch: scratch.buffer, context: context)
        XCTAssertTrue(EquivalenceCheck().compare(tensors.operands, tolerance: kernel.tolerance).passed)
    }

    func testWorkersAreBoundInsideAndPoolThreadsAreRestoredAfterwards() throws {
        let topology = try MachineTopology.discover()
        let before = try ThreadAffinity.currentMask()
        guard before.count > 1 else { throw XCTSkip("the process is already confined to one CPU") }
        let context = try context(topology, threads: topology.cores.count, policy: .compact, schedule: .dynamic)
        let observed = Observations()
        WorkerPool.forEachWorker(context) { worker in
            observed.record(worker: worker, mask: (try? ThreadAffinity.currentMask()) ?? [], cpu: ThreadAffinity.currentCPU())
        }
        for worker in 0..<context.threads {
            let cpu = try XCTUnwrap(context.workerCPUs[worker])
            XCTAssertEqual(observed.masks[worker], [cpu], "worker \(worker) mask")
            XCTAssertEqual(observed.cpus[worker], cpu, "worker \(worker) cpu")
        }
        XCTAssertEqual(try ThreadAffinity.currentMask(), before)
        // Dispatch reuses its threads: every pool thread must be back to the full mask.
        let after = Observations()
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            after.record(worker: index, mask: (try? ThreadAffinity.currentMask()) ?? [], cpu: -1)
        }
        XCTAssertTrue(after.masks.values.allSatisfy { $0 == before }, "a pool thread stayed pinned: \(after.masks)")
    }

    func testEveryWorkerRunsOnceAndTheJoinPublishesItsWritesAtAnyThreadCount() {
        // More workers than this machine's CPUs (and than Dispatch may run at once): the pool's spinning
        // join must neither deadlock nor leave before a worker that entered has finished.
        for threads in [1, 2, 3, 8, 32] {
            let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
            runs.initialize(repeating: 0)
            defer { runs.deallocate() }
            let slots = SendableSlots(runs)
            WorkerPool.forEachWorker(KernelContext(threads: threads)) { worker in
                for _ in 0..<(worker % 3) * 1000 { slots.touch() }
                slots.buffer[worker] += worker + 1
            }
            XCTAssertEqual(Array(runs), (0..<threads).map { $0 + 1 }, "\(threads) workers")
        }
    }
}

private struct SendableSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Int>
    init(_ buffer: UnsafeMutableBufferPointer<Int>) { self.buffer = buffer }
    @inline(never) func touch() {}
}

private final class Observations: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var masks: [Int: Set<Int>] = [:]
    private(set) var cpus: [Int: Int] = [:]
    func record(worker: Int, mask: Set<Int>, cpu: Int) {
        lock.lock()
        masks[worker] = mask
        cpus[worker] = cpu
        lock.unlock()
    }
}
