import Foundation
import AttentionCore

/// The attention weights of one head, for the "visualise attention" heatmap.
public enum AttentionHeatmap {
    /// The softmax weight matrix `P[i][j] = softmax_j(scale · q_i · k_j)` in float64, over the keys query `i`
    /// may see under ``AttentionShape/visibleKeys(forQuery:)`` (the bottom-right-aligned causal mask when
    /// `causal`). Masked entries are 0; each row sums to 1, or is all 0 when the query sees no key.
    /// - Parameter scale: multiplies every score; `1/√d` unless given.
    public static func weights(queries: [[Double]], keys: [[Double]], causal: Bool, scale: Double? = nil) -> [[Double]] {
        let d = queries.first?.count ?? keys.first?.count ?? 0
        precondition(queries.allSatisfy { $0.count == d } && keys.allSatisfy { $0.count == d }, "rows of one width")
        let shape = AttentionShape(heads: 1, seqQ: queries.count, seqKV: keys.count, headDim: max(d, 1), causal: causal)
        let factor = scale ?? (d > 0 ? 1 / Double(d).squareRoot() : 1)
        return queries.indices.map { i in
            var row = [Double](repeating: 0, count: keys.count)
            let visible = shape.visibleKeys(forQuery: i)
            guard visible > 0 else { return row }
            var maximum = -Double.infinity
            for j in 0..<visible {
                var dot = 0.0
                for c in 0..<d { dot += queries[i][c] * keys[j][c] }
                row[j] = factor * dot
                maximum = max(maximum, row[j])
            }
            var total = 0.0
            for j in 0..<visible {
                row[j] = exp(row[j] - maximum)
                total += row[j]
            }
            for j in 0..<visible { row[j] /= total }
            return row
        }
    }

    /// `d`-dimensional sinusoidal positional encoding of `position` (Vaswani et al. 2017):
    /// `PE[2k] = sin(p / base^(2k/d))`, `PE[2k+1] = cos(p / base^(2k/d))`.
    public static func positionalEncoding(_ position: Double, dimension d: Int, base: Double = 10000) -> [Double] {
        (0..<d).map { c in
            let frequency = pow(base, -Double(c / 2 * 2) / Double(d))
            return c % 2 == 0 ? sin(position * frequency) : cos(position * frequency)
        }
    }

    /// A small input with structure: a sentence that repeats words, its tokens embedded as fixed pseudo-random
    /// vectors (the same word, the same vector) and positions as sinusoidal encodings. The head is built the
    /// way an "induction head" works: the query at position `i` holds the content of token `i` plus the
    /// encoding of position `i − 1`; the key at `j` holds the content of the token *before* `j` plus the
    /// encoding of `j`. So a query looks one token back (the sub-diagonal, by the shift property of the
    /// encodings) and at the tokens that followed earlier copies of its own word (off-diagonal stripes:
    /// at the third "the" it looks at "cat" and "mat", which came after the first two).
    public struct Example: Sendable {
        public var tokens: [String]
        public var queries: [[Double]]
        public var keys: [[Double]]
        /// Axis labels: position and token, `"3 on"`.
        public var labels: [String] { tokens.enumerated().map { "\($0.offset) \($0.element)" } }
    }

    public static let sentence = "the cat sat on the mat and the dog saw the cat on the mat so the cat ran to the dog".split(separator: " ").map(String.init)

    public static func example(length: Int, dimension d: Int = 32, content: Double = 1.0, position: Double = 1.5) -> Example {
        let tokens = (0..<length).map { sentence[$0 % sentence.count] }
        func embedding(_ token: String?) -> [Double] {
            guard let token else { return [Double](repeating: 0, count: d) }
            var seed: UInt64 = 0xCBF2_9CE4_8422_2325   // FNV-1a of the word
            for byte in token.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
            var generator = SplitMix64(seed: seed)
            // Uniform in [-√3, √3): unit variance per component, so |e|² ≈ d.
            return (0..<d).map { _ in Double(generator.nextSignedUnitFloat()) * 3.0.squareRoot() }
        }
        func mix(_ token: String?, _ at: Int) -> [Double] {
            zip(embedding(token), positionalEncoding(Double(at), dimension: d, base: 10)).map { content * $0 + position * $1 }
        }
        return Example(tokens: tokens,
                       queries: tokens.indices.map { mix(tokens[$0], $0 - 1) },
                       keys: tokens.indices.map { mix($0 > 0 ? tokens[$0 - 1] : nil, $0) })
    }

    /// The matrix as CSV: a header of key labels after a corner cell, then one row per query, its label first.
    public static func csv(_ weights: [[Double]], queryLabels: [String], keyLabels: [String]) -> String {
        func clean(_ label: String) -> String { label.replacingOccurrences(of: ",", with: ";") }
        var lines = [(["query\\key"] + keyLabels.map(clean)).joined(separator: ",")]
        for (i, row) in weights.enumerated() {
            lines.append(([clean(queryLabels[i])] + row.map { String(format: "%.6g", $0) }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
