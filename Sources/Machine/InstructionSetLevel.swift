/// An x86-64 feature level of the psABI (x86-64-v1 … v4): what a CPU runs, or what code was compiled for.
public struct InstructionSetLevel: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// 1 baseline (SSE2), 2 SSE4.2 and POPCNT, 3 AVX2, FMA and BMI2, 4 AVX-512 F/BW/DQ/VL; 0: not x86-64.
    public var level: Int

    public init(level: Int) { self.level = level }

    /// The highest level whose features all appear in a `/proc/cpuinfo` `flags` line; nil without one.
    public init?(cpuinfo: String) {
        guard let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        let levels: [(Int, [String])] = [
            (4, ["avx512f", "avx512bw", "avx512dq", "avx512vl"]),
            (3, ["avx2", "fma", "bmi2"]),
            (2, ["sse4_2", "popcnt"]),
            (1, ["sse2"]),
        ]
        // Each level holds the ones below it: the first complete one from the top is the CPU's.
        level = levels.first { $0.1.allSatisfy(flags.contains) }?.0 ?? 0
    }

    /// This machine's level (`/proc/cpuinfo`); nil where it cannot be read or is not x86-64.
    public static func current() -> InstructionSetLevel? {
        guard let text = SystemCalls.readTextFile("/proc/cpuinfo"), let level = InstructionSetLevel(cpuinfo: text), level.level > 0 else { return nil }
        return level
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.level < rhs.level }

    /// `x86-64-v3 (AVX2)`.
    public var description: String {
        let features = [0: "not x86-64", 1: "SSE2", 2: "SSE4.2", 3: "AVX2", 4: "AVX-512"][level] ?? "?"
        return level == 0 ? features : "x86-64-v\(level) (\(features))"
    }
}
