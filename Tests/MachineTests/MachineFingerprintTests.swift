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
        XCTAssertTrue(id.hasSuffix("-\(fingerprint.cores)c-simd\(MachineFingerprint.buildSIMDWidth)"), id)
        if let generation = fingerprint.generation {
            XCTAssertTrue(id.contains("f\(generation.family.lowercased())m"), "the CPU generation is part of the id: \(id)")
        }
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

    func testIDSeparatesCPUGenerationsThatShareAModelName() {
        let zen4 = MachineFingerprint(host: "vm", cpuModel: "AMD EPYC", cores: 2, numaNodes: 1, caches: .fallback,
                                      generation: CPUGeneration(vendor: "AuthenticAMD", family: "25", model: "17"), simdWidth: 16)
        XCTAssertEqual(zen4.id, "vm-amd-epyc-f25m17-2c-simd16")
        var zen5 = zen4
        zen5.generation = CPUGeneration(vendor: "AuthenticAMD", family: "26", model: "2")
        XCTAssertEqual(zen5.id, "vm-amd-epyc-f26m2-2c-simd16")
        var narrow = zen4
        narrow.simdWidth = 8
        XCTAssertEqual(narrow.id, "vm-amd-epyc-f25m17-2c-simd8")
        // The vendor is added where the model name does not say it.
        let intel = MachineFingerprint(host: "box", cpuModel: "Xeon Gold 6430", cores: 32, numaNodes: 2, caches: .fallback,
                                       generation: CPUGeneration(vendor: "GenuineIntel", family: "6", model: "143"), simdWidth: 16)
        XCTAssertEqual(intel.id, "box-xeon-gold-6430-intel-f6m143-32c-simd16")
        // Without the new fields (files written before them): the older id, which no current id equals.
        let legacy = MachineFingerprint(host: "vm", cpuModel: "AMD EPYC", cores: 2, numaNodes: 1, caches: .fallback)
        XCTAssertEqual(legacy.id, "vm-amd-epyc-2c")
        XCTAssertNotEqual(legacy.id, zen4.id)
    }

    func testCPUGenerationFromCPUInfo() {
        let x86 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\n"
        XCTAssertEqual(CPUGeneration(cpuinfo: x86), CPUGeneration(vendor: "AuthenticAMD", family: "26", model: "2"))
        let arm = "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: 0xd0c\n"
        let neoverse = CPUGeneration(cpuinfo: arm)
        XCTAssertEqual(neoverse, CPUGeneration(vendor: "0x41", family: "8", model: "0xd0c"))
        XCTAssertEqual(neoverse?.tag(besides: "cpu"), "arm-f8m0xd0c")
        XCTAssertNil(CPUGeneration(cpuinfo: "processor\t: 0\nmodel name\t: Something\n"))
        XCTAssertNil(CPUGeneration(cpuinfo: ""))
    }

    func testFingerprintDescribesTheHostEvenUnderHWLOCSynthetic() {
        let host = MachineFingerprint.current()
        let underOverride = withEnvironment("HWLOC_SYNTHETIC", "pack:4 core:8 pu:1") { MachineFingerprint.current() }
        XCTAssertEqual(underOverride.host, host.host)
        XCTAssertEqual(underOverride.cpuModel, host.cpuModel)
        XCTAssertNotEqual(underOverride.cores, 32)
    }
}
