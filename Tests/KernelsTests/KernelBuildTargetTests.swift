import XCTest
@testable import Kernels
import Machine

/// What the kernels were compiled for, against what the CPU runs: the warning a versioned dependency
/// built without `-target-cpu` gets.
final class KernelBuildTargetTests: XCTestCase {
    func testCpuinfoFlagsGiveTheHighestCompleteLevel() {
        func level(_ flags: String) -> Int? { InstructionSetLevel(cpuinfo: "processor : 0\nflags\t\t: \(flags)\n")?.level }
        XCTAssertEqual(level("fpu sse2 sse4_2 popcnt avx avx2 fma bmi2 avx512f avx512bw avx512dq avx512vl"), 4)
        XCTAssertEqual(level("fpu sse2 sse4_2 popcnt avx avx2 fma bmi2 avx512f"), 3, "AVX-512 F alone is not level 4")
        XCTAssertEqual(level("sse2 sse4_2 popcnt avx avx2"), 2, "AVX2 without FMA and BMI2 is not level 3")
        XCTAssertEqual(level("sse2"), 1)
        XCTAssertEqual(level("neon"), 0)
        XCTAssertNil(InstructionSetLevel(cpuinfo: "processor : 0\n"))
        XCTAssertEqual(InstructionSetLevel(level: 3).description, "x86-64-v3 (AVX2)")
    }

    func testTheRootBuildIsCompiledForThisCPU() {
        #if arch(x86_64)
        // The root package compiles the kernels with -target-cpu native (or ATTNBENCH_CPU): not below this CPU.
        if let cpu = InstructionSetLevel.current(), ProcessInfo.processInfo.environment["ATTNBENCH_CPU"] == nil {
            XCTAssertGreaterThanOrEqual(KernelBuild.compiledLevel, cpu)
            XCTAssertNil(KernelBuild.targetWarning(runningOn: cpu))
        }
        #endif
    }

    func testWarnsOnlyWhenTheCPURunsMoreThanTheKernelsWereCompiledFor() throws {
        let baseline = InstructionSetLevel(level: 1), avx2 = InstructionSetLevel(level: 3), avx512 = InstructionSetLevel(level: 4)
        let warning = try XCTUnwrap(KernelBuild.targetWarning(compiled: baseline, lanes: 8, runningOn: avx512))
        XCTAssertTrue(warning.contains("-Xswiftc -target-cpu -Xswiftc native"), warning)
        XCTAssertTrue(warning.contains("x86-64-v1 (SSE2)") && warning.contains("x86-64-v4 (AVX-512)"), warning)
        XCTAssertNil(KernelBuild.targetWarning(compiled: avx2, lanes: 8, runningOn: avx2))
        let note = try XCTUnwrap(KernelBuild.targetWarning(compiled: avx2, lanes: 8, runningOn: avx512, chosen: true))
        XCTAssertTrue(note.hasPrefix("note: ") && note.contains("ATTNBENCH_CPU"), "a target named on purpose: \(note)")
        XCTAssertNil(KernelBuild.targetWarning(compiled: avx512, lanes: 16, runningOn: avx2), "built for more: the CPU refuses to run it, no speed warning")
        XCTAssertNil(KernelBuild.targetWarning(compiled: avx2, lanes: 8, runningOn: nil))
        // 16 lanes on an AVX2 target split every vector op in two.
        XCTAssertNotNil(KernelBuild.targetWarning(compiled: avx2, lanes: 16, runningOn: nil))
        XCTAssertNil(KernelBuild.targetWarning(compiled: InstructionSetLevel(level: 0), lanes: 16, runningOn: nil), "not x86-64")
    }
}
