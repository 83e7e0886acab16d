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
    /// The largest absolute error allowed for these inputs: the kernel's ``Tolerance`` times the fp32 bound,
    /// plus ``outputRounding``.
    public var allowedAbsoluteError: Double
    /// The part of ``allowedAbsoluteError`` that rounding O into its format takes: half a unit in the last
    /// place of max|O| in f16 or bf16 (the reference is not rounded; the kernel's stored output must be),
    /// 0 in f32.
    public var outputRounding: Double
    /// What the storage formats cost in accuracy: the largest `|o − r₃₂|`, where `r₃₂` is the float64 result
    /// on the fp32 inputs the tensors were rounded from (the same seed, before rounding), over the checked
    /// elements where both are finite. Reported, not gated; nil when the inputs were not drawn from a seed.
    /// With every tensor in f32 it is the kernel's own error, ``maxAbsoluteError``.
    public var formatError: Double?
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

    /// Compares the tensors' output (already written by the kernel) with the reference, and, when the
    /// inputs were drawn from a seed, with the float64 result on their unrounded fp32 values.
    public func compare(_ tensors: AttentionTensors, tolerance: Tolerance) -> EquivalenceReport {
        compare(tensors.operands, tolerance: tolerance, unrounded: tensors.inputs)
    }

    /// Compares `operands.o` (already written by the kernel) with the reference on the stored inputs;
    /// `unrounded`, the fp32 values those inputs were rounded from, adds ``EquivalenceReport/formatError``.
    public func compare(_ operands: AttentionOperands, tolerance: Tolerance, unrounded: SeededInputs? = nil) -> EquivalenceReport {
        let shape = operands.shape
        let d = shape.headDim
        let checkedRows = rows(for: shape)
        let stored = StoredInputs(operands)
        var inputRow = [Double](repeating: 0, count: d)
        let outputScale = maxMagnitude(stored, .value, rows: shape.batch * shape.kvHeads * shape.seqKV, into: &inputRow)
        let relativeFloor = Swift.max(1e-3 * outputScale, Double.leastNormalMagnitude)
        var scores = [Double](repeating: 0, count: shape.seqKV)
        var reference = [Double](repeating: 0, count: d)
        var maxAbs = 0.0, maxRel = 0.0, errorSquares = 0.0, referenceSquares = 0.0, maxReference = 0.0
        var formatError = 0.0
        // In fp32 the unrounded inputs are the stored ones: the format error is the kernel's own error, and a
        // second reference row per checked row (regenerating every input from the seed) would only repeat it.
        let formatReference = unrounded.flatMap { shape.dtype == .f32 && shape.kvDtype == .f32 ? nil : $0 }
        var mismatches = 0
        var kappa = 0.0

        for b in 0..<shape.batch {
            for h in 0..<shape.heads {
                let firstKey = operands.firstKeyRow(batch: b, head: h), firstQuery = operands.firstQueryRow(batch: b, head: h)
                let keyNorm = maxRowNorm(stored, .key, rows: firstKey..<(firstKey + shape.seqKV), into: &inputRow)
                for i in checkedRows {
                    let queryNorm = maxRowNorm(stored, .query, rows: (firstQuery + i)..<(firstQuery + i + 1), into: &inputRow)
                    kappa = Swift.max(kappa, Double(abs(shape.scale)) * queryNorm * keyNorm)
                    if let unrounded = formatReference {
                        ReferenceAttention.computeRow(unrounded, batch: b, head: h, query: i, scores: &scores, row: &reference)
                        for c in 0..<d {
                            let o = Double(operands.output.value(row: firstQuery + i, column: c))
                            if reference[c].isFinite && o.isFinite { formatError = Swift.max(formatError, abs(o - reference[c])) }
                        }
                    }
                    ReferenceAttention.computeRow(stored, batch: b, head: h, query: i, scores: &scores, row: &reference)
                    for c in 0..<d {
                        let r = reference[c], o = Double(operands.output.value(row: firstQuery + i, column: c))
                        if r.isNaN || !o.isFinite {
                            if r.isNaN != o.isNaN || (!r.isNaN && r != o) { mismatches += 1 }
                            continue
                        }
                        let error = abs(o - r)
                        maxReference = Swift.max(maxReference, abs(r))
                        maxAbs = Swift.max(maxAbs, error)
                        maxRel = Swift.max(maxRel, error / Swift.max(abs(r), relativeFloor))
                        errorSquares += error * error
                        referenceSquares += r * r
                    }
                }
            }
        }
        let epsilon = Double(Float.ulpOfOne)
        let arithmetic = tolerance.multiplier * epsilon * (kappa + log2(Double(shape.seqKV)) + 1) * outputScale
        // The kernel's fp32 result may exceed max|r| by its own error, and may sit in the next binade up.
        let rounding = shape.dtype.halfULP(of: maxReference + arithmetic)
        let normalized = referenceSquares > 0 ? (errorSquares / referenceSquares).squareRoot()
                                              : (errorSquares > 0 ? .infinity : 0)
        return EquivalenceReport(maxAbsoluteError: maxAbs, maxRelativeError: maxRel,
                                 normalizedRMSError: normalized,
                                 allowedAbsoluteError: arithmetic + rounding,
                                 outputRounding: rounding,
                                 formatError: unrounded == nil ? nil : (formatReference == nil ? maxAbs : formatError),
                                 nonFiniteMismatches: mismatches,
                                 rowsChecked: checkedRows.count * shape.batch * shape.heads)
    }

    private func maxMagnitude(_ inputs: StoredInputs, _ tensor: InputTensor, rows: Int, into row: inout [Double]) -> Double {
        var largest = 0.0
        for index in 0..<rows {
            inputs.load(tensor, row: index, into: &row)
            for value in row where value.isFinite { largest = Swift.max(largest, abs(value)) }
        }
        return largest
    }

    private func maxRowNorm(_ inputs: StoredInputs, _ tensor: InputTensor, rows: Range<Int>, into row: inout [Double]) -> Double {
        var largest = 0.0
        for index in rows {
            inputs.load(tensor, row: index, into: &row)
            var sum = 0.0
            for value in row where value.isFinite { sum += value * value }
            largest = Swift.max(largest, sum.squareRoot())
        }
        return largest
    }
}
