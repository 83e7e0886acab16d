import Foundation
import XCTest

/// Shapes whose sizes overflow 64-bit products, or exceed what can be addressed, must be refused with one
/// `Error:` line and exit status 64, never a crash. The kernels are compiled without overflow checks, so
/// the release binary is the one that matters: `.ci/run` points `ATTNBENCH_RELEASE_BINARY` at it after its
/// release build. Without the variable the test runs the debug binary built with the tests.
final class ShapeOverflowFuzzTests: XCTestCase {
    var binary: URL { BuiltBinary.releaseURL ?? BuiltBinary.url }

    func assertRefused(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try BuiltBinary.run(arguments + ["--quiet", "--output", NSTemporaryDirectory() + "overflow-fuzz.csv"],
                                         binary: binary)
        XCTAssertFalse(result.signalled, "\(arguments) crashed with signal \(result.status): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)", file: file, line: line)
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        XCTAssertEqual(errorLines.count, 1, "\(arguments): \(result.stderr)", file: file, line: line)
    }

    func testProductsThatWrapAreRefused() throws {
        try assertRefused(["--seq", "16777216", "--heads", "16777216", "--head-dim", "16777216"])
        try assertRefused(["--batch", "65536", "--seq", "65536", "--heads", "65536", "--head-dim", "65536"])
        // 2^16 · 2^16 · 2^16 · 2^16 = 2^64 wraps to exactly zero.
        try assertRefused(["--batch", "65536", "--seq", "65536", "--heads", "65536", "--head-dim", "65536", "--kernels", "naive"])
        // 2^48 elements per tensor: no product wraps, but 4 PiB of tensors cannot be addressed.
        try assertRefused(["--seq", "16777216", "--seq-kv", "16777216", "--heads", "16777216", "--head-dim", "1"])
        try assertRefused(["--seq", "1", "--seq-kv", "16777216", "--heads", "16777216", "--kv-heads", "16777216", "--head-dim", "16777216"])
    }

    /// Random combinations of large dimensions (seeded, so a failure repeats): every one whose tensors or
    /// score matrix need more than 1 PiB, or whose products overflow, must be refused the same way.
    func testRandomHugeShapesAreRefused() throws {
        let sizes = [1, 3, 255, 4096, 65535, 65536, 1 << 20, (1 << 22) + 1, 1 << 24]
        var state: UInt64 = 0x5EED
        func pick() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return sizes[Int((state >> 33) % UInt64(sizes.count))]
        }
        var tried = 0
        while tried < 24 {
            let (batch, heads, seq, seqKV, dim) = (pick(), pick(), pick(), pick(), pick())
            let query = Double(batch) * Double(heads) * Double(seq) * Double(dim)
            let key = Double(batch) * Double(heads) * Double(seqKV) * Double(dim)
            let bytes = max(2 * (query + key) * 4, Double(seq) * Double(seqKV) * 4)
            guard bytes > Double(1 << 50) else { continue }   // runnable shapes belong to other tests
            try assertRefused(["--batch", String(batch), "--heads", String(heads), "--seq", String(seq),
                               "--seq-kv", String(seqKV), "--head-dim", String(dim)])
            tried += 1
        }
    }
}
