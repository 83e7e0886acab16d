/// One way of computing `O = softmax(scale · Q·Kᵀ + mask) · V`.
///
/// Every competitor in the suite conforms to this protocol and nothing else: the sweep runner, the
/// equivalence check and the CSV writer know kernels only through it. A kernel must not allocate inside
/// ``run(_:scratch:context:)``: everything it needs beyond the operands is the scratch block, whose size it
/// declares up front with ``scratchFloats(for:context:)`` and which the runner allocates before timing.
public protocol AttentionKernel: Sendable {
    /// Short, unique, lower-case name used on the command line and in CSV files.
    var name: String { get }
    /// One line saying what the kernel does.
    var summary: String { get }
    /// How far this kernel may stray from the float64 reference.
    var tolerance: Tolerance { get }
    /// Whether the kernel uses more than one thread; single-threaded kernels are timed at one thread only.
    var isParallel: Bool { get }
    /// Whether the kernel runs Q and O stored as `dtype` with K and V stored as `kvDtype`. The default is
    /// f32 only; a kernel that reads other formats says which here, and the default
    /// ``unsupportedReason(for:)`` skips the rest with ``unsupportedFormatReason(for:)``.
    func supportsFormats(dtype: ElementFormat, kvDtype: ElementFormat) -> Bool
    /// `nil` when the kernel can run `shape`, otherwise the reason it cannot. The default refuses only the
    /// format combinations ``supportsFormats(dtype:kvDtype:)`` does not list; a kernel that overrides it
    /// should start from ``unsupportedFormatReason(for:)``.
    func unsupportedReason(for shape: AttentionShape) -> String?
    /// Scratch memory, in floats, that ``run(_:scratch:context:)`` needs for `shape` under `context`.
    func scratchFloats(for shape: AttentionShape, context: KernelContext) -> Int
    /// Called once, untimed, before the first run with these operands and scratch: where a kernel places
    /// memory (NUMA pages) it does so here. The default does nothing.
    func prepare(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext)
    /// Writes `operands.o` from `operands.q`, `.k` and `.v`. `scratch` holds at least
    /// `scratchFloats(for:context:)` floats, 64-byte aligned, with arbitrary contents.
    func run(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext)
}

extension AttentionKernel {
    public var isParallel: Bool { false }
    public func supportsFormats(dtype: ElementFormat, kvDtype: ElementFormat) -> Bool { dtype == .f32 && kvDtype == .f32 }
    public func unsupportedReason(for shape: AttentionShape) -> String? { unsupportedFormatReason(for: shape) }

    /// The one-line reason this kernel cannot run `shape`'s formats, or nil when it can.
    public func unsupportedFormatReason(for shape: AttentionShape) -> String? {
        guard !supportsFormats(dtype: shape.dtype, kvDtype: shape.kvDtype) else { return nil }
        let supported = ElementFormat.allCases.filter(\.holdsQueriesAndOutputs).flatMap { dtype in
            ElementFormat.allCases.filter { supportsFormats(dtype: dtype, kvDtype: $0) }
                .map { $0 == dtype ? dtype.rawValue : "\(dtype.rawValue)/kv:\($0.rawValue)" }
        }
        return "\(name) does not run dtype \(shape.dtype.rawValue) with kv-dtype \(shape.kvDtype.rawValue) (it runs \(supported.joined(separator: ", ")))"
    }
    public func prepare(_ operands: AttentionOperands, scratch: UnsafeMutableBufferPointer<Float>, context: KernelContext) {}
}

/// How a kernel may spend threads. Single-threaded kernels ignore it.
public struct KernelContext: Sendable, Equatable {
    /// Work scheduling for parallel kernels.
    public enum Schedule: String, Sendable, CaseIterable {
        /// Each worker takes a precomputed, cost-balanced share of the work items.
        case `static`
        /// Workers take the next work item from a shared atomic counter.
        case dynamic
    }

    public var threads: Int
    /// The OS CPU each worker binds to, `nil` for an unpinned worker; empty means no pinning at all.
    public var workerCPUs: [Int?]
    /// The NUMA node of each worker, as the OS numbers it (libnuma's numbering); empty when unknown.
    public var workerNodes: [Int]
    public var schedule: Schedule
    /// NUMA-aware placement: each head's data lives on, and is processed first by, one node's workers.
    public var placesMemory: Bool

    public init(threads: Int = 1, workerCPUs: [Int?] = [], workerNodes: [Int] = [], schedule: Schedule = .dynamic,
                placesMemory: Bool = false) {
        self.threads = max(1, threads)
        self.workerCPUs = workerCPUs
        self.workerNodes = workerNodes
        self.schedule = schedule
        self.placesMemory = placesMemory
    }

    /// The OS CPU of worker `w`, or `nil` when it is unpinned.
    @inlinable public func cpu(ofWorker w: Int) -> Int? { w < workerCPUs.count ? workerCPUs[w] : nil }

    /// The NUMA node of worker `w` (0 when unknown).
    @inlinable public func node(ofWorker w: Int) -> Int { w < workerNodes.count ? workerNodes[w] : 0 }

    public static let singleThreaded = KernelContext()
}

/// The error a kernel is allowed, as a multiple of the error a well-rounded fp32 computation makes.
///
/// For one output row, a correctly rounded fp32 pipeline errs by about
///
///     ε · (κ + log₂(Nk) + 1) · max|V|,     κ = |scale| · maxᵢ‖qᵢ‖₂ · maxⱼ‖kⱼ‖₂,
///
/// where ε = 2⁻²³: κ bounds the magnitude of any score, and `exp` turns an absolute score error δ into a
/// relative weight error δ, which the weighted sum of V carries into O; the log term covers the sums.
/// A kernel passes when its largest absolute error is at most `multiplier` times that bound.
public struct Tolerance: Sendable, Equatable {
    public var multiplier: Double
    public init(multiplier: Double) { self.multiplier = multiplier }
}
