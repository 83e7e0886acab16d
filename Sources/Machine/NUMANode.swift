/// One NUMA node: a pool of memory and the CPUs closest to it.
public struct NUMANode: Sendable, Equatable, Hashable {
    /// hwloc's logical index (0, 1, 2, … in topology order); what `Core.numaNode` and plans refer to.
    public var index: Int
    /// The kernel's node number; what libnuma and `NUMAMemory.allocate(bytes:onNode:)` take.
    public var osIndex: Int
    /// OS CPU ids (hardware threads) local to this node, ascending. Empty for memory-only nodes.
    public var cpus: [Int]
    /// Local memory in bytes (0 if hwloc does not know).
    public var memoryBytes: Int

    public init(index: Int, osIndex: Int, cpus: [Int], memoryBytes: Int) {
        self.index = index
        self.osIndex = osIndex
        self.cpus = cpus
        self.memoryBytes = memoryBytes
    }
}
