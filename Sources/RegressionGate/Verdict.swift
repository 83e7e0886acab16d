import Results
/// The gate's judgement of one benchmark.
public enum Verdict: String, Sendable, Hashable, CaseIterable {
    /// Significantly worse by at least the threshold.
    case regressed
    /// Significantly better by at least the threshold.
    case improved
    /// Any change is shown to be smaller than the threshold.
    case unchanged
    /// The data cannot tell: too few samples, or evidence that neither clears nor condemns.
    case inconclusive
}

/// A ``Verdict`` together with the rule that produced it.
public struct Decision: Sendable, Hashable {
    /// Which rule of ``Verdict/decide(ratio:interval:pValue:direction:threshold:alpha:)`` fired.
    public enum Reason: String, Sendable, Hashable {
        /// Fewer samples than the configured minimum on at least one side.
        case tooFewSamples
        /// A sample is empty, or holds a value that is not finite and positive.
        case invalidSamples
        /// Rule 1: significant, interval beyond 1 on the bad side, effect ≥ threshold.
        case significantWorsening
        /// Rule 2: significant, interval beyond 1 on the good side, effect ≥ threshold.
        case significantImprovement
        /// Rule 3: the whole interval lies within the ±threshold band.
        case withinBand
        /// Rule 4: significant, but the interval reaches outside the band and the evidence does not
        /// meet rule 1 or 2 (e.g. the point effect is below the threshold, or the interval
        /// includes 1).
        case ambiguousEffect
        /// Rule 5: not significant, and the interval is too wide to rule out an effect of the
        /// threshold's size.
        case notSignificant
        /// A confirmation race flagged a regression that the race it confirms did not
        /// (``GateReport/confirming(_:)``): the verdict is inconclusive, not regressed.
        case regressionNotRepeated
    }

    public var verdict: Verdict
    public var reason: Reason

    public init(_ verdict: Verdict, _ reason: Reason) {
        self.verdict = verdict
        self.reason = reason
    }
}

extension Verdict {
    /// Decides one benchmark from its statistics. Callers check sample counts first
    /// (``Decision/Reason/tooFewSamples``); ``Comparison`` does.
    ///
    /// Notation: ρ̂ is the ratio of medians (candidate / baseline), [L, U] its bootstrap interval,
    /// p the Mann–Whitney two-sided p-value, α the significance level and τ ≥ 0 the threshold.
    /// The worsening w(ρ) = ρ − 1 for smaller-is-better metrics and 1 − ρ for larger-is-better
    /// ones (``Metric/Direction/worsening(_:)``), so w > 0 is always bad; [w_lo, w_hi] is the interval
    /// mapped through w. The rules are tried in order and the first that holds decides:
    ///
    /// 1. **regressed** if p < α, w_lo > 0 (the interval lies entirely on the bad side of 1)
    ///    and w(ρ̂) ≥ τ (the point effect reaches the threshold).
    /// 2. **improved** if p < α, w_hi < 0 and w(ρ̂) ≤ −τ; the mirror image of rule 1.
    /// 3. **unchanged** if −τ ≤ w_lo and w_hi ≤ τ: the whole interval lies within the band
    ///    `[1 − τ, 1 + τ]`, so any real change is smaller than the threshold, whether or not it is
    ///    significant (a significant +2 % shift under a 5 % threshold is unchanged).
    /// 4. **inconclusive** (``Decision/Reason/ambiguousEffect``) if p < α: a real difference, but
    ///    the interval straddles a threshold edge or 1 while rules 1–2 fail, so whether it is as large
    ///    as τ is open.
    /// 5. **inconclusive** (``Decision/Reason/notSignificant``) otherwise: no significant difference,
    ///    yet the interval is too wide to rule out a change of size τ. More samples decide it.
    ///
    /// Rules 1 and 2 exclude each other (w_lo > 0 and w_hi < 0 cannot both hold). Note that a
    /// regression needs both tests to agree: the rank test (p < α) and the bootstrap (interval
    /// clear of 1).
    public static func decide(
        ratio: Double,
        interval: BootstrapInterval,
        pValue: Double,
        direction: Metric.Direction,
        threshold: Double,
        alpha: Double
    ) -> Decision {
        let effect = direction.worsening(ratio)
        let ends = (direction.worsening(interval.lower), direction.worsening(interval.upper))
        let worseningLow = min(ends.0, ends.1)
        let worseningHigh = max(ends.0, ends.1)
        let significant = pValue < alpha

        if significant && worseningLow > 0 && effect >= threshold {
            return Decision(.regressed, .significantWorsening)
        }
        if significant && worseningHigh < 0 && effect <= -threshold {
            return Decision(.improved, .significantImprovement)
        }
        if -threshold <= worseningLow && worseningHigh <= threshold {
            return Decision(.unchanged, .withinBand)
        }
        if significant {
            return Decision(.inconclusive, .ambiguousEffect)
        }
        return Decision(.inconclusive, .notSignificant)
    }
}
