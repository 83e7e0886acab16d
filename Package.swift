// swift-tools-version:6.0
// attnbench: races CPU attention kernels against a float64 reference and against each other.
import PackageDescription
import Foundation

// The release build optimises for one CPU. By default that is the build machine (`native`);
// `ATTNBENCH_CPU=x86-64-v3 swift build -c release` (any name `swiftc -target-cpu` takes) targets another.
// The SIMD width the kernels use follows the target: 16 lanes where AVX-512 is available, 8 otherwise.
// `ATTNBENCH_SIMD_WIDTH=8|16` overrides the guess.
let environment = ProcessInfo.processInfo.environment
let targetCPU = environment["ATTNBENCH_CPU"] ?? "native"

func hostHasAVX512() -> Bool {
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    return cpuinfo.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.contains(" avx512f") }
}

func namedCPUHasAVX512(_ name: String) -> Bool {
    let avx512Names = ["x86-64-v4", "skylake-avx512", "cascadelake", "cooperlake", "icelake", "tigerlake",
                       "sapphirerapids", "graniterapids", "emeraldrapids", "znver4", "znver5", "rocketlake"]
    return avx512Names.contains { name.hasPrefix($0) }
}

let simdWidth: Int = {
    if let forced = environment["ATTNBENCH_SIMD_WIDTH"].flatMap(Int.init), forced == 8 || forced == 16 { return forced }
    #if arch(x86_64)
    return (targetCPU == "native" ? hostHasAVX512() : namedCPUHasAVX512(targetCPU)) ? 16 : 8
    #else
    return 8
    #endif
}()

// Only the kernels trade safety for speed: `-Ounchecked` drops their bounds and overflow checks and
// `-enforce-exclusivity=unchecked` their exclusivity checks, and they are compiled whole-module in every
// configuration, so `swift run attnbench` (a debug build) times the same machine code as a release build.
// Everything else (the CLI, the shape checks, the CSV reader, the statistics) keeps its checks: `-O` in
// release, `-Onone` in debug.
let kernelFlags: [String] = ["-Ounchecked", "-wmo", "-num-threads", "2", "-enforce-exclusivity=unchecked", "-target-cpu", targetCPU]
let commonSettings: [SwiftSetting] = [
    .define("ATTNBENCH_SIMD\(simdWidth)"),
    .unsafeFlags(["-target-cpu", targetCPU], .when(configuration: .release)),
]
let kernelSettings: [SwiftSetting] = [
    .define("ATTNBENCH_SIMD\(simdWidth)"),
    .unsafeFlags(kernelFlags),
]

let package = Package(
    name: "attnbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "attnbench", targets: ["attnbench"]),
        // Race your own kernel: `import AttnBench` gives the kernel protocol, shapes and tensors, the
        // reference check, the registered kernels, the sweep and the results writer (README: "Racing your
        // own kernel").
        .library(name: "AttnBench", targets: ["AttnBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CHwloc", pkgConfig: "hwloc", providers: [.apt(["libhwloc-dev"])]),
        .systemLibrary(name: "CNuma", pkgConfig: "numa", providers: [.apt(["libnuma-dev"])]),
        .target(name: "CAffinity"),
        .target(name: "Machine", dependencies: ["CHwloc", "CNuma", "CAffinity"], swiftSettings: commonSettings),
        .target(name: "AttentionCore", swiftSettings: commonSettings),
        .target(name: "Kernels", dependencies: ["AttentionCore", "Machine"], path: "Kernels", swiftSettings: kernelSettings),
        .target(name: "ResultsSchema", dependencies: ["AttentionCore"], swiftSettings: commonSettings),
        .target(name: "RegressionGate", dependencies: ["ResultsSchema"], swiftSettings: commonSettings),
        .target(name: "BenchKit", dependencies: ["AttentionCore", "Kernels", "ResultsSchema", "RegressionGate"],
                swiftSettings: commonSettings),
        .plugin(name: "BuildStampPlugin", capability: .buildTool()),
        .target(name: "BuildStamp", swiftSettings: commonSettings, plugins: ["BuildStampPlugin"]),
        .target(name: "AttnBench", dependencies: ["AttentionCore", "Kernels", "Machine", "ResultsSchema", "BenchKit", "BuildStamp"],
                swiftSettings: commonSettings),
        .target(name: "Plotting", dependencies: ["BenchKit", "AttentionCore", "ResultsSchema"], swiftSettings: commonSettings),
        .executableTarget(
            name: "attnbench",
            dependencies: [
                "AttnBench", "RegressionGate", "Plotting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: commonSettings
        ),
        .testTarget(name: "AttentionCoreTests", dependencies: ["AttentionCore"]),
        .testTarget(name: "KernelsTests", dependencies: ["AttentionCore", "Kernels", "Machine"]),
        .testTarget(name: "BenchKitTests", dependencies: ["BenchKit", "AttentionCore", "Kernels", "ResultsSchema"]),
        .testTarget(name: "MachineTests", dependencies: ["Machine"]),
        .testTarget(name: "RegressionGateTests", dependencies: ["RegressionGate", "ResultsSchema"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "BenchKit", "ResultsSchema"], exclude: ["Fixtures"]),
        // Races a kernel defined in the test through `import AttnBench` alone, as another package would.
        .testTarget(name: "AttnBenchLibraryTests", dependencies: ["AttnBench"]),
        .testTarget(name: "attnbenchTests", dependencies: ["attnbench"]),
    ]
)
