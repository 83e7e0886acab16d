/// A concrete worker → CPU placement for one benchmark run, computed from a topology and a policy.
///
/// The plan is pure data: it never binds anything itself. Workers apply their assignment with
/// `ThreadAffinity.withBinding(toCPU:_:)`, and `.numa` runs allocate with `NUMAMemory`.
public struct PinPlan: Sendable, Equatable {
    public var policy: PinPolicy
    /// One assignment per worker, ordered by worker number.
    public var workers: [WorkerAssignment]
    /// Whether each worker's memory should be allocated on its node (true exactly for `.numa`).
    public var placesMemory: Bool

    /// Places `threads` workers on `topology` following `policy` (see `PinPolicy` for the rules).
    ///
    /// - Throws: `MachineError.invalidThreadCount` when `threads < 1`, `MachineError.emptyTopology`
    ///   when a pinning policy meets a topology without CPUs.
    public init(topology: MachineTopology, threads: Int, policy: PinPolicy) throws {
        guard threads >= 1 else { throw MachineError.invalidThreadCount(threads) }
        self.policy = policy
        self.placesMemory = policy == .numa
        switch policy {
        case .none:
            workers = (0..<threads).map { WorkerAssignment(worker: $0, cpu: nil, core: nil, numaNode: 0) }
        case .compact:
            let slots = PinPlan.slots(of: PinPlan.planOrder(topology.cores))
            guard !slots.isEmpty else { throw MachineError.emptyTopology("no cores to pin to") }
            workers = (0..<threads).map { slots[$0 % slots.count].assignment(worker: $0) }
        case .spread, .numa:
            let perNode = PinPlan.slotsPerNode(topology)
            guard !perNode.isEmpty else { throw MachineError.emptyTopology("no cores to pin to") }
            workers = (0..<threads).map { worker in
                let nodeSlots = perNode[worker % perNode.count]
                return nodeSlots[(worker / perNode.count) % nodeSlots.count].assignment(worker: worker)
            }
        }
    }

    /// Distinct NUMA nodes the workers run on (1 for an unpinned plan, whose workers all report node 0).
    public var numaNodesUsed: Int { Set(workers.map(\.numaNode)).count }

    /// Logical indices of the nodes the workers run on, ascending.
    public var numaNodeIndices: [Int] { Set(workers.map(\.numaNode)).sorted() }
}
