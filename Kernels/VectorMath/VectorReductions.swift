// Lane-wise and horizontal max and sum for the softmax.
//
// The standard library's `pointwiseMax` and `SIMD.max()` follow IEEE `maximum` NaN rules lane by lane
// and compile to scalar loops with branches (measured: 60 of 80 ms of `fused` at N = 1024 went there).
// `replacing(with:where:)` on a comparison compiles to a single `vmaxps`; the horizontal reductions
// halve the vector until two lanes remain. NaN inputs still surface as NaN in the softmax's output,
// because the exponentials of the NaN lanes themselves are NaN.

/// Lane-wise maximum, one `vmaxps`.
@inline(__always)
func lanewiseMax(_ a: FloatVector, _ b: FloatVector) -> FloatVector {
    a.replacing(with: b, where: a .< b)
}

// Concrete types only: a generic `V: SIMD` version compiles the lane comparison to a scalar loop of
// data-dependent branches, which mispredict on every row.
@inline(__always) private func halfMax(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: a .< b) }
@inline(__always) private func halfMax(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> { a.replacing(with: b, where: a .< b) }
@inline(__always) private func halfMax(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> SIMD2<Float> { a.replacing(with: b, where: a .< b) }

/// The largest lane.
@inline(__always)
func horizontalMax(_ v: FloatVector) -> Float {
    #if ATTNBENCH_SIMD16
    let eight = halfMax(v.lowHalf, v.highHalf)
    #else
    let eight = v
    #endif
    let four = halfMax(eight.lowHalf, eight.highHalf)
    let two = halfMax(four.lowHalf, four.highHalf)
    return two[0] < two[1] ? two[1] : two[0]
}

/// The sum of the lanes, by pairwise halving.
@inline(__always)
func horizontalSum(_ v: FloatVector) -> Float {
    #if ATTNBENCH_SIMD16
    let eight = v.lowHalf + v.highHalf
    #else
    let eight = v
    #endif
    let four = eight.lowHalf + eight.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}
