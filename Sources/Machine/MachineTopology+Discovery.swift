// Loading a topology through hwloc and turning it into plain values.

extension MachineTopology {
    /// The machine this process runs on, as hwloc sees it.
    ///
    /// hwloc itself honours the `HWLOC_SYNTHETIC` and `HWLOC_XMLFILE` environment variables here
    /// (synthetic wins if both are set), which lets a 2-core CI box plan for a 4-socket server without
    /// code changes. `source` then says `.synthetic` / `.xml`, and `notes` records the override. If hwloc
    /// rejects the variable it silently falls back to the host; that is noted too.
    ///
    /// - Throws: `MachineError` when hwloc cannot load anything or finds no CPUs.
    public static func discover() throws -> MachineTopology {
        let handle = try SystemCalls.hwlocLoad(.environmentOrHost)
        let syntheticVariable = nonEmptyEnvironmentValue("HWLOC_SYNTHETIC")
        let xmlVariable = nonEmptyEnvironmentValue("HWLOC_XMLFILE")
        // hwloc tries HWLOC_SYNTHETIC first and HWLOC_XMLFILE second, and quietly falls back to the
        // host when one is unusable; work out which one it actually took.
        var notes: [String] = []
        let source: TopologySource
        let loadedDescription = SystemCalls.hwlocRootInfo(handle, "SyntheticDescription")
        if SystemCalls.hwlocIsThisSystem(handle) {
            source = .host
        } else if let syntheticVariable, loadedDescription == syntheticVariable {
            source = .synthetic(syntheticVariable)
        } else if let xmlVariable {
            source = .xml(path: xmlVariable)
        } else {
            // Only reachable with HWLOC_COMPONENTS-style overrides; report what hwloc says it loaded.
            source = loadedDescription.map(TopologySource.synthetic) ?? .xml(path: "(unknown)")
        }
        switch source {
        case .synthetic:
            notes.append("HWLOC_SYNTHETIC is set: this is a synthetic topology, not the host")
        case .xml:
            notes.append("HWLOC_XMLFILE is set: this topology was loaded from XML, not discovered on the host")
        case .host:
            // With HWLOC_THISSYSTEM=1 an XML topology claims to be this machine; that is the user's call.
            if let xmlVariable, nonEmptyEnvironmentValue("HWLOC_THISSYSTEM") == nil {
                notes.append("hwloc could not use HWLOC_XMLFILE=\(xmlVariable); using the host topology")
            }
        }
        if let syntheticVariable, source != .synthetic(syntheticVariable) {
            notes.append("hwloc rejected HWLOC_SYNTHETIC=\"\(syntheticVariable)\"; using the \(source) topology")
        }
        return try extract(from: handle, source: source, notes: notes)
    }

    /// A made-up machine from an hwloc synthetic description, e.g. "pack:2 numa:2 core:4 pu:1"
    /// (2 packages × 2 NUMA nodes × 4 cores × 1 thread). PU and node ids are hwloc's invented ones.
    ///
    /// - Throws: `MachineError.invalidSyntheticDescription` when hwloc rejects the string.
    public static func synthetic(_ description: String) throws -> MachineTopology {
        let handle = try SystemCalls.hwlocLoad(.synthetic(description))
        return try extract(from: handle, source: .synthetic(description), notes: [])
    }

    /// A machine saved with `lstopo file.xml` (or `hwloc_topology_export_xml`).
    ///
    /// - Throws: `MachineError.xmlLoadFailed` when the file is missing or not hwloc XML.
    public static func xml(path: String) throws -> MachineTopology {
        let handle = try SystemCalls.hwlocLoad(.xml(path: path))
        return try extract(from: handle, source: .xml(path: path), notes: [])
    }

    private static func nonEmptyEnvironmentValue(_ name: String) -> String? {
        guard let value = SystemCalls.environmentValue(name), !value.isEmpty else { return nil }
        return value
    }

