#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far a kernel's output is from the float64 reference on a set of query rows.
public struct EquivalenceReport: Sendable, Equatable {
    /// Largest `|o − r|` over the checked elements.
    public var maxAbsoluteError: Double
    /// Largest `|o − r| / max(|r|, 10⁻³ · max|V|)`: relative error, guarded against division by tiny values.
    public var maxRelativeError: Double
    /// `‖o − r‖₂ / ‖r‖₂` over the checked elements (0 when the reference is all zero and so is the output).
    public var normalizedRMSError: Double
    /// The largest absolute error the kernel's ``Tolerance`` allows for these inputs.
    public var allowedAbsoluteError: Double
    /// Elements where the output is NaN/inf but the reference is not, or the reference is NaN and the output not.
    public var nonFiniteMismatches: Int
    public var rowsChecked: Int

    public var passed: Bool { nonFiniteMismatches == 0 && maxAbsoluteError <= allowedAbsoluteError }
}

/// Checks a kernel's output against ``ReferenceAttention`` on the very shape that will be timed.
///
/// Checking every row costs as much as the naive kernel in float64, so for long sequences a seeded random
/// sample of rows per head is checked (always including the first and the last row, where masks bite).
public struct EquivalenceCheck: Sendable {
    /// Query rows checked per head; shapes with at most this many rows are checked in full.
    public var rowsPerHead: Int
    public var seed: UInt64

    public init(rowsPerHead: Int = 64, seed: UInt64 = 0x5EED) {
        self.rowsPerHead = rowsPerHead
        self.seed = seed
    }

    /// The query rows checked for every head of `shape`, sorted.
    public func rows(for shape: AttentionShape) -> [Int] {
        guard shape.seqQ > rowsPerHead else { return Array(0..<shape.seqQ) }
        var chosen: Set<Int> = [0, shape.seqQ - 1]
        var generator = SplitMix64(seed: seed)
        while chosen.count < rowsPerHead { chosen.insert(Int(generator.next() % UInt64(shape.seqQ))) }
        return chosen.sorted()
    }

    /// Compares `operands.o` (already written by the kernel) with the reference.
    public func compare(_ operands: AttentionOperands, tolerance: Tolerance) -> EquivalenceReport {
        let shape = operands.shape
        let d = shape.headDim
        let checkedRows = rows(for: shape)
        let outputScale = maxMagnitude(operands.v, count: shape.keyElements)
        let relativeFloor = Swift.max(1e-3 * outputScale, Double.leastNormalMagnitude)
        var scores = [Double](repeating: 0, count: shape.seqKV)
        var reference = [Double](repeating: 0, count: d)
        var maxAbs = 0.0, maxRel = 0.0, errorSquares = 0.0, referenceSquares = 0.0
        var mismatches = 0
        var kappa = 0.0

        for b in 0..<shape.batch {
            for h in 0..<shape.heads {
                let keyNorm = maxRowNorm(operands.k + operands.keyOffset(batch: b, head: h), rows: shape.seqKV, dim: d)
                let queryBase = operands.q + operands.queryOffset(batch: b, head: h)
                let output = operands.o + operands.queryOffset(batch: b, head: h)
                for i in checkedRows {
                    let queryNorm = maxRowNorm(queryBase + i * d, rows: 1, dim: d)
                    kappa = Swift.max(kappa, Double(abs(shape.scale)) * queryNorm * keyNorm)
                    ReferenceAttention.computeRow(operands, batch: b, head: h, query: i,
                                                  scores: &scores, row: &reference)
                    for c in 0..<d {
                        let r = reference[c], o = Double(output[i * d + c])
                        if r.isNaN || !o.isFinite {
                            if r.isNaN != o.isNaN || (!r.isNaN && r != o) { mismatches += 1 }
                            continue
                        }
                        let error = abs(o - r)
                        maxAbs = Swift.max(maxAbs, error)
                        maxRel = Swift.max(maxRel, error / Swift.max(abs(r), relativeFloor))
                        errorSquares += error * error
                        referenceSquares += r * r
                    }
                }
            }
        }
        let epsilon = Double(Float.ulpOfOne)
        let expected = epsilon * (kappa + log2(Double(shape.seqKV)) + 1) * outputScale
        let normalized = referenceSquares > 0 ? (errorSquares / referenceSquares).squareRoot()
                                              : (errorSquares > 0 ? .infinity : 0)
        return EquivalenceReport(maxAbsoluteError: maxAbs, maxRelativeError: maxRel,
                                 normalizedRMSError: normalized,
                                 allowedAbsoluteError: tolerance.multiplier * expected,
                                 nonFiniteMismatches: mismatches,
                                 rowsChecked: checkedRows.count * shape.batch * shape.heads)
    }

    private func maxMagnitude(_ p: UnsafePointer<Float>, count: Int) -> Double {
        var largest: Float = 0
        for index in 0..<count where p[index].isFinite { largest = Swift.max(largest, abs(p[index])) }
        return Double(largest)
    }

    private func maxRowNorm(_ p: UnsafePointer<Float>, rows: Int, dim: Int) -> Double {
        var largest = 0.0
        for row in 0..<rows {
            var sum = 0.0
            for c in 0..<dim where p[row * dim + c].isFinite { sum += Double(p[row * dim + c]) * Double(p[row * dim + c]) }
            largest = Swift.max(largest, sum.squareRoot())
        }
        return largest
    }
}
