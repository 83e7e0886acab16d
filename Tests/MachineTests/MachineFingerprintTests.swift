import Machine
import XCTest

final class MachineFingerprintTests: XCTestCase {
    func testCurrentFieldsAreFilled() throws {
        let fingerprint = MachineFingerprint.current()
        XCTAssertFalse(fingerprint.host.isEmpty)
        XCTAssertFalse(fingerprint.cpuModel.isEmpty)
        XCTAssertGreaterThanOrEqual(fingerprint.cores, 1)
        XCTAssertGreaterThanOrEqual(fingerprint.numaNodes, 1)
        XCTAssertGreaterThan(fingerprint.caches.l1d, 0)
        XCTAssertEqual(fingerprint.cores, try MachineTopology.discover().cores.count)
    }

    func testIDIsFilesystemSafeAndStable() {
        let fingerprint = MachineFingerprint.current()
        let id = fingerprint.id
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        XCTAssertFalse(id.isEmpty)
        XCTAssertTrue(id.allSatisfy(allowed.contains), id)
        XCTAssertFalse(id.hasPrefix("-"))
        XCTAssertFalse(id.contains("--"))
        XCTAssertTrue(id.hasSuffix("-\(fingerprint.cores)c"), id)
        XCTAssertEqual(MachineFingerprint.current().id, id)
    }

    func testIDOfAwkwardNames() {
        let fingerprint = MachineFingerprint(
            host: "Bench-01.lab.example.com", cpuModel: "Intel(R) Xeon(R) Platinum 8480+ @ 2.0GHz / ünïcode",
            cores: 112, numaNodes: 2, caches: .fallback)
        XCTAssertEqual(fingerprint.id, "bench-01-intel-r-xeon-r-platinum-8480-2-0ghz-n-code-112c")
        let empty = MachineFingerprint(host: "", cpuModel: "???", cores: 4, numaNodes: 1, caches: .fallback)
        XCTAssertEqual(empty.id, "host-cpu-4c")
    }

    func testFingerprintDescribesTheHostEvenUnderHWLOCSynthetic() {
        let host = MachineFingerprint.current()
        let underOverride = withEnvironment("HWLOC_SYNTHETIC", "pack:4 core:8 pu:1") { MachineFingerprint.current() }
        XCTAssertEqual(underOverride.host, host.host)
        XCTAssertEqual(underOverride.cpuModel, host.cpuModel)
        XCTAssertNotEqual(underOverride.cores, 32)
    }
}
