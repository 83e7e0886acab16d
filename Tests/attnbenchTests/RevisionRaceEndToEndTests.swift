import XCTest
import Foundation

/// `attnbench gate --against` for real: a throwaway git repository made from this work tree, built in
/// release by the gate itself, raced against itself, then against itself with the candidate's fused and
/// parallel kernels doing 50% more work (`--candidate-injected-work`, Kernels/Build/InjectedWork.swift). A
/// release build takes minutes on a small machine, so this runs only with ATTNBENCH_AB_TESTS=1, which
/// `.ci/run` sets after its release build.
final class RevisionRaceEndToEndTests: XCTestCase {
    var copy: WorkTreeCopy!

    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["ATTNBENCH_AB_TESTS"] == "1",
                          "set ATTNBENCH_AB_TESTS=1 to build a revision and race it (minutes)")
        copy = try WorkTreeCopy(prefix: "attnbench-ab")
    }

    override func tearDownWithError() throws { copy?.remove() }

    /// Small shapes, 12 short rounds (the signed-rank test over rounds needs at least 8 to reach p < 0.01),
    /// seconds per race. The threshold is wide
    /// (25%) because this test checks the plumbing, not the gate's sensitivity (Scripts/maintainer/gate-calibration
    /// does): on the shared CI VM one round of a same-revision race was seen 38% slower on one side, and the
    /// injected 50% of extra work stays far above the bar.
    let sweep = ["--seq", "192", "--heads", "2", "--kernels", "fused,parallel", "--repetitions", "10", "--min-time", "0.05",
                 "--warmup", "1", "--no-probes", "--quiet", "--rounds", "12", "--threshold", "0.25"]

    func testSameRevisionPassesAndInjectedWorkFailsWithExit2() throws {
        let repository = copy.repository
        let base = try WorkTreeCopy.shell("git rev-parse HEAD", in: repository)

        let same = try BuiltBinary.run(["gate", "--against", base, "--candidate", base] + sweep, in: repository)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertTrue(same.stdout.contains("baseline:  revision \(base.prefix(10)) work tree"), same.stdout)
        XCTAssertTrue(same.stdout.contains("candidate: revision \(base.prefix(10)) work tree"), same.stdout)
        XCTAssertTrue(same.stdout.contains("per-round medians"), same.stdout)
        XCTAssertTrue(same.stdout.contains("r12"), same.stdout)
        XCTAssertTrue(same.stdout.contains("gate passed (exit 0)"), same.stdout)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: repository.path + "/.build-ab/\(base)/build/release/attnbench"))

        // --confirm: the regression shows in the first race, so the pair is raced again, and it shows there too.
        let slower = try BuiltBinary.run(["gate", "--against", base, "--candidate", base, "--candidate-injected-work", "0.5",
                                          "--confirm"] + sweep, in: repository)
        XCTAssertEqual(slower.status, 2, slower.stdout + slower.stderr)
        XCTAssertTrue(slower.stdout.contains("candidate: revision \(base.prefix(10)) work tree with ATTNBENCH_INJECTED_WORK=0.5"), slower.stdout)
        XCTAssertTrue(slower.stdout.contains("Wilcoxon signed-rank test of per-round log-ratios"), slower.stdout)
        XCTAssertFalse(slower.stdout.contains("Mann–Whitney"), "the A/B footer names the test that decided: \(slower.stdout)")
        XCTAssertTrue(slower.stdout.contains("racing again to confirm it"), slower.stdout)
        XCTAssertTrue(slower.stdout.contains("confirmation race: the first race flagged"), slower.stdout)
        XCTAssertTrue(slower.stderr.contains("regression: fused"), slower.stderr)
        XCTAssertTrue(slower.stderr.contains("parallel"), slower.stderr)
        XCTAssertFalse(slower.stderr.contains("building revision \(base.prefix(10))"), "the base build is cached: \(slower.stderr)")
    }
}
