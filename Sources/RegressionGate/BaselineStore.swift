import Results
import Foundation

/// Per-host baselines for the regression gate: `<directory>/<host-id>.csv` with its raw samples beside
/// it as `<host-id>-samples.csv` (default directory `Results/baselines`). A baseline is an ordinary
/// results file; the host id is `MachineFingerprint.id` of the machine that measured it.
public struct BaselineStore: Sendable {
    public static let defaultDirectory = "Results/baselines"
    /// The file in `defaultDirectory` that names the revision CI races against (`gate --against`): one
    /// line, a full commit hash. `attnbench baseline accept` writes it.
    public static let referenceFileName = "gate-reference"
    public var directory: String

    public init(directory: String = BaselineStore.defaultDirectory) {
        self.directory = directory
    }

    public func resultsPath(forHost id: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + "\(id).csv"
    }

    public func samplesPath(forHost id: String) -> String {
        ResultsFile.samplesPath(for: resultsPath(forHost: id))
    }

    public func exists(forHost id: String) -> Bool {
        FileManager.default.fileExists(atPath: resultsPath(forHost: id))
    }

    /// The host ids that have a baseline here, sorted.
    public func hosts() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".csv") && !$0.hasSuffix("-samples.csv") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(4)) }
            .sorted()
    }

    /// Copies a results file and its samples into the store as the baseline of `hostID`, after reading
    /// both back to check them (``ResultsFile/read(_:samplesPath:)``; its errors pass through).
    ///
    /// - Throws: ``BaselineError/exists(_:)`` when the host already has a baseline and `force` is off.
    /// - Returns: the stored results and samples paths.
    @discardableResult
    public func store(results path: String, samples: String? = nil, hostID: String, force: Bool) throws -> (results: String, samples: String) {
        try store(ResultsFile.read(path, samplesPath: samples), hostID: hostID, force: force)
    }

    /// Copies the files behind `file`, already read or just written by a sweep (``ResultsFile``
    /// built from its records), into the store as the baseline of `hostID`.
    @discardableResult
    public func store(_ file: ResultsFile, hostID: String, force: Bool) throws -> (results: String, samples: String) {
        guard !file.timedRows.isEmpty else { throw BaselineError.nothingTimed(file.path) }
        let target = resultsPath(forHost: hostID)
        let targetSamples = samplesPath(forHost: hostID)
        if !force && (FileManager.default.fileExists(atPath: target) || FileManager.default.fileExists(atPath: targetSamples)) {
            throw BaselineError.exists(target)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Samples first: a reader that finds the results file then finds the samples that go with it.
        try Self.copy(file.samplesPath, to: targetSamples)
        try Self.copy(file.path, to: target)
        return (target, targetSamples)
    }

    /// Copies through a temporary file and a rename, so the target is never half written.
    static func copy(_ source: String, to target: String) throws {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw CSVError(source: source, line: 0, message: "cannot read file")
        }
        let url = URL(fileURLWithPath: target)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try data.write(to: temporary)
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        try FileManager.default.moveItem(at: temporary, to: url)
    }
}

/// Why a baseline could not be stored.
public enum BaselineError: Error, CustomStringConvertible, Equatable {
    /// The host already has a baseline; `--force` replaces it.
    case exists(String)
    /// The results hold no timed (status ok) benchmark.
    case nothingTimed(String)

    public var description: String {
        switch self {
        case .exists(let path): "baseline \(path) already exists; pass --force to replace it"
        case .nothingTimed(let path): "\(path) has no timed benchmark (every row failed or was skipped); not storing it"
        }
    }
}
