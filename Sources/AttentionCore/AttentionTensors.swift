/// The four tensors of one attention problem, each in its format (``AttentionShape/dtype`` for Q and O,
/// ``AttentionShape/kvDtype`` for K and V), 64-byte aligned.
///
/// Layout (row-major, no padding between rows): row `(b, h, i)` of Q and O is row `(b * heads + h) * seqQ + i`;
/// row `(b, g, j)` of K and V is row `(b * kvHeads + g) * seqKV + j`; a row holds the `headDim` values of one
/// vector in `format.rowBytes(headDim)` bytes. In fp32, element `(b, h, i, c)` of Q is float
/// `((b * heads + h) * seqQ + i) * headDim + c`.
public final class AttentionTensors: @unchecked Sendable {
    public let shape: AttentionShape
    public let q: TensorBuffer
    public let k: TensorBuffer
    public let v: TensorBuffer
    public let o: TensorBuffer
    /// The fp32 values the inputs were rounded from, when they were drawn from a seed.
    public let inputs: SeededInputs?

    /// Zero-filled tensors.
    public convenience init(shape: AttentionShape) { self.init(shape: shape, inputs: nil) }

    /// Fills Q, K and V with uniform values in `[-magnitude, magnitude)` drawn from ``SplitMix64`` in fp32
    /// (Q, then K, then V, row-major), each rounded to its tensor's format: every format starts from the same
    /// numbers, and in fp32 the same seed gives bit-identical tensors.
    public convenience init(shape: AttentionShape, seed: UInt64, magnitude: Float = 1) {
        self.init(shape: shape, inputs: SeededInputs(shape: shape, seed: seed, magnitude: magnitude))
        var generator = SplitMix64(seed: seed)
        var row = [Float](repeating: 0, count: shape.headDim)
        for buffer in [q, k, v] {
            for index in 0..<buffer.rows {
                for c in 0..<shape.headDim { row[c] = magnitude * generator.nextSignedUnitFloat() }
                buffer.store(row: index, from: row)
            }
        }
    }

    private init(shape: AttentionShape, inputs: SeededInputs?) {
        self.shape = shape
        self.inputs = inputs
        let queryRows = shape.batch * shape.heads * shape.seqQ, keyRows = shape.batch * shape.kvHeads * shape.seqKV
        q = TensorBuffer(format: shape.dtype, rows: queryRows, rowLength: shape.headDim)
        k = TensorBuffer(format: shape.kvDtype, rows: keyRows, rowLength: shape.headDim)
        v = TensorBuffer(format: shape.kvDtype, rows: keyRows, rowLength: shape.headDim)
        o = TensorBuffer(format: shape.dtype, rows: queryRows, rowLength: shape.headDim)
    }

    /// A new set of tensors holding the same bytes.
    public func copy() -> AttentionTensors {
        let copy = AttentionTensors(shape: shape, inputs: inputs)
        for (from, to) in [(q, copy.q), (k, copy.k), (v, copy.v), (o, copy.o)] {
            to.raw.copyMemory(from: from.raw, byteCount: from.byteCount)
        }
        return copy
    }

    public var operands: AttentionOperands {
        AttentionOperands(shape: shape, query: q.view, key: k.view, value: v.view, output: o.mutableView)
    }
}

/// The fp32 inputs a seed draws (before rounding to any format), computed on demand without storing them:
/// what ``EquivalenceCheck`` measures ``EquivalenceReport/formatError`` against.
public struct SeededInputs: Sendable, Equatable {
    public let shape: AttentionShape
    public let seed: UInt64
    public let magnitude: Float

    public init(shape: AttentionShape, seed: UInt64, magnitude: Float = 1) {
        self.shape = shape
        self.seed = seed
        self.magnitude = magnitude
    }

    /// Value `index` (row-major) of Q, K or V as drawn in fp32.
    @inlinable public func query(_ index: Int) -> Float { draw(index) }
    @inlinable public func key(_ index: Int) -> Float { draw(shape.queryElements + index) }
    @inlinable public func value(_ index: Int) -> Float { draw(shape.queryElements + shape.keyElements + index) }

    @inlinable func draw(_ index: Int) -> Float { magnitude * SplitMix64.signedUnitFloat(seed: seed, index: index) }
}

/// Typed storage a kernel reads and writes: Q, K, V and O, each with its format and bytes per row. Built
/// once outside the timed region.
public struct AttentionOperands: @unchecked Sendable {
    public let shape: AttentionShape
    public let query: TensorView
    public let key: TensorView
    public let value: TensorView
    public let output: MutableTensorView

    public init(shape: AttentionShape, query: TensorView, key: TensorView, value: TensorView, output: MutableTensorView) {
        self.shape = shape
        self.query = query
        self.key = key
        self.value = value
        self.output = output
    }

    /// fp32 operands (the shape's formats must be f32).
    public init(shape: AttentionShape, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                v: UnsafePointer<Float>, o: UnsafeMutablePointer<Float>) {
        precondition(shape.dtype == .f32 && shape.kvDtype == .f32, "Float operands need an f32 shape")
        let rowBytes = 4 * shape.headDim
        self.init(shape: shape, query: TensorView(format: .f32, base: UnsafeRawPointer(q), rowBytes: rowBytes),
                  key: TensorView(format: .f32, base: UnsafeRawPointer(k), rowBytes: rowBytes),
                  value: TensorView(format: .f32, base: UnsafeRawPointer(v), rowBytes: rowBytes),
                  output: MutableTensorView(format: .f32, base: UnsafeMutableRawPointer(o), rowBytes: rowBytes))
    }

    /// Q, K, V and O as binary32: meaningful when their format is f32.
    @inlinable public var q: UnsafePointer<Float> { query.floats }
    @inlinable public var k: UnsafePointer<Float> { key.floats }
    @inlinable public var v: UnsafePointer<Float> { value.floats }
    @inlinable public var o: UnsafeMutablePointer<Float> { output.floats }

    /// First element of query head `(b, h)`'s `seqQ × headDim` slice (also O's), counted in values.
    @inlinable public func queryOffset(batch b: Int, head h: Int) -> Int {
        (b * shape.heads + h) * shape.seqQ * shape.headDim
    }

    /// First element of the key/value slice read by query head `(b, h)`, counted in values.
    @inlinable public func keyOffset(batch b: Int, head h: Int) -> Int {
        (b * shape.kvHeads + h / shape.groupSize) * shape.seqKV * shape.headDim
    }

    /// First row of query head `(b, h)` in Q and O (rows of `headDim` values, any format).
    @inlinable public func firstQueryRow(batch b: Int, head h: Int) -> Int { (b &* shape.heads &+ h) &* shape.seqQ }

    /// First row of the key/value head read by query head `(b, h)` in K and V.
    @inlinable public func firstKeyRow(batch b: Int, head h: Int) -> Int {
        (b &* shape.kvHeads &+ h / shape.groupSize) &* shape.seqKV
    }
}
