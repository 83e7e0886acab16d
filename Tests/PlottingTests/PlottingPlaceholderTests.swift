import XCTest
import Plotting
final class PlottingPlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(Plotting.self as Any) }
}
