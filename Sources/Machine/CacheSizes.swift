/// Per-instance cache capacities, in bytes, as kernels size their tiles from them.
///
/// "Per instance" means one L2 is the L2 a single core sees, not the sum over the chip.
/// A level hwloc does not report is 0. When hwloc reports no caches at all (synthetic topologies,
/// some VMs) the values are the typical x86 server guess — 32 KiB / 1 MiB / 8 MiB — and
/// `isFallback` is true so reports can say the tiling was not tuned to measured sizes.
public struct CacheSizes: Sendable, Equatable, Hashable {
    public var l1d: Int
    public var l2: Int
    public var l3: Int
    /// True when the sizes are the built-in guess rather than anything the machine reported.
    public var isFallback: Bool

    public init(l1d: Int, l2: Int, l3: Int, isFallback: Bool = false) {
        self.l1d = l1d
        self.l2 = l2
        self.l3 = l3
        self.isFallback = isFallback
    }

    /// The guess used when nothing better is known: 32 KiB L1d, 1 MiB L2, 8 MiB L3.
    public static let fallback = CacheSizes(l1d: 32 << 10, l2: 1 << 20, l3: 8 << 20, isFallback: true)
}

extension CacheSizes: CustomStringConvertible {
    /// e.g. "L1d 32 KiB, L2 1 MiB, L3 32 MiB" (with "(assumed)" for the fallback).
    public var description: String {
        func level(_ name: String, _ bytes: Int) -> String { "\(name) \(bytes > 0 ? ByteCount.format(bytes) : "unknown")" }
        let text = [level("L1d", l1d), level("L2", l2), level("L3", l3)].joined(separator: ", ")
        return isFallback ? text + " (assumed: hwloc reported no caches)" : text
    }
}
