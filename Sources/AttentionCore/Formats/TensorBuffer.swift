#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One tensor's storage in its ``ElementFormat``: `rows` rows of `rowLength` values, each row
/// `format.rowBytes(rowLength)` bytes, 64-byte aligned, zero-initialised, freed with the object.
///
/// The `Float` subscript reads a value decoded exactly and writes one rounded to the format, so tests can
/// poke NaNs into any format; writing one q8_0 value quantises its whole block again (a NaN or ±∞ there
/// turns the block into NaNs, ``Q8Block``).
public final class TensorBuffer: @unchecked Sendable {
    public let format: ElementFormat
    public let rows: Int
    public let rowLength: Int
    public let rowBytes: Int
    public let byteCount: Int
    public let raw: UnsafeMutableRawPointer

    public init(format: ElementFormat, rows: Int, rowLength: Int) {
        self.format = format
        self.rows = rows
        self.rowLength = rowLength
        rowBytes = format.rowBytes(rowLength)
        byteCount = rows * rowBytes
        raw = UnsafeMutableRawPointer.allocate(byteCount: max(64, byteCount), alignment: AlignedBuffer.alignment)
        if format == .f32 {
            raw.initializeMemory(as: Float.self, repeating: 0, count: max(16, byteCount / 4))
        } else {
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(64, byteCount))
        }
    }

    deinit { raw.deallocate() }

    /// Values held, `rows · rowLength`.
    public var count: Int { rows * rowLength }

    /// The values as binary32, for f32 storage only.
    public var pointer: UnsafeMutablePointer<Float> {
        precondition(format == .f32, "a \(format.rawValue) tensor has no Float pointer")
        return raw.assumingMemoryBound(to: Float.self)
    }

    /// The values as binary32, for f32 storage only.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    public var view: TensorView { TensorView(format: format, base: UnsafeRawPointer(raw), rowBytes: rowBytes) }
    public var mutableView: MutableTensorView { MutableTensorView(format: format, base: raw, rowBytes: rowBytes) }

    /// Value `index` (row-major over rows of `rowLength`), decoded exactly; setting rounds to the format.
    public subscript(index: Int) -> Float {
        get { format.decode(raw + index / rowLength * rowBytes, index % rowLength) }
        set {
            let row = raw + index / rowLength * rowBytes, column = index % rowLength
            guard format == .q8_0 else { return format.encode(newValue, into: row, column) }
            let first = column / 32 * 32, count = min(32, rowLength - first)
            var values = (0..<count).map { format.decode(row, first + $0) }
            values[column - first] = newValue
            Q8Block.quantize(values, count: count, into: row + first / 32 * ElementFormat.q8BlockBytes)
        }
    }

    /// Sets every value to `value` rounded to the format.
    public func fill(_ value: Float) {
        let row = [Float](repeating: value, count: rowLength)
        for index in 0..<rows { format.encodeRow(row, count: rowLength, into: raw + index * rowBytes) }
    }

    /// Rounds row `index` of `values` (`rowLength` binary32 values) into the format.
    public func store(row index: Int, from values: UnsafePointer<Float>) {
        format.encodeRow(values, count: rowLength, into: raw + index * rowBytes)
    }

    /// Every value, decoded.
    public func decoded() -> [Float] { (0..<count).map { self[$0] } }

    /// The stored bytes.
    public var bytes: [UInt8] { Array(UnsafeRawBufferPointer(start: raw, count: byteCount)) }
}

/// Read-only typed storage of one tensor, as a kernel receives it: the format, the first byte and the
/// bytes per row (one head-dimension vector). Rows never share a byte (q8_0 rows end on a block).
public struct TensorView: @unchecked Sendable {
    public let format: ElementFormat
    public let base: UnsafeRawPointer
    public let rowBytes: Int

    public init(format: ElementFormat, base: UnsafeRawPointer, rowBytes: Int) {
        self.format = format
        self.base = base
        self.rowBytes = rowBytes
    }

    /// The first byte of row `index`.
    @inlinable @inline(__always) public func row(_ index: Int) -> UnsafeRawPointer { base + index &* rowBytes }

    /// Value `column` of row `index`, decoded exactly (a switch per call: for slow paths).
    @inlinable public func value(row index: Int, column: Int) -> Float { format.decode(row(index), column) }

    /// The storage as binary32 values: meaningful for f32 only.
    @inlinable public var floats: UnsafePointer<Float> {
        assert(format == .f32, "a \(format.rawValue) tensor read as Float")
        return base.assumingMemoryBound(to: Float.self)
    }
}

/// Writable typed storage of one tensor (the output): as ``TensorView``.
public struct MutableTensorView: @unchecked Sendable {
    public let format: ElementFormat
    public let base: UnsafeMutableRawPointer
    public let rowBytes: Int

    public init(format: ElementFormat, base: UnsafeMutableRawPointer, rowBytes: Int) {
        self.format = format
        self.base = base
        self.rowBytes = rowBytes
    }

    @inlinable @inline(__always) public func row(_ index: Int) -> UnsafeMutableRawPointer { base + index &* rowBytes }

    /// Stores `value`, rounded to the format, as value `column` of row `index` (f32, f16 or bf16).
    @inlinable public func store(_ value: Float, row index: Int, column: Int) { format.encode(value, into: row(index), column) }

    /// Value `column` of row `index`, decoded exactly.
    @inlinable public func value(row index: Int, column: Int) -> Float { format.decode(UnsafeRawPointer(row(index)), column) }

    /// The storage as binary32 values: meaningful for f32 only.
    @inlinable public var floats: UnsafeMutablePointer<Float> {
        assert(format == .f32, "a \(format.rawValue) tensor written as Float")
        return base.assumingMemoryBound(to: Float.self)
    }

    public var readOnly: TensorView { TensorView(format: format, base: UnsafeRawPointer(base), rowBytes: rowBytes) }
}
