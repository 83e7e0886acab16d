import XCTest
@testable import RegressionGate

/// Reference p-values are textbook/table values, cross-checked with R's `wilcox.test` and SciPy's
/// `mannwhitneyu`; the tied exact value was enumerated over all C(13, 7) = 1716 labellings.
final class MannWhitneyTests: XCTestCase {
    func testUStatisticCountsPairsByHand() {
        // x = {1, 3, 5}, y = {2, 4}: pairs with x > y are (3,2), (5,2), (5,4) → U₁ = 3, U₂ = 6 − 3 = 3.
        let result = MannWhitney.test([1, 3, 5], [2, 4])
        XCTAssertEqual(result.u1, 3)
        XCTAssertEqual(result.u2, 3)
        // Ranks of x: 1, 3, 5 → R₁ = 9 = E[R₁] = 3·6/2: no evidence at all.
        XCTAssertEqual(result.pValue, 1)
    }

    func testExactCompleteSeparationFiveVersusFive() {
        // U = 0 is the most extreme of C(10, 5) = 252 labellings on each side: p = 2/252.
        let result = MannWhitney.test([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        XCTAssertEqual(result.method, .exact)
        XCTAssertEqual(result.u, 0)
        XCTAssertEqual(result.pValue, 2.0 / 252.0, accuracy: 1e-15)
    }

    func testExactCompleteSeparationThreeVersusThree() {
        // Table value: P(U ≤ 0) = 1/C(6, 3) = 0.05 for n₁ = n₂ = 3, two-sided 0.1.
        let result = MannWhitney.test([1, 2, 3], [4, 5, 6])
        XCTAssertEqual(result.pValue, 0.1, accuracy: 1e-15)
    }

    /// Hollander & Wolfe (1973), p. 69, the example of R's `?wilcox.test`: W = 35,
    /// one-sided exact p = 0.1272, two-sided 0.2544.
    let hollanderX: [Double] = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    let hollanderY: [Double] = [1.15, 0.88, 0.90, 0.74, 1.21]

    func testExactHollanderWolfe() {
        let result = MannWhitney.test(hollanderX, hollanderY)
        XCTAssertEqual(result.method, .exact)
        XCTAssertEqual(result.u1, 35)
        XCTAssertEqual(result.pValue, 0.2544122544122544, accuracy: 1e-12)
    }

    func testNormalApproximationHollanderWolfe() {
        // z = (|35 − 25| − ½) / √(50 · 16 / 12) = 9.5 / 8.16497 = 1.16350; p = 0.244624.
        let result = MannWhitney.test(hollanderX, hollanderY, exactLimit: 0)
        XCTAssertEqual(result.method, .normalApproximation)
        XCTAssertEqual(result.z!, 1.1635, accuracy: 1e-4)
        XCTAssertEqual(result.pValue, 0.24462360512698333, accuracy: 1e-12)
    }

    func testNormalApproximationCompleteSeparationTenVersusTen() {
        // μ = 50, σ² = 100 · 21 / 12 = 175, z = 49.5 / √175 = 3.7418; p = 1.8267e-4
        // (R: wilcox.test(1:10, 11:20, exact = FALSE)).
        let x = (1...10).map(Double.init), y = (11...20).map(Double.init)
        let result = MannWhitney.test(x, y, exactLimit: 0)
        XCTAssertEqual(result.z!, 49.5 / 175.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(result.pValue, 0.00018267179110955002, accuracy: 1e-15)
    }

    let tiedX: [Double] = [1, 2, 2, 3, 3, 3, 4]
    let tiedY: [Double] = [3, 4, 4, 5, 5, 6]

    func testTieCorrectedNormalApproximation() {
        // Tie groups of sizes 2, 4, 3, 2 → Σ(t³ − t) = 6 + 60 + 24 + 6 = 96;
        // σ² = 42/12 · (14 − 96/156) = 46.846; U₁ = 3.5, z = (21 − 3.5 − ½)/σ = 2.4838; p = 0.0130.
        let result = MannWhitney.test(tiedX, tiedY, exactLimit: 0)
        XCTAssertTrue(result.hasTies)
        XCTAssertEqual(result.u1, 3.5)
        XCTAssertEqual(result.z!, 17 / (3.5 * (14 - 96.0 / 156)).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(result.pValue, 0.012999854364387305, accuracy: 1e-12)
    }

    func testExactWithTiesIsThePermutationDistribution() {
        // 17 of the 1716 labellings are at least as far from E[R₁] as the observed one.
        let result = MannWhitney.test(tiedX, tiedY)
        XCTAssertEqual(result.method, .exact)
        XCTAssertEqual(result.pValue, 17.0 / 1716.0, accuracy: 1e-15)
    }

    func testAllTiedGivesPOfOneWithoutNaN() {
        let constant = [Double](repeating: 4.2, count: 12)
        for limit in [0, 20] {
            let result = MannWhitney.test(constant, constant, exactLimit: limit)
            XCTAssertEqual(result.pValue, 1)
            XCTAssertEqual(result.u1, 72)
            XCTAssertFalse(result.pValue.isNaN)
        }
    }

    func testSwappingSamplesSwapsUAndKeepsP() {
        let x: [Double] = [1.1, 2.3, 0.7, 4.4, 3.9, 2.2, 5.0, 1.8, 2.9, 3.3, 0.2, 4.1]
        let y: [Double] = [2.5, 3.1, 6.2, 4.8, 5.5, 3.0, 7.1, 4.0, 6.6, 5.9, 2.0]
        for limit in [0, 20] {
            let forward = MannWhitney.test(x, y, exactLimit: limit)
            let backward = MannWhitney.test(y, x, exactLimit: limit)
            XCTAssertEqual(forward.u1, backward.u2)
            XCTAssertEqual(forward.pValue, backward.pValue, accuracy: 1e-12)
        }
    }

    func testExactAndNormalAgreeForModerateSamples() {
        // Without ties at n₁ = n₂ = 10 the continuity-corrected normal approximation is within ~0.01.
        let x = [1, 3, 4, 6, 9, 10, 13, 15, 16, 19].map(Double.init)
        let y = [2, 5, 7, 8, 11, 12, 14, 17, 18, 20].map(Double.init)
        let exact = MannWhitney.test(x, y, exactLimit: 10)
        let normal = MannWhitney.test(x, y, exactLimit: 0)
        XCTAssertEqual(exact.method, .exact)
        XCTAssertEqual(exact.pValue, 0.5288488601182101, accuracy: 1e-12)   // SciPy exact
        XCTAssertEqual(normal.pValue, 0.5205228832757727, accuracy: 1e-12)  // SciPy asymptotic
        XCTAssertEqual(exact.pValue, normal.pValue, accuracy: 0.01)
    }
}
