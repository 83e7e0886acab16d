/// Node-local memory through libnuma, and where pages actually landed.
///
/// Node numbers here are **OS indices** (`NUMANode.osIndex`), the numbering libnuma and the kernel use,
/// not hwloc's logical ones. Allocations are page-aligned and lazily faulted: the kernel places a page
/// when it is first touched, on the bound node.
public enum NUMAMemory {
    /// Whether the kernel offers the NUMA policy API (`numa_available() >= 0`). False in containers
    /// that filter `get_mempolicy`/`mbind`, and on kernels without NUMA support.
    public static var isAvailable: Bool { SystemCalls.numaAvailable }

    /// `bytes` of memory bound to OS node `node`, or nil when NUMA is unavailable, `bytes < 1`,
    /// `node` is not a node the kernel knows, or the allocation fails. Release with `free(_:bytes:)`.
    public static func allocate(bytes: Int, onNode node: Int) -> UnsafeMutableRawPointer? {
        guard isAvailable, bytes > 0, node >= 0, node <= SystemCalls.numaMaxNode() else { return nil }
        return SystemCalls.numaAllocate(bytes: bytes, onNode: node)
    }

    /// Releases memory from `allocate(bytes:onNode:)`; `bytes` must be the size allocated.
    public static func free(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        SystemCalls.numaFree(pointer, bytes: bytes)
    }

    /// The OS node of every page overlapping `[pointer, pointer + bytes)`, one entry per page in address
    /// order. Negative entries are negated errno values: `-ENOENT` (-2) for a page not faulted in yet,
    /// `-EFAULT` (-14) for an unmapped address. Only queries; nothing is moved.
    ///
    /// - Throws: `MachineError.numaUnavailable` without NUMA support, `.pageQueryFailed` if the kernel
    ///   refuses the `move_pages` query.
    public static func nodesOfPages(_ pointer: UnsafeRawPointer, bytes: Int) throws -> [Int] {
        guard isAvailable else { throw MachineError.numaUnavailable }
        guard bytes > 0 else { return [] }
        return try SystemCalls.pageNodes(pages(pointer, bytes: bytes))
    }

    /// Moves the pages overlapping `[pointer, pointer + bytes)` to OS node `node` and returns how many
    /// now live there. Pages shared with neighbouring data move too (a page is the unit of placement).
    ///
    /// - Throws: `MachineError.numaUnavailable` without NUMA support, `.pageQueryFailed` if the kernel
    ///   refuses the move.
    @discardableResult
    public static func move(_ pointer: UnsafeRawPointer, bytes: Int, toNode node: Int) throws -> Int {
        guard isAvailable else { throw MachineError.numaUnavailable }
        guard bytes > 0 else { return 0 }
        let status = try SystemCalls.movePages(pages(pointer, bytes: bytes), toNode: node)
        return status.filter { $0 == node }.count
    }

    private static func pages(_ pointer: UnsafeRawPointer, bytes: Int) -> [UnsafeRawPointer] {
        let pageSize = SystemCalls.pageSize()
        let start = UInt(bitPattern: pointer) / UInt(pageSize) * UInt(pageSize)
        let end = UInt(bitPattern: pointer) + UInt(bytes)
        return stride(from: start, to: end, by: pageSize).compactMap { UnsafeRawPointer(bitPattern: $0) }
    }

    /// Page counts per OS node for the range, e.g. `[0: 1024]`; not-yet-faulted or failed pages are
    /// counted under their negative status. Convenience for placement checks.
    public static func pageCountsByNode(_ pointer: UnsafeRawPointer, bytes: Int) throws -> [Int: Int] {
        try nodesOfPages(pointer, bytes: bytes).reduce(into: [:]) { counts, node in counts[node, default: 0] += 1 }
    }
}
