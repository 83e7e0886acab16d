import Results
// RegressionGate: the statistical core of attnbench's CI performance-regression gate.
//
// Pipeline, one benchmark at a time (`Comparison`):
//
//   baseline x₁…xₙ₁, candidate y₁…yₙ₂  (e.g. run times in ms; `Metric` says which way is better)
//     → medians and the ratio ρ̂ = median(y) / median(x)                     OrderStatistics
//     → percentile-bootstrap interval of ρ, seeded and reproducible           BootstrapInterval, SeededGenerator
//     → two-sided Mann–Whitney U p-value (exact for small n, else normal)     MannWhitney
//     → verdict from p, the interval and the kernel's threshold               Verdict.decide, Thresholds
//
// and over a suite (`GateReport`): matching on the results format's `BenchmarkKey`, missing / unmatched benchmarks, the exit
// status policy (`GateExitStatus`: 0 passed, 1 unusable input, 2 regressed) and rendering as
// text, Markdown or CSV (`GateReport.render(format:)`). `PeakNormalisation` scales samples by a
// per-run calibration (FMA peak) for the weaker cross-machine comparison.
//
//     let key = BenchmarkKey(kernel: "naive", shape: AttentionShape(heads: 8, seqQ: 512, headDim: 64, causal: false),
//                            threads: 1, pin: "none")
//     let report = GateReport(
//         baseline: [BenchmarkSamples(key: key, values: before)],
//         candidate: [BenchmarkSamples(key: key, values: after)],
//         configuration: GateConfiguration(thresholds: Thresholds(default: 0.05, overrides: ["flash": 0.10])))
//     print(report.render(format: .markdown))
//     exit(report.exitCode)
