import Foundation
import XCTest

/// A throwaway git repository holding this work tree as it is (tracked files, and untracked ones git does not
/// ignore), committed once: what the A/B and versioned-dependency tests build from. Removed by ``remove()``.
struct WorkTreeCopy {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let git = "git -c user.name=test -c user.email=test@example.com"

    /// The folder that holds the copy (and whatever else a test puts beside it).
    let folder: URL
    /// The repository itself, `folder/attnbench`.
    var repository: URL { folder.appendingPathComponent("attnbench") }

    init(prefix: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("attnbench"), withIntermediateDirectories: true)
        try Self.shell("git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C '\(repository.path)'",
                       in: Self.packageRoot)
        try Self.shell("git init -q && \(Self.git) add -A && \(Self.git) commit -qm 'work tree'", in: repository)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Runs `command` with /bin/sh in `directory` and fails the test unless it exits 0; returns its standard
    /// output and error, trimmed.
    @discardableResult
    static func shell(_ command: String, in directory: URL, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>&1"]
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(process.terminationStatus, 0, command + "\n" + output, file: file, line: line)
        return output
    }
}
