import Machine
import XCTest

final class ThreadAffinityTests: XCTestCase {
    func testCurrentMaskAndCPU() throws {
        let mask = try ThreadAffinity.currentMask()
        XCTAssertFalse(mask.isEmpty)
        let cpu = ThreadAffinity.currentCPU()
        XCTAssertTrue(mask.contains(cpu), "running on \(cpu), mask \(mask.sorted())")
    }

    func testWithBindingBindsAndRestores() throws {
        let before = try ThreadAffinity.currentMask()
        let failuresBefore = ThreadAffinity.bindingFailures
        for cpu in before.sorted() {
            let observed = ThreadAffinity.withBinding(toCPU: cpu) {
                ((try? ThreadAffinity.currentMask()) ?? [], ThreadAffinity.currentCPU())
            }
            XCTAssertEqual(observed.0, [cpu])
            XCTAssertEqual(observed.1, cpu)
            XCTAssertEqual(try ThreadAffinity.currentMask(), before)
        }
        XCTAssertEqual(ThreadAffinity.bindingFailures, failuresBefore)
    }

    func testWithBindingRestoresWhenBodyThrows() throws {
        struct Boom: Error {}
        let before = try ThreadAffinity.currentMask()
        let cpu = try XCTUnwrap(before.max())
        XCTAssertThrowsError(try ThreadAffinity.withBinding(toCPU: cpu) { () throws -> Void in
            XCTAssertEqual(try ThreadAffinity.currentMask(), [cpu])
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(try ThreadAffinity.currentMask(), before)
    }

    func testNilRunsUnboundWithoutChangingTheMask() throws {
        let before = try ThreadAffinity.currentMask()
        let inside = ThreadAffinity.withBinding(toCPU: nil) { try? ThreadAffinity.currentMask() }
        XCTAssertEqual(inside, before)
        XCTAssertEqual(try ThreadAffinity.currentMask(), before)
    }

    func testUnbindableCPURunsUnboundAndIsCounted() throws {
        let before = try ThreadAffinity.currentMask()
        let failuresBefore = ThreadAffinity.bindingFailures
        let impossible = 8191  // Far beyond any CPU this machine has.
        XCTAssertFalse(before.contains(impossible))
        let ran = ThreadAffinity.withBinding(toCPU: impossible) { true }
        XCTAssertTrue(ran)
        XCTAssertEqual(ThreadAffinity.bindingFailures, failuresBefore + 1)
        XCTAssertEqual(try ThreadAffinity.currentMask(), before)
    }

    func testRequiredBindingThrowsInsteadOfRunningUnbound() throws {
        let before = try ThreadAffinity.currentMask()
        var ran = false
        XCTAssertThrowsError(try ThreadAffinity.withRequiredBinding(toCPU: 8191) { ran = true }) { error in
            guard case .bindFailed(let cpus, _) = error as? MachineError else { return XCTFail("\(error)") }
            XCTAssertEqual(cpus, [8191])
        }
        XCTAssertFalse(ran)
        XCTAssertEqual(try ThreadAffinity.currentMask(), before)
        let cpu = try XCTUnwrap(before.min())
        XCTAssertEqual(try ThreadAffinity.withRequiredBinding(toCPU: cpu) { ThreadAffinity.currentCPU() }, cpu)
    }

    func testBindingFollowsAPlanOnTheHost() throws {
        let topology = try MachineTopology.discover()
        let plan = try PinPlan(topology: topology, threads: topology.hardwareThreads, policy: .compact)
        let allowed = try ThreadAffinity.currentMask()
        for worker in plan.workers {
            let cpu = try XCTUnwrap(worker.cpu)
            guard allowed.contains(cpu) else { continue }
            XCTAssertEqual(ThreadAffinity.withBinding(toCPU: cpu) { ThreadAffinity.currentCPU() }, cpu)
        }
    }
}
