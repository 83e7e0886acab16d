/// A short identity of the host, used to key per-machine baseline files: results from different
/// machines must never be compared against each other's baselines.
///
/// It always describes the real host: if `HWLOC_SYNTHETIC` / `HWLOC_XMLFILE` make `discover()` return
/// another machine, or hwloc fails, the counts fall back to the kernel's view (see `current()`).
public struct MachineFingerprint: Sendable, Equatable, Hashable {
    /// The host name (kernel `gethostname`), or "unknown-host".
    public var host: String
    /// The "model name" line of /proc/cpuinfo (else hwloc's CPUModel), or "unknown-cpu".
    public var cpuModel: String
    /// Physical cores (hwloc); in a fallback, online CPUs (hardware threads).
    public var cores: Int
    /// NUMA nodes (hwloc); in a fallback, libnuma's count, or 1.
    public var numaNodes: Int
    /// Per-instance cache sizes (hwloc, else glibc, else `CacheSizes.fallback`).
    public var caches: CacheSizes
    /// The CPU generation from /proc/cpuinfo (vendor, family, model); nil where unknown, as for files
    /// written before the id carried it.
    public var generation: CPUGeneration?
    /// SIMD lanes the kernels of this build use (8 or 16); nil where unknown.
    public var simdWidth: Int?

    public init(host: String, cpuModel: String, cores: Int, numaNodes: Int, caches: CacheSizes,
                generation: CPUGeneration? = nil, simdWidth: Int? = nil) {
        self.host = host
        self.cpuModel = cpuModel
        self.cores = cores
        self.numaNodes = numaNodes
        self.caches = caches
        self.generation = generation
        self.simdWidth = simdWidth
    }

    /// The SIMD width this module was built for: the package defines ATTNBENCH_SIMD16 or ATTNBENCH_SIMD8
    /// for every target alike, so it is the kernels' width too.
    public static var buildSIMDWidth: Int {
        #if ATTNBENCH_SIMD16
        16
        #else
        8
        #endif
    }

    /// The fingerprint of this machine. Never throws: each field degrades to the best thing available.
    public static func current() -> MachineFingerprint {
        let host = SystemCalls.hostName() ?? "unknown-host"
        let topology = (try? MachineTopology.discover()).flatMap { $0.source.isHost ? $0 : nil }
        let model = cpuModelName(topology) ?? "unknown-cpu"
        let generation = SystemCalls.readTextFile("/proc/cpuinfo").flatMap(CPUGeneration.init(cpuinfo:))
        if let topology {
            return MachineFingerprint(
                host: host, cpuModel: model, cores: topology.cores.count,
                numaNodes: topology.numaNodes.count, caches: topology.caches,
                generation: generation, simdWidth: buildSIMDWidth)
        }
        let glibc = SystemCalls.sysconfCacheSizes()
        let caches = glibc.l1d > 0 ? CacheSizes(l1d: glibc.l1d, l2: glibc.l2, l3: glibc.l3) : .fallback
        let nodes = SystemCalls.numaAvailable ? SystemCalls.numaMaxNode() + 1 : 1
        return MachineFingerprint(
            host: host, cpuModel: model, cores: SystemCalls.onlineCPUCount(), numaNodes: max(1, nodes),
            caches: caches, generation: generation, simdWidth: buildSIMDWidth)
    }

    /// "<host>-<cpu-model>-<generation>-<cores>c-simd<lanes>", e.g. "vm-amd-epyc-f25m17-2c-simd16": lowercase
    /// ASCII letters, digits and single dashes only, so it is safe as a file name on every filesystem and
    /// stable across runs. The generation (see ``CPUGeneration/tag(besides:)``) tells apart CPUs that share a
    /// model name, such as cloud VMs that all say "AMD EPYC"; the SIMD width tells apart builds whose
    /// kernels differ. Without those fields (older results files) the id is the older
    /// "<host>-<cpu-model>-<cores>c", which matches no current id: such baselines count as another machine.
    public var id: String {
        let shortHost = host.split(separator: ".").first.map(String.init) ?? host
        let model = Self.slug(cpuModel, or: "cpu")
        var parts = [Self.slug(shortHost, or: "host"), model]
        if let generation { parts.append(generation.tag(besides: model)) }
        parts.append("\(cores)c")
        if let simdWidth { parts.append("simd\(simdWidth)") }
        return parts.joined(separator: "-")
    }

    /// Lowercases, maps every run of non-alphanumeric characters to one dash, trims dashes.
    public static func slug(_ text: String, or empty: String) -> String {
        var result = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        while result.last == "-" { result.removeLast() }
        return result.isEmpty ? empty : result
    }

    /// The first "model name" value in /proc/cpuinfo (absent on some ARM kernels), else hwloc's
    /// "CPUModel" attribute.
    private static func cpuModelName(_ topology: MachineTopology?) -> String? {
        if let text = SystemCalls.readTextFile("/proc/cpuinfo") {
            for line in text.split(separator: "\n") where line.hasPrefix("model name") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let value = line[line.index(after: colon)...].trimmingWhitespace()
                if !value.isEmpty { return value }
            }
        }
        return topology?.cpuModel
    }
}
