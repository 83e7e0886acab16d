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
// and over a suite (`GateReport`): matching by id, missing / unmatched benchmarks, the exit
// status policy (`GateExitStatus`: 0 passed, 1 unusable input, 2 regressed) and rendering as
// text, Markdown or CSV (`GateReport.render(format:)`). `PeakNormalisation` scales samples by a
// per-run calibration (FMA peak) for the weaker cross-machine comparison.
//
//     let report = GateReport(
//         baseline: [BenchmarkSamples(key: BenchmarkKey(id: "naive/L512", kernel: "naive"), values: before)],
//         candidate: [BenchmarkSamples(key: BenchmarkKey(id: "naive/L512", kernel: "naive"), values: after)],
//         configuration: GateConfiguration(thresholds: Thresholds(default: 0.05, overrides: ["flash": 0.10])))
//     print(report.render(format: .markdown))
//     exit(report.exitCode)
