/// Everything the Machine module can fail with.
///
/// Each case prints as one line (`description`), so the CLI can show it verbatim and tests can
/// match on the case. C error codes are already folded into `reason` strings; no C type escapes.
public enum MachineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// hwloc could not build a topology (init or load failed).
    case topologyLoadFailed(reason: String)
    /// `hwloc_topology_set_synthetic` rejected the description.
    case invalidSyntheticDescription(String)
    /// hwloc could not use the XML file.
    case xmlLoadFailed(path: String, reason: String)
    /// hwloc could not write the XML file.
    case xmlExportFailed(path: String, reason: String)
    /// The topology has no processing units to plan on.
    case emptyTopology(String)
    /// A pin plan was asked for fewer than one worker.
    case invalidThreadCount(Int)
    /// A CPU id is negative or otherwise unusable.
    case cpuOutOfRange(Int)
    /// The calling thread's CPU mask could not be read.
    case affinityQueryFailed(reason: String)
    /// The calling thread could not be restricted to `cpus`.
    case bindFailed(cpus: [Int], reason: String)
    /// `move_pages` could not report where pages live.
    case pageQueryFailed(reason: String)
    /// The kernel or container does not offer the NUMA policy API (`numa_available() < 0`).
    case numaUnavailable

    public var description: String {
        switch self {
        case .topologyLoadFailed(let reason):
            "could not load the machine topology: \(reason)"
        case .invalidSyntheticDescription(let description):
            "hwloc rejected the synthetic topology \"\(description)\" (expected e.g. \"pack:2 numa:2 core:4 pu:1\")"
        case .xmlLoadFailed(let path, let reason):
            "could not load the hwloc XML topology at \(path): \(reason)"
        case .xmlExportFailed(let path, let reason):
            "could not write the hwloc XML topology to \(path): \(reason)"
        case .emptyTopology(let what):
            "the topology has no usable CPUs: \(what)"
        case .invalidThreadCount(let threads):
            "thread count must be at least 1 (got \(threads))"
        case .cpuOutOfRange(let cpu):
            "CPU id \(cpu) is out of range"
        case .affinityQueryFailed(let reason):
            "could not read the thread's CPU affinity: \(reason)"
        case .bindFailed(let cpus, let reason):
            "could not bind the thread to CPU \(cpus.map(String.init).joined(separator: ",")): \(reason)"
        case .pageQueryFailed(let reason):
            "could not query the NUMA node of pages: \(reason)"
        case .numaUnavailable:
            "NUMA memory policy is unavailable here (numa_available() < 0)"
        }
    }
}
