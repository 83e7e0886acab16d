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

/// An outside kernel that reads bf16 keys and values itself, through `TensorView` and `BFloat16Bits`: one
/// query row at a time, online softmax, scalar, fp32 arithmetic on the decoded values.
struct BFloat16KeyValueKernel: AttentionKernel {
    var name: String { "bf16-row-by-row" }
    var summary: String { "one query row at a time, online softmax, bf16 K/V decoded in place" }
    var tolerance: Tolerance { Tolerance(multiplier: 64) }

    func supportsFormats(dtype: ElementFormat, kvDtype: ElementFormat) -> Bool { dtype == .f32 && kvDtype == .bf16 }
    func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int { shape.headDim }

    func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        let shape = operands.shape, d = shape.headDim
        func bf16(_ view: TensorView, _ row: Int, _ c: Int) -> Float {
            BFloat16Bits.decode(view.row(row).loadUnaligned(fromByteOffset: 2 * c, as: UInt16.self))
        }
        for b in 0..<shape.batch {
            for h in 0..<shape.heads {
                let q = operands.q + operands.queryOffset(batch: b, head: h)
                let o = operands.o + operands.queryOffset(batch: b, head: h)
                let firstKey = operands.firstKeyRow(batch: b, head: h)
                for i in 0..<shape.seqQ {
                    var maximum = -Float.infinity, sum: Float = 0
                    for c in 0..<d { scratch[c] = 0 }
                    for j in 0..<shape.visibleKeys(forQuery: i) {
                        var score: Float = 0
                        for c in 0..<d { score += q[i * d + c] * bf16(operands.key, firstKey + j, c) }
                        score *= shape.scale
                        let newMaximum = max(maximum, score)
                        let rescale = maximum == -.infinity ? 0 : expf(maximum - newMaximum)
                        let weight = expf(score - newMaximum)
                        sum = sum * rescale + weight
                        for c in 0..<d { scratch[c] = scratch[c] * rescale + weight * bf16(operands.value, firstKey + j, c) }
                        maximum = newMaximum
                    }
                    for c in 0..<d { o[i * d + c] = sum > 0 ? scratch[c] / sum : 0 }
                }
            }
        }
    }
}

final class OutsideFormatKernelTests: XCTestCase {
    func testAnOutsideKernelTakesBFloat16KeysAndValues() throws {
        let shape = AttentionShape(heads: 4, kvHeads: 2, seqQ: 9, seqKV: 70, headDim: 24, causal: true, kvDtype: .bf16)
        let tensors = AttentionTensors(shape: shape, seed: 3)
        let kernel = BFloat16KeyValueKernel()
        XCTAssertNil(kernel.unsupportedReason(for: shape))
        let scratch = AlignedBuffer(count: kernel.scratchFloats(for: shape, context: .singleThreaded))
        kernel.run(tensors.operands, scratch: scratch.buffer, context: .singleThreaded)
        let report = EquivalenceCheck().compare(tensors, tolerance: kernel.tolerance)
        XCTAssertTrue(report.passed, "\(report.maxAbsoluteError) > \(report.allowedAbsoluteError)")
        XCTAssertGreaterThan(report.formatError ?? 0, 0)
        // The registered kernels race it on the same stored values.
        for registered in KernelRegistry.all(cache: CacheBudget(l1: 32 * 1024, l2: 1 << 20))
        where registered.unsupportedReason(for: shape) == nil {
            let copy = tensors.copy()
            let scratch = AlignedBuffer(count: registered.scratchFloats(for: shape, context: .singleThreaded))
            registered.run(copy.operands, scratch: scratch.buffer, context: .singleThreaded)
            XCTAssertTrue(EquivalenceCheck().compare(copy, tolerance: registered.tolerance).passed, registered.name)
        }
        // An fp32 shape is not its combination: skipped with the reason.
        let reason = kernel.unsupportedReason(for: AttentionShape(heads: 1, seqQ: 4, headDim: 8, causal: false))
        XCTAssertEqual(reason, "bf16-row-by-row does not run dtype f32 with kv-dtype f32 (it runs f32/kv:bf16)")
    }

    /// The whole path a package takes: `Sweep.run` checks it in both formats, times the one it runs, skips
    /// the other with the reason, and writes the formats and the format error into the CSV.
    func testTheSweepRacesItInItsFormatAndSkipsTheOthers() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("attnbench-bf16-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let shapes = [ElementFormat.f32, .bf16].map {
            AttentionShape(heads: 4, kvHeads: 2, seqQ: 9, seqKV: 70, headDim: 24, causal: true, kvDtype: $0)
        }
        var race = SweepConfiguration(shapes: shapes, registeredKernels: ["fused"], additionalKernels: [BFloat16KeyValueKernel()],
                                      resultsPath: path)
        race.probes = false
        race.timing = TimingPolicy(warmupRuns: 0, minRepetitions: 2, minSeconds: 0, maxRepetitions: 2)
        let outcome = try Sweep.run(race)
        let rows = outcome.records.map { "\($0.key.kernel) \($0.key.shape.kvDtype.rawValue) \($0.status.rawValue)" }
        XCTAssertEqual(rows, ["fused f32 ok", "bf16-row-by-row f32 skipped", "fused bf16 ok", "bf16-row-by-row bf16 ok"])
        let file = try ResultsFile.read(path)
        XCTAssertEqual(file.rows.map(\.key), outcome.records.map(\.key), "formats survive the CSV round trip")
        let csv = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(csv.contains(",f32,bf16,"), csv)
    }
}
