import AttentionCore

#if ATTNBENCH_SIMD16
/// The widest fp32 vector of the build target: 16 lanes (one 512-bit register) where AVX-512 is available.
public typealias FloatVector = SIMD16<Float>
/// Integer lanes matching ``FloatVector``, for building exponents bit by bit.
public typealias IntVector = SIMD16<Int32>
#else
/// The widest fp32 vector of the build target: 8 lanes (one 256-bit AVX register).
public typealias FloatVector = SIMD8<Float>
/// Integer lanes matching ``FloatVector``, for building exponents bit by bit.
public typealias IntVector = SIMD8<Int32>
#endif

/// Lanes in ``FloatVector``: every packed panel's width is a multiple of it.
public let vectorWidth = FloatVector.scalarCount

@inline(__always)
func loadVector(_ p: UnsafePointer<Float>) -> FloatVector {
    UnsafeRawPointer(p).loadUnaligned(as: FloatVector.self)
}

@inline(__always)
func storeVector(_ value: FloatVector, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: FloatVector.self)
}

/// `value` rounded up to a multiple of `multiple`.
@inline(__always)
public func roundUp(_ value: Int, toMultipleOf multiple: Int) -> Int {
    (value + multiple - 1) / multiple * multiple
}
