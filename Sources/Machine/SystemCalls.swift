// The one place where the Machine module talks to C.
//
// Every call into hwloc, libnuma, the kernel (sched_*, move_pages) or libc goes through a wrapper
// here, so the rest of the module stays Swift-shaped: the wrappers turn return codes and errno into
// `MachineError`, C bitmaps into `[Int]`, and C strings into `String`. Only opaque handles
// (`HwlocTopologyHandle`, `HwlocObject`) cross the file boundary, and they never leave the module.

// The calls glibc declares only under _GNU_SOURCE (sched_getaffinity & co.) are compiled in the C target
// CAffinity: defining _GNU_SOURCE in a module header makes Clang see libc's shared headers differently
// from Swift's Glibc and Dispatch modules, which then collide on `fd_set` in every importer.
internal import CAffinity
internal import CHwloc
internal import CNuma
#if canImport(Glibc)
internal import Glibc
#endif

// MARK: - Handles

/// An hwloc topology the module owns; destroyed with the handle.
///
/// A class, so the C topology lives exactly as long as someone reads from it, and `deinit`
/// releases it on every path (including a throwing extraction).
final class HwlocTopologyHandle {
    fileprivate let raw: hwloc_topology_t

    fileprivate init(raw: hwloc_topology_t) { self.raw = raw }

    /// Calls `hwloc_topology_destroy`.
    deinit { hwloc_topology_destroy(raw) }
}

/// One object of a loaded topology (a package, NUMA node, core, PU or cache).
/// Valid only while its `HwlocTopologyHandle` is alive; never stored past an extraction.
struct HwlocObject {
    fileprivate let raw: hwloc_obj_t
}

/// The object kinds the module reads; mapped to `hwloc_obj_type_t` only inside this file.
enum HwlocObjectKind {
    case package, numaNode, core, processingUnit

    fileprivate var hwlocType: hwloc_obj_type_t {
        switch self {
        case .package: HWLOC_OBJ_PACKAGE
        case .numaNode: HWLOC_OBJ_NUMANODE
        case .core: HWLOC_OBJ_CORE
        case .processingUnit: HWLOC_OBJ_PU
        }
    }
}

/// How a topology should be obtained before `hwloc_topology_load`.
enum HwlocSource {
    /// Plain init + load: hwloc discovers the host, or honours `HWLOC_SYNTHETIC` / `HWLOC_XMLFILE`.
    case environmentOrHost
    case synthetic(String)
    case xml(path: String)
}

// MARK: - hwloc

enum SystemCalls {
    /// Creates and loads a topology: `hwloc_topology_init`, then `hwloc_topology_set_synthetic` or
    /// `hwloc_topology_set_xml` when asked, then `hwloc_topology_load`.
    static func hwlocLoad(_ source: HwlocSource) throws(MachineError) -> HwlocTopologyHandle {
        var raw: hwloc_topology_t?
        guard hwloc_topology_init(&raw) == 0, let raw else {
            throw .topologyLoadFailed(reason: "hwloc_topology_init: \(lastErrorDescription())")
        }
        // From here the handle owns `raw`, so every throw below still destroys it.
        let handle = HwlocTopologyHandle(raw: raw)
        switch source {
        case .environmentOrHost:
            break
        case .synthetic(let description):
            if hwloc_topology_set_synthetic(raw, description) != 0 {
                throw .invalidSyntheticDescription(description)
            }
        case .xml(let path):
            if hwloc_topology_set_xml(raw, path) != 0 {
                throw .xmlLoadFailed(path: path, reason: lastErrorDescription())
            }
        }
        guard hwloc_topology_load(raw) == 0 else {
            throw .topologyLoadFailed(reason: "hwloc_topology_load: \(lastErrorDescription())")
        }
        return handle
    }

    /// Writes the topology as hwloc XML (what `lstopo file.xml` writes): `hwloc_topology_export_xml`.
    static func hwlocExportXML(_ topology: HwlocTopologyHandle, to path: String) throws(MachineError) {
        guard hwloc_topology_export_xml(topology.raw, path, 0) == 0 else {
            throw .xmlExportFailed(path: path, reason: lastErrorDescription())
        }
    }

    /// Whether the topology describes the machine we run on: `hwloc_topology_is_thissystem`.
    static func hwlocIsThisSystem(_ topology: HwlocTopologyHandle) -> Bool {
        hwloc_topology_is_thissystem(topology.raw) != 0
    }

    /// All objects of one kind in logical order: `hwloc_get_nbobjs_by_type` + `hwloc_get_obj_by_type`.
    static func hwlocObjects(_ topology: HwlocTopologyHandle, _ kind: HwlocObjectKind) -> [HwlocObject] {
        let count = hwloc_get_nbobjs_by_type(topology.raw, kind.hwlocType)
        guard count > 0 else { return [] }
        return (0..<UInt32(count)).compactMap { index in
            hwloc_get_obj_by_type(topology.raw, kind.hwlocType, index).map(HwlocObject.init(raw:))
        }
    }

