/// `attnbench topology --check-placement`: allocates `bytes` on each NUMA node a pin plan uses, first-touches
/// them from a worker CPU of that node, and asks the kernel where the pages landed (`move_pages`).
public enum PlacementCheck {
    /// The report's lines, and whether every page landed on its node. Skips (true) for a topology that is not
    /// this machine's, and where NUMA is unavailable.
    public static func run(topology: MachineTopology, plan: PinPlan, bytes: Int) throws -> (lines: [String], allPlaced: Bool) {
        var lines: [String] = []
        guard topology.source == .host else {
            lines.append("Placement check skipped: the \(topology.source) topology is not this machine, so its nodes cannot be allocated on.")
            return (lines, true)
        }
        guard NUMAMemory.isAvailable else {
            lines.append("Placement check skipped: NUMA is unavailable here (numa_available() < 0); memory goes wherever the kernel puts it.")
            return (lines, true)
        }
        lines.append("Placement check: \(bytes >> 20) MiB per NUMA node in use, first-touched by a worker CPU of that node")
        var allPlaced = true
        for nodeIndex in plan.numaNodeIndices {
            guard let node = topology.numaNodes.first(where: { $0.index == nodeIndex }) else { continue }
            guard let memory = NUMAMemory.allocate(bytes: bytes, onNode: node.osIndex) else {
                lines.append("  node \(node.index) (OS \(node.osIndex)): allocation failed")
                allPlaced = false
                continue
            }
            defer { NUMAMemory.free(memory, bytes: bytes) }
            let toucher = plan.workers.first { $0.numaNode == nodeIndex && $0.cpu != nil }?.cpu
            ThreadAffinity.withBinding(toCPU: toucher) {
                _ = memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            }
            let counts = try NUMAMemory.pageCountsByNode(memory, bytes: bytes)
            let landed = counts.sorted { $0.key < $1.key }
                .map { $0.key >= 0 ? "\($0.value) on node \($0.key)" : "\($0.value) not placed (status \($0.key))" }
                .joined(separator: ", ")
            let ok = counts.keys.allSatisfy { $0 == node.osIndex }
            allPlaced = allPlaced && ok
            let pages = counts.values.reduce(0, +)
            lines.append("  node \(node.index) (OS \(node.osIndex)): \(pages) pages: \(landed) — \(ok ? "ok" : "MISPLACED")")
        }
        return (lines, allPlaced)
    }
}
