import Foundation
import AttentionCore
import RegressionGate
import Results

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

    /// A benchmark key for `kernel` on a small fixed shape; `seq` tells keys of one kernel apart.
    static func key(_ kernel: String, seq: Int = 8) -> BenchmarkKey {
        BenchmarkKey(kernel: kernel, shape: AttentionShape(heads: 1, seqQ: seq, headDim: 8, causal: false), threads: 1, pin: "none")
    }

    /// Samples of benchmark `name`: kernel `name` unless `kernel` is given, then that kernel with `name`
    /// folded into the key (as its pin policy) so that names stay distinct.
    static func samples(_ name: String, kernel: String? = nil, metric: Metric = .time, _ values: [Double]) -> BenchmarkSamples {
        var key = key(kernel ?? name)
        if kernel != nil { key.pin = name }
        return BenchmarkSamples(key: key, metric: metric, values: values)
    }
}
