import Foundation
import Results

/// Each benchmark's median time per round and side of an A/B race: the table that shows drift. When the
/// machine slows down in round 3, both sides' medians move in round 3, and the pooled ratio does not.
public struct RoundMedians: Sendable {
    public struct Row: Sendable {
        public var label: String
        /// Per round, milliseconds; nil where the round did not time the benchmark.
        public var baseline: [Double?]
        public var candidate: [Double?]

        /// Per round, candidate / baseline.
        public var ratios: [Double?] {
            zip(baseline, candidate).map { base, cand in
                guard let base, let cand, base > 0 else { return nil }
                return cand / base
            }
        }
    }

    public var rows: [Row]

    /// Rows in the order of the first baseline round; medians recomputed from each round's samples.
    public init(baseline: [ResultsFile], candidate: [ResultsFile]) {
        let order = (baseline.first?.rows ?? candidate.first?.rows ?? []).map { ($0.key, $0.key.description) }
        rows = order.map { id, label in
            Row(label: label, baseline: Self.medians(of: id, in: baseline), candidate: Self.medians(of: id, in: candidate))
        }
    }

    /// Benchmark `id`'s median time in each of `runs` (the rounds of one side); nil where a round did not
    /// time it.
    public static func medians(of id: BenchmarkKey, in runs: [ResultsFile]) -> [Double?] {
        runs.map { run in
            run.rows.first { $0.key == id && $0.status == .ok }.flatMap { SampleStatistics($0.samples)?.median }
        }
    }

    /// A fixed-width table: per benchmark a baseline line, a candidate line and a ratio line, one column
    /// per round.
    public func render() -> String {
        let rounds = rows.map(\.baseline.count).max() ?? 0
        let labelWidth = max(9, rows.map(\.label.count).max() ?? 0)
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let gap = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + gap : gap + text
        }
        func cells(_ values: [Double?], _ format: String) -> String {
            values.map { pad($0.map { String(format: format, $0) } ?? "-", 9) }.joined(separator: " ")
        }
        var lines = [pad("benchmark", labelWidth, left: true) + "  " + pad("", 9, left: true) + " "
                     + (1...max(1, rounds)).map { pad("r\($0)", 9) }.joined(separator: " ")]
        for row in rows {
            lines.append(pad(row.label, labelWidth, left: true) + "  " + pad("baseline", 9, left: true) + " " + cells(row.baseline, "%.4g"))
            lines.append(pad("", labelWidth) + "  " + pad("candidate", 9, left: true) + " " + cells(row.candidate, "%.4g"))
            lines.append(pad("", labelWidth) + "  " + pad("ratio", 9, left: true) + " " + cells(row.ratios, "%.3f"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
