/// How the elements of a tensor are stored.
///
/// - `f32`: IEEE binary32, 4 bytes.
/// - `f16`: IEEE binary16, 2 bytes, rounded to nearest, ties to even. A finite value beyond ±65504 (the
///   largest finite f16) is *saturated* to ±65504, never turned into ±∞; NaN stays NaN (quieted) and ±∞
///   stays ±∞.
/// - `bf16`: the top half of a binary32 (8-bit exponent, 7-bit fraction), 2 bytes, rounded to nearest, ties
///   to even. A finite value that would round past the largest finite bf16 saturates to ±3.3895e38 as f16
///   does; NaN stays NaN (quieted), ±∞ stays ±∞.
/// - `q8_0`: ggml's block format. Each row (one head-dimension vector) is cut into blocks of 32 consecutive
///   values; a block is 34 bytes: its scale `d` as f16 (little-endian), then 32 signed bytes `q`, and holds
///   the values `q · d`. A row whose length is not a multiple of 32 ends with a partial block of `d mod 32`
///   values stored as a full 34-byte block whose missing values are zero (quantised as zeros, so they do not
///   change its scale). Quantisation is ggml's `quantize_row_q8_0_ref`: `amax = max|x|`, `d = amax / 127`,
///   `q = round(x / d)` (half away from zero), scale stored as `f16(d)`. A block holding a NaN or ±∞ cannot
///   be represented: it gets a NaN scale and zero bytes, so *every value of that block* decodes to NaN.
///   Rows start on block boundaries; the format holds keys and values only (``AttentionShape/kvDtype``).
public enum ElementFormat: String, CaseIterable, Sendable {
    case f32, f16, bf16, q8_0

    /// Values per q8_0 block.
    @inlinable public static var q8BlockValues: Int { 32 }
    /// Bytes per q8_0 block: the f16 scale and 32 signed bytes.
    @inlinable public static var q8BlockBytes: Int { 34 }

    /// Bytes of one row of `length` values (q8_0: whole blocks, the last one padded).
    @inlinable public func rowBytes(_ length: Int) -> Int {
        switch self {
        case .f32: return 4 &* length
        case .f16, .bf16: return 2 &* length
        case .q8_0: return (length &+ 31) / 32 &* 34
        }
    }

    /// ``rowBytes(_:)`` with overflow checks: nil when it does not fit in `Int`.
    public func checkedRowBytes(_ length: Int) -> Int? {
        switch self {
        case .f32: return AttentionShape.product(4, length)
        case .f16, .bf16: return AttentionShape.product(2, length)
        case .q8_0:
            let (padded, overflow) = length.addingReportingOverflow(31)
            return overflow ? nil : AttentionShape.product(padded / 32, 34)
        }
    }

    /// Whether queries and outputs may be stored in this format (q8_0 holds keys and values only).
    public var holdsQueriesAndOutputs: Bool { self != .q8_0 }

    /// Half a unit in the last place of `magnitude` once rounded to this format: the largest error that
    /// rounding one value of at most that magnitude into it makes (0 for f32, which kernels write exactly).
    public func halfULP(of magnitude: Double) -> Double {
        let fractionBits: Int
        switch self {
        case .f32: return 0
        case .f16: fractionBits = 10
        case .bf16: fractionBits = 7
        case .q8_0: return magnitude / 127 / 2
        }
        guard magnitude > 0, magnitude.isFinite else { return 0 }
        let exponent = Swift.max(magnitude.exponent, self == .f16 ? -14 : -126)
        return Double(sign: .plus, exponent: exponent - fractionBits - 1, significand: 1)
    }
}
