import XCTest
@testable import Results

final class SampleStatisticsTests: XCTestCase {
    func testKnownValues() throws {
        let stats = try XCTUnwrap(SampleStatistics([5, 1, 4, 2, 3]))
        XCTAssertEqual(stats.count, 5)
        XCTAssertEqual(stats.min, 1)
        XCTAssertEqual(stats.max, 5)
        XCTAssertEqual(stats.median, 3)
        XCTAssertEqual(stats.mean, 3)
        XCTAssertEqual(stats.p90, 4.6, accuracy: 1e-12)   // position 0.9·4 = 3.6 → 4 + 0.6·(5 − 4)
        XCTAssertEqual(stats.mad, 1)                       // |x − 3| = 2,2,1,1,0 → median 1
    }

    func testEvenCountMedianInterpolates() throws {
        let stats = try XCTUnwrap(SampleStatistics([10, 20, 30, 1000]))
        XCTAssertEqual(stats.median, 25)
        XCTAssertEqual(stats.mad, 10)   // deviations 15,5,5,975 → median of 5,5,15,975 = 10
    }

    func testEmptyGivesNil() {
        XCTAssertNil(SampleStatistics([]))
    }
}
