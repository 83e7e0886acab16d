// swift-tools-version:6.0
// attnbench: races CPU attention kernels against a float64 reference and against each other.
import PackageDescription
import Foundation

// MARK: - Tuning for the CPU, where SwiftPM allows it
//
// As the root package (or a local `.package(path:)` dependency) attnbench compiles its kernels for one CPU
// with `-Ounchecked` in every configuration, so `swift run attnbench` (a debug harness) times the same
// machine code as a release build. SwiftPM refuses such unsafe flags in a versioned dependency
// (`.package(url:from:)`): there the manifest emits none, the kernels take the consumer's configuration
// (`-O` in release) and CPU (`-Xswiftc -target-cpu -Xswiftc native`, see docs/racing-your-own-kernel.md),
// and attnbench warns at run time when its kernels were compiled for less than the CPU they run on.
// A versioned dependency is checked out into a folder named `checkouts` (SwiftPM's `.build/checkouts`,
// Xcode's `SourcePackages/checkouts`); `ATTNBENCH_PORTABLE=1` asks for the same manifest anywhere, to test it.
let environment = Context.environment
let checkedOutAsDependency = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent == "checkouts"
let tuned = !checkedOutAsDependency && environment["ATTNBENCH_PORTABLE"] != "1"

// The CPU the tuned build targets: the build machine (`native`) unless `ATTNBENCH_CPU` names another: any
// name `swiftc -target-cpu` takes (`haswell`, `znver3`), or an x86-64 psABI level, which swiftc 6.3 does not
// take and is mapped to the oldest CPU that has all of its features (x86-64-v2: nehalem, v3: haswell, v4:
// skylake-avx512), e.g. `ATTNBENCH_CPU=x86-64-v3 swift build -c release` for an AVX2 build.
let psABILevels = ["x86-64-v2": "nehalem", "x86-64-v3": "haswell", "x86-64-v4": "skylake-avx512"]
let targetCPU = environment["ATTNBENCH_CPU"].map { psABILevels[$0] ?? $0 } ?? "native"

func hostHasAVX512() -> Bool {
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    return cpuinfo.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.contains(" avx512f") }
}

func namedCPUHasAVX512(_ name: String) -> Bool {
    let avx512Names = ["x86-64-v4", "skylake-avx512", "cascadelake", "cooperlake", "icelake", "tigerlake",
                       "sapphirerapids", "graniterapids", "emeraldrapids", "znver4", "znver5", "rocketlake"]
    return avx512Names.contains { name.hasPrefix($0) }
}

// The kernels' SIMD width follows the target: 16 lanes where it has AVX-512, else 8.
// `ATTNBENCH_SIMD_WIDTH=8|16` overrides the guess.
let simdWidth: Int = {
    if let forced = environment["ATTNBENCH_SIMD_WIDTH"].flatMap(Int.init), forced == 8 || forced == 16 { return forced }
    #if arch(x86_64)
    return (targetCPU == "native" ? hostHasAVX512() : namedCPUHasAVX512(targetCPU)) ? 16 : 8
    #else
    return 8
    #endif
}()

// Only the kernels trade safety for speed: `-Ounchecked` drops their bounds and overflow checks and
// `-enforce-exclusivity=unchecked` their exclusivity checks, whole-module in every configuration. Everything
// else (the CLI, the shape checks, the CSV reader, the statistics) keeps its checks: `-O` in release,
// `-Onone` in debug, but for the float64 reference (AttentionCore), which is `-O` in both. The kernels' hot loops use wrapping arithmetic and unsafe pointers, so plain `-O`
// (the portable build) compiles them to the same loops.
let kernelFlags: [String] = ["-Ounchecked", "-wmo", "-num-threads", "2", "-enforce-exclusivity=unchecked", "-target-cpu", targetCPU]
// A target CPU named on purpose (`ATTNBENCH_CPU`) turns the run-time "compiled for less" warning into a note.
let chosenTarget: [SwiftSetting] = tuned && environment["ATTNBENCH_CPU"] != nil ? [.define("ATTNBENCH_TARGET_CHOSEN")] : []
let commonSettings: [SwiftSetting] = [.define("ATTNBENCH_SIMD\(simdWidth)")]
    + (tuned ? [.unsafeFlags(["-target-cpu", targetCPU], .when(configuration: .release))] : [])
