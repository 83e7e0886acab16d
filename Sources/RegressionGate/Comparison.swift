import Results

/// One row of the gate: a baseline and a candidate sample of the same benchmark, compared.
///
/// Computed quantities (x = baseline values, y = candidate values):
///
/// - ``baselineMedian`` = median(x), ``candidateMedian`` = median(y);
/// - ``ratio`` ρ̂ = median(y) / median(x), for every metric direction (a time ratio of 1.2 is 20 %
///   slower; a throughput ratio of 1.2 is 20 % faster);
/// - ``interval``, the percentile-bootstrap interval of ρ (``BootstrapInterval``);
/// - ``test``, the two-sided Mann–Whitney test of x against y (``MannWhitney``);
/// - ``decision``, from ``Verdict/decide(ratio:interval:pValue:direction:threshold:alpha:)``,
///   unless the input is unusable:
///   - ``Decision/Reason/invalidSamples`` if either side is empty or holds a value that is not
///     finite and positive (no statistics are computed then);
///   - ``Decision/Reason/tooFewSamples`` if either side has fewer than
///     ``GateConfiguration/minimumSamples`` values (the statistics are still computed and shown).
public struct Comparison: Sendable, Hashable {
    /// The baseline's key (label and kernel come from the baseline).
    public var key: BenchmarkKey
    /// The baseline's metric; it decides which direction is a regression.
    public var metric: Metric
    public var baselineCount: Int
    public var candidateCount: Int
    /// median(x); NaN when the baseline is invalid.
    public var baselineMedian: Double
    /// median(y); NaN when the candidate is invalid.
    public var candidateMedian: Double
    /// median(y) / median(x); NaN when either side is invalid.
    public var ratio: Double
    /// The bootstrap interval of the ratio; `nil` when either side is invalid.
    public var interval: BootstrapInterval?
    /// The rank test of pooled samples; `nil` when either side is invalid or the rows are paired rounds.
    public var test: MannWhitneyResult?
    /// The signed-rank test of per-round log-ratios (``init(pairedRounds:candidate:configuration:)``).
    public var pairedTest: SignedRankResult? = nil
    /// The threshold τ that applied to this row's kernel.
    public var threshold: Double
    public var decision: Decision

    public var verdict: Verdict { decision.verdict }
    /// The two-sided p-value of whichever rank test was computed.
    public var pValue: Double? { test?.pValue ?? pairedTest?.pValue }
    /// The name of the test behind ``pValue``: `exact` / `normalApproximation` (Mann–Whitney on pooled
    /// samples) or `signed-rank-exact` / `signed-rank-normalApproximation` (paired rounds).
    public var testName: String {
        if let test { return test.method.rawValue }
        return pairedTest.map { "signed-rank-" + $0.method.rawValue } ?? ""
    }
    /// ρ̂ − 1, the signed relative change of the median (e.g. +0.20 for 20 % larger).
    public var relativeChange: Double { ratio - 1 }

    /// Compares `candidate` against `baseline` under `configuration`.
    public init(baseline: BenchmarkSamples, candidate: BenchmarkSamples, configuration: GateConfiguration = GateConfiguration()) {
        let x = baseline.values, y = candidate.values
        self.init(baseline, candidate, usable: baseline.isValid && candidate.isValid,
                  enoughSamples: x.count >= configuration.minimumSamples && y.count >= configuration.minimumSamples,
                  configuration: configuration) {
            let interval = BootstrapInterval.ratioOfMedians(
                baseline: x, candidate: y,
                confidence: configuration.confidence,
                resamples: configuration.resamples,
                seed: configuration.seed ^ SeededGenerator.stableHash(baseline.key.id)
            )
            let test = MannWhitney.test(x, y, exactLimit: configuration.exactTestLimit)
            return Statistics(ratio: OrderStatistics.median(y) / OrderStatistics.median(x), interval: interval,
                              pValue: test.pValue, test: test, pairedTest: nil)
        }
    }

    /// What a comparison computes from two usable sides: the ratio, its interval and a rank test.
    struct Statistics {
        var ratio: Double
        var interval: BootstrapInterval
        var pValue: Double
        var test: MannWhitneyResult?
        var pairedTest: SignedRankResult?
    }

    /// The part every kind of comparison shares: key, counts, threshold and medians; an unusable side
    /// makes the row ``Decision/Reason/invalidSamples`` without statistics; otherwise `statistics` runs and
    /// the decision is ``Decision/Reason/tooFewSamples`` or ``Verdict/decide(ratio:interval:pValue:direction:threshold:alpha:)``.
    init(_ baseline: BenchmarkSamples, _ candidate: BenchmarkSamples, usable: Bool, enoughSamples: Bool,
         configuration: GateConfiguration, statistics: () -> Statistics) {
        key = baseline.key
        metric = baseline.metric
        baselineCount = baseline.values.count
        candidateCount = candidate.values.count
        threshold = configuration.thresholds.threshold(forKernel: baseline.key.kernel)
        baselineMedian = baseline.isValid ? OrderStatistics.median(baseline.values) : .nan
        candidateMedian = candidate.isValid ? OrderStatistics.median(candidate.values) : .nan

        guard usable else {
            ratio = .nan
            interval = nil
            test = nil
            decision = Decision(.inconclusive, .invalidSamples)
            return
        }
        let computed = statistics()
        ratio = computed.ratio
        interval = computed.interval
        test = computed.test
        pairedTest = computed.pairedTest
        if enoughSamples {
            decision = Verdict.decide(ratio: ratio, interval: computed.interval, pValue: computed.pValue,
                                      direction: metric.direction, threshold: threshold, alpha: configuration.alpha)
        } else {
            decision = Decision(.inconclusive, .tooFewSamples)
        }
    }
}
