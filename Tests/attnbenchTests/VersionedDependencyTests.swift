import Foundation
import XCTest

/// attnbench as another package uses it: a throwaway consumer depends on a tagged clone of this work tree
/// with `.package(url:from:)`, builds in release for this CPU (`-Xswiftc -target-cpu -Xswiftc native`, as
/// docs/racing-your-own-kernel.md says), and races its own kernel (`RowByRowKernel.swift` of
/// AttnBenchLibraryTests, copied in), which must pass the float64 check and be timed. SwiftPM refuses unsafe
/// flags in a versioned dependency, so this also shows the manifest emits none there. A release build takes
/// minutes, so this runs only with ATTNBENCH_PACKAGE_TESTS=1 (`.ci/run` sets it).
final class VersionedDependencyTests: XCTestCase {
    var copy: WorkTreeCopy!

    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["ATTNBENCH_PACKAGE_TESTS"] == "1",
                          "set ATTNBENCH_PACKAGE_TESTS=1 to build a consumer package against a tagged clone (minutes)")
        copy = try WorkTreeCopy(prefix: "attnbench-consumer")
    }

    override func tearDownWithError() throws { copy?.remove() }

    func testAConsumerDependsOnATaggedVersionAndRacesItsKernel() throws {
        try WorkTreeCopy.shell("git tag 1.0.0", in: copy.repository)
        let consumer = copy.folder.appendingPathComponent("consumer"), sources = consumer.appendingPathComponent("Sources/race")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        try """
            // swift-tools-version:6.0
            import PackageDescription
            let package = Package(
                name: "consumer",
                platforms: [.macOS(.v15)],
                dependencies: [.package(url: "\(copy.repository.absoluteString)", from: "1.0.0")],
                targets: [.executableTarget(name: "race", dependencies: [.product(name: "AttnBench", package: "attnbench")])]
            )
            """.write(to: consumer.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: WorkTreeCopy.packageRoot.appendingPathComponent("Tests/AttnBenchLibraryTests/RowByRowKernel.swift"),
                                         to: sources.appendingPathComponent("RowByRowKernel.swift"))
        try """
            import AttnBench
            import Foundation

            var race = SweepConfiguration(shapes: [AttentionShape(heads: 4, kvHeads: 2, seqQ: 48, headDim: 16, causal: true)],
                                          registeredKernels: ["fused"], additionalKernels: [RowByRowKernel()],
                                          resultsPath: CommandLine.arguments[1])
            race.probes = false
            race.timing = TimingPolicy(warmupRuns: 0, minRepetitions: 3, minSeconds: 0, maxRepetitions: 3)
            race.warn = { print("warning:", $0) }
            let outcome = try Sweep.run(race)
            for record in outcome.records { print(record.key.kernel, record.status.rawValue, record.statistics?.count ?? 0) }
            exit(outcome.records.allSatisfy { $0.status == .ok } ? 0 : 1)
            """.write(to: sources.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)

        let build = try WorkTreeCopy.shell("swift build -c release -Xswiftc -target-cpu -Xswiftc native", in: consumer)
        XCTAssertFalse(build.contains("unsafe build flags"), build)
        let results = copy.folder.appendingPathComponent("race.csv").path
        let raced = try WorkTreeCopy.shell(".build/release/race '\(results)'", in: consumer)
        XCTAssertTrue(raced.contains("row-by-row ok 3"), raced)
        XCTAssertTrue(raced.contains("fused ok 3"), raced)
        XCTAssertFalse(raced.contains("the kernels were compiled for"), "built for this CPU, so no warning: \(raced)")
        XCTAssertTrue(try String(contentsOfFile: results, encoding: .utf8).contains("row-by-row"))

        // Without -target-cpu the kernels are built for baseline x86-64: they still pass, and the sweep says
        // they were compiled for less than this CPU runs.
        #if arch(x86_64)
        try WorkTreeCopy.shell("swift build -c release --scratch-path .build-baseline", in: consumer)
        let baseline = try WorkTreeCopy.shell(".build-baseline/release/race '\(results)'", in: consumer)
        XCTAssertTrue(baseline.contains("row-by-row ok 3"), baseline)
        XCTAssertTrue(baseline.contains("the kernels were compiled for x86-64-v1 (SSE2)"), baseline)
        XCTAssertTrue(baseline.contains("-Xswiftc -target-cpu -Xswiftc native"), baseline)
        #endif
    }
}
