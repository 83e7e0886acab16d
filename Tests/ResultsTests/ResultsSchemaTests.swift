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
                        "probe_all_cores_before_gflops", "probe_all_cores_after_gflops", "row_bandwidth_gbs",
                        "dtype", "kv_dtype", "format_err"])
        XCTAssertEqual(ResultsSchema.sampleColumns, ["schema_version", "timestamp", "host"] + ResultsSchema.keyColumns
                       + ["sample", "time_ms", "dtype", "kv_dtype"])
    }

    /// Files from before the formats read as f32; a format is part of the key; fp32 ids stay as they were.
    func testFormatsAreKeyColumnsThatDefaultToF32() throws {
        let base = ["kernel": "fused", "batch": "1", "heads": "8", "kv_heads": "2", "seq_q": "1", "seq_kv": "64",
                    "head_dim": "32", "causal": "true", "threads": "1", "pin": "none"]
        let old = try ResultsSchema.key { base[$0] }
        XCTAssertEqual(old.shape.dtype, .f32)
        XCTAssertEqual(old.shape.kvDtype, .f32)
        XCTAssertEqual(old.id, "fused|1|8|2|1|64|32|true|1|none", "the id of an fp32 benchmark predates the formats")
        XCTAssertEqual(try ResultsSchema.key { (base.merging(["dtype": "", "kv_dtype": ""]) { $1 })[$0] }, old, "empty reads as f32")
        let quantised = try ResultsSchema.key { (base.merging(["dtype": "f32", "kv_dtype": "q8_0"]) { $1 })[$0] }
        XCTAssertEqual(quantised.shape.kvDtype, .q8_0)
        XCTAssertNotEqual(quantised, old)
        XCTAssertEqual(quantised.id, "fused|1|8|2|1|64|32|true|1|none|f32|q8_0")
        XCTAssertEqual(quantised.description, "fused B1 H8/KV2 N1×64 d32 causal kv:q8_0 t1 none")
        XCTAssertThrowsError(try ResultsSchema.key { (base.merging(["kv_dtype": "int4"]) { $1 })[$0] }) { error in
            XCTAssertTrue("\(error)".contains("kv_dtype"), "\(error)")
        }
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