    /// Reads everything the module needs out of a loaded topology, while it is kept alive.
    private static func extract(
        from handle: HwlocTopologyHandle, source: TopologySource, notes initialNotes: [String]
    ) throws(MachineError) -> MachineTopology {
        // hwloc objects are pointers into the topology: it must outlive every read below.
        try withExtendedLifetime(handle) { () throws(MachineError) -> MachineTopology in
            var notes = initialNotes
            var nodes = SystemCalls.hwlocObjects(handle, .numaNode).map { object in
                NUMANode(
                    index: SystemCalls.hwlocLogicalIndex(object),
                    osIndex: SystemCalls.hwlocOSIndex(object),
                    cpus: SystemCalls.hwlocProcessingUnits(handle, inside: object).sorted(),
                    memoryBytes: SystemCalls.hwlocLocalMemory(object))
            }
            var cores = readCores(handle, nodes: nodes, notes: &notes)
            cores.removeAll { $0.pus.isEmpty }
            guard !cores.isEmpty else { throw .emptyTopology("hwloc found no cores or processing units") }
            if nodes.isEmpty {
                // hwloc 2.x always reports a node; stay usable if an old XML file has none.
                nodes = [NUMANode(index: 0, osIndex: 0, cpus: cores.flatMap(\.pus).sorted(), memoryBytes: 0)]
                notes.append("hwloc reports no NUMA node; treating the machine as one node")
            }
            let packageCount = SystemCalls.hwlocObjects(handle, .package).count
            if packageCount == 0 {
                notes.append("hwloc reports no packages; treating the machine as one package")
            }
            let caches = readCaches(handle, source: source, notes: &notes)
            let numaPolicy = source.isHost && SystemCalls.numaAvailable
            if source.isHost && !SystemCalls.numaAvailable {
                notes.append("libnuma reports NUMA unavailable (numa_available() < 0): memory cannot be placed per node; threads are still pinned per hwloc's \(nodes.count) node(s)")
            }
            if source.isHost, let allowed = try? SystemCalls.threadAffinity() {
                let outside = Set(cores.flatMap(\.pus)).subtracting(allowed)
                if !outside.isEmpty {
                    notes.append("this thread may only run on CPUs \(CPUList.format(allowed)); binding to CPUs \(CPUList.format(outside)) will fail")
                }
            }
            return MachineTopology(
                packages: max(1, packageCount), numaNodes: nodes, cores: cores,
                hardwareThreads: cores.reduce(0) { $0 + $1.pus.count }, caches: caches, source: source,
                numaMemoryPolicyAvailable: numaPolicy,
                cpuModel: SystemCalls.hwlocInfo(handle, .package, "CPUModel")
                    ?? SystemCalls.hwlocRootInfo(handle, "CPUModel"),
                notes: notes)
        }
    }

    /// Cores with their package, NUMA node and PUs. Falls back to one core per PU when hwloc has no
    /// core objects (possible with odd synthetic strings or XML from exotic platforms).
    private static func readCores(_ handle: HwlocTopologyHandle, nodes: [NUMANode], notes: inout [String]) -> [Core] {
        func nodeIndex(ofCPU cpu: Int?) -> Int {
            guard let cpu else { return 0 }
            return nodes.first { $0.cpus.contains(cpu) }?.index ?? 0
        }
        let coreObjects = SystemCalls.hwlocObjects(handle, .core)
        if !coreObjects.isEmpty {
            return coreObjects.map { object in
                let pus = SystemCalls.hwlocProcessingUnits(handle, inside: object)
                return Core(
                    index: SystemCalls.hwlocLogicalIndex(object),
                    package: SystemCalls.hwlocPackageIndex(handle, of: object) ?? 0,
                    numaNode: nodeIndex(ofCPU: pus.first), pus: pus)
            }
        }
        notes.append("hwloc reports no cores; treating every hardware thread as a core")
        return SystemCalls.hwlocObjects(handle, .processingUnit).map { object in
            let cpu = SystemCalls.hwlocOSIndex(object)
            return Core(
                index: SystemCalls.hwlocLogicalIndex(object),
                package: SystemCalls.hwlocPackageIndex(handle, of: object) ?? 0,
                numaNode: nodeIndex(ofCPU: cpu), pus: [cpu])
        }
    }

    /// hwloc's cache sizes; for a host without hwloc caches, glibc's CPUID-derived ones; else the
    /// flagged fallback (see `CacheSizes`).
    private static func readCaches(_ handle: HwlocTopologyHandle, source: TopologySource, notes: inout [String]) -> CacheSizes {
        let levels = (1...3).map { SystemCalls.hwlocCacheSize(handle, level: $0) }
        if levels.contains(where: { $0 != nil }) {
            return CacheSizes(l1d: levels[0] ?? 0, l2: levels[1] ?? 0, l3: levels[2] ?? 0)
        }
        if source.isHost {
            let glibc = SystemCalls.sysconfCacheSizes()
            if glibc.l1d > 0 {
                notes.append("hwloc reports no caches; cache sizes come from glibc sysconf")
                return CacheSizes(l1d: glibc.l1d, l2: glibc.l2, l3: glibc.l3)
            }
        }
        notes.append("no cache sizes known; assuming 32 KiB L1d, 1 MiB L2, 8 MiB L3")
        return .fallback
    }
}
