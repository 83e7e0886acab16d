/// How this module, the kernels, was compiled, as seen from inside it.
///
/// The package compiles the kernels with `-Ounchecked -wmo` in every configuration, so a debug build of
/// the harness still times optimised kernels. Whether that held is decided here, in the kernel module
/// itself: `_isDebugAssertConfiguration()` is folded at this module's compile time, so it is true exactly
/// when the kernels were compiled without optimisation (`-Onone`), whatever the caller's configuration.
public enum KernelBuild {
    /// Whether the kernels were compiled with optimisation; unoptimised kernels must not be timed.
    public static var isOptimised: Bool { !_isDebugAssertConfiguration() }

    /// `release` when the kernels are optimised, `debug` when not.
    public static var configuration: String { isOptimised ? "release" : "debug" }

    /// SIMD lanes of the kernels' vectors.
    public static var simdLanes: Int { vectorWidth }
}
