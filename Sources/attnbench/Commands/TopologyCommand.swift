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
            let check = try PlacementCheck.run(topology: topology, plan: plan, bytes: Self.placementCheckBytes)
            for line in check.lines { print(line) }
            if !check.allPlaced { throw ExitCode(1) }
        }
    }
}

/// `--pin compact` etc.: the raw values are the policy names. (No `@retroactive`: both live in this package.)
extension PinPolicy: ExpressibleByArgument {}
