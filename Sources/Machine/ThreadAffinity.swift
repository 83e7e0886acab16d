import Synchronization

/// Reading and changing which CPUs the *calling thread* may run on.
///
/// Everything here acts on the current thread only (Linux `sched_*affinity` with pid 0), never on the
/// whole process, so a worker pool can pin each worker from inside that worker.
public enum ThreadAffinity {
    /// The OS CPU ids the calling thread may run on.
    ///
    /// - Throws: `MachineError.affinityQueryFailed` if the kernel refuses the query.
    public static func currentMask() throws -> Set<Int> {
        try SystemCalls.threadAffinity()
    }

    /// The OS CPU id the calling thread is running on at this instant, or -1 if the kernel cannot say.
    /// Unless the thread is bound to a single CPU, the answer may be stale as soon as it returns.
    public static func currentCPU() -> Int {
        SystemCalls.currentCPU()
    }

    /// Runs `body` with the calling thread bound to `cpu`, then restores the thread's previous mask —
    /// also when `body` throws — so the thread is left exactly as it was found.
    ///
    /// Best effort by design: a benchmark should still produce numbers on a machine that refuses
    /// binding (a container with a restricted cpuset, a CPU that went offline). If the mask cannot be
    /// read or set, `body` runs unbound and `bindingFailures` is incremented; callers that must know
    /// compare that counter before and after, or use `withRequiredBinding(toCPU:_:)`.
    /// `cpu == nil` runs `body` unbound without any system call (the `PinPolicy.none` case).
    public static func withBinding<R>(toCPU cpu: Int?, _ body: () throws -> R) rethrows -> R {
        guard let cpu else { return try body() }
        guard let previous = try? SystemCalls.threadAffinity(),
              (try? SystemCalls.setThreadAffinity([cpu])) != nil
        else {
            failureCount.add(1, ordering: .relaxed)
            return try body()
        }
        defer { restore(previous) }
        return try body()
    }

    /// Like `withBinding(toCPU:_:)`, but a failure to bind throws instead of running unbound.
    /// `body` never runs unbound for a non-nil `cpu`; the previous mask is restored afterwards.
    ///
    /// - Throws: `MachineError.affinityQueryFailed` / `.bindFailed`, or whatever `body` throws.
    public static func withRequiredBinding<R>(toCPU cpu: Int?, _ body: () throws -> R) throws -> R {
        guard let cpu else { return try body() }
        let previous = try SystemCalls.threadAffinity()
        try SystemCalls.setThreadAffinity([cpu])
        defer { restore(previous) }
        return try body()
    }

    /// How many times, process-wide, `withBinding` could not bind or restore and carried on.
    public static var bindingFailures: Int { failureCount.load(ordering: .relaxed) }

    private static let failureCount = Atomic<Int>(0)

    /// Puts the saved mask back; a failure here is counted (the thread keeps the single-CPU mask).
    private static func restore(_ previous: Set<Int>) {
        if (try? SystemCalls.setThreadAffinity(previous)) == nil {
            failureCount.add(1, ordering: .relaxed)
        }
    }
}
