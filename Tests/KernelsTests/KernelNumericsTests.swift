import XCTest
import AttentionCore
import Kernels

/// The documented numerics (docs/measurement.md, "Numerics"), the same for every kernel: NaN reaches exactly the rows
/// that read it, −∞ scores weigh nothing, fully masked rows are zero, huge scores stay exact.
final class KernelNumericsTests: XCTestCase {
    let kernels = KernelRegistry.all(cache: CacheBudget(l1: 32 * 1024, l2: 1 << 20))

    func run(_ kernel: any AttentionKernel, _ tensors: AttentionTensors) {
        let context = KernelContext(threads: kernel.isParallel ? 2 : 1)
        let scratch = AlignedBuffer(count: kernel.scratchFloats(for: tensors.shape, context: context))
        tensors.o.fill(-7)
        kernel.run(tensors.operands, scratch: scratch.buffer, context: context)
    }

    func rowIsNaN(_ tensors: AttentionTensors, head: Int, row: Int) -> Bool {
        let d = tensors.shape.headDim
        let base = (head * tensors.shape.seqQ + row) * d
        return (0..<d).allSatisfy { tensors.o[base + $0].isNaN }
    }

    func rowIsFinite(_ tensors: AttentionTensors, head: Int, row: Int) -> Bool {
        let d = tensors.shape.headDim
        let base = (head * tensors.shape.seqQ + row) * d
        return (0..<d).allSatisfy { tensors.o[base + $0].isFinite }
    }

    func testNaNInAQueryRowPoisonsOnlyThatRow() {
        let shape = AttentionShape(heads: 2, seqQ: 70, headDim: 20, causal: false)
        for kernel in kernels {
            let tensors = AttentionTensors(shape: shape, seed: 1)
            tensors.q[(1 * 70 + 33) * 20 + 5] = .nan
            run(kernel, tensors)
            for row in 0..<70 {
                XCTAssertEqual(rowIsNaN(tensors, head: 1, row: row), row == 33, "\(kernel.name) row \(row)")
                XCTAssertTrue(rowIsFinite(tensors, head: 0, row: row), "\(kernel.name) head 0 row \(row)")
            }
        }
    }

    func testNaNInAValueRowPoisonsExactlyTheRowsThatSeeIt() {
        // Causal, Nq = Nk: key 40 is seen by rows 40...; rows before it must stay finite.
        let shape = AttentionShape(heads: 1, seqQ: 90, headDim: 24, causal: true)
        for kernel in kernels {
            for poisoned in [AttentionTensors.Component.value, .key] {
                let tensors = AttentionTensors(shape: shape, seed: 2)
                let buffer = poisoned == .value ? tensors.v : tensors.k
                buffer[40 * 24 + 3] = .nan
                run(kernel, tensors)
                for row in 0..<90 {
                    // A NaN key poisons the scores, so the whole row; a NaN value only its own column.
                    let poisonedRow = poisoned == .key ? rowIsNaN(tensors, head: 0, row: row) : tensors.o[row * 24 + 3].isNaN
                    XCTAssertEqual(poisonedRow, row >= 40, "\(kernel.name) \(poisoned) row \(row)")
                    if row < 40 { XCTAssertTrue(rowIsFinite(tensors, head: 0, row: row), "\(kernel.name) \(poisoned) row \(row)") }
                }
            }
        }
    }

    func testRowsWhoseScoresAreAllMinusInfinityAreZeroAndOthersUnaffected() {
        // q·k = −∞ for every key when q has −∞ where every key is positive and zeros elsewhere.
        let shape = AttentionShape(heads: 1, seqQ: 20, headDim: 8, causal: false)
        for kernel in kernels {
            let tensors = AttentionTensors(shape: shape, seed: 3)
            for j in 0..<20 { tensors.k[j * 8] = 0.5 + Float(j) / 100 }
            for c in 0..<8 { tensors.q[7 * 8 + c] = c == 0 ? -.infinity : 0 }
            run(kernel, tensors)
            XCTAssertEqual((0..<8).map { tensors.o[7 * 8 + $0] }, [Float](repeating: 0, count: 8), kernel.name)
            for row in 0..<20 where row != 7 { XCTAssertTrue(rowIsFinite(tensors, head: 0, row: row), kernel.name) }
        }
    }

    func testPlusInfinityScoreMakesTheRowNaN() {
        let shape = AttentionShape(heads: 1, seqQ: 10, headDim: 8, causal: false)
        for kernel in kernels {
            let tensors = AttentionTensors(shape: shape, seed: 4)
            for j in 0..<10 { tensors.k[j * 8] = 0.5 }
            for c in 0..<8 { tensors.q[2 * 8 + c] = c == 0 ? .infinity : 0 }
            run(kernel, tensors)
            XCTAssertTrue(rowIsNaN(tensors, head: 0, row: 2), kernel.name)
            XCTAssertTrue(rowIsFinite(tensors, head: 0, row: 3), kernel.name)
        }
    }

    func testFullyMaskedRowsAreZero() {
        let shape = AttentionShape(heads: 1, seqQ: 12, seqKV: 5, headDim: 8, causal: true)
        for kernel in kernels {
            let tensors = AttentionTensors(shape: shape, seed: 5)
            run(kernel, tensors)
            for row in 0..<7 {
                XCTAssertEqual((0..<8).map { tensors.o[row * 8 + $0] }, [Float](repeating: 0, count: 8), "\(kernel.name) row \(row)")
            }
            XCTAssertTrue(rowIsFinite(tensors, head: 0, row: 7), kernel.name)
        }
    }

    func testScoresUpToTenThousandStayWithinTolerance() {
        // Uniform inputs of magnitude 60 with d = 64 give scores of about ±1e4.
        let shape = AttentionShape(heads: 2, seqQ: 96, headDim: 64, causal: true)
        let tensors = AttentionTensors(shape: shape, seed: 6, magnitude: 60)
        var largest: Float = 0
        for j in 0..<96 {
            var dot: Float = 0
            for c in 0..<64 { dot += tensors.q[c] * tensors.k[j * 64 + c] }
            largest = max(largest, abs(dot * shape.scale))
        }
        XCTAssertGreaterThan(largest, 1000)
        for kernel in kernels {
            run(kernel, tensors)
            let report = EquivalenceCheck(rowsPerHead: 96).compare(tensors.operands, tolerance: kernel.tolerance)
            XCTAssertTrue(report.passed, "\(kernel.name): \(report.maxAbsoluteError) > \(report.allowedAbsoluteError)")
        }
    }
}

extension AttentionTensors {
    enum Component { case key, value }
}
