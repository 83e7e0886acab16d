// The printed form of a plan, for `attnbench topology` and report headers.

extension PinPlan: CustomStringConvertible {
    /// A header line and a worker → cpu, core, node table ("-" for unpinned fields):
    ///
    ///     Pin plan: spread, 4 workers on 2 NUMA nodes (memory: first touch)
    ///     worker  cpu  core  node
    ///          0    0     0     0
    ///          1    4     4     1
    public var description: String {
        let memory = placesMemory ? "placed on each worker's node" : "first touch"
        let unit = workers.count == 1 ? "worker" : "workers"
        let nodes = numaNodesUsed == 1 ? "NUMA node" : "NUMA nodes"
        let placement = policy == .none ? "unpinned" : "on \(numaNodesUsed) \(nodes)"
        var lines = ["Pin plan: \(policy.rawValue), \(workers.count) \(unit) \(placement) (memory: \(memory))"]
        let header = ["worker", "cpu", "core", "node"]
        let rows = workers.map { assignment in
            [
                String(assignment.worker), assignment.cpu.map(String.init) ?? "-",
                assignment.core.map(String.init) ?? "-",
                assignment.cpu == nil ? "-" : String(assignment.numaNode),
            ]
        }
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, width in
                String(repeating: " ", count: width - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.append(line(header))
        lines.append(contentsOf: rows.map(line))
        return lines.joined(separator: "\n")
    }
}
