import Foundation
import XCTest

/// The `attnbench` executable built together with these tests, and a way to run it as a user would.
enum BuiltBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when a signal ended the process (a crash), not `exit`.
        var signalled: Bool
    }

    /// The products folder holds the test bundle and the binary; Linux reports that folder as the bundle,
    /// Darwin the `.xctest` inside it.
    static var url: URL {
        let bundle = Bundle(for: Marker.self).bundleURL
        let candidates = [bundle.appendingPathComponent("attnbench"),
                          bundle.deletingLastPathComponent().appendingPathComponent("attnbench")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// The release binary named by `ATTNBENCH_RELEASE_BINARY` (`.ci/run` sets it after its release build),
    /// or nil when the variable is unset.
    static var releaseURL: URL? {
        ProcessInfo.processInfo.environment["ATTNBENCH_RELEASE_BINARY"].map { URL(fileURLWithPath: $0) }
    }

    /// Runs `binary` (by default the one built with the tests) with `arguments`, the environment extended
    /// by `environment`, in `directory` (default: this process's), and waits for it.
    static func run(_ arguments: [String], environment: [String: String] = [:], binary: URL = url,
                    in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        if let directory { process.currentDirectoryURL = directory }
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self), signalled: process.terminationReason == .uncaughtSignal)
    }

    private final class Marker {}
}
