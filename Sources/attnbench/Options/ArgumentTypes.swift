import Foundation
import ArgumentParser
import AttnBench

/// A comma-separated list of positive integers, such as `512,1024,4096`.
struct PositiveIntList: ExpressibleByArgument, Equatable, Sendable {
    var values: [Int]

    init(_ values: [Int]) { self.values = values }

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { return nil }
        var values: [Int] = []
        for part in parts {
            guard let value = Int(part), value >= 1 else { return nil }
            values.append(value)
        }
        self.values = values
    }

    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}

/// Thread counts: positive integers or `max` (all cores), comma-separated: `1,2,4,max`.
struct ThreadCountList: ExpressibleByArgument, Equatable, Sendable {
    var entries: [ThreadCount]

    init(_ entries: [ThreadCount]) { self.entries = entries }

    init?(argument: String) {
        var entries: [ThreadCount] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let text = part.trimmingCharacters(in: .whitespaces)
            if text == "max" { entries.append(.max) } else if let value = Int(text), value >= 1 { entries.append(.count(value)) } else { return nil }
        }
        guard !entries.isEmpty else { return nil }
        self.entries = entries
    }

    var defaultValueDescription: String {
        entries.map { if case .count(let n) = $0 { String(n) } else { "max" } }.joined(separator: ",")
    }
}

/// Which masks to run: the causal (GPT-style) one, none (BERT-style), or both.
enum CausalMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    case off, on, both

    var flags: [Bool] {
        switch self {
        case .off: [false]
        case .on: [true]
        case .both: [false, true]
        }
    }
}

/// A comma-separated list of names, such as `naive,fused`.
struct NameList: ExpressibleByArgument, Equatable, Sendable {
    var names: [String]

    init(_ names: [String]) { self.names = names }

    init?(argument: String) {
        let names = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else { return nil }
        self.names = names
    }

    var defaultValueDescription: String { names.joined(separator: ",") }
}

/// A comma-separated list of an enum's raw values, in the order given, each once: `--pin none,compact`
/// (``PinPolicyList``), `--dtype f32,bf16` (``FormatList``).
struct ChoiceList<Choice: RawRepresentable & CaseIterable & Equatable & Sendable>: ExpressibleByArgument, Equatable, Sendable
where Choice.RawValue == String {
    var values: [Choice]

    init(_ values: [Choice]) { self.values = values }

    init?(argument: String) {
        var values: [Choice] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Choice(rawValue: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            if !values.contains(value) { values.append(value) }
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    var defaultValueDescription: String { values.map(\.rawValue).joined(separator: ",") }
    static var allValueStrings: [String] { Choice.allCases.map(\.rawValue) }
}

/// Pin policies, comma-separated: `none,compact,spread,numa`.
typealias PinPolicyList = ChoiceList<PinPolicy>

/// Storage formats for `--kv-dtype`: `f16,q8_0`.
typealias FormatList = ChoiceList<ElementFormat>

/// Storage formats for `--dtype` (Q, K, V and O): a ``FormatList`` whose help names only the formats that can
/// hold queries and outputs. A key/value-only format still parses, so that `validate()` can say where it
/// belongs (`--kv-dtype`) instead of ArgumentParser's bare "invalid value".
struct QueryFormatList: ExpressibleByArgument, Equatable, Sendable {
    var list: FormatList
    var values: [ElementFormat] { list.values }

    init?(argument: String) {
        guard let list = FormatList(argument: argument) else { return nil }
        self.list = list
    }

    var defaultValueDescription: String { list.defaultValueDescription }
    static var allValueStrings: [String] { ElementFormat.allCases.filter(\.holdsQueriesAndOutputs).map(\.rawValue) }
}

extension KernelContext.Schedule: ExpressibleByArgument {}

/// A memory size: plain bytes or with a binary suffix, `512M`, `8G`, `1.5GiB`.
struct ByteSize: ExpressibleByArgument, Equatable, Sendable {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let kibi = 1024.0
        let units: [(String, Double)] = [("kib", kibi), ("mib", kibi * kibi), ("gib", kibi * kibi * kibi),
                                         ("k", kibi), ("m", kibi * kibi), ("g", kibi * kibi * kibi), ("b", 1), ("", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value > 0, value.isFinite,
                  value * factor < Double(Int.max) else { return nil }
            bytes = Int(value * factor)
            return
        }
        return nil
    }
}
