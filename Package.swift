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

let releaseFlags: [String] = ["-Ounchecked", "-wmo", "-enforce-exclusivity=unchecked", "-target-cpu", targetCPU]
let commonSettings: [SwiftSetting] = [
    .define("ATTNBENCH_SIMD\(simdWidth)"),
    .unsafeFlags(releaseFlags, .when(configuration: .release)),
]
// Kernels are optimised in every configuration: unoptimised SIMD code is a hundred times slower,
// which would make the debug test suite crawl. Timing a debug build is still refused by the CLI.
let kernelSettings: [SwiftSetting] = [
    .define("ATTNBENCH_SIMD\(simdWidth)"),
    .unsafeFlags(releaseFlags, .when(configuration: .release)),
    .unsafeFlags(["-O", "-target-cpu", targetCPU], .when(configuration: .debug)),
]

let package = Package(
    name: "attnbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "attnbench", targets: ["attnbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CHwloc", pkgConfig: "hwloc", providers: [.apt(["libhwloc-dev"])]),
        .systemLibrary(name: "CNuma", pkgConfig: "numa", providers: [.apt(["libnuma-dev"])]),
        .target(name: "CAffinity"),
        .target(name: "Machine", dependencies: ["CHwloc", "CNuma", "CAffinity"], swiftSettings: commonSettings),
        .target(name: "AttentionCore", swiftSettings: kernelSettings),
        .target(name: "Kernels", dependencies: ["AttentionCore", "Machine"], path: "Kernels", swiftSettings: kernelSettings),
        .target(name: "BenchKit", dependencies: ["AttentionCore", "Kernels"], swiftSettings: commonSettings),
        .target(name: "RegressionGate", swiftSettings: commonSettings),
        .target(name: "Plotting", dependencies: ["BenchKit", "AttentionCore"], swiftSettings: commonSettings),
        .executableTarget(
            name: "attnbench",
            dependencies: [
                "AttentionCore", "Kernels", "BenchKit", "Machine", "RegressionGate", "Plotting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: commonSettings
        ),
        .testTarget(name: "AttentionCoreTests", dependencies: ["AttentionCore"]),
        .testTarget(name: "KernelsTests", dependencies: ["AttentionCore", "Kernels", "Machine"]),
        .testTarget(name: "BenchKitTests", dependencies: ["BenchKit", "AttentionCore", "Kernels"]),
        .testTarget(name: "MachineTests", dependencies: ["Machine"]),
        .testTarget(name: "RegressionGateTests", dependencies: ["RegressionGate"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "BenchKit"], exclude: ["Fixtures"]),
        .testTarget(name: "attnbenchTests", dependencies: ["attnbench"]),
    ]
)
