import XCTest
import Foundation
import Kernels

final class VectorExp2Tests: XCTestCase {
    /// The softmax feeds exp2 values in (−∞, 0] (scores minus their row maximum, in base 2). Compare with
    /// libm's `exp` in float64 over that whole range at fine spacing.
    func testRelativeErrorAgainstLibmOverTheSoftmaxRange() {
        var worst = 0.0
        var x: Float = -126
        while x <= 0 {
            var lanes = FloatVector(repeating: 0)
            for lane in 0..<vectorWidth { lanes[lane] = min(0, x + Float(lane) * 1e-3) }
            let result = exp2Vector(lanes)
            for lane in 0..<vectorWidth {
                let exact = Foundation.exp(Double(lanes[lane]) * M_LN2)
                worst = max(worst, abs(Double(result[lane]) - exact) / exact)
            }
            x += Float(vectorWidth) * 1e-3 * 7.31
        }
        XCTAssertLessThan(worst, 3e-7, "max relative error \(worst)")
    }

    /// The AVX2 softmax's variant: the same values as ``exp2Vector`` wherever that one gives a normal
    /// number, 0 below −126.5 and for −∞, NaN for NaN.
    func testFlushingVariantMatchesAboveTheNormalRangeAndFlushesBelow() {
        var x: Float = -126
        while x <= 1 {
            var lanes = FloatVector(repeating: 0)
            for lane in 0..<vectorWidth { lanes[lane] = x + Float(lane) * 1e-3 }
            XCTAssertEqual(exp2VectorFlushingToZero(lanes), exp2Vector(lanes), "at \(x)")
            x += Float(vectorWidth) * 1e-3 * 7.31
        }
        var special = FloatVector(repeating: -126.75)
        special[1] = -.infinity
        special[2] = -200
        special[3] = .nan
        let result = exp2VectorFlushingToZero(special)
        XCTAssertEqual(result[0], 0)
        XCTAssertEqual(result[1], 0)
        XCTAssertEqual(result[2], 0)
        XCTAssertTrue(result[3].isNaN)
        XCTAssertEqual(result[1].sign, .plus)
    }

    func testSpecialValues() {
        var lanes = FloatVector(repeating: 0)
        lanes[1] = -.infinity
        lanes[2] = -200
        lanes[3] = .nan
        lanes[4] = 1
        let result = exp2Vector(lanes)
        XCTAssertEqual(result[0], 1)
        XCTAssertEqual(result[1], 0)
        XCTAssertEqual(result[2], 0)
        XCTAssertTrue(result[3].isNaN)
        XCTAssertEqual(result[4], 2, accuracy: 1e-6)
    }
}
