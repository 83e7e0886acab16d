import XCTest
import Foundation
@testable import Plotting

/// `Scripts/*.gp` is the source of truth; `Sources/Plotting/EmbeddedScripts.swift` must hold the same bytes.
/// `ATTNBENCH_UPDATE_EMBEDDED_SCRIPTS=1 swift test --filter PlottingTests.EmbeddedScriptsTests` rewrites it.
final class EmbeddedScriptsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = root.appendingPathComponent("Scripts")
    static let generated = root.appendingPathComponent("Sources/Plotting/EmbeddedScripts.swift")

    static func scriptFiles() throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: scripts.path).filter { $0.hasSuffix(".gp") }
        var files: [String: String] = [:]
        for name in names {
            files[name] = try String(contentsOf: scripts.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    /// The Swift source that embeds `files`: raw multi-line literals, so every byte is kept.
    static func source(_ files: [String: String]) -> String {
        var text = """
            // Generated from Scripts/*.gp by PlottingTests.EmbeddedScriptsTests
            // (ATTNBENCH_UPDATE_EMBEDDED_SCRIPTS=1 swift test --filter PlottingTests.EmbeddedScriptsTests). Do not edit.

            /// Byte-identical copies of the gnuplot scripts in `Scripts/`, so that the binary works without a checkout.
            public enum EmbeddedScripts {
                /// The file every script loads from its own folder.
                public static let commonName = "attnbench-common.gp"

                public static let files: [String: String] = [

            """
        for name in files.keys.sorted() {
            let body = files[name]!
            precondition(!body.contains("\"\"\"#"), "\(name) holds a raw-string delimiter")
            // A multi-line literal drops the line break before its closing delimiter: an ending newline needs an empty line.
            text += "        \"\(name)\": #\"\"\"\n" + body + (body.hasSuffix("\n") ? "\n" : "") + "\"\"\"#,\n"
        }
        text += "    ]\n}\n"
        return text
    }

    func testEmbeddedScriptsMatchTheScriptsFolder() throws {
        let files = try Self.scriptFiles()
        XCTAssertTrue(files.keys.contains(EmbeddedScripts.commonName))
        for plot in PlotKind.allCases { XCTAssertNotNil(files[plot.scriptName], "Scripts/\(plot.scriptName) is missing") }
        if ProcessInfo.processInfo.environment["ATTNBENCH_UPDATE_EMBEDDED_SCRIPTS"] == "1" {
            try Self.source(files).write(to: Self.generated, atomically: true, encoding: .utf8)
            throw XCTSkip("rewrote \(Self.generated.path); build and run the tests again")
        }
        XCTAssertEqual(Set(EmbeddedScripts.files.keys), Set(files.keys),
                       "Scripts/*.gp and EmbeddedScripts differ: run ATTNBENCH_UPDATE_EMBEDDED_SCRIPTS=1 swift test --filter PlottingTests.EmbeddedScriptsTests")
        for (name, text) in files {
            XCTAssertEqual(EmbeddedScripts.files[name], text,
                           "\(name) differs from its embedded copy: run ATTNBENCH_UPDATE_EMBEDDED_SCRIPTS=1 swift test --filter PlottingTests.EmbeddedScriptsTests")
        }
    }
}
