import AttnBench
import Foundation
import XCTest

/// The commit is recorded when the package is built, from the package's own source tree.
final class BuildInfoTests: XCTestCase {
    /// `git -C <this package's root>`, or nil without git or outside a checkout.
    func git(_ arguments: [String]) -> String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testTheCommitIsTheSourceTreesAtBuildTime() throws {
        guard let head = git(["rev-parse", "HEAD"]) else { throw XCTSkip("no git checkout to compare with") }
        let recorded = BuildInfo.commit
        let hash = recorded.hasSuffix("-dirty") ? String(recorded.dropLast(6)) : recorded
        XCTAssertGreaterThanOrEqual(hash.count, 7, recorded)
        XCTAssertTrue(head.hasPrefix(hash), "recorded \(recorded), source tree at \(head)")
    }

    func testTheLabelSaysHowHarnessAndKernelsWereBuilt() {
        XCTAssertTrue(BuildInfo.timesOptimisedKernels, "the package compiles the kernels optimised in every configuration")
        #if DEBUG
        XCTAssertEqual(BuildInfo.label, "harness-debug+kernels-release-simd\(KernelBuild.simdLanes)")
        #else
        XCTAssertEqual(BuildInfo.label, "release-simd\(KernelBuild.simdLanes)")
        #endif
    }
}
