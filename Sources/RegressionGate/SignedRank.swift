import Results
/// The outcome of a two-sided Wilcoxon signed-rank test.
public struct SignedRankResult: Sendable, Hashable {
    public typealias Method = RankTestMethod

    /// The number of non-zero differences ranked (zeros are dropped).
    public var n: Int
    /// W⁺, the sum of the ranks of the positive differences (midranks for ties).
    public var wPlus: Double
    /// W⁻ = n(n + 1)/2 − W⁺.
    public var wMinus: Double
    /// The two-sided p-value, in `[0, 1]`.
    public var pValue: Double
    public var method: Method
}

/// The two-sided Wilcoxon signed-rank test of paired differences d₁ … dₙ against a zero median.
///
/// The gate uses it on the per-round log-ratios of an A/B race, dᵣ = log(candidateᵣ / baselineᵣ): each
/// round runs both sides back to back, so each pair shares that moment's machine state, and the rounds,
/// not the thousands of individual samples (which are correlated within a round), are the independent
/// units.
///
/// **Statistic.** Drop the zero differences; rank the |dᵢ| from 1 to n, ties getting their midrank, and let
///
///     W⁺ = Σ_{dᵢ > 0} rank(|dᵢ|),        W⁻ = n(n + 1)/2 − W⁺.
///
/// Under H₀ (the dᵢ are symmetric about 0) every sign pattern is equally likely.
///
/// **Exact distribution** (n ≤ `exactLimit`, default 50): doubled midranks are integers, so the
/// number of the 2ⁿ sign patterns with each value of 2W⁺ is counted by dynamic programming over the
/// ranks, and p = min(1, 2 · min(P(W⁺ ≤ w⁺), P(W⁺ ≥ w⁺))).
///
/// **Normal approximation** (larger n): E[W⁺] = n(n + 1)/4 and
/// Var[W⁺] = n(n + 1)(2n + 1)/24 − Σⱼ (tⱼ³ − tⱼ)/48 over tie groups of size tⱼ, with
/// z = max(0, |W⁺ − E| − ½)/σ and p = erfc(z/√2).
///
/// With no non-zero difference p = 1.
public enum SignedRank {
    public static let defaultExactLimit = 50

    public static func test(_ differences: [Double], exactLimit: Int = defaultExactLimit) -> SignedRankResult {
        let nonZero = differences.filter { $0 != 0 }
        let n = nonZero.count
        guard n > 0 else { return SignedRankResult(n: 0, wPlus: 0, wMinus: 0, pValue: 1, method: .exact) }

        let midranks = DoubledMidranks(nonZero.map(abs))
        let doubledRank = midranks.ranks, tieCorrection = midranks.tieSum
        let doubledWPlus = nonZero.indices.reduce(0) { $0 + (nonZero[$1] > 0 ? doubledRank[$1] : 0) }
        let total = Double(n * (n + 1)) / 2
        let wPlus = Double(doubledWPlus) / 2

        if n <= exactLimit {
            // counts[s] = number of sign patterns whose doubled W⁺ equals s (as Double: 2ⁿ overflows Int past 63).
            let maximum = doubledRank.reduce(0, +)
            var counts = [Double](repeating: 0, count: maximum + 1)
            counts[0] = 1
            var reach = 0
            for rank in doubledRank {
                reach += rank
                for s in stride(from: reach, through: rank, by: -1) { counts[s] += counts[s - rank] }
            }
            let patterns = counts.reduce(0, +)
            let atMost = counts[0...doubledWPlus].reduce(0, +) / patterns
            let atLeast = counts[doubledWPlus...].reduce(0, +) / patterns
            return SignedRankResult(n: n, wPlus: wPlus, wMinus: total - wPlus,
                                    pValue: min(1, 2 * min(atMost, atLeast)), method: .exact)
        }
        let nn = Double(n)
        let mean = nn * (nn + 1) / 4
        let variance = nn * (nn + 1) * (2 * nn + 1) / 24 - tieCorrection / 48
        let pValue: Double
        if variance <= 0 {
            pValue = 1
        } else {
            let z = max(0, abs(wPlus - mean) - 0.5) / variance.squareRoot()
            pValue = min(1, StandardNormal.twoSidedTail(z))
        }
        return SignedRankResult(n: n, wPlus: wPlus, wMinus: total - wPlus, pValue: pValue, method: .normalApproximation)
    }
}
