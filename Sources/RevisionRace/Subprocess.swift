import Foundation

/// Runs another program and waits for it: git, swift and the two attnbench binaries of a revision race.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        /// Standard output; empty when it went to a log file.
        public var output: String
        /// Standard error; empty when it went to a log file.
        public var errorOutput: String
    }

    /// Runs `executable` (an absolute path, or a name looked up on PATH through `/usr/bin/env`) with
    /// `arguments` in `directory`. With `log`, standard output and error both go to that file (created or
    /// truncated); otherwise both are captured, standard error on a second thread so neither pipe can fill
    /// and block the child. `environment` adds to (or overrides) this process's environment.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           log: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        if let log {
            guard FileManager.default.createFile(atPath: log, contents: nil),
                  let handle = FileHandle(forWritingAtPath: log) else {
                throw SubprocessError(description: "cannot create the log file \(log)")
            }
            defer { try? handle.close() }
            process.standardOutput = handle
            process.standardError = handle
            try launch(process, executable)
            process.waitUntilExit()
            return Result(status: process.terminationStatus, output: "", errorOutput: "")
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try launch(process, executable)
        let errorData = ErrorCollector()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = String(decoding: errorData.wait(), as: UTF8.self)
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      errorOutput: errorText)
    }

    private static func launch(_ process: Process, _ executable: String) throws {
        do { try process.run() } catch {
            throw SubprocessError(description: "cannot run \(executable): \(error.localizedDescription)")
        }
    }

    /// Standard error's bytes, handed from the reader thread to the caller.
    private final class ErrorCollector: @unchecked Sendable {
        private let condition = NSCondition()
        private var data: Data?

        func set(_ value: Data) {
            condition.lock()
            data = value
            condition.signal()
            condition.unlock()
        }

        func wait() -> Data {
            condition.lock()
            defer { condition.unlock() }
            while data == nil { condition.wait() }
            return data!
        }
    }
}

/// A program could not be started.
public struct SubprocessError: Error, CustomStringConvertible {
    public var description: String
}
