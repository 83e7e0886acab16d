import AttnBench
import Foundation
import XCTest

/// A deliberately wrong kernel: the race must report it as failed and never time it.
struct ZeroKernel: AttentionKernel {
    var name: String { "zeros" }
    var summary: String { "writes zeros" }
    var tolerance: Tolerance { Tolerance(multiplier: 64) }
    func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int { 0 }
    func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        for index in 0..<operands.shape.queryElements { operands.o[index] = 0 }
    }
}

/// Races outside kernels against the registered ones through `import AttnBench` alone (no `@testable`).
final class OutsideKernelTests: XCTestCase {
    func temporaryCSV() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-library-\(UUID()).csv").path
    }

    func testAnOutsideKernelIsCheckedTimedAndWritten() throws {
        let shapes = [AttentionShape(heads: 2, kvHeads: 1, seqQ: 40, seqKV: 56, headDim: 12, causal: true),
                      AttentionShape(heads: 4, kvHeads: 2, seqQ: 24, seqKV: 20, headDim: 12, causal: true),
                      AttentionShape(heads: 2, seqQ: 33, headDim: 8, causal: false)]
        var configuration = SweepConfiguration(shapes: shapes, registeredKernels: ["naive", "fused"],
                                               additionalKernels: [RowByRowKernel(), ZeroKernel()],
                                               timing: TimingPolicy(warmupRuns: 0, minRepetitions: 2, minSeconds: 0),
                                               resultsPath: temporaryCSV())
        configuration.log = { _ in }
        let outcome = try Sweep.run(configuration)

        XCTAssertEqual(outcome.records.count, shapes.count * 4)
        let mine = outcome.records.filter { $0.key.kernel == "row-by-row" }
        XCTAssertEqual(mine.count, shapes.count)
        for record in mine {
            XCTAssertEqual(record.status, .ok, record.note)
            XCTAssertEqual(record.samples.count, 2)
            XCTAssertNotNil(record.speedupOverNaive, "raced against naive on the same shape")
        }
        XCTAssertEqual(Set(outcome.failed.map(\.key.kernel)), ["zeros"], "a wrong kernel fails its check")
        XCTAssertTrue(outcome.failed.allSatisfy { $0.samples.isEmpty }, "and is never timed")

        // The file holds the same rows, readable by the gate's reader.
        let file = try ResultsFile.read(outcome.resultsPath)
        XCTAssertEqual(file.rows.map(\.key), outcome.records.map(\.key))
        XCTAssertEqual(file.rows.first { $0.key.kernel == "row-by-row" }?.samples.count, 2)
        XCTAssertEqual(file.rows.first?.hostID, MachineFingerprint.current().id)
    }

    func testAKernelNameUsedTwiceIsRefused() {
        var configuration = SweepConfiguration(shapes: [AttentionShape(heads: 1, seqQ: 4, headDim: 4, causal: false)],
                                               registeredKernels: ["naive"], additionalKernels: [RowByRowKernel(), RowByRowKernel()],
                                               resultsPath: temporaryCSV())
        configuration.log = { _ in }
        XCTAssertThrowsError(try Sweep.run(configuration)) { error in
            XCTAssertTrue("\(error)".contains("row-by-row"), "\(error)")
        }
    }

    func testAnOverflowingShapeIsRefusedBeforeAnythingRuns() {
        let huge = AttentionShape(batch: 65536, heads: 65536, seqQ: 65536, headDim: 65536, causal: false)
        XCTAssertThrowsError(try Sweep.run(SweepConfiguration(shapes: [huge], resultsPath: temporaryCSV()))) { error in
            XCTAssertTrue(error is ShapeError, "\(error)")
        }
    }
}
