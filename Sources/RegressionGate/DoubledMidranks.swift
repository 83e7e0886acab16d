import Results
/// Twice the midrank of every value, and the tie term Σⱼ (tⱼ³ − tⱼ) over the groups of tⱼ equal values:
/// the ranking both rank tests start from. Doubled, a midrank is an integer (positions a…b share (a + b)/2),
/// so the tests' exact distributions can count integer sums.
struct DoubledMidranks {
    /// `ranks[i]` = 2 × the midrank of `values[i]` (ranks from 1).
    var ranks: [Int]
    var tieSum: Double

    init(_ values: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var doubled = [Int](repeating: 0, count: values.count)
        var tieSum = 0.0
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start+1 … end (1-based) share the midrank (start + 1 + end)/2.
            let twiceMidrank = start + 1 + end
            for position in start..<end { doubled[order[position]] = twiceMidrank }
            let t = Double(end - start)
            tieSum += t * t * t - t
            start = end
        }
        ranks = doubled
        self.tieSum = tieSum
    }
}
