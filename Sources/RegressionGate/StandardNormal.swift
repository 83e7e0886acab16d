import Results
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// The standard normal distribution N(0, 1), as far as the gate needs it.
public enum StandardNormal {
    /// The upper tail probability Q(z) = P(Z ≥ z) = ½ · erfc(z / √2).
    ///
    /// Computed through the C library's `erfc`, which keeps full relative accuracy far into the
    /// tail (where `1 − Φ(z)` would cancel to zero).
    public static func upperTail(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }

    /// The two-sided tail probability P(|Z| ≥ |z|) = erfc(|z| / √2).
    public static func twoSidedTail(_ z: Double) -> Double {
        min(1, erfc(abs(z) / 2.0.squareRoot()))
    }
}
