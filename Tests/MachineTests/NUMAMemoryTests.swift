import Machine
import XCTest

final class NUMAMemoryTests: XCTestCase {
    func testAllocationOnNodeZeroLandsOnNodeZero() throws {
        try XCTSkipUnless(NUMAMemory.isAvailable, "NUMA policy API unavailable (numa_available() < 0)")
        let bytes = 1 << 20
        let memory = try XCTUnwrap(NUMAMemory.allocate(bytes: bytes, onNode: 0))
        defer { NUMAMemory.free(memory, bytes: bytes) }

        // Not touched yet: the kernel has not placed any page (-ENOENT).
        XCTAssertTrue(try NUMAMemory.nodesOfPages(memory, bytes: bytes).allSatisfy { $0 < 0 })

        memory.initializeMemory(as: UInt8.self, repeating: 1, count: bytes)
        let nodes = try NUMAMemory.nodesOfPages(memory, bytes: bytes)
        XCTAssertGreaterThanOrEqual(nodes.count, bytes / 65536)  // whatever the page size, at least this many
        XCTAssertEqual(Set(nodes), [0])
        XCTAssertEqual(try NUMAMemory.pageCountsByNode(memory, bytes: bytes), [0: nodes.count])
    }

    func testPageQueryCoversPartialPages() throws {
        try XCTSkipUnless(NUMAMemory.isAvailable, "NUMA policy API unavailable (numa_available() < 0)")
        let bytes = 3 << 16
        let memory = try XCTUnwrap(NUMAMemory.allocate(bytes: bytes, onNode: 0))
        defer { NUMAMemory.free(memory, bytes: bytes) }
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        // One byte in the middle of a page is one page; a range straddling a boundary is two.
        XCTAssertEqual(try NUMAMemory.nodesOfPages(memory + 100, bytes: 1), [0])
        let pages = try NUMAMemory.nodesOfPages(memory, bytes: bytes)
        XCTAssertEqual(try NUMAMemory.nodesOfPages(memory + 1, bytes: bytes - 1).count, pages.count)
        XCTAssertEqual(try NUMAMemory.nodesOfPages(memory, bytes: 0), [])
    }

    func testInvalidRequestsReturnNil() {
        XCTAssertNil(NUMAMemory.allocate(bytes: 4096, onNode: -1))
        XCTAssertNil(NUMAMemory.allocate(bytes: 4096, onNode: 1 << 20))
        XCTAssertNil(NUMAMemory.allocate(bytes: 0, onNode: 0))
    }

    func testEveryHostNodeCanBeAllocatedOn() throws {
        try XCTSkipUnless(NUMAMemory.isAvailable, "NUMA policy API unavailable (numa_available() < 0)")
        let topology = try MachineTopology.discover()
        for node in topology.numaNodes where node.memoryBytes > 0 {
            let bytes = 1 << 16
            let memory = try XCTUnwrap(NUMAMemory.allocate(bytes: bytes, onNode: node.osIndex))
            memory.initializeMemory(as: UInt8.self, repeating: 2, count: bytes)
            XCTAssertEqual(Set(try NUMAMemory.nodesOfPages(memory, bytes: bytes)), [node.osIndex])
            NUMAMemory.free(memory, bytes: bytes)
        }
    }
}
