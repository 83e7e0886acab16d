import Foundation
import Results

extension Comparison {
    /// Compares one benchmark from an A/B race's rounds: `baseline.values[r]` and `candidate.values[r]` are
    /// the two sides' medians in round r (same length, same order).
    ///
    /// Both sides of a round run back to back, so they share the machine's state of that moment; on a
    /// shared VM that state moves whole sweeps by 10% and more from one second to the next. Within a
    /// round the two sides compare fairly; across rounds they do not, so the rounds are the independent
    /// units, and the thousands of pooled samples are not (they would make any small between-round
    /// imbalance look significant). With ρᵣ = candidateᵣ / baselineᵣ:
    ///
    /// - ``ratio`` = median over rounds of ρᵣ;
    /// - ``interval``: percentile bootstrap of that median, resampling rounds;
    /// - ``pairedTest``: the Wilcoxon signed-rank test of log ρᵣ against 0;
    /// - ``baselineMedian`` / ``candidateMedian``: the medians of each side's round medians (for reading;
    ///   the verdict uses the ratios);
    /// - the decision follows ``Verdict/decide(ratio:interval:pValue:direction:threshold:alpha:)``, with
    ///   fewer than ``GateConfiguration/minimumSamples`` rounds inconclusive
    ///   (``Decision/Reason/tooFewSamples``); a round value that is not finite and positive, or sides of
    ///   different lengths (rounds cannot be paired), make the row invalid.
    public init(pairedRounds baseline: BenchmarkSamples, candidate: BenchmarkSamples,
                configuration: GateConfiguration = GateConfiguration()) {
        let ratios = zip(baseline.values, candidate.values).map { $1 / $0 }
        self.init(baseline, candidate,
                  usable: baseline.isValid && candidate.isValid && baseline.values.count == candidate.values.count,
                  enoughSamples: ratios.count >= configuration.minimumSamples, configuration: configuration) {
            let interval = BootstrapInterval.median(of: ratios, confidence: configuration.confidence,
                                                    resamples: configuration.resamples,
                                                    seed: configuration.seed ^ SeededGenerator.stableHash(baseline.key.id))
            let pairedTest = SignedRank.test(ratios.map { log($0) })
            return Statistics(ratio: OrderStatistics.median(ratios), interval: interval, pValue: pairedTest.pValue,
                              test: nil, pairedTest: pairedTest)
        }
    }
}
