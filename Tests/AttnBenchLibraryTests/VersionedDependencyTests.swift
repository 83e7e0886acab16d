import Foundation
import XCTest

/// attnbench as another package uses it: a throwaway consumer depends on a tagged local clone of this work
/// tree with `.package(url:from:)`, builds in release for this CPU (`-Xswiftc -target-cpu -Xswiftc native`, as
/// docs/racing-your-own-kernel.md says), and races its own kernel, which must pass the float64 check and be
/// timed. SwiftPM refuses unsafe flags in a versioned dependency, so this also proves the manifest emits none
/// there. A release build takes minutes, so this runs only with ATTNBENCH_PACKAGE_TESTS=1 (`.ci/run` sets it).
final class VersionedDependencyTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    var folder: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["ATTNBENCH_PACKAGE_TESTS"] == "1",
                          "set ATTNBENCH_PACKAGE_TESTS=1 to build a consumer package against a tagged clone (minutes)")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-consumer-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Runs `command` with /bin/sh in `directory`; returns its status and output (both streams).
    func shell(_ command: String, in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>&1"]
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testAConsumerDependsOnATaggedVersionAndRacesItsKernel() throws {
        let library = folder.appendingPathComponent("attnbench"), consumer = folder.appendingPathComponent("consumer")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        // The work tree as it is (tracked and untracked files that git does not ignore), committed and tagged.
        let copy = try shell("git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C '\(library.path)'",
                             in: Self.packageRoot)
        XCTAssertEqual(copy.status, 0, copy.output)
        let git = "git -c user.name=test -c user.email=test@example.com"
        let tagged = try shell("git init -q && \(git) add -A && \(git) commit -qm 'work tree' && git tag 1.0.0", in: library)
        XCTAssertEqual(tagged.status, 0, tagged.output)

        try FileManager.default.createDirectory(at: consumer.appendingPathComponent("Sources/race"), withIntermediateDirectories: true)
        try """
            // swift-tools-version:6.0
            import PackageDescription
            let package = Package(
                name: "consumer",
                platforms: [.macOS(.v15)],
                dependencies: [.package(url: "\(library.absoluteString)", from: "1.0.0")],
                targets: [.executableTarget(name: "race", dependencies: [.product(name: "AttnBench", package: "attnbench")])]
            )
            """.write(to: consumer.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try """
            import AttnBench
            import Foundation

            /// An outside kernel: one query row at a time, online softmax, scalar.
            struct RowByRow: AttentionKernel {
                var name: String { "row-by-row" }
                var summary: String { "outside kernel" }
                var tolerance: Tolerance { Tolerance(multiplier: 64) }
                func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int { shape.headDim }
                func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
                    let shape = operands.shape, d = shape.headDim
                    for b in 0..<shape.batch {
                        for h in 0..<shape.heads {
                            let q = operands.q + operands.queryOffset(batch: b, head: h)
                            let o = operands.o + operands.queryOffset(batch: b, head: h)
                            let k = operands.k + operands.keyOffset(batch: b, head: h)
                            let v = operands.v + operands.keyOffset(batch: b, head: h)
                            for i in 0..<shape.seqQ {
                                var maximum = -Float.infinity, sum: Float = 0
                                for c in 0..<d { scratch[c] = 0 }
                                for j in 0..<shape.visibleKeys(forQuery: i) {
                                    var score: Float = 0
                                    for c in 0..<d { score += q[i * d + c] * k[j * d + c] }
                                    score *= shape.scale
                                    let next = max(maximum, score)
                                    let rescale = maximum == -.infinity ? 0 : expf(maximum - next)
                                    let weight = expf(score - next)
                                    sum = sum * rescale + weight
                                    for c in 0..<d { scratch[c] = scratch[c] * rescale + weight * v[j * d + c] }
                                    maximum = next
                                }
                                for c in 0..<d { o[i * d + c] = sum > 0 ? scratch[c] / sum : 0 }
                            }
                        }
                    }
                }
            }

            var race = SweepConfiguration(shapes: [AttentionShape(heads: 2, seqQ: 48, headDim: 16, causal: true)],
                                          registeredKernels: ["fused"], additionalKernels: [RowByRow()],
                                          resultsPath: CommandLine.arguments[1])
            race.probes = false
            race.timing = TimingPolicy(warmupRuns: 0, minRepetitions: 3, minSeconds: 0, maxRepetitions: 3)
            race.warn = { print("warning:", $0) }
            let outcome = try Sweep.run(race)
            for record in outcome.records { print(record.key.kernel, record.status.rawValue, record.statistics?.count ?? 0) }
            exit(outcome.records.allSatisfy { $0.status == .ok } ? 0 : 1)
            """.write(to: consumer.appendingPathComponent("Sources/race/main.swift"), atomically: true, encoding: .utf8)

        let build = try shell("swift build -c release -Xswiftc -target-cpu -Xswiftc native", in: consumer)
        XCTAssertEqual(build.status, 0, build.output)
        XCTAssertFalse(build.output.contains("unsafe build flags"), build.output)
        let results = folder.appendingPathComponent("race.csv").path
        let raced = try shell(".build/release/race '\(results)'", in: consumer)
        XCTAssertEqual(raced.status, 0, raced.output)
        XCTAssertTrue(raced.output.contains("row-by-row ok 3"), raced.output)
        XCTAssertTrue(raced.output.contains("fused ok 3"), raced.output)
        XCTAssertFalse(raced.output.contains("the kernels were compiled for"), "built for this CPU, no warning: \(raced.output)")
        let csv = try String(contentsOfFile: results, encoding: .utf8)
        XCTAssertTrue(csv.contains("row-by-row"), csv)
    }
}
