import CKernelIntrinsics
import Machine
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

    /// The x86-64 level the kernels were compiled for, read from the compiler's own macros inside this
    /// module (``InstructionSetLevel``, level 0 off x86-64).
    public static var compiledLevel: InstructionSetLevel { InstructionSetLevel(level: Int(attnbench_compiled_x86_level())) }

    /// A one-line warning when the kernels were compiled for less than `cpu` runs (a versioned dependency
    /// built without `-target-cpu`), or for 16 lanes without AVX-512; nil when they use what it has.
    public static func targetWarning(runningOn cpu: InstructionSetLevel?) -> String? {
        targetWarning(compiled: compiledLevel, lanes: simdLanes, runningOn: cpu, chosen: targetChosen)
    }

    /// Whether the build named its target CPU on purpose (`ATTNBENCH_CPU`, e.g. an AVX2 build on an AVX-512
    /// machine): then running below this CPU's level is the point, and the warning is a note.
    #if ATTNBENCH_TARGET_CHOSEN
    static let targetChosen = true
    #else
    static let targetChosen = false
    #endif

    static func targetWarning(compiled: InstructionSetLevel, lanes: Int, runningOn cpu: InstructionSetLevel?,
                              chosen: Bool = false) -> String? {
        guard compiled.level > 0 else { return nil }
        if let cpu, compiled < cpu, chosen {
            return "note: the kernels were compiled for \(compiled) (ATTNBENCH_CPU), this CPU runs \(cpu)"
        }
        if let cpu, compiled < cpu {
            return "WARNING: the kernels were compiled for \(compiled), this CPU runs \(cpu): they run slower than it allows; "
                + "build with `-Xswiftc -target-cpu -Xswiftc native` (or as the root package, which does it for you)"
        }
        if lanes == 16 && compiled.level < 4 {
            return "WARNING: the kernels use 16-lane vectors but were compiled for \(compiled): each vector op is split; "
                + "build with `-Xswiftc -target-cpu -Xswiftc native`, or set ATTNBENCH_SIMD_WIDTH=8"
        }
        return nil
    }
}
