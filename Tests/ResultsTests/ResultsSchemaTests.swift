import AttentionCore
import Results
import XCTest

final class ResultsSchemaTests: XCTestCase {
    func testColumnsHoldTheKeyColumnsOnceAndAppendAfterNote() {
        XCTAssertEqual(Array(ResultsSchema.columns[8..<18]), ResultsSchema.keyColumns)
        XCTAssertEqual(Set(ResultsSchema.columns).count, ResultsSchema.columns.count)
        // Version 1's columns up to `note` never move; later ones (host id, roofline, all-core probe) only
        // follow them, in the order they were added.
        XCTAssertEqual(ResultsSchema.columns.firstIndex(of: "note"), 43, "new columns are only ever appended")
        XCTAssertEqual(Array(ResultsSchema.columns[43...]),
                       ["note", "host_id", "bandwidth_gbs", "min_bytes", "roofline_gflops", "roofline_fraction",
                        "probe_all_cores_before_gflops", "probe_all_cores_after_gflops", "row_bandwidth_gbs"])
        XCTAssertEqual(ResultsSchema.sampleColumns, ["schema_version", "timestamp", "host"] + ResultsSchema.keyColumns + ["sample", "time_ms"])
    }

    func testCoreScalingIsAllCoresOverOneAndNeedsAPositiveOneCoreFigure() {
        XCTAssertEqual(ResultsSchema.coreScaling(allCores: 230, oneCore: 115), 2)
        XCTAssertNil(ResultsSchema.coreScaling(allCores: 230, oneCore: 0))
        XCTAssertNil(ResultsSchema.coreScaling(allCores: nil, oneCore: 115))
        XCTAssertNil(ResultsSchema.coreScaling(allCores: 230, oneCore: nil))
    }

    func testVersionCheck() {
        XCTAssertNil(ResultsSchema.versionProblem("1"))
        XCTAssertEqual(ResultsSchema.versionProblem("2"), "schema_version '2' is not supported (this attnbench reads version 1)")
        XCTAssertNotNil(ResultsSchema.versionProblem(""))
    }

    func testPeakAndPeakFraction() {
        XCTAssertEqual(ResultsSchema.peakPerCore(before: 100, after: 110), 110)
        XCTAssertEqual(ResultsSchema.peakPerCore(before: nil, after: 90), 90)
        XCTAssertNil(ResultsSchema.peakPerCore(before: nil, after: nil))
        XCTAssertEqual(ResultsSchema.peakGFLOPs(perCore: 100, threads: 4, cores: 2), 200, "at most the cores")
        XCTAssertEqual(ResultsSchema.peakFraction(gflops: 50, peak: 200), 0.25)
        XCTAssertNil(ResultsSchema.peakFraction(gflops: 50, peak: 0))
    }

    func testKeyRoundTripsThroughItsCellsAndBadCellsAreNamed() throws {
        let key = BenchmarkKey(kernel: "fused", shape: AttentionShape(batch: 2, heads: 4, kvHeads: 2, seqQ: 100, seqKV: 130,
                                                                      headDim: 40, causal: true), threads: 3, pin: "numa")
        let cells = ResultsSchema.keyFields(key)
        XCTAssertEqual(try ResultsSchema.key { cells[$0] }, key)
        XCTAssertEqual(key.description, "fused B2 H4/KV2 N100×130 d40 causal t3 numa")
        XCTAssertEqual(key.id, "fused|2|4|2|100|130|40|true|3|numa")
        var bad = cells
        bad["heads"] = "0"
        XCTAssertThrowsError(try ResultsSchema.key { bad[$0] }) { error in
            XCTAssertEqual("\(error)", "column 'heads': expected a positive integer, found '0'")
        }
        bad = cells
        bad["pin"] = nil
        XCTAssertThrowsError(try ResultsSchema.key { bad[$0] }) { error in XCTAssertEqual("\(error)", "missing column 'pin'") }
    }
}
