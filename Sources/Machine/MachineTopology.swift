/// The machine's CPU and memory layout as the benchmarks need it: packages, NUMA nodes, cores with
/// their hardware threads, and cache sizes.
///
/// Build one with `discover()` (the host, or what `HWLOC_SYNTHETIC` / `HWLOC_XMLFILE` say),
/// `synthetic(_:)` or `xml(path:)`. It is a plain value: copying it never touches hwloc again, and
/// `PinPlan` works the same on a real and a made-up topology, which is what makes plans testable.
public struct MachineTopology: Sendable, Equatable {
    /// Number of packages (sockets). A topology without package objects counts as one package.
    public var packages: Int
    /// NUMA nodes in logical order. Always at least one.
    public var numaNodes: [NUMANode]
    /// Cores in logical order.
    public var cores: [Core]
    /// Total hardware threads (PUs) across all cores.
    public var hardwareThreads: Int
    /// Per-instance cache sizes (see `CacheSizes`).
    public var caches: CacheSizes
    /// Where the layout came from.
    public var source: TopologySource
    /// Whether memory can be placed on this topology's nodes: true only for a `.host` topology on a
    /// kernel where `numa_available() >= 0`. Synthetic and XML topologies report false because their
    /// node numbers describe some other machine, so allocating "on node 3" would be meaningless here.
    public var numaMemoryPolicyAvailable: Bool
    /// The CPU model as hwloc reports it ("CPUModel", e.g. "AMD EPYC 9654 96-Core Processor"); nil
    /// when unknown (synthetic topologies, some ARM systems).
    public var cpuModel: String?
    /// Things a reader of a report should know: fallbacks taken, environment overrides, limits.
    public var notes: [String]

    public init(
        packages: Int, numaNodes: [NUMANode], cores: [Core], hardwareThreads: Int,
        caches: CacheSizes, source: TopologySource, numaMemoryPolicyAvailable: Bool, cpuModel: String? = nil,
        notes: [String] = []
    ) {
        self.packages = packages
        self.numaNodes = numaNodes
        self.cores = cores
        self.hardwareThreads = hardwareThreads
        self.caches = caches
        self.source = source
        self.numaMemoryPolicyAvailable = numaMemoryPolicyAvailable
        self.cpuModel = cpuModel
        self.notes = notes
    }

    /// The largest number of hardware threads any core has (1 without SMT).
    public var threadsPerCore: Int { cores.map(\.pus.count).max() ?? 1 }
}
