import XCTest
@testable import Sweep

final class TimingPolicyTests: XCTestCase {
    func testTimingPolicyNeedsBothCountAndTime() {
        let policy = TimingPolicy(warmupRuns: 0, minRepetitions: 3, minSeconds: 1, maxRepetitions: 10)
        XCTAssertTrue(policy.needsMore(samples: 2, totalSeconds: 5))
        XCTAssertTrue(policy.needsMore(samples: 5, totalSeconds: 0.5))
        XCTAssertFalse(policy.needsMore(samples: 3, totalSeconds: 1))
        XCTAssertFalse(policy.needsMore(samples: 10, totalSeconds: 0.1))
    }
}
