import Results
/// How a rank test's p-value was obtained.
public enum RankTestMethod: String, Sendable, Hashable {
    /// The exact distribution of the statistic under H₀, conditional on the observed ties (Mann–Whitney:
    /// the permutations of the pooled ranks; signed-rank: the 2ⁿ sign assignments).
    case exact
    /// The normal approximation with tie and continuity corrections.
    case normalApproximation
}
