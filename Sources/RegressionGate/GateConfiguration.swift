import Results
/// Every tunable of the gate, with the documented defaults.
public struct GateConfiguration: Sendable, Hashable {
    /// Significance level α of the Mann–Whitney test; default 0.01.
    public var alpha: Double
    /// Coverage γ of the bootstrap interval; default 0.95.
    public var confidence: Double
    /// Number of bootstrap resamples B; default 2000.
    public var resamples: Int
    /// Base seed of the bootstrap. Each benchmark's generator is seeded with
    /// `seed ⊕ stableHash(key.id)`, so a row's interval does not depend on which other rows
    /// are compared or in what order.
    public var seed: UInt64
    /// Fewer samples than this on either side gives ``Verdict/inconclusive``; default 5.
    public var minimumSamples: Int
    /// Minimum effects, global and per kernel; default 5 %.
    public var thresholds: Thresholds
    /// Whether baseline benchmarks absent from the candidate are tolerated (exit code policy,
    /// ``GateReport/exitStatus``); default `false`.
    public var allowMissing: Bool
    /// Per-sample size up to which the Mann–Whitney test is exact; default 10.
    public var exactTestLimit: Int

    /// The default bootstrap seed (the bytes of "attnbnch").
    public static let defaultSeed: UInt64 = 0x6174_746E_626E_6368

    public init(
        alpha: Double = 0.01,
        confidence: Double = BootstrapInterval.defaultConfidence,
        resamples: Int = BootstrapInterval.defaultResamples,
        seed: UInt64 = GateConfiguration.defaultSeed,
        minimumSamples: Int = 5,
        thresholds: Thresholds = Thresholds(),
        allowMissing: Bool = false,
        exactTestLimit: Int = MannWhitney.defaultExactLimit
    ) {
        precondition(alpha > 0 && alpha < 1, "alpha must lie in (0, 1)")
        precondition(confidence > 0 && confidence < 1, "confidence must lie in (0, 1)")
        precondition(resamples >= 1, "resamples must be at least 1")
        precondition(minimumSamples >= 1, "minimumSamples must be at least 1")
        self.alpha = alpha
        self.confidence = confidence
        self.resamples = resamples
        self.seed = seed
        self.minimumSamples = minimumSamples
        self.thresholds = thresholds
        self.allowMissing = allowMissing
        self.exactTestLimit = exactTestLimit
    }
}
