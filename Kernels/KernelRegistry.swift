import AttentionCore

/// Every kernel the suite races, in display order. Adding a kernel: one file in `Kernels/`, one line here.
public enum KernelRegistry {
    public static func all(cache: CacheBudget) -> [any AttentionKernel] {
        [
            NaiveKernel(),
            TiledKernel(cache: cache),
            FusedKernel(cache: cache),
            ParallelKernel(cache: cache),
        ] + InflatedWorkKernel.registered(cache: cache)   // test-only kernel, with ATTNBENCH_TEST_KERNELS=1
    }

    public static var names: [String] { all(cache: CacheBudget(l1: 0, l2: 0)).map(\.name) }

    /// The kernels named in `names`, in that order; throws naming the first unknown one.
    public static func select(_ names: [String], cache: CacheBudget) throws -> [any AttentionKernel] {
        let available = all(cache: cache)
        return try names.map { name in
            guard let kernel = available.first(where: { $0.name == name }) else {
                throw ShapeError("unknown kernel '\(name)'; available: \(available.map(\.name).joined(separator: ", "))")
            }
            return kernel
        }
    }
}
