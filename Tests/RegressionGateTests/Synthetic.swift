import Foundation
import RegressionGate

/// Deterministic synthetic benchmark samples.
enum Synthetic {
    /// `n` run times around `median` with multiplicative log-normal noise of spread `sigma`
    /// (the log of a time is normal with standard deviation `sigma`), drawn from `seed`.
    static func times(_ n: Int, median: Double, sigma: Double, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<n).map { _ in median * exp(sigma * standardNormal(&generator)) }
    }

    /// A standard normal deviate by the Box–Muller transform.
    static func standardNormal(_ generator: inout SeededGenerator) -> Double {
        let u1 = 1 - generator.unitInterval()   // (0, 1]: log stays finite
        let u2 = generator.unitInterval()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    static func samples(_ id: String, kernel: String? = nil, metric: Metric = .time, _ values: [Double]) -> BenchmarkSamples {
        BenchmarkSamples(key: BenchmarkKey(id: id, kernel: kernel), metric: metric, values: values)
    }
}
