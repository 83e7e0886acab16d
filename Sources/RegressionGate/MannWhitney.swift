import Results
/// The outcome of a two-sided Mann–Whitney U (Wilcoxon rank-sum) test.
public struct MannWhitneyResult: Sendable, Hashable {
    public typealias Method = RankTestMethod

    /// Size of the first sample (`x`, the baseline in the gate).
    public var n1: Int
    /// Size of the second sample (`y`, the candidate in the gate).
    public var n2: Int
    /// U₁ = #{(i, j) : xᵢ > yⱼ} + ½ · #{(i, j) : xᵢ = yⱼ}.
    public var u1: Double
    /// U₂ = n₁n₂ − U₁ = #{(i, j) : yⱼ > xᵢ} + ½ · #{(i, j) : xᵢ = yⱼ}.
    public var u2: Double
    /// The continuity-corrected standard score |z| (see ``MannWhitney``); `nil` for the exact method.
    public var z: Double?
    /// The two-sided p-value, in `[0, 1]`.
    public var pValue: Double
    /// Whether the exact distribution or the normal approximation produced ``pValue``.
    public var method: Method
    /// Whether any value occurs more than once in the pooled sample.
    public var hasTies: Bool

    /// U = min(U₁, U₂), the statistic printed in most textbook tables.
    public var u: Double { min(u1, u2) }
}

/// The two-sided Mann–Whitney U test (Wilcoxon rank-sum test) for two independent samples.
///
/// **Ranks.** Pool the N = n₁ + n₂ values and sort them. A value's rank is its 1-based position;
/// a group of t equal values all receive the mean of the positions they occupy (the *midrank*).
///
/// **Statistic.** With R₁ the sum of the ranks of the first sample,
///
///     U₁ = R₁ − n₁(n₁ + 1)/2,        U₂ = n₁n₂ − U₁.
///
/// U₁ counts the pairs in which the first sample's value is the larger, ties counting ½.
/// Under H₀ (both samples drawn from one continuous distribution) E[U₁] = μ = n₁n₂/2.
///
/// **Normal approximation.** With tie groups of sizes t₁, t₂, …, the null variance is
///
///     σ² = n₁n₂/12 · [ (N + 1) − Σⱼ (tⱼ³ − tⱼ) / (N(N − 1)) ]
///
/// (the bracket reduces to N + 1 without ties), and with the continuity correction
///
///     z = max(0, |U₁ − μ| − ½) / σ,        p = 2 · (1 − Φ(z)) = erfc(z / √2).
///
/// When every value is tied, σ = 0: the data carry no evidence of a shift and p = 1.
/// This matches R's `wilcox.test(exact = FALSE, correct = TRUE)` and SciPy's
/// `mannwhitneyu(method = "asymptotic")`.
///
/// **Exact distribution.** When both samples have at most `exactLimit` values (default 10), the
/// p-value is computed from the exact permutation distribution of R₁ instead: every one of the
/// C(N, n₁) ways to label n₁ of the pooled (mid)ranks as "first sample" is equally likely under H₀,
/// and
///
///     p = #{labellings with |R₁ − E[R₁]| ≥ |r₁ − E[R₁]|} / C(N, n₁),    E[R₁] = n₁(N + 1)/2.
///
/// The count comes from a subset-sum recurrence over the pooled ranks, in doubled units so that
/// midranks are integers: ways(k, s) = number of k-subsets of the ranks seen so far whose doubled
/// sum is s. Without ties the distribution of R₁ is symmetric and this is the usual
/// `2 · min(P(U ≤ u), P(U ≥ u))` of R and SciPy's exact method; with ties it is the exact
/// conditional (permutation) test, which is valid where the normal approximation is poor.
public enum MannWhitney {
    /// The largest per-sample size for which ``test(_:_:exactLimit:)`` uses the exact distribution.
    public static let defaultExactLimit = 10