    /// A string attribute of the root object (e.g. "Backend", "SyntheticDescription", "CPUModel"):
    /// `hwloc_get_root_obj` + `hwloc_obj_get_info_by_name`.
    static func hwlocRootInfo(_ topology: HwlocTopologyHandle, _ name: String) -> String? {
        guard let root = hwloc_get_root_obj(topology.raw) else { return nil }
        return hwloc_obj_get_info_by_name(root, name).map { String(cString: $0) }
    }

    /// A string attribute of the first object of `kind` that has it: `hwloc_obj_get_info_by_name`.
    static func hwlocInfo(_ topology: HwlocTopologyHandle, _ kind: HwlocObjectKind, _ name: String) -> String? {
        for object in hwlocObjects(topology, kind) {
            if let value = hwloc_obj_get_info_by_name(object.raw, name) { return String(cString: value) }
        }
        return nil
    }

    /// The per-instance size in bytes of the first data (or unified) cache at `level` (1...3), or nil
    /// when hwloc has none: `hwloc_get_obj_by_type` on `HWLOC_OBJ_L{1,2,3}CACHE` (instruction-only
    /// caches are separate hwloc types, so they never show up here).
    static func hwlocCacheSize(_ topology: HwlocTopologyHandle, level: Int) -> Int? {
        let type: hwloc_obj_type_t
        switch level {
        case 1: type = HWLOC_OBJ_L1CACHE
        case 2: type = HWLOC_OBJ_L2CACHE
        case 3: type = HWLOC_OBJ_L3CACHE
        default: return nil
        }
        guard let object = hwloc_get_obj_by_type(topology.raw, type, 0),
              let attributes = object.pointee.attr else { return nil }
        let size = Int(attributes.pointee.cache.size)
        return size > 0 ? size : nil
    }

    /// The object's logical index (hwloc's own dense numbering) from `hwloc_obj.logical_index`.
    static func hwlocLogicalIndex(_ object: HwlocObject) -> Int { Int(object.raw.pointee.logical_index) }

    /// The object's OS index (`hwloc_obj.os_index`), e.g. the kernel's CPU or node number.
    static func hwlocOSIndex(_ object: HwlocObject) -> Int { Int(object.raw.pointee.os_index) }

    /// A NUMA node's local memory in bytes: `hwloc_obj.attr->numanode.local_memory`.
    static func hwlocLocalMemory(_ object: HwlocObject) -> Int {
        guard let attributes = object.raw.pointee.attr else { return 0 }
        return Int(clamping: attributes.pointee.numanode.local_memory)
    }

    /// The logical index of the package above `object`, or nil: `hwloc_get_ancestor_obj_by_type`.
    static func hwlocPackageIndex(_ topology: HwlocTopologyHandle, of object: HwlocObject) -> Int? {
        hwloc_get_ancestor_obj_by_type(topology.raw, HWLOC_OBJ_PACKAGE, object.raw)
            .map { Int($0.pointee.logical_index) }
    }

    /// The OS ids of the PUs inside `object`'s cpuset, in hwloc's logical order (so the first entry is
    /// the core's first hardware thread): `hwloc_get_next_obj_inside_cpuset_by_type`.
    static func hwlocProcessingUnits(_ topology: HwlocTopologyHandle, inside object: HwlocObject) -> [Int] {
        guard let cpuset = object.raw.pointee.cpuset else { return [] }
        var result: [Int] = []
        var previous: hwloc_obj_t? = nil
        while let next = hwloc_get_next_obj_inside_cpuset_by_type(topology.raw, cpuset, HWLOC_OBJ_PU, previous) {
            result.append(Int(next.pointee.os_index))
            previous = next
        }
        return result
    }

    // MARK: - libnuma

    /// Whether the kernel supports the NUMA policy API: `numa_available() >= 0`.
    /// libnuma requires this call before any other, so the result is computed once.
    static let numaAvailable: Bool = numa_available() >= 0

    /// The highest NUMA node number the kernel knows: `numa_max_node`. Only valid if `numaAvailable`.
    static func numaMaxNode() -> Int { Int(numa_max_node()) }

    /// The base page size in bytes: `numa_pagesize`.
    static func pageSize() -> Int { Int(numa_pagesize()) }

    /// Page-aligned memory bound to OS node `node`: `numa_alloc_onnode`. Pages are not faulted yet.
    static func numaAllocate(bytes: Int, onNode node: Int) -> UnsafeMutableRawPointer? {
        numa_alloc_onnode(bytes, Int32(node))
    }

    /// Releases memory from `numaAllocate`: `numa_free`.
    static func numaFree(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        numa_free(pointer, bytes)
    }

