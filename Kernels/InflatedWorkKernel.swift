// fused-inflated — TEST ONLY: `fused`, plus 20 % of every head's query rows computed a second time.
//
// It exists for tests of `compare --rename-kernel` (the gate is calibrated with Kernels/Build/InjectedWork.swift):
// it returns exactly what `fused` returns (the repeated rows write the same values again) but does ~20 % more
// arithmetic, so a gate that compares its times against `fused` must call it a regression. Key/value packing is not
// repeated, so the extra work is a hair under 20 % of the total (packing is O(Nk·d) against O(Nq·Nk·d) for the rest).
// Registered only when the environment holds ATTNBENCH_TEST_KERNELS=1 (`attnbench list` hides it otherwise).
import AttentionCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct InflatedWorkKernel: AttentionKernel {
    public let name = "fused-inflated"
    public let summary = "test only: fused, then 20% of each head's query rows again (same result, ~20% more work)"
    public let tolerance = Tolerance(multiplier: 64)
    public let cache: CacheBudget
    /// The fraction of each head's query rows computed twice.
    public static let extraFraction = 0.2
    /// The environment variable that registers this kernel.
    public static let environmentVariable = "ATTNBENCH_TEST_KERNELS"

    public init(cache: CacheBudget) { self.cache = cache }

    public func supportsFormats(dtype: ElementFormat, kvDtype: ElementFormat) -> Bool {
        FusedKernel(cache: cache).supportsFormats(dtype: dtype, kvDtype: kvDtype)
    }

    /// `[InflatedWorkKernel]` when ATTNBENCH_TEST_KERNELS=1, else nothing: KernelRegistry's hook.
    public static func registered(cache: CacheBudget) -> [any AttentionKernel] {
        guard let value = getenv(environmentVariable), String(cString: value) == "1" else { return [] }
        return [InflatedWorkKernel(cache: cache)]
    }

    public func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int {
        FusedKernel(cache: cache).packedScratchFloats(for: shape)
    }

    /// The number of query rows per head that are computed twice.
    public static func repeatedRows(_ shape: AttentionShape) -> Int {
        Int((Double(shape.seqQ) * extraFraction).rounded())
    }

    public func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {
        FusedKernel(cache: cache).attendAllHeads(operands, scratch: scratch,
                                                 repeatingFirstRows: Self.repeatedRows(operands.shape))
    }
}