    /// Runs the two-sided test on `x` against `y`.
    ///
    /// - Parameters:
    ///   - x: The first sample (non-empty, no NaN).
    ///   - y: The second sample (non-empty, no NaN).
    ///   - exactLimit: Use the exact distribution when `x.count ≤ exactLimit` and
    ///     `y.count ≤ exactLimit`; pass 0 to always use the normal approximation.
    public static func test(_ x: [Double], _ y: [Double], exactLimit: Int = defaultExactLimit) -> MannWhitneyResult {
        precondition(!x.isEmpty && !y.isEmpty, "Mann–Whitney needs two non-empty samples")
        let n1 = x.count, n2 = y.count, n = n1 + n2
        let ranking = PooledRanking(x, y)
        let u1 = ranking.firstRankSum - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1

        if n1 <= exactLimit && n2 <= exactLimit {
            let p = exactPValue(doubledRanks: ranking.doubledRanks, n1: n1, observedDoubledSum: ranking.firstDoubledRankSum)
            return MannWhitneyResult(n1: n1, n2: n2, u1: u1, u2: u2, z: nil, pValue: p,
                                     method: .exact, hasTies: ranking.hasTies)
        }

        let mu = Double(n1 * n2) / 2
        let bigN = Double(n)
        let tieTerm = n > 1 ? ranking.tieSum / (bigN * (bigN - 1)) : 0
        let variance = Double(n1 * n2) / 12 * ((bigN + 1) - tieTerm)
        let z: Double
        let p: Double
        if variance > 0 {
            z = max(0, abs(u1 - mu) - 0.5) / variance.squareRoot()
            p = StandardNormal.twoSidedTail(z)
        } else {
            z = 0
            p = 1
        }
        return MannWhitneyResult(n1: n1, n2: n2, u1: u1, u2: u2, z: z, pValue: p,
                                 method: .normalApproximation, hasTies: ranking.hasTies)
    }

    /// Exact two-sided p-value of the rank-sum statistic by counting subsets (see the type's
    /// documentation). `doubledRanks` are the pooled ranks × 2, all integers.
    static func exactPValue(doubledRanks: [Int], n1: Int, observedDoubledSum: Int) -> Double {
        let total = doubledRanks.reduce(0, +)
        // ways[k][s]: number of k-subsets of the ranks processed so far with doubled sum s.
        // Counts are at most C(N, n₁), exact in a Double far beyond any size used here.
        var ways = [[Double]](repeating: [Double](repeating: 0, count: total + 1), count: n1 + 1)
        ways[0][0] = 1
        for rank in doubledRanks {
            for k in stride(from: n1, through: 1, by: -1) {
                for s in stride(from: total, through: rank, by: -1) where ways[k - 1][s - rank] != 0 {
                    ways[k][s] += ways[k - 1][s - rank]
                }
            }
        }
        // E[2R₁] = n₁(N + 1): an integer, so the comparison below is exact.
        let doubledMean = n1 * (doubledRanks.count + 1)
        let observedDeviation = abs(observedDoubledSum - doubledMean)
        var extreme = 0.0, all = 0.0
        for (s, count) in ways[n1].enumerated() where count != 0 {
            all += count
            if abs(s - doubledMean) >= observedDeviation { extreme += count }
        }
        return min(1, extreme / all)
    }
}

/// Midranks of two pooled samples and the sums the test needs.
struct PooledRanking {
    /// Twice the midrank of every pooled value, first sample first (integers: a tie group over
    /// positions a…b has midrank (a + b)/2).
    var doubledRanks: [Int]
    /// Σ 2·rank over the first sample.
    var firstDoubledRankSum: Int
    /// Σⱼ (tⱼ³ − tⱼ) over the tie groups.
    var tieSum: Double
    var hasTies: Bool

    /// R₁, the rank sum of the first sample.
    var firstRankSum: Double { Double(firstDoubledRankSum) / 2 }

    init(_ x: [Double], _ y: [Double]) {
        let midranks = DoubledMidranks(x + y)
        self.doubledRanks = midranks.ranks
        self.firstDoubledRankSum = midranks.ranks[0..<x.count].reduce(0, +)
        self.tieSum = midranks.tieSum
        self.hasTies = midranks.tieSum > 0
    }
}