    /// The node of each page in `pages` (negative errno where a page is not faulted in or invalid):
    /// `move_pages(0, n, pages, NULL, status, 0)`, which queries and moves nothing.
    static func pageNodes(_ pages: [UnsafeRawPointer]) throws(MachineError) -> [Int] {
        guard !pages.isEmpty else { return [] }
        var addresses: [UnsafeMutableRawPointer?] = pages.map { UnsafeMutableRawPointer(mutating: $0) }
        var status = [Int32](repeating: 0, count: pages.count)
        let result = move_pages(0, UInt(pages.count), &addresses, nil, &status, 0)
        guard result == 0 else { throw .pageQueryFailed(reason: "move_pages: \(lastErrorDescription())") }
        return status.map(Int.init)
    }

    /// Moves every page in `pages` to OS node `node`: `move_pages(0, n, pages, nodes, status, MPOL_MF_MOVE)`.
    /// Returns the per-page status (the node on success, a negated errno otherwise).
    static func movePages(_ pages: [UnsafeRawPointer], toNode node: Int) throws(MachineError) -> [Int] {
        guard !pages.isEmpty else { return [] }
        var addresses: [UnsafeMutableRawPointer?] = pages.map { UnsafeMutableRawPointer(mutating: $0) }
        var nodes = [Int32](repeating: Int32(node), count: pages.count)
        var status = [Int32](repeating: 0, count: pages.count)
        let result = move_pages(0, UInt(pages.count), &addresses, &nodes, &status, MPOL_MF_MOVE)
        guard result >= 0 else { throw .pageQueryFailed(reason: "move_pages: \(lastErrorDescription())") }
        return status.map(Int.init)
    }

    // MARK: - Thread affinity

    /// The calling thread's allowed CPUs: `sched_getaffinity(0, …)` (pid 0 = the calling thread on Linux),
    /// through CAffinity's `attnbench_get_thread_affinity`, which is compiled with _GNU_SOURCE.
    static func threadAffinity() throws(MachineError) -> Set<Int> {
        var capacity = 1024
        while true {
            var cpus = [Int32](repeating: 0, count: capacity)
            let count = Int(attnbench_get_thread_affinity(&cpus, Int32(capacity)))
            guard count >= 0 else {
                throw .affinityQueryFailed(reason: "sched_getaffinity: \(lastErrorDescription())")
            }
            if count <= capacity { return Set(cpus.prefix(count).map(Int.init)) }
            capacity = count
        }
    }

    /// Restricts the calling thread to `cpus`: `sched_setaffinity(0, …)` through CAffinity's
    /// `attnbench_set_thread_affinity`. The kernel migrates the thread before returning when its current
    /// CPU is no longer allowed.
    static func setThreadAffinity(_ cpus: Set<Int>) throws(MachineError) {
        guard !cpus.isEmpty, cpus.allSatisfy({ $0 >= 0 && $0 < Int(Int32.max) }) else {
            throw .cpuOutOfRange(cpus.min() ?? -1)
        }
        let list = cpus.sorted().map { Int32($0) }
        guard attnbench_set_thread_affinity(list, Int32(list.count)) == 0 else {
            throw .bindFailed(cpus: cpus.sorted(), reason: "sched_setaffinity: \(lastErrorDescription())")
        }
    }

    /// The CPU the calling thread is running on right now: `sched_getcpu` through CAffinity (-1 if unsupported).
    static func currentCPU() -> Int { Int(attnbench_current_cpu()) }

    /// Gives up the calling thread's CPU to another runnable thread: `sched_yield`.
    static func yieldCPU() { _ = sched_yield() }

    /// One round of a spin-wait: the `pause` instruction, through CAffinity's `attnbench_spin_pause`.
    @inline(__always) static func spinPause() { attnbench_spin_pause() }

    // MARK: - libc

    /// An environment variable as C code (hwloc) sees it right now: `getenv`.
    static func environmentValue(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// A whole (small) text file such as /proc/cpuinfo, or nil if it cannot be read:
    /// `fopen` + `fread` + `fclose`. Invalid UTF-8 is repaired rather than rejected.
    static func readTextFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        guard ferror(file) == 0 else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The kernel's host name: `gethostname`.
    static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// Cache sizes glibc derives from CPUID: `sysconf(_SC_LEVEL{1_DCACHE,2_CACHE,3_CACHE}_SIZE)`;
    /// 0 where glibc does not know.
    static func sysconfCacheSizes() -> (l1d: Int, l2: Int, l3: Int) {
        func size(_ name: Int32) -> Int { max(0, sysconf(name)) }
        return (size(Int32(_SC_LEVEL1_DCACHE_SIZE)), size(Int32(_SC_LEVEL2_CACHE_SIZE)), size(Int32(_SC_LEVEL3_CACHE_SIZE)))
    }

    /// The number of CPUs online: `sysconf(_SC_NPROCESSORS_ONLN)`.
    static func onlineCPUCount() -> Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// `strerror(errno)` with the number, for one-line error messages.
    static func lastErrorDescription() -> String {
        let code = currentErrno()
        return "\(String(cString: strerror(code))) (errno \(code))"
    }

    /// The calling thread's `errno` (the macro is `*__errno_location()`, which Swift cannot import).
    private static func currentErrno() -> Int32 { __errno_location().pointee }
}
