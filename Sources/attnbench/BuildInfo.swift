import Foundation
import Kernels

/// How this binary was built, as written to the `build` column.
enum BuildInfo {
    #if DEBUG
    static let configuration = "debug"
    static let isDebug = true
    #else
    static let configuration = "release"
    static let isDebug = false
    #endif

    /// e.g. `release-simd16`: configuration and SIMD lanes of the kernels.
    static var label: String { "\(configuration)-simd\(vectorWidth)" }

    /// The short git commit of the working directory, `-dirty` when it has uncommitted changes,
    /// or `unknown` outside a git checkout.
    static func commit() -> String {
        guard let hash = git(["rev-parse", "--short", "HEAD"]), !hash.isEmpty else { return "unknown" }
        let status = git(["status", "--porcelain", "--untracked-files=no"]) ?? ""
        return status.isEmpty ? hash : hash + "-dirty"
    }

    private static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
