import CKernelIntrinsics

// Width-independent names for the pairwise folds and the lane maximum of `attnbench_lanes.h`.
//
// `foldLevelℓ(x, y)` cuts both vectors into segments of 2B lanes, B = w / 2^ℓ, and returns per segment
// [x.lo + x.hi, y.lo + y.hi]: half of x's partial sums beside half of y's. Folding w vectors v₀…v_{w−1}
// level by level, pairing i with i + w/2^ℓ at level ℓ, leaves one vector whose lane j is the lane sum of
// v_j — a transposed horizontal sum: w sums in w − 1 folds of two shuffles and an add, against w separate
// horizontal sums of log₂w shuffle-add steps and a lane insert each.

#if ATTNBENCH_SIMD16
@_transparent func foldLevel1(_ x: FloatVector, _ y: FloatVector) -> FloatVector { attnbench_fold16_8(x, y) }
@_transparent func foldLevel2(_ x: FloatVector, _ y: FloatVector) -> FloatVector { attnbench_fold16_4(x, y) }
@_transparent func foldLevel3(_ x: FloatVector, _ y: FloatVector) -> FloatVector { attnbench_fold16_2(x, y) }
@_transparent func foldLevel4(_ x: FloatVector, _ y: FloatVector) -> FloatVector { attnbench_fold16_1(x, y) }
/// The largest lane of `x` in every lane, NaN lanes ignored (−∞ if no lane is a number).
@_transparent func maximumInEveryLane(_ x: FloatVector) -> FloatVector { attnbench_max16(x) }
#else
@_transparent func foldLevel1(_ x: FloatVector, _ y: FloatVector) -> FloatVector { attnbench_fold8_4(x, y) }
@_transparent func foldLevel2(_ x: FloatVector, _ y: FloatVector) -> FloatVector { attnbench_fold8_2(x, y) }
@_transparent func foldLevel3(_ x: FloatVector, _ y: FloatVector) -> FloatVector { attnbench_fold8_1(x, y) }
/// The largest lane of `x` in every lane, NaN lanes ignored (−∞ if no lane is a number).
@_transparent func maximumInEveryLane(_ x: FloatVector) -> FloatVector { attnbench_max8(x) }
#endif
