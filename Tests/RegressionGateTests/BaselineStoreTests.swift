import XCTest
import Foundation
@testable import RegressionGate
import Results

final class BaselineStoreTests: XCTestCase {
    /// The columns a results file needs (and its samples file), as the reading tests write them.
    static let header = "schema_version,host,cpu_model,cores,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,status,median_ms,probe_before_gflops,probe_after_gflops,noisy"
    static let sampleHeader = "schema_version,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,sample,time_ms"
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-baselines-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func writeRun(_ name: String, median: Double, status: String = "ok") throws -> String {
        let key = "fused,1,2,2,64,64,16,false,1,none"
        let path = directory.appendingPathComponent("\(name).csv").path
        try ("\(Self.header)\n1,vm,AMD,2,\(key),\(status),\(median),40,44,false\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let samples = [Self.sampleHeader] + (0..<5).map { "1,\(key),\($0),\(median)" }
        try (samples.joined(separator: "\n") + "\n")
            .write(toFile: ResultsFile.samplesPath(for: path), atomically: true, encoding: .utf8)
        return path
    }

    func testStoresBothFilesAndRefusesToOverwriteWithoutForce() throws {
        let store = BaselineStore(directory: directory.appendingPathComponent("baselines").path)
        XCTAssertEqual(store.hosts(), [])
        XCTAssertFalse(store.exists(forHost: "vm-amd-2c"))
        let first = try writeRun("first", median: 1.5)
        let stored = try store.store(results: first, hostID: "vm-amd-2c", force: false)
        XCTAssertEqual(stored.results, store.resultsPath(forHost: "vm-amd-2c"))
        XCTAssertTrue(stored.results.hasSuffix("baselines/vm-amd-2c.csv"))
        XCTAssertTrue(stored.samples.hasSuffix("baselines/vm-amd-2c-samples.csv"))
        XCTAssertTrue(store.exists(forHost: "vm-amd-2c"))
        XCTAssertEqual(store.hosts(), ["vm-amd-2c"])
        XCTAssertEqual(try ResultsFile.read(stored.results).rows[0].samples, [1.5, 1.5, 1.5, 1.5, 1.5])

        let second = try writeRun("second", median: 2.5)
        XCTAssertThrowsError(try store.store(results: second, hostID: "vm-amd-2c", force: false)) { error in
            XCTAssertEqual(error as? BaselineError, .exists(stored.results))
            XCTAssertTrue(String(describing: error).contains("--force"))
        }
        XCTAssertEqual(try ResultsFile.read(stored.results).rows[0].medianMilliseconds, 1.5, "left alone")
        try store.store(results: second, hostID: "vm-amd-2c", force: true)
        XCTAssertEqual(try ResultsFile.read(stored.results).rows[0].samples.first, 2.5)
        XCTAssertEqual(store.hosts(), ["vm-amd-2c"], "no temporary files left behind")
    }

    func testRejectsUnusableInput() throws {
        let store = BaselineStore(directory: directory.appendingPathComponent("baselines").path)
        let skipped = try writeRun("skipped", median: 1, status: "skipped")
        XCTAssertThrowsError(try store.store(results: skipped, hostID: "h", force: false)) { error in
            XCTAssertEqual(error as? BaselineError, .nothingTimed(skipped))
        }
        let lonely = directory.appendingPathComponent("lonely.csv").path
        try "\(Self.header)\n".write(toFile: lonely, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try store.store(results: lonely, hostID: "h", force: false)) { error in
            XCTAssertTrue(String(describing: error).contains("lonely-samples.csv"), "\(error)")
        }
        XCTAssertEqual(store.hosts(), [])
    }
}
