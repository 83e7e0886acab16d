/// 2ˣ on every lane, for the softmax's `exp`, which the kernels evaluate as `2^(x·log₂e)` with `log₂e`
/// folded into the score scale.
///
/// Method: x = n + f with n = round(x) and f ∈ [−½, ½]; 2ˣ = 2ⁿ · 2ᶠ. The integer n is found with the
/// "magic number" trick (adding 1.5·2²³ rounds to nearest in the FPU and leaves n in the low mantissa bits),
/// 2ⁿ is built directly in the exponent field, and 2ᶠ is a degree-6 polynomial fitted to 2ᶠ on [−½, ½] for
/// the smallest maximum relative error (iteratively reweighted least squares on Chebyshev nodes, in float64):
/// 1.9·10⁻⁹ before rounding, 9.9·10⁻⁸ evaluated in fp32 by Horner's rule — the same as the degree-7 Taylor
/// polynomial Σₖ (f·ln2)ᵏ/k! it replaced (9.5·10⁻⁸), for one FMA fewer per vector.
/// Measured against libm's `exp` over [−126, 0] the maximum relative error is below 3·10⁻⁷ (see the tests).
/// Inputs below −126 (including −∞) give 0 — the result would be subnormal — and NaN stays NaN.
// `@_transparent`, not `@inline(__always)`: with the latter the optimiser kept this as a call in every
// caller (Swift 6.3, perf on Zen 4: the vector split into four xmm pieces, a `vzeroupper` per call,
// 7% of `fused`'s samples in the call). Transparent functions are inlined unconditionally.
@_transparent
public func exp2Vector(_ x: FloatVector) -> FloatVector {
    let magic = FloatVector(repeating: 12_582_912)             // 1.5 · 2²³
    let clamped = x.replacing(with: -126, where: x .< -126)
    let shifted = clamped + magic
    let n = shifted - magic
    let p = exp2Fraction(clamped - n)
    let exponentBits = (unsafeBitCast(shifted, to: IntVector.self) &- 0x4B40_0000 &+ 127) &<< 23
    let result = p * unsafeBitCast(exponentBits, to: FloatVector.self)
    return result.replacing(with: 0, where: x .< -126)
}

/// ``exp2Vector(_:)`` in three vector operations fewer, for the AVX2 block softmax's probabilities (the loop
/// over a row — load, shift, exp2, store, row sum — is 20 instructions per 8 scores instead of 24, and
/// reloads no constant):
/// - The input is clamped at −127 instead of −126, and the final select of 0 (a compare and an and) is gone:
///   n = −127 leaves the exponent field of 2ⁿ zero, so 2ⁿ · 2ᶠ is +0 exactly, for −∞ too. Inputs in
///   [−126.5, −126) give 2ˣ (a normal number) instead of 0; below −126.5, 0 as before. NaN stays NaN.
/// - The exponent bias is folded into the rounding constant (1.5 · 2²³ + 127): the sum's low bits are then
///   n + 127, and shifting them into the exponent field needs no add (the constant's own bits shift out).
/// Same n, f and polynomial as ``exp2Vector(_:)`` above −126, so the same values there (tested). Measured
/// (AVX2 build on Zen 4, one process alternating the two run by run, thread CPU time, median of the paired
/// ratios): 0.970–0.996 at N = 4096, H = 8, d = 64 and 128, unmasked and causal (MicroKernel+Tile4x3.swift).
@_transparent
public func exp2VectorFlushingToZero(_ x: FloatVector) -> FloatVector {
    let biasedMagic = FloatVector(repeating: 12_583_039)        // 1.5 · 2²³ + 127
    let clamped = x.replacing(with: -127, where: x .< -127)
    let shifted = clamped + biasedMagic
    let n = shifted - biasedMagic
    let exponentBits = unsafeBitCast(shifted, to: IntVector.self) &<< 23
    return exp2Fraction(clamped - n) * unsafeBitCast(exponentBits, to: FloatVector.self)
}

/// 2ᶠ for f ∈ [−½, ½]: the degree-6 minimax polynomial of ``exp2Vector(_:)``, by Horner's rule.
@_transparent
public func exp2Fraction(_ f: FloatVector) -> FloatVector {
    var p = FloatVector(repeating: 1.53416971e-04)
    p = FloatVector(repeating: 1.33998995e-03).addingProduct(p, f)
    p = FloatVector(repeating: 9.61850397e-03).addingProduct(p, f)
    p = FloatVector(repeating: 5.55032901e-02).addingProduct(p, f)
    p = FloatVector(repeating: 0.240226462).addingProduct(p, f)
    p = FloatVector(repeating: 0.693147182).addingProduct(p, f)
    return FloatVector(repeating: 1).addingProduct(p, f)
}
