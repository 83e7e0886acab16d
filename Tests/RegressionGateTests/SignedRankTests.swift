import Foundation
import XCTest
@testable import RegressionGate

/// Reference values: R's `?wilcox.test` paired example (Hollander & Wolfe 1973, p. 29: depression scale
/// before and after), exact enumerations small enough to count by hand, and the normal formula.
final class SignedRankTests: XCTestCase {
    let before: [Double] = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    let after: [Double] = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    var differences: [Double] { zip(before, after).map { $0 - $1 } }

    func testExactHollanderWolfePaired() {
        // R: V = 40, one-sided p = 0.01953, two-sided 0.0390625 = 20/512.
        let result = SignedRank.test(differences)
        XCTAssertEqual(result.method, .exact)
        XCTAssertEqual(result.n, 9)
        XCTAssertEqual(result.wPlus, 40)
        XCTAssertEqual(result.wMinus, 5)
        XCTAssertEqual(result.pValue, 20.0 / 512.0, accuracy: 1e-15)
    }

    func testNormalApproximationMatchesTheFormula() {
        // E = 9·10/4 = 22.5, Var = 9·10·19/24 = 71.25, z = (40 − 22.5 − ½)/√71.25.
        let result = SignedRank.test(differences, exactLimit: 0)
        XCTAssertEqual(result.method, .normalApproximation)
        let z = (40 - 22.5 - 0.5) / 71.25.squareRoot()
        XCTAssertEqual(result.pValue, erfc(z / 2.0.squareRoot()), accuracy: 1e-12)
        XCTAssertEqual(result.pValue, 0.044, accuracy: 0.001)
    }

    func testAllOneSignIsTheMostExtremePattern() {
        // Ten positive differences: 1 of 2¹⁰ patterns on each side.
        let result = SignedRank.test((1...10).map { Double($0) / 100 })
        XCTAssertEqual(result.pValue, 2.0 / 1024.0, accuracy: 1e-15)
        XCTAssertEqual(SignedRank.test((1...10).map { -Double($0) }).pValue, 2.0 / 1024.0, accuracy: 1e-15)
    }

    func testSymmetricDifferencesAndZerosGiveNoEvidence() {
        XCTAssertEqual(SignedRank.test([0.1, -0.1, 0.2, -0.2]).pValue, 1)
        let zeros = SignedRank.test([0, 0, 0])
        XCTAssertEqual(zeros.n, 0)
        XCTAssertEqual(zeros.pValue, 1)
        // Zeros are dropped before ranking: the same as without them.
        XCTAssertEqual(SignedRank.test(differences + [0, 0]), SignedRank.test(differences))
    }

    func testTiedMagnitudesShareTheirMidrank() {
        // |d| = 1, 1, 2: ranks 1.5, 1.5, 3, so W⁺ = 1.5 + 3; the p-value is counted over all 2³ sign patterns.
        let d: [Double] = [1, -1, 2]
        let result = SignedRank.test(d)
        XCTAssertEqual(result.wPlus, 4.5)
        let ranks = [1.5, 1.5, 3.0]
        var atLeast = 0, atMost = 0
        for pattern in 0..<8 {
            let w = (0..<3).reduce(0.0) { $0 + ((pattern >> $1) & 1 == 1 ? ranks[$1] : 0) }
            if w >= 4.5 { atLeast += 1 }
            if w <= 4.5 { atMost += 1 }
        }
        XCTAssertEqual(result.pValue, min(1, 2 * Double(min(atLeast, atMost)) / 8), accuracy: 1e-15)
    }

    func testExactAndNormalAgreeForManyRounds() {
        var generator = SeededGenerator(seed: 7)
        let d = (0..<40).map { _ in Synthetic.standardNormal(&generator) * 0.05 + 0.02 }
        let exact = SignedRank.test(d), normal = SignedRank.test(d, exactLimit: 0)
        XCTAssertEqual(exact.method, .exact)
        XCTAssertEqual(exact.pValue, normal.pValue, accuracy: 0.01)
    }
}
