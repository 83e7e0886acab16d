import XCTest
@testable import Results

final class OrderStatisticsTests: XCTestCase {
    func testMedianOfOddAndEvenSamples() {
        XCTAssertEqual(OrderStatistics.median([3, 1, 2]), 2)
        XCTAssertEqual(OrderStatistics.median([4, 1, 3, 2]), 2.5)
        XCTAssertEqual(OrderStatistics.median([7]), 7)
        XCTAssert(OrderStatistics.median([]).isNaN)
    }

    func testMedianOfSortedSlice() {
        let values: [Double] = [0, 1, 2, 3, 4, 5]
        XCTAssertEqual(OrderStatistics.median(sorted: values[1...3]), 2)
    }

    func testQuantileType7() {
        // R: quantile(c(1, 2, 3, 4, 10), c(0, 0.1, 0.5, 0.9, 1)) = 1.0 1.4 3.0 7.6 10.0
        let x: [Double] = [1, 2, 3, 4, 10]
        XCTAssertEqual(OrderStatistics.quantile(sorted: x, 0), 1)
        XCTAssertEqual(OrderStatistics.quantile(sorted: x, 0.1), 1.4, accuracy: 1e-12)
        XCTAssertEqual(OrderStatistics.quantile(sorted: x, 0.5), 3)
        XCTAssertEqual(OrderStatistics.quantile(sorted: x, 0.9), 7.6, accuracy: 1e-12)
        XCTAssertEqual(OrderStatistics.quantile(sorted: x, 1), 10)
    }
}