let kernelSettings: [SwiftSetting] = [.define("ATTNBENCH_SIMD\(simdWidth)")] + chosenTarget
    + (tuned ? [.unsafeFlags(kernelFlags)] : [])

let package = Package(
    name: "attnbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "attnbench", targets: ["attnbench"]),
        // Race and gate your own kernel: `import AttnBench` (docs/racing-your-own-kernel.md).
        .library(name: "AttnBench", targets: ["AttnBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C: each target declared by the module that calls it.
        .systemLibrary(name: "CHwloc", pkgConfig: "hwloc", providers: [.apt(["libhwloc-dev"])]),
        .systemLibrary(name: "CNuma", pkgConfig: "numa", providers: [.apt(["libnuma-dev"])]),
        .target(name: "CAffinity"),           // thread affinity and the spin-wait pause (Machine)
        .target(name: "CKernelIntrinsics"),   // lane shuffles, prefetch, the compiled-ISA macros (Kernels)

        // The float64 reference behind every check (each test, each sweep) is optimised in every configuration
        // too, with its checks kept (-O, not -Ounchecked): a debug build's tests would spend most of their time in it.
        .target(name: "AttentionCore", swiftSettings: commonSettings + (tuned ? [.unsafeFlags(["-O"])] : [])),
        .target(name: "Machine", dependencies: ["CHwloc", "CNuma", "CAffinity"], swiftSettings: commonSettings),
        .target(name: "Kernels", dependencies: ["AttentionCore", "Machine", "CKernelIntrinsics"], path: "Kernels",
                swiftSettings: kernelSettings),
        .target(name: "Results", dependencies: ["AttentionCore"], swiftSettings: commonSettings),
        .plugin(name: "BuildStampPlugin", capability: .buildTool()),
        .target(name: "BuildStamp", swiftSettings: commonSettings, plugins: ["BuildStampPlugin"]),
        .target(name: "Sweep", dependencies: ["AttentionCore", "Machine", "Kernels", "Results", "BuildStamp"],
                swiftSettings: commonSettings),
        .target(name: "RegressionGate", dependencies: ["Results"], swiftSettings: commonSettings),
        .target(name: "RevisionRace", dependencies: ["AttentionCore", "Results", "RegressionGate"], swiftSettings: commonSettings),
        .plugin(name: "GnuplotScriptsPlugin", capability: .buildTool()),
        .target(name: "Plotting", dependencies: ["Results"], swiftSettings: commonSettings, plugins: ["GnuplotScriptsPlugin"]),
        .target(name: "AttnBench", dependencies: ["AttentionCore", "Machine", "Kernels", "Results", "Sweep", "RegressionGate", "RevisionRace"],
                swiftSettings: commonSettings),
        .executableTarget(
            name: "attnbench",
            dependencies: ["AttnBench", "Plotting", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: commonSettings
        ),

        .testTarget(name: "AttentionCoreTests", dependencies: ["AttentionCore"]),
        .testTarget(name: "KernelsTests", dependencies: ["AttentionCore", "Kernels", "Machine"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results", "AttentionCore"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Results", "AttentionCore", "Kernels", "Machine"]),
        .testTarget(name: "MachineTests", dependencies: ["Machine"]),
        .testTarget(name: "RegressionGateTests", dependencies: ["RegressionGate", "Results"]),
        .testTarget(name: "RevisionRaceTests", dependencies: ["RevisionRace", "RegressionGate", "Results"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "Results"], exclude: ["Fixtures"]),
        // Races a kernel defined in the test through `import AttnBench` alone, as another package would.
        .testTarget(name: "AttnBenchLibraryTests", dependencies: ["AttnBench"]),
        .testTarget(name: "attnbenchTests", dependencies: ["attnbench"], exclude: ["Fixtures"]),
    ]
)
