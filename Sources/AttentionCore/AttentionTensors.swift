/// The four tensors of one attention problem, 64-byte aligned.
///
/// Layout (row-major, no padding): element `(b, h, i, c)` of Q and O is at
/// `((b * heads + h) * seqQ + i) * headDim + c`; element `(b, g, j, c)` of K and V is at
/// `((b * kvHeads + g) * seqKV + j) * headDim + c`.
public final class AttentionTensors: @unchecked Sendable {
    public let shape: AttentionShape
    public let q: AlignedBuffer
    public let k: AlignedBuffer
    public let v: AlignedBuffer
    public let o: AlignedBuffer

    public init(shape: AttentionShape) {
        self.shape = shape
        q = AlignedBuffer(count: shape.queryElements)
        k = AlignedBuffer(count: shape.keyElements)
        v = AlignedBuffer(count: shape.keyElements)
        o = AlignedBuffer(count: shape.queryElements)
    }

    /// Fills Q, K and V with uniform values in `[-magnitude, magnitude)` drawn from ``SplitMix64``.
    /// The same seed gives bit-identical tensors.
    public convenience init(shape: AttentionShape, seed: UInt64, magnitude: Float = 1) {
        self.init(shape: shape)
        var generator = SplitMix64(seed: seed)
        for buffer in [q, k, v] {
            for index in 0..<buffer.count { buffer[index] = magnitude * generator.nextSignedUnitFloat() }
        }
    }

    /// A new set of tensors holding the same values.
    public func copy() -> AttentionTensors {
        let copy = AttentionTensors(shape: shape)
        for (source, target) in [(q, copy.q), (k, copy.k), (v, copy.v), (o, copy.o)] {
            target.pointer.update(from: source.pointer, count: source.count)
        }
        return copy
    }

    public var operands: AttentionOperands {
        AttentionOperands(shape: shape, q: UnsafePointer(q.pointer), k: UnsafePointer(k.pointer),
                          v: UnsafePointer(v.pointer), o: o.pointer)
    }
}

/// Raw pointers a kernel reads and writes. Built once outside the timed region.
public struct AttentionOperands: @unchecked Sendable {
    public let shape: AttentionShape
    public let q: UnsafePointer<Float>
    public let k: UnsafePointer<Float>
    public let v: UnsafePointer<Float>
    public let o: UnsafeMutablePointer<Float>

    public init(shape: AttentionShape, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                v: UnsafePointer<Float>, o: UnsafeMutablePointer<Float>) {
        self.shape = shape
        self.q = q
        self.k = k
        self.v = v
        self.o = o
    }

    /// First element of query head `(b, h)`'s `seqQ × headDim` slice (also O's).
    @inlinable public func queryOffset(batch b: Int, head h: Int) -> Int {
        (b * shape.heads + h) * shape.seqQ * shape.headDim
    }

    /// First element of the key/value slice read by query head `(b, h)`.
    @inlinable public func keyOffset(batch b: Int, head h: Int) -> Int {
        (b * shape.kvHeads + h / shape.groupSize) * shape.seqKV * shape.headDim
    }
}
