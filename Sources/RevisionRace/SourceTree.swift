import Foundation

/// A git commit of the source, as the A/B gate names it: full hash and subject line.
public struct Revision: Sendable, Equatable {
    /// What the user typed (`origin/main`, `HEAD~1`, a hash).
    public var name: String
    /// The full commit hash (`git rev-parse`).
    public var hash: String
    /// The commit's subject line.
    public var subject: String

    public init(name: String, hash: String, subject: String) {
        self.name = name
        self.hash = hash
        self.subject = subject
    }

    public var shortHash: String { String(hash.prefix(10)) }

    /// `abd90db79e One definition each: …` (subject cut at 72 characters).
    public var summary: String {
        let cut = subject.count > 72 ? String(subject.prefix(71)) + "…" : subject
        return "\(shortHash) \(cut)"
    }
}

/// The git checkout the A/B gate builds revisions from: the top level of the work tree that holds the
/// current directory.
public struct SourceTree: Sendable {
    /// Absolute path of the work tree's top level.
    public var root: String

    public init(root: String) { self.root = root }

    /// The checkout containing `directory` (default: the current directory).
    /// - Throws: ``RevisionRaceError/notAGitCheckout(_:)`` outside a git work tree or without git.
    public static func locate(from directory: String = FileManager.default.currentDirectoryPath) throws -> SourceTree {
        guard let result = try? Subprocess.run("git", ["-C", directory, "rev-parse", "--show-toplevel"]),
              result.status == 0 else {
            throw RevisionRaceError.notAGitCheckout(directory)
        }
        return SourceTree(root: result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The commit `name` names (`git rev-parse --verify name^{commit}`).
    /// - Throws: ``RevisionRaceError/unknownRevision(_:root:)`` when git knows no such commit.
    public func resolve(_ name: String) throws -> Revision {
        guard !name.isEmpty,
              let result = try? git(["rev-parse", "--verify", "--quiet", "--end-of-options", name + "^{commit}"]),
              result.status == 0 else {
            throw RevisionRaceError.unknownRevision(name, root: root)
        }
        let hash = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let subject = (try? git(["log", "-1", "--format=%s", hash]))?.output
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return Revision(name: name, hash: hash, subject: subject)
    }

    /// Whether tracked files differ from HEAD (what a binary built from the work tree may contain).
    public var hasUncommittedChanges: Bool {
        guard let result = try? git(["status", "--porcelain", "--untracked-files=no"]), result.status == 0 else { return false }
        return !result.output.isEmpty
    }

    /// Runs `git -C root arguments`.
    public func git(_ arguments: [String], log: String? = nil) throws -> Subprocess.Result {
        try Subprocess.run("git", ["-C", root] + arguments, log: log)
    }
}

/// Why an A/B race could not be run. Each description is one line for the user.
public enum RevisionRaceError: Error, CustomStringConvertible, Equatable {
    case notAGitCheckout(String)
    case unknownRevision(String, root: String)
    case exportFailed(Revision, String)
    case buildFailed(Revision, log: String, firstError: String)
    case sideFailed(side: RaceSide, description: String, round: Int, status: Int32, message: String)
    case interrupted

    public var description: String {
        switch self {
        case .notAGitCheckout(let directory):
            "\(directory) is not inside a git checkout (or git is missing): --against needs the source's history"
        case .unknownRevision(let name, let root):
            "unknown revision '\(name)': git in \(root) knows no such commit (fetch it, e.g. `git fetch origin`, or check the name)"
        case .exportFailed(let revision, let message):
            "cannot export revision \(revision.shortHash): \(message)"
        case .buildFailed(let revision, let log, let firstError):
            "the release build of revision \(revision.shortHash) failed (\(firstError)); full log: \(log)"
        case .sideFailed(let side, let description, let round, let status, let message):
            "the \(side.rawValue) side (\(description)) failed in round \(round) with exit status \(status): \(message)"
        case .interrupted:
            "interrupted"
        }
    }
}
