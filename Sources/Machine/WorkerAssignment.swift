/// Where one worker of a `PinPlan` runs.
public struct WorkerAssignment: Sendable, Equatable, Hashable {
    /// Worker number, 0..<threads.
    public var worker: Int
    /// OS CPU id to bind to, or nil for an unpinned worker (`PinPolicy.none`).
    public var cpu: Int?
    /// Logical index of the core owning `cpu` (`Core.index`), nil when unpinned.
    public var core: Int?
    /// Logical NUMA node index (`NUMANode.index`) of `cpu`; 0 when unpinned.
    public var numaNode: Int

    public init(worker: Int, cpu: Int?, core: Int?, numaNode: Int) {
        self.worker = worker
        self.cpu = cpu
        self.core = core
        self.numaNode = numaNode
    }
}
