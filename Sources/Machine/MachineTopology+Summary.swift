// The human-readable print of a topology, for `attnbench topology` and report headers.

extension MachineTopology {
    /// A multi-line description: totals, caches, one line per NUMA node, and memory-policy status.
    ///
    /// Node lines use Linux CPU-list notation ("0-23,48-71") so a large server stays readable.
    /// Notes are not included; print `notes` separately.
    ///
    ///     Topology (host): 1 package, 1 NUMA node, 2 cores, 2 hardware threads (1 per core)
    ///     CPU: AMD EPYC
    ///     Caches (per instance): L1d 32 KiB, L2 1 MiB, L3 32 MiB
    ///     NUMA node 0 (OS 0): 4.5 GiB; cores 0-1; CPUs 0-1
    ///     NUMA memory placement: available
    public var summary: String {
        var lines: [String] = []
        lines.append(
            "Topology (\(source)): \(count(packages, "package")), \(count(numaNodes.count, "NUMA node")), "
                + "\(count(cores.count, "core")), \(count(hardwareThreads, "hardware thread")) "
                + "(\(threadsPerCore) per core)")
        if let cpuModel { lines.append("CPU: \(cpuModel)") }
        lines.append("Caches (per instance): \(caches)")
        for node in numaNodes {
            let nodeCores = cores.filter { $0.numaNode == node.index }
            let memory = node.memoryBytes > 0 ? ByteCount.format(node.memoryBytes) : "memory unknown"
            let packagesOfNode = Set(nodeCores.map(\.package)).sorted()
            let packageText = packagesOfNode.isEmpty ? "" : "; package \(CPUList.format(packagesOfNode))"
            lines.append(
                "NUMA node \(node.index) (OS \(node.osIndex)): \(memory)\(packageText); "
                    + "cores \(nodeCores.isEmpty ? "none" : CPUList.format(nodeCores.map(\.index))); "
                    + "CPUs \(node.cpus.isEmpty ? "none" : CPUList.format(node.cpus))")
        }
        let placement: String
        if numaMemoryPolicyAvailable {
            placement = "available"
        } else if source.isHost {
            placement = "unavailable (numa_available() < 0)"
        } else {
            placement = "not applicable (\(source) topology, not this machine)"
        }
        lines.append("NUMA memory placement: \(placement)")
        return lines.joined(separator: "\n")
    }

    private func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }
}
