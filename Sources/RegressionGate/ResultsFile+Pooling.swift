import Results
extension ResultsFile {
    /// One file from several runs of the same benchmarks (the rounds of one side of an A/B race): each
    /// benchmark's samples concatenated in run order.
    ///
    /// A benchmark counts as timed (`ok`) only when every run timed it; otherwise it takes the first
    /// non-ok status (or `failed` when a run lacks it), and the gate reports it as not timed. The rows
    /// keep the first run's order, line numbers and host fields; `noisy` is set when any run was noisy;
    /// the probes are the lowest first probe and the highest second probe over the runs.
    public static func pooled(_ runs: [ResultsFile], path: String) -> ResultsFile {
        guard let first = runs.first else { return ResultsFile(path: path, samplesPath: path, rows: []) }
        let byID = runs.map { run in Dictionary(run.rows.map { ($0.key, $0) }) { first, _ in first } }
        let rows = first.rows.map { template -> Row in
            var row = template
            let matches = byID.map { $0[template.key] }
            row.samples = matches.flatMap { $0?.samples ?? [] }
            if matches.contains(where: { $0 == nil }) {
                row.status = .failed
            } else if let untimed = matches.first(where: { $0!.status != .ok }) {
                row.status = untimed!.status
            }
            row.noisy = matches.contains { $0?.noisy == true }
            row.probeBefore = matches.compactMap { $0?.probeBefore }.min()
            row.probeAfter = matches.compactMap { $0?.probeAfter }.max()
            row.medianMilliseconds = SampleStatistics(row.samples)?.median
            return row
        }
        return ResultsFile(path: path, samplesPath: path, rows: rows)
    }
}
