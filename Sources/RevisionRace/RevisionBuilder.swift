import Foundation

/// Builds the `attnbench` of a git revision in release, once per commit.
///
/// Layout, under the git-ignored `<root>/.build-ab/<full hash>/`: `src/` the revision's files
/// (`git archive`), `build/` its own SwiftPM scratch folder, `build.log` the compiler's output. A revision
/// whose binary exists is not built again: a commit's source never changes, so the hash is the cache key.
/// The build inherits the environment, so `ATTNBENCH_CPU` / `ATTNBENCH_SIMD_WIDTH` apply to both sides.
public struct RevisionBuilder: Sendable {
    public var tree: SourceTree
    /// Where builds are cached; default `<root>/.build-ab`.
    public var cacheDirectory: String

    public init(tree: SourceTree, cacheDirectory: String? = nil) {
        self.tree = tree
        self.cacheDirectory = cacheDirectory ?? tree.root + "/.build-ab"
    }

    public func folder(for revision: Revision) -> String { cacheDirectory + "/" + revision.hash }

    /// Where the release binary of `revision` is (or will be).
    public func binaryPath(for revision: Revision) -> String { folder(for: revision) + "/build/release/attnbench" }

    /// The binary of `revision`, built first unless cached; `log` hears what is happening.
    /// - Returns: the binary's path and whether it came from the cache.
    public func binary(for revision: Revision, log: (String) -> Void) throws -> (path: String, cached: Bool) {
        let binary = binaryPath(for: revision)
        if FileManager.default.isExecutableFile(atPath: binary) { return (binary, true) }
        let folder = folder(for: revision)
        let source = folder + "/src"
        try export(revision, to: source)
        let buildLog = folder + "/build.log"
        log("building revision \(revision.shortHash) in release (log: \(buildLog)) …")
        let started = Date()
        let result = try Subprocess.run("swift", ["build", "-c", "release", "--product", "attnbench",
                                                  "--package-path", source, "--scratch-path", folder + "/build"],
                                        log: buildLog)
        guard result.status == 0, FileManager.default.isExecutableFile(atPath: binary) else {
            throw RevisionRaceError.buildFailed(revision, log: buildLog, firstError: Self.firstError(inLog: buildLog))
        }
        log(String(format: "built revision %@ in %.0f s", revision.shortHash, Date().timeIntervalSince(started)))
        return (binary, false)
    }

    /// Replaces `directory` with the files of `revision` (`git archive | tar -x`). The work tree's
    /// `Package.resolved`, when the revision has none, is copied in so both sides use the same dependencies.
    func export(_ revision: Revision, to directory: String) throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: directory)
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw RevisionRaceError.exportFailed(revision, "cannot create \(directory): \(error.localizedDescription)")
        }
        let archive = directory + ".tar"
        defer { try? manager.removeItem(atPath: archive) }
        let archived = try tree.git(["archive", "--format=tar", "-o", archive, revision.hash])
        guard archived.status == 0 else {
            throw RevisionRaceError.exportFailed(revision, "git archive: " + Self.lastLine(archived.errorOutput))
        }
        let unpacked = try Subprocess.run("tar", ["-xf", archive, "-C", directory])
        guard unpacked.status == 0 else {
            throw RevisionRaceError.exportFailed(revision, "tar: " + Self.lastLine(unpacked.errorOutput))
        }
        let resolved = tree.root + "/Package.resolved"
        if manager.fileExists(atPath: resolved) && !manager.fileExists(atPath: directory + "/Package.resolved") {
            try? manager.copyItem(atPath: resolved, toPath: directory + "/Package.resolved")
        }
    }

    /// The first line of a build log that says `error:`, else its last line.
    static func firstError(inLog path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.first { $0.contains("error:") } ?? lines.last ?? "no output"
    }

    static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map(String.init) ?? "no message"
    }
}
