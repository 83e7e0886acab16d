import Results

extension GateReport {
    /// This report as the confirmation of `first`, an earlier race of the same revisions: a row keeps the
    /// verdict ``Verdict/regressed`` only when the same benchmark regressed in `first` as well; any other
    /// regressed row becomes ``Verdict/inconclusive`` (``Decision/Reason/regressionNotRepeated``).
    ///
    /// Why: on a shared machine one race in a few flags a benchmark by chance (a noisy round that the
    /// rank test and bootstrap cannot tell from a shift). If races were independent with false-alarm rate
    /// f per benchmark, a regression seen in both would be a false alarm with rate about f², while a real
    /// slow-down of the threshold's size shows in nearly every race and so survives the second one.
    public func confirming(_ first: GateReport) -> GateReport {
        let regressedBefore = Set(first.regressions.map(\.key.id))
        var confirmed = self
        var dropped: [String] = []
        for index in confirmed.rows.indices where confirmed.rows[index].verdict == .regressed {
            if !regressedBefore.contains(confirmed.rows[index].key.id) {
                confirmed.rows[index].decision = Decision(.inconclusive, .regressionNotRepeated)
                dropped.append(confirmed.rows[index].key.description)
            }
        }
        let firstFlagged = first.regressions.map(\.key.description).joined(separator: "; ")
        confirmed.notes.insert("confirmation race: the first race flagged \(firstFlagged); a regression counts only "
                               + "where a benchmark regressed in both races"
                               + (dropped.isEmpty ? "" : " (not repeated, so inconclusive: \(dropped.joined(separator: "; ")))"),
                               at: 0)
        return confirmed
    }
}
