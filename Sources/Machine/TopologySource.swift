/// Where a `MachineTopology` came from.
public enum TopologySource: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Discovered from the running machine; CPU ids and node numbers are real.
    case host
    /// Built from an hwloc synthetic description such as "pack:2 numa:2 core:4 pu:1".
    case synthetic(String)
    /// Loaded from an hwloc XML export (`lstopo foo.xml`).
    case xml(path: String)

    /// Only a host topology's ids can be bound to or allocated on.
    public var isHost: Bool { self == .host }

    public var description: String {
        switch self {
        case .host: "host"
        case .synthetic(let description): "synthetic \"\(description)\""
        case .xml(let path): "xml \(path)"
        }
    }
}
