// The ordering rules behind `PinPolicy`: which CPU the n-th worker of a core list gets.

extension PinPlan {
    /// One bindable hardware thread, with the core and node it belongs to.
    struct Slot: Equatable {
        var cpu: Int
        var core: Int
        var numaNode: Int

        func assignment(worker: Int) -> WorkerAssignment {
            WorkerAssignment(worker: worker, cpu: cpu, core: core, numaNode: numaNode)
        }
    }

    /// Cores in plan order: by NUMA node, then package, then logical core index.
    static func planOrder(_ cores: [Core]) -> [Core] {
        cores.sorted { ($0.numaNode, $0.package, $0.index) < ($1.numaNode, $1.package, $1.index) }
    }

    /// Hardware threads in compact order: the first thread of every core (in the given core order),
    /// then the second thread of every core that has one, and so on. Wrapping is the caller's job.
    static func slots(of orderedCores: [Core]) -> [Slot] {
        let depth = orderedCores.map(\.pus.count).max() ?? 0
        var result: [Slot] = []
        for thread in 0..<depth {
            for core in orderedCores where thread < core.pus.count {
                result.append(Slot(cpu: core.pus[thread], core: core.index, numaNode: core.numaNode))
            }
        }
        return result
    }

    /// Compact-ordered slots for each NUMA node that has cores, nodes in logical order.
    /// Memory-only nodes (no cores) are skipped, so spreading never sends a worker nowhere.
    static func slotsPerNode(_ topology: MachineTopology) -> [[Slot]] {
        let ordered = planOrder(topology.cores)
        let nodeIndices = Set(ordered.map(\.numaNode)).sorted()
        return nodeIndices.map { node in slots(of: ordered.filter { $0.numaNode == node }) }
    }
}
