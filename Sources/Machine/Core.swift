/// One physical core and its hardware threads.
public struct Core: Sendable, Equatable, Hashable {
    /// hwloc's logical core index (0, 1, 2, … in topology order).
    public var index: Int
    /// Logical index of the package (socket) holding the core.
    public var package: Int
    /// Logical index of the NUMA node whose CPUs include this core (`NUMANode.index`).
    public var numaNode: Int
    /// OS CPU ids of the core's hardware threads, first thread first (hwloc's logical PU order).
    public var pus: [Int]

    public init(index: Int, package: Int, numaNode: Int, pus: [Int]) {
        self.index = index
        self.package = package
        self.numaNode = numaNode
        self.pus = pus
    }
}
