import BuildStamp
import Kernels

/// How this binary was built, as the header line and the `build` column say it.
///
/// The harness (CLI, runner, statistics) and the kernels are compiled separately: the package optimises
/// the kernels in every configuration, so `swift run attnbench` (a debug harness) still times release
/// kernels, and says so: `harness-debug+kernels-release-simd16`. A plain release build is
/// `release-simd16`.
public enum BuildInfo {
    #if DEBUG
    /// The configuration of the harness: `debug` or `release`.
    public static let harnessConfiguration = "debug"
    #else
    public static let harnessConfiguration = "release"
    #endif

    /// e.g. `release-simd16`, or `harness-debug+kernels-release-simd16` when the two differ.
    public static var label: String {
        let kernels = KernelBuild.configuration
        let configuration = harnessConfiguration == kernels ? kernels : "harness-\(harnessConfiguration)+kernels-\(kernels)"
        return "\(configuration)-simd\(KernelBuild.simdLanes)"
    }

    /// Whether timings from this binary mean something: the kernels themselves were optimised. Decided in
    /// the kernel module (``KernelBuild/isOptimised``), not by the harness's configuration.
    public static var timesOptimisedKernels: Bool { KernelBuild.isOptimised }

    /// The short git commit of the sources this binary was built from, `-dirty` with uncommitted changes,
    /// `unknown` outside a git checkout; recorded at build time, not asked of the current directory.
    public static var commit: String { SourceCommit.value }
}
