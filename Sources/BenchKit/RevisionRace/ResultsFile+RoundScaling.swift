import ResultsSchema
extension ResultsFile {
    /// The rounds of an A/B race with each round's drift taken out, ready for ``pooled(_:path:)``.
    ///
    /// The machine's speed changes between rounds (other tenants, frequency): on a shared 2-core VM whole
    /// sweeps run 15% or more slower for seconds at a time. Pooling raw samples lets the side that happened
    /// to catch more slow moments look slower. So, per benchmark, every sample of round r, on both sides,
    /// is multiplied by `M / mᵣ`, where `mᵣ` is the median of the baseline's samples in round r and `M` the
    /// median of all `mᵣ`. The baseline's rounds then all sit at `M`, and the candidate's at `M × ratioᵣ`
    /// (its round median over the baseline's in the same round), so the pooled ratio of medians is about
    /// the median of the per-round ratios: a slow round slows both sides alike and cancels. Times keep
    /// their unit and scale (ms around the baseline's typical median).
    ///
    /// A round in which the baseline lacks a timed benchmark leaves that benchmark's samples as they are.
    public static func roundScaled(baseline: [ResultsFile], candidate: [ResultsFile]) -> (baseline: [ResultsFile], candidate: [ResultsFile]) {
        func timedMedian(_ file: ResultsFile, _ id: BenchmarkKey) -> Double? {
            file.rows.first { $0.key == id && $0.status == .ok }.flatMap { SampleStatistics($0.samples)?.median }
        }
        let ids = Set(baseline.flatMap { $0.rows.map(\.key) })
        var factors: [BenchmarkKey: [Double]] = [:]  // per benchmark, per round
        for id in ids {
            let medians = baseline.map { timedMedian($0, id) }
            guard let typical = SampleStatistics(medians.compactMap { $0 })?.median else { continue }
            factors[id] = medians.map { median in median.map { $0 > 0 ? typical / $0 : 1 } ?? 1 }
        }
        func scaled(_ files: [ResultsFile]) -> [ResultsFile] {
            files.enumerated().map { round, file in
                var copy = file
                for index in copy.rows.indices {
                    guard let perRound = factors[copy.rows[index].key], round < perRound.count else { continue }
                    let factor = perRound[round]
                    copy.rows[index].samples = copy.rows[index].samples.map { $0 * factor }
                    copy.rows[index].medianMilliseconds = copy.rows[index].medianMilliseconds.map { $0 * factor }
                }
                return copy
            }
        }
        return (scaled(baseline), scaled(candidate))
    }
}
