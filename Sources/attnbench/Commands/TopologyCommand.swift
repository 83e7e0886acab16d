import ArgumentParser
import Foundation
import AttnBench

/// `attnbench topology`: shows what the benchmark will see and do before any timing starts — the
/// hwloc topology, the notes about fallbacks, and which CPU each worker would be pinned to.
/// `--check-placement` additionally proves that node-local allocation really lands where planned.
struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Print the machine topology and the worker→core plan.",
        discussion: """
            Set HWLOC_SYNTHETIC or HWLOC_XMLFILE (or pass --synthetic) to plan for another machine. \
            Pin policies: none (unpinned), compact (fill cores in node order, first hardware threads first), \
            spread (round-robin over NUMA nodes), numa (spread, plus node-local memory).
            """)

    @Option(name: .long, help: "Number of workers to plan for (default: the number of cores).")
    var threads: Int?

    @Option(name: .long, help: "How workers are pinned to CPUs.")
    var pin: PinPolicy = .compact

    @Option(name: .long, help: ArgumentHelp("Plan on an hwloc synthetic topology instead of the host.", valueName: "description"))
    var synthetic: String?

    @Flag(name: .long, help: "Allocate 4 MiB on each NUMA node the plan uses, touch it, and report where the pages landed.")
    var checkPlacement = false

    /// Bytes allocated per node by `--check-placement`: big enough for many pages, small enough to be instant.
    static let placementCheckBytes = 4 << 20

    func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1 (got \(threads))")
        }
    }

    func run() throws {
        let topology = try synthetic.map { try MachineTopology.synthetic($0) } ?? MachineTopology.discover()
        let plan = try PinPlan(topology: topology, threads: threads ?? topology.cores.count, policy: pin)
        print(topology.summary)
        for note in topology.notes { print("note: \(note)") }
        print("")
        print(plan.description)
        if checkPlacement {
            print("")
            if try !Self.checkPlacement(topology: topology, plan: plan) { throw ExitCode(1) }
        }
    }

    /// Allocates on every node the plan uses, first-touches the memory from a worker CPU of that node,
    /// and prints how many pages landed on which OS node. Returns false if any page landed elsewhere.
    static func checkPlacement(topology: MachineTopology, plan: PinPlan) throws -> Bool {
        guard topology.source == .host else {
            print("Placement check skipped: the \(topology.source) topology is not this machine, so its nodes cannot be allocated on.")
            return true
        }
        guard NUMAMemory.isAvailable else {
            print("Placement check skipped: NUMA is unavailable here (numa_available() < 0); memory goes wherever the kernel puts it.")
            return true
        }
        let bytes = placementCheckBytes
        print("Placement check: \(bytes >> 20) MiB per NUMA node in use, first-touched by a worker CPU of that node")
        var allPlaced = true
        for nodeIndex in plan.numaNodeIndices {
            guard let node = topology.numaNodes.first(where: { $0.index == nodeIndex }) else { continue }
            guard let memory = NUMAMemory.allocate(bytes: bytes, onNode: node.osIndex) else {
                print("  node \(node.index) (OS \(node.osIndex)): allocation failed")
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
            print("  node \(node.index) (OS \(node.osIndex)): \(pages) pages: \(landed) — \(ok ? "ok" : "MISPLACED")")
        }
        return allPlaced
    }
}

/// `--pin compact` etc.: the raw values are the policy names. (No `@retroactive`: both live in this package.)
extension PinPolicy: ExpressibleByArgument {}
