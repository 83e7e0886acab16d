import XCTest
import Foundation
@testable import Plotting

/// `Scripts/*.gp` is the only copy of the gnuplot scripts; GnuplotScriptsPlugin embeds them at build time.
/// The binary must carry every script, byte for byte.
final class EmbeddedScriptsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = root.appendingPathComponent("Scripts")

    static func scriptFiles() throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: scripts.path).filter { $0.hasSuffix(".gp") }
        var files: [String: String] = [:]
        for name in names {
            files[name] = try String(contentsOf: scripts.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    func testEmbeddedScriptsMatchTheScriptsFolder() throws {
        let files = try Self.scriptFiles()
        XCTAssertTrue(files.keys.contains(EmbeddedScripts.commonName))
        for plot in PlotKind.allCases { XCTAssertNotNil(files[plot.scriptName], "Scripts/\(plot.scriptName) is missing") }
        XCTAssertEqual(Set(EmbeddedScripts.files.keys), Set(files.keys))
        for (name, text) in files {
            XCTAssertEqual(EmbeddedScripts.files[name], text, "\(name) differs from its embedded copy")
        }
    }

    /// No second copy of a script is checked in anywhere in the repository (the plots folders included).
    func testNoScriptIsCheckedInTwice() throws {
        let files = try Self.scriptFiles()
        let enumerator = FileManager.default.enumerator(at: Self.root, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator {
            let path = url.path.dropFirst(Self.root.path.count)
            if path.hasPrefix("/.") || path.contains("/.build") { enumerator.skipDescendants(); continue }
            guard url.pathExtension == "gp", url.deletingLastPathComponent().standardizedFileURL != Self.scripts.standardizedFileURL else { continue }
            XCTAssertNil(files[url.lastPathComponent].flatMap { $0 == (try? String(contentsOf: url, encoding: .utf8)) ? $0 : nil },
                         "\(path) is a copy of Scripts/\(url.lastPathComponent)")
        }
    }
}
