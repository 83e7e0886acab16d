import Results
import XCTest
import Foundation
@testable import Results

/// Reading a results CSV and its samples back for the regression gate.
final class ResultsReadingTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-reading-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    static let header = "schema_version,host,cpu_model,cores,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,status,median_ms,probe_before_gflops,probe_after_gflops,noisy"
    static let sampleHeader = "schema_version,kernel,batch,heads,kv_heads,seq_q,seq_kv,head_dim,causal,threads,pin,sample,time_ms"

    /// Writes `name.csv` and, unless `samples` is nil, `name-samples.csv`; returns the results path.
    func write(_ name: String, results: [String], samples: [String]?) throws -> String {
        let path = directory.appendingPathComponent("\(name).csv").path
        try ((results.joined(separator: "\n")) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        if let samples {
            try (samples.joined(separator: "\n") + "\n")
                .write(toFile: ResultsFile.samplesPath(for: path), atomically: true, encoding: .utf8)
        }
        return path
    }

    func sampleLines(_ key: String, _ times: [Double]) -> [String] {
        times.enumerated().map { "1,\(key),\($0.offset),\($0.element)" }
    }

    let fusedKey = "fused,1,2,2,64,64,16,false,1,none"
    let naiveKey = "naive,1,2,2,64,64,16,false,1,none"

    func testReadsRowsWithTheirSamples() throws {
        let path = try write("ok", results: [
            Self.header,
            "1,vm,AMD EPYC,2,\(fusedKey),ok,1.5,40,44,false",
            "",   // a blank line does not shift later line numbers
            "1,vm,AMD EPYC,2,\(naiveKey),skipped,,40,44,true",
        ], samples: [Self.sampleHeader] + sampleLines(fusedKey, [1.4, 1.5, 1.6])
            + sampleLines("tiled,1,2,2,64,64,16,false,1,none", [9]))   // orphan samples are ignored
        let file = try ResultsFile.read(path)
        XCTAssertEqual(file.rows.count, 2)
        XCTAssertEqual(file.rows[0].samples, [1.4, 1.5, 1.6])
        XCTAssertEqual(file.rows[0].key.kernel, "fused")
        XCTAssertEqual(file.rows[0].key.shape.seqQ, 64)
        XCTAssertEqual(file.rows[0].peakPerCore, 44)
        XCTAssertEqual(file.rows[0].line, 2)
        XCTAssertEqual(file.rows[1].line, 4)
        XCTAssertEqual(file.rows[1].status, .skipped)
        XCTAssertTrue(file.rows[1].noisy)
        XCTAssertEqual(file.timedRows.count, 1)
        XCTAssertEqual(file.rows[0].key.id, "fused|1|2|2|64|64|16|false|1|none")
        XCTAssertEqual(file.samplesPath, ResultsFile.samplesPath(for: path))
    }

    func testMissingSamplesFileIsNamed() throws {
        let path = try write("nosamples", results: [Self.header, "1,vm,AMD,2,\(fusedKey),ok,1.5,40,44,false"], samples: nil)
        XCTAssertThrowsError(try ResultsFile.read(path)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("nosamples-samples.csv"), text)
            XCTAssertTrue(text.contains("no such file"), text)
        }
    }

    func testMissingResultsFile() {
        XCTAssertThrowsError(try ResultsFile.read(directory.appendingPathComponent("absent.csv").path)) { error in
            XCTAssertTrue(String(describing: error).contains("absent.csv: no such results file"), "\(error)")
        }
    }

    func testWrongSchemaVersionNamesFileAndLine() throws {
        let path = try write("schema", results: [Self.header, "1,vm,AMD,2,\(fusedKey),ok,1.5,40,44,false",
                                                 "2,vm,AMD,2,\(naiveKey),ok,1.5,40,44,false"],
                             samples: [Self.sampleHeader] + sampleLines(fusedKey, [1]))
        XCTAssertThrowsError(try ResultsFile.read(path)) { error in
            XCTAssertEqual((error as? CSVError)?.line, 3)
            XCTAssertTrue(String(describing: error).hasPrefix(path + ":3: schema_version '2'"), "\(error)")
        }
    }

    func testMissingColumnIsNamed() throws {
        let header = Self.header.replacingOccurrences(of: ",median_ms", with: "")
        let path = try write("columns", results: [header, "1,vm,AMD,2,\(fusedKey),ok,40,44,false"],
                             samples: [Self.sampleHeader] + sampleLines(fusedKey, [1]))
        XCTAssertThrowsError(try ResultsFile.read(path)) { error in
            XCTAssertTrue(String(describing: error).contains(":1: missing column 'median_ms'"), "\(error)")
        }
    }

    func testBadNumbersNameFileAndLine() throws {
        let path = try write("numbers", results: [Self.header, "1,vm,AMD,2,fused,1,2,2,sixty,64,16,false,1,none,ok,1.5,40,44,false"],
                             samples: [Self.sampleHeader])
        XCTAssertThrowsError(try ResultsFile.read(path)) { error in
            XCTAssertTrue(String(describing: error).contains("numbers.csv:2: column 'seq_q': expected a positive integer, found 'sixty'"), "\(error)")
        }
        let samplesBad = try write("samplesbad", results: [Self.header, "1,vm,AMD,2,\(fusedKey),ok,1.5,40,44,false"],
                                   samples: [Self.sampleHeader, "1,\(fusedKey),0,1.0", "1,\(fusedKey),1,fast"])
        XCTAssertThrowsError(try ResultsFile.read(samplesBad)) { error in
            XCTAssertTrue(String(describing: error).contains("samplesbad-samples.csv:3: column 'time_ms'"), "\(error)")
        }
    }

    func testDuplicateBenchmarkAndTimedRowWithoutSamples() throws {
        let duplicate = try write("dup", results: [Self.header, "1,vm,AMD,2,\(fusedKey),ok,1.5,40,44,false",
                                                   "1,vm,AMD,2,\(fusedKey),ok,1.5,40,44,false"],
                                  samples: [Self.sampleHeader] + sampleLines(fusedKey, [1]))
        XCTAssertThrowsError(try ResultsFile.read(duplicate)) { error in
            XCTAssertTrue(String(describing: error).contains("dup.csv:3:"), "\(error)")
            XCTAssertTrue(String(describing: error).contains("first on line 2"), "\(error)")
        }
        let unsampled = try write("unsampled", results: [Self.header, "1,vm,AMD,2,\(fusedKey),ok,1.5,40,44,false"],
                                  samples: [Self.sampleHeader])
        XCTAssertThrowsError(try ResultsFile.read(unsampled)) { error in
            XCTAssertTrue(String(describing: error).contains("unsampled.csv:2: benchmark fused"), "\(error)")
        }
    }

    func testReadsWhatTheWriterWrites() throws {
        let shape = AttentionShapeFixture.small
        let key = BenchmarkKey(kernel: "fused", shape: shape, threads: 1, pin: "none")
        let record = BenchmarkRecord(key: key, status: .ok, samples: [2, 1, 3])
        var environment = RunEnvironment(timestamp: "2025-01-01T00:00:00Z", host: "box, with comma", cpuModel: "CPU",
                                         cores: 4, numaNodes: 1, build: "release", commit: "abc")
        environment.probeBefore = 50
        environment.probeAfter = 40
        let path = directory.appendingPathComponent("round.csv").path
        try ResultsCSV.table([record], environment: environment).text.write(toFile: path, atomically: true, encoding: .utf8)
        let samples = CSVTable(header: ResultsSchema.sampleColumns, rows: ResultsCSV.sampleRows(record, environment: environment))
        try samples.text.write(toFile: ResultsFile.samplesPath(for: path), atomically: true, encoding: .utf8)
        let file = try ResultsFile.read(path)
        XCTAssertEqual(file.rows.count, 1)
        XCTAssertEqual(file.rows[0].key, key)
        XCTAssertEqual(file.rows[0].samples, [2, 1, 3])
        XCTAssertEqual(file.rows[0].host, "box, with comma")
        XCTAssertEqual(file.rows[0].peakPerCore, 50)
        XCTAssertEqual(file.rows[0].medianMilliseconds, 2)
    }

    func testParsedTablesKnowTheirLines() throws {
        let table = try CSVTable(parsing: "a,b\n1,2\n\n\"x\ny\",3\n4,5\n", source: "t")
        XCTAssertEqual(table.rowLines, [2, 4, 6])
        XCTAssertEqual(table.line(ofRow: 2), 6)
        XCTAssertEqual(table, CSVTable(header: ["a", "b"], rows: [["1", "2"], ["x\ny", "3"], ["4", "5"]]),
                       "line numbers are not part of equality")
    }
}

import AttentionCore

enum AttentionShapeFixture {
    static let small = AttentionShape(batch: 1, heads: 2, kvHeads: 2, seqQ: 64, seqKV: 64, headDim: 16, causal: false)
}
