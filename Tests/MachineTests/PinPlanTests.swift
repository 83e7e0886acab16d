import Machine
import XCTest

/// Exact worker → CPU placements on synthetic topologies, for every policy.
///
/// hwloc numbers synthetic PUs 0, 1, 2, … in topology order, so core c of a "pu:1" machine is CPU c,
/// and core c of a "pu:2" machine has CPUs 2c and 2c+1.
final class PinPlanTests: XCTestCase {
    private func cpus(_ topology: MachineTopology, _ threads: Int, _ policy: PinPolicy) throws -> [Int?] {
        try PinPlan(topology: topology, threads: threads, policy: policy).workers.map(\.cpu)
    }

    private func nodes(_ topology: MachineTopology, _ threads: Int, _ policy: PinPolicy) throws -> [Int] {
        try PinPlan(topology: topology, threads: threads, policy: policy).workers.map(\.numaNode)
    }

    // MARK: 2 packages × 2 NUMA nodes × 4 cores × 1 thread

    func testTwoPackagesFourNodesShape() throws {
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        XCTAssertEqual(topology.packages, 2)
        XCTAssertEqual(topology.numaNodes.map(\.cpus), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]])
        XCTAssertEqual(topology.cores.count, 16)
        XCTAssertEqual(topology.hardwareThreads, 16)
        XCTAssertEqual(topology.cores.map(\.package), Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8))
        XCTAssertEqual(topology.cores.map(\.numaNode), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
        XCTAssertEqual(topology.source, .synthetic("pack:2 numa:2 core:4 pu:1"))
        XCTAssertFalse(topology.numaMemoryPolicyAvailable)
        XCTAssertTrue(topology.caches.isFallback)
    }

    func testTwoPackagesFourNodesNone() throws {
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        let plan = try PinPlan(topology: topology, threads: 8, policy: .none)
        XCTAssertEqual(plan.workers, (0..<8).map { WorkerAssignment(worker: $0, cpu: nil, core: nil, numaNode: 0) })
        XCTAssertFalse(plan.placesMemory)
        XCTAssertEqual(plan.numaNodesUsed, 1)
    }

    func testTwoPackagesFourNodesCompact() throws {
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        XCTAssertEqual(try cpus(topology, 6, .compact), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try nodes(topology, 6, .compact), [0, 0, 0, 0, 1, 1])
        let plan = try PinPlan(topology: topology, threads: 16, policy: .compact)
        XCTAssertEqual(plan.workers.map(\.cpu), Array(0..<16))
        XCTAssertEqual(plan.workers.map(\.core), Array(0..<16))
        XCTAssertEqual(plan.numaNodesUsed, 4)
        XCTAssertFalse(plan.placesMemory)
    }

    func testTwoPackagesFourNodesSpread() throws {
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        let plan = try PinPlan(topology: topology, threads: 8, policy: .spread)
        XCTAssertEqual(plan.workers, [
            WorkerAssignment(worker: 0, cpu: 0, core: 0, numaNode: 0),
            WorkerAssignment(worker: 1, cpu: 4, core: 4, numaNode: 1),
            WorkerAssignment(worker: 2, cpu: 8, core: 8, numaNode: 2),
            WorkerAssignment(worker: 3, cpu: 12, core: 12, numaNode: 3),
            WorkerAssignment(worker: 4, cpu: 1, core: 1, numaNode: 0),
            WorkerAssignment(worker: 5, cpu: 5, core: 5, numaNode: 1),
            WorkerAssignment(worker: 6, cpu: 9, core: 9, numaNode: 2),
            WorkerAssignment(worker: 7, cpu: 13, core: 13, numaNode: 3),
        ])
        XCTAssertEqual(plan.numaNodesUsed, 4)
        XCTAssertFalse(plan.placesMemory)
        XCTAssertEqual(try cpus(topology, 2, .spread), [0, 4])
    }

    func testTwoPackagesFourNodesNUMA() throws {
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        let numa = try PinPlan(topology: topology, threads: 8, policy: .numa)
        let spread = try PinPlan(topology: topology, threads: 8, policy: .spread)
        XCTAssertEqual(numa.workers, spread.workers)
        XCTAssertEqual(numa.workers.map(\.cpu), [0, 4, 8, 12, 1, 5, 9, 13])
        XCTAssertTrue(numa.placesMemory)
        XCTAssertEqual(numa.policy, .numa)
    }

    func testTwoPackagesFourNodesOversubscribed() throws {
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        XCTAssertEqual(try cpus(topology, 20, .compact), Array(0..<16) + [0, 1, 2, 3])
        XCTAssertEqual(
            try cpus(topology, 20, .spread),
            [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 0, 4, 8, 12])
        XCTAssertEqual(try cpus(topology, 20, .numa), try cpus(topology, 20, .spread))
        XCTAssertEqual(try cpus(topology, 20, .none), Array(repeating: nil, count: 20))
    }

    // MARK: 1 NUMA node × 2 cores

    func testOneNodeTwoCores() throws {
        let topology = try MachineTopology.synthetic("numa:1 core:2 pu:1")
        XCTAssertEqual(topology.packages, 1)  // no package objects: counted as one
        XCTAssertEqual(topology.numaNodes.count, 1)
        XCTAssertEqual(topology.cores.map(\.pus), [[0], [1]])
        XCTAssertEqual(try cpus(topology, 2, .compact), [0, 1])
        XCTAssertEqual(try cpus(topology, 2, .spread), [0, 1])
        XCTAssertEqual(try cpus(topology, 2, .numa), [0, 1])
        XCTAssertEqual(try cpus(topology, 2, .none), [nil, nil])
        XCTAssertEqual(try nodes(topology, 2, .spread), [0, 0])
        XCTAssertEqual(try PinPlan(topology: topology, threads: 2, policy: .numa).numaNodesUsed, 1)
    }

    func testOneNodeTwoCoresMoreThreadsThanCores() throws {
        let topology = try MachineTopology.synthetic("numa:1 core:2 pu:1")
        XCTAssertEqual(try cpus(topology, 5, .compact), [0, 1, 0, 1, 0])
        XCTAssertEqual(try cpus(topology, 5, .spread), [0, 1, 0, 1, 0])
        XCTAssertEqual(try cpus(topology, 5, .numa), [0, 1, 0, 1, 0])
        XCTAssertEqual(try cpus(topology, 5, .none), [nil, nil, nil, nil, nil])
        let plan = try PinPlan(topology: topology, threads: 5, policy: .compact)
        XCTAssertEqual(plan.workers.map(\.worker), [0, 1, 2, 3, 4])
        XCTAssertEqual(plan.workers.map(\.core), [0, 1, 0, 1, 0])
    }

    // MARK: a single core

    func testSingleCore() throws {
        let topology = try MachineTopology.synthetic("core:1 pu:1")
        XCTAssertEqual(topology.cores, [Core(index: 0, package: 0, numaNode: 0, pus: [0])])
        for policy in [PinPolicy.compact, .spread, .numa] {
            XCTAssertEqual(try cpus(topology, 1, policy), [0], "\(policy)")
            XCTAssertEqual(try cpus(topology, 3, policy), [0, 0, 0], "\(policy)")
        }
        XCTAssertEqual(try cpus(topology, 3, .none), [nil, nil, nil])
    }

    // MARK: two hardware threads per core

    func testTwoThreadsPerCoreCompact() throws {
        let topology = try MachineTopology.synthetic("pack:1 core:4 pu:2")
        XCTAssertEqual(topology.cores.map(\.pus), [[0, 1], [2, 3], [4, 5], [6, 7]])
        XCTAssertEqual(topology.threadsPerCore, 2)
        // First threads of every core, then the second threads, then wrap.
        XCTAssertEqual(try cpus(topology, 4, .compact), [0, 2, 4, 6])
        XCTAssertEqual(try cpus(topology, 8, .compact), [0, 2, 4, 6, 1, 3, 5, 7])
        XCTAssertEqual(try cpus(topology, 10, .compact), [0, 2, 4, 6, 1, 3, 5, 7, 0, 2])
        XCTAssertEqual(
            try PinPlan(topology: topology, threads: 8, policy: .compact).workers.map(\.core),
            [0, 1, 2, 3, 0, 1, 2, 3])
        // One node: spreading is compact order.
        XCTAssertEqual(try cpus(topology, 8, .spread), [0, 2, 4, 6, 1, 3, 5, 7])
        XCTAssertEqual(try cpus(topology, 8, .numa), [0, 2, 4, 6, 1, 3, 5, 7])
        XCTAssertEqual(try cpus(topology, 8, .none), Array(repeating: nil, count: 8))
    }

    func testTwoThreadsPerCoreTwoNodes() throws {
        let topology = try MachineTopology.synthetic("numa:2 core:2 pu:2")
        XCTAssertEqual(topology.numaNodes.map(\.cpus), [[0, 1, 2, 3], [4, 5, 6, 7]])
        XCTAssertEqual(try cpus(topology, 8, .compact), [0, 2, 4, 6, 1, 3, 5, 7])
        XCTAssertEqual(try nodes(topology, 8, .compact), [0, 0, 1, 1, 0, 0, 1, 1])
        // Node 0 hands out 0, 2, 1, 3 and node 1 hands out 4, 6, 5, 7, alternating nodes.
        XCTAssertEqual(try cpus(topology, 8, .spread), [0, 4, 2, 6, 1, 5, 3, 7])
        XCTAssertEqual(try nodes(topology, 8, .spread), [0, 1, 0, 1, 0, 1, 0, 1])
        XCTAssertEqual(try cpus(topology, 10, .numa), [0, 4, 2, 6, 1, 5, 3, 7, 0, 4])
        XCTAssertTrue(try PinPlan(topology: topology, threads: 2, policy: .numa).placesMemory)
    }

    // MARK: validation and printing

    func testRejectsFewerThanOneThread() throws {
        let topology = try MachineTopology.synthetic("core:1 pu:1")
        for threads in [0, -3] {
            XCTAssertThrowsError(try PinPlan(topology: topology, threads: threads, policy: .compact)) { error in
                XCTAssertEqual(error as? MachineError, .invalidThreadCount(threads))
                XCTAssertEqual("\(error)", "thread count must be at least 1 (got \(threads))")
            }
        }
    }

    func testDescriptionTable() throws {
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        let plan = try PinPlan(topology: topology, threads: 3, policy: .numa)
        XCTAssertEqual(plan.description, """
            Pin plan: numa, 3 workers on 3 NUMA nodes (memory: placed on each worker's node)
            worker  cpu  core  node
                 0    0     0     0
                 1    4     4     1
                 2    8     8     2
            """)
        let unpinned = try PinPlan(topology: topology, threads: 1, policy: .none)
        XCTAssertEqual(unpinned.description, """
            Pin plan: none, 1 worker unpinned (memory: first touch)
            worker  cpu  core  node
                 0    -     -     -
            """)
    }

    func testPolicyNamesAreStable() {
        XCTAssertEqual(PinPolicy.allCases.map(\.rawValue), ["none", "compact", "spread", "numa"])
    }
}
