import Results

/// The process exit status of a gate run.
public enum GateExitStatus: Int32, Sendable, Hashable, CaseIterable {
    /// No benchmark regressed (improved, unchanged and inconclusive rows all pass).
    case passed = 0
    /// The input cannot support a verdict: nothing usable matched, or baseline benchmarks are
    /// missing from the candidate and ``GateConfiguration/allowMissing`` is off.
    case unusableInput = 1
    /// At least one benchmark regressed.
    case regressed = 2
}

/// The gate's result over a whole benchmark suite.
///
/// **Matching.** Baseline and candidate sets are matched on ``BenchmarkKey/id``. Several entries
/// with the same id on one side are merged (their values concatenated; the first entry's key and
/// metric are kept). Rows follow the baseline's order of first appearance.
///
/// - ``rows``: one ``Comparison`` per id present on both sides.
/// - ``missing``: ids in the baseline but not in the candidate (a benchmark disappeared).
/// - ``unmatched``: ids in the candidate but not in the baseline (new benchmarks; never fail).
///
/// **Exit policy** (``exitStatus``), first match wins:
///
/// 1. ``GateExitStatus/unusableInput`` (1) if no row has valid samples on both sides
///    (in particular when nothing matched);
/// 2. ``GateExitStatus/regressed`` (2) if any row's verdict is ``Verdict/regressed``;
/// 3. ``GateExitStatus/unusableInput`` (1) if ``missing`` is non-empty and
///    ``GateConfiguration/allowMissing`` is `false`;
/// 4. ``GateExitStatus/passed`` (0) otherwise.
///
/// A found regression outranks missing rows because it is the definite, actionable finding; the
/// rendered report still lists the missing benchmarks. Inconclusive rows do not fail the gate.
public struct GateReport: Sendable, Hashable {
    public var rows: [Comparison]
    public var missing: [BenchmarkKey]
    public var unmatched: [BenchmarkKey]
    public var configuration: GateConfiguration
    /// Lines the text and Markdown reports show above the table, e.g. that the comparison ran in the
    /// weaker peak-normalised mode, or that a run was flagged noisy. They do not affect the verdicts.
    public var notes: [String] = []

    /// Assembles a report from already computed parts.
    public init(rows: [Comparison], missing: [BenchmarkKey] = [], unmatched: [BenchmarkKey] = [],
                configuration: GateConfiguration = GateConfiguration()) {
        self.rows = rows
        self.missing = missing
        self.unmatched = unmatched
        self.configuration = configuration
    }

    /// Matches `baseline` against `candidate` and compares every matched benchmark (pooled samples).
    public init(baseline: [BenchmarkSamples], candidate: [BenchmarkSamples],
                configuration: GateConfiguration = GateConfiguration()) {
        self.init(matching: baseline, candidate, configuration: configuration) {
            Comparison(baseline: $0, candidate: $1, configuration: configuration)
        }
    }

    /// Matches the benchmarks of an A/B race whose values are per-round medians, in round order, and
    /// compares each from its per-round ratios (``Comparison/init(pairedRounds:candidate:configuration:)``).
    public init(pairedRounds baseline: [BenchmarkSamples], candidate: [BenchmarkSamples],
                configuration: GateConfiguration = GateConfiguration()) {
        self.init(matching: baseline, candidate, configuration: configuration) {
            Comparison(pairedRounds: $0, candidate: $1, configuration: configuration)
        }
    }

    private init(matching baseline: [BenchmarkSamples], _ candidate: [BenchmarkSamples], configuration: GateConfiguration,
                 compare: (BenchmarkSamples, BenchmarkSamples) -> Comparison) {
        let baselineSets = GateReport.merged(baseline)
        let candidateSets = GateReport.merged(candidate)
        let candidateByKey = Dictionary(uniqueKeysWithValues: candidateSets.map { ($0.key, $0) })
        let baselineKeys = Set(baselineSets.map(\.key))

        var rows: [Comparison] = []
        var missing: [BenchmarkKey] = []
        for base in baselineSets {
            if let candidate = candidateByKey[base.key] {
                rows.append(compare(base, candidate))
            } else {
                missing.append(base.key)
            }
        }
        let unmatched = candidateSets.filter { !baselineKeys.contains($0.key) }.map(\.key)
        self.init(rows: rows, missing: missing, unmatched: unmatched, configuration: configuration)
    }

    /// The exit status under the documented policy.
    public var exitStatus: GateExitStatus {
        if !rows.contains(where: { $0.decision.reason != .invalidSamples }) { return .unusableInput }
        if rows.contains(where: { $0.verdict == .regressed }) { return .regressed }
        if !missing.isEmpty && !configuration.allowMissing { return .unusableInput }
        return .passed
    }

    /// ``exitStatus`` as a process exit code.
    public var exitCode: Int32 { exitStatus.rawValue }

    /// The number of rows with `verdict`.
    public func count(of verdict: Verdict) -> Int {
        rows.reduce(0) { $0 + ($1.verdict == verdict ? 1 : 0) }
    }

    /// The rows that regressed, in report order.
    public var regressions: [Comparison] { rows.filter { $0.verdict == .regressed } }

    /// Concatenates the values of entries that share a key, keeping first-appearance order.
    static func merged(_ sets: [BenchmarkSamples]) -> [BenchmarkSamples] {
        var order: [BenchmarkKey] = []
        var byKey: [BenchmarkKey: BenchmarkSamples] = [:]
        for set in sets {
            if byKey[set.key] == nil {
                order.append(set.key)
                byKey[set.key] = set
            } else {
                byKey[set.key]!.values += set.values
            }
        }
        return order.map { byKey[$0]! }
    }
}
