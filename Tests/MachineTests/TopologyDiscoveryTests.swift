import Foundation
import Machine
import XCTest

final class TopologyDiscoveryTests: XCTestCase {
    func testHostDiscovery() throws {
        let topology = try MachineTopology.discover()
        XCTAssertEqual(topology.source, .host)
        XCTAssertGreaterThanOrEqual(topology.numaNodes.count, 1)
        XCTAssertGreaterThanOrEqual(topology.cores.count, 1)
        XCTAssertGreaterThanOrEqual(topology.packages, 1)
        XCTAssertGreaterThan(topology.caches.l1d, 0)
        XCTAssertEqual(topology.hardwareThreads, topology.cores.reduce(0) { $0 + $1.pus.count })
        XCTAssertEqual(topology.numaMemoryPolicyAvailable, NUMAMemory.isAvailable)
        // Every core's CPUs belong to the node it names, and node CPU lists cover all cores.
        for core in topology.cores {
            let node = try XCTUnwrap(topology.numaNodes.first { $0.index == core.numaNode })
            XCTAssertTrue(Set(core.pus).isSubset(of: node.cpus), "core \(core.index)")
        }
        XCTAssertEqual(Set(topology.numaNodes.flatMap(\.cpus)), Set(topology.cores.flatMap(\.pus)))
    }

    func testHostCPUsAreOnesThisThreadCanUse() throws {
        let topology = try MachineTopology.discover()
        let mask = try ThreadAffinity.currentMask()
        XCTAssertFalse(Set(topology.cores.flatMap(\.pus)).isDisjoint(with: mask))
    }

    func testHWLOCSyntheticIsHonoured() throws {
        let topology = try withEnvironment("HWLOC_SYNTHETIC", "pack:2 numa:2 core:4 pu:1") {
            try MachineTopology.discover()
        }
        XCTAssertEqual(topology.source, .synthetic("pack:2 numa:2 core:4 pu:1"))
        XCTAssertEqual(topology.packages, 2)
        XCTAssertEqual(topology.numaNodes.count, 4)
        XCTAssertEqual(topology.cores.count, 16)
        XCTAssertFalse(topology.numaMemoryPolicyAvailable)
        XCTAssertTrue(topology.notes.contains { $0.contains("HWLOC_SYNTHETIC") })
        // And the variable is gone again afterwards.
        XCTAssertEqual(try MachineTopology.discover().source, .host)
    }

    func testRejectedHWLOCSyntheticFallsBackToHostWithNote() throws {
        let topology = try withEnvironment("HWLOC_SYNTHETIC", "not a topology") { try MachineTopology.discover() }
        XCTAssertEqual(topology.source, .host)
        XCTAssertTrue(topology.notes.contains { $0.contains("rejected HWLOC_SYNTHETIC") }, "\(topology.notes)")
    }

    func testXMLRoundTripAndHWLOCXMLFILE() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("machine-tests-\(getpid()).xml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try MachineTopology.exportXML(to: path, synthetic: "pack:2 numa:2 core:4 pu:1")

        let loaded = try MachineTopology.xml(path: path)
        let synthetic = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:1")
        XCTAssertEqual(loaded.source, .xml(path: path))
        XCTAssertEqual(loaded.cores, synthetic.cores)
        XCTAssertEqual(loaded.numaNodes, synthetic.numaNodes)
        XCTAssertEqual(loaded.packages, 2)
        XCTAssertFalse(loaded.numaMemoryPolicyAvailable)

        let viaEnvironment = try withEnvironment("HWLOC_XMLFILE", path) { try MachineTopology.discover() }
        XCTAssertEqual(viaEnvironment.source, .xml(path: path))
        XCTAssertEqual(viaEnvironment.cores, synthetic.cores)
    }

    func testMissingXMLThrows() {
        XCTAssertThrowsError(try MachineTopology.xml(path: "/nonexistent/topology.xml")) { error in
            guard case .xmlLoadFailed(let path, _) = error as? MachineError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(path, "/nonexistent/topology.xml")
        }
    }

    func testInvalidSyntheticThrows() {
        XCTAssertThrowsError(try MachineTopology.synthetic("pack:banana")) { error in
            XCTAssertEqual(error as? MachineError, .invalidSyntheticDescription("pack:banana"))
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }

    func testCacheFallbackIsFlagged() throws {
        let topology = try MachineTopology.synthetic("numa:1 core:2 pu:1")
        XCTAssertEqual(topology.caches, CacheSizes(l1d: 32 << 10, l2: 1 << 20, l3: 8 << 20, isFallback: true))
        XCTAssertTrue(topology.notes.contains { $0.contains("assuming 32 KiB L1d") })
    }

    func testSyntheticCachesAreRead() throws {
        let topology = try MachineTopology.synthetic("pack:1 l3:1(size=16777216) l2:2(size=1048576) l1d:1(size=49152) core:1 pu:1")
        XCTAssertEqual(topology.caches, CacheSizes(l1d: 48 << 10, l2: 1 << 20, l3: 16 << 20))
        XCTAssertFalse(topology.caches.isFallback)
    }

    func testSummary() throws {
        let topology = try MachineTopology.synthetic("pack:2 numa:2 core:4 pu:2")
        XCTAssertEqual(topology.summary, """
            Topology (synthetic "pack:2 numa:2 core:4 pu:2"): 2 packages, 4 NUMA nodes, 16 cores, 32 hardware threads (2 per core)
            Caches (per instance): L1d 32 KiB, L2 1 MiB, L3 8 MiB (assumed: hwloc reported no caches)
            NUMA node 0 (OS 0): 1 GiB; package 0; cores 0-3; CPUs 0-7
            NUMA node 1 (OS 1): 1 GiB; package 0; cores 4-7; CPUs 8-15
            NUMA node 2 (OS 2): 1 GiB; package 1; cores 8-11; CPUs 16-23
            NUMA node 3 (OS 3): 1 GiB; package 1; cores 12-15; CPUs 24-31
            NUMA memory placement: not applicable (synthetic "pack:2 numa:2 core:4 pu:2" topology, not this machine)
            """)
        XCTAssertTrue(try MachineTopology.discover().summary.contains("Topology (host)"))
    }
}
