import XCTest
import Results
@testable import Plotting

final class AttentionHeatmapTests: XCTestCase {
    func testRowsSumToOneAndTheCausalMaskHolds() {
        let example = AttentionHeatmap.example(length: 24)
        XCTAssertEqual(example.tokens.count, 24)
        for causal in [false, true] {
            let weights = AttentionHeatmap.weights(queries: example.queries, keys: example.keys, causal: causal)
            XCTAssertEqual(weights.count, 24)
            for (i, row) in weights.enumerated() {
                XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-12, "row \(i)")
                XCTAssertTrue(row.allSatisfy { $0 >= 0 && $0 <= 1 })
                if causal { XCTAssertTrue(row[(i + 1)...].allSatisfy { $0 == 0 }, "row \(i) sees the future") }
            }
            if !causal { XCTAssertTrue(weights[0][1...].contains { $0 > 0 }, "without the mask the first query sees later keys") }
        }
    }

    func testRowsThatSeeNoKeyAreZero() {
        // Four queries, two keys, causal: the mask is bottom-right aligned, so queries 0 and 1 see nothing.
        let q = (0..<4).map { i in [Double(i), 1] }, k = [[1.0, 0], [0, 1]]
        let weights = AttentionHeatmap.weights(queries: q, keys: k, causal: true)
        XCTAssertEqual(weights[0], [0, 0])
        XCTAssertEqual(weights[1], [0, 0])
        XCTAssertEqual(weights[2][1], 0)
        XCTAssertEqual(weights[2][0], 1, accuracy: 1e-15)
        XCTAssertEqual(weights[3].reduce(0, +), 1, accuracy: 1e-15)
    }

    func testWeightsAreTheSoftmaxOfScaledScores() {
        let q = [[1.0, 2.0]], k = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
        let scale = 1 / 2.0.squareRoot()
        let scores = [1.0, 2.0, 3.0].map { $0 * scale }
        let total = scores.map(exp).reduce(0, +)
        let weights = AttentionHeatmap.weights(queries: q, keys: k, causal: false)
        for j in 0..<3 { XCTAssertEqual(weights[0][j], exp(scores[j]) / total, accuracy: 1e-15) }
    }

    func testTheExampleHasStructure() {
        // An induction-style head: the third "the" (position 7) looks at what followed the earlier ones.
        let example = AttentionHeatmap.example(length: 24)
        let weights = AttentionHeatmap.weights(queries: example.queries, keys: example.keys, causal: true)
        XCTAssertEqual(example.tokens[4], "the")
        XCTAssertEqual(weights[4].indices.max { weights[4][$0] < weights[4][$1] }, 1, "4 'the' → 1 'cat'")
        let mean = weights.map { $0.max()! }.reduce(0, +) / 24
        XCTAssertGreaterThan(mean, 0.4, "weights are concentrated, not uniform")
    }

    func testCSVHasLabelledAxesAndParses() throws {
        let example = AttentionHeatmap.example(length: 5)
        let weights = AttentionHeatmap.weights(queries: example.queries, keys: example.keys, causal: true)
        let table = try CSVTable(parsing: AttentionHeatmap.csv(weights, queryLabels: example.labels, keyLabels: example.labels))
        XCTAssertEqual(table.header, ["query\\key", "0 the", "1 cat", "2 sat", "3 on", "4 the"])
        XCTAssertEqual(table.rows.map { $0[0] }, example.labels)
        XCTAssertEqual(table.rows[0].dropFirst().map { Double($0)! }, [1, 0, 0, 0, 0])
    }
}
