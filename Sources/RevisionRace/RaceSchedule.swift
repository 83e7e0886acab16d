import Results
import AttentionCore

/// The two sides of an A/B race.
public enum RaceSide: String, Sendable, CaseIterable {
    /// The reference revision (`--against REV`).
    case baseline
    /// The build under test (this binary, or `--candidate REV`).
    case candidate
}

/// How the sides are ordered within each round.
public enum RaceOrder: String, Sendable, CaseIterable {
    /// baseline first in odd rounds, candidate first in even ones (A B, B A, A B, …): a drift that is linear
    /// in time hits both sides equally over every pair of rounds.
    case alternate
    /// A fair coin per round (seeded, so a run can be repeated).
    case shuffle
}

/// Which side runs first in each round of an A/B race.
///
/// Rounds are short and many so that whatever the machine does meanwhile (frequency, neighbours, thermal
/// state) is shared by both sides: each side's samples are pooled over all rounds, and the pooled sets are
/// compared with the usual statistics.
public struct RaceSchedule: Sendable, Equatable {
    /// For each round, the sides in running order.
    public var rounds: [[RaceSide]]

    public init(rounds count: Int, order: RaceOrder, seed: UInt64 = 1) {
        precondition(count >= 1, "a race needs at least one round")
        var generator = SplitMix64(seed: seed)
        rounds = (0..<count).map { round in
            let baselineFirst: Bool
            switch order {
            case .alternate: baselineFirst = round % 2 == 0
            case .shuffle: baselineFirst = generator.next() & 1 == 0
            }
            return baselineFirst ? [.baseline, .candidate] : [.candidate, .baseline]
        }
    }

    /// `B C | C B | …` for the report.
    public var description: String {
        rounds.map { $0.map { $0 == .baseline ? "B" : "C" }.joined(separator: " ") }.joined(separator: " | ")
    }
}
