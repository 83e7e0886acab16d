import Dispatch
import Machine
import Synchronization
import XCTest

final class SpinWaitTests: XCTestCase {
    func testReturnsAtOnceWhenAlreadyDone() {
        var checks = 0
        SpinWait.until { checks += 1; return true }
        XCTAssertEqual(checks, 1)
    }

    func testWaitsForAnotherThreadPastTheSpinBudget() {
        let flag = Atomic<Bool>(false)
        let checks = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 {
                usleep(20_000)   // far longer than the spin budget: the waiter must have moved on to yielding
                flag.store(true, ordering: .releasing)
            } else {
                SpinWait.until {
                    checks.add(1, ordering: .relaxed)
                    return flag.load(ordering: .acquiring)
                }
                XCTAssertTrue(flag.load(ordering: .acquiring))
            }
        }
        // If Dispatch ran both iterations on one thread, the waiter ran after the setter: one check.
        XCTAssertGreaterThanOrEqual(checks.load(ordering: .relaxed), 1)
    }

    func testBarrierOfMoreSpinnersThanCPUsCompletes() {
        // Real threads (Dispatch would not start more blocks while its threads spin): four per CPU, each
        // spinning until all have arrived, so the late ones need the CPUs the early ones are waiting on.
        let threads = 4 * ProcessInfo.processInfo.activeProcessorCount
        let arrived = Atomic<Int>(0), left = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<threads {
            Thread.detachNewThread {
                arrived.add(1, ordering: .relaxed)
                SpinWait.until { arrived.load(ordering: .relaxed) == threads }
                if left.add(1, ordering: .relaxed).newValue == threads { done.signal() }
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success, "\(threads) spinners never all left the barrier")
    }
}
