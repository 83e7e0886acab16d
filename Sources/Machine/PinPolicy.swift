/// How benchmark workers are placed on CPUs. `PinPlan` turns a policy into concrete CPUs.
///
/// All pinning policies walk cores in **plan order**: cores sorted by (NUMA node, package, logical
/// core index), i.e. every core of node 0, then node 1, and so on. Each core contributes its first
/// hardware thread before any core contributes a second one; workers beyond the number of hardware
/// threads wrap around and reuse CPUs from the start (oversubscription: two workers share a CPU).
public enum PinPolicy: String, CaseIterable, Sendable {
    /// No binding: the OS scheduler places workers. Every worker gets `cpu == nil`.
    case none
    /// Fill cores in plan order: worker w takes the first hardware thread of the w-th core; once every
    /// core has one worker, the second hardware threads follow in the same core order, and so on,
    /// then the sequence repeats. Keeps workers close together (shared caches, one node first).
    case compact
    /// Round-robin over NUMA nodes that have cores: worker w goes to node (w mod N) and takes that
    /// node's next unused core in plan order; within a node the compact rules apply (first hardware
    /// threads of all its cores, then second ones, then wrap). Maximises aggregate memory bandwidth.
    /// On nodes of unequal size a smaller node wraps (oversubscribes) first.
    case spread
    /// Exactly the `spread` placement, and additionally each worker's memory should live on its
    /// node (`PinPlan.placesMemory` is true). Memory can only be placed where the topology's
    /// `numaMemoryPolicyAvailable` is true (the host, with libnuma working); callers allocate normally
    /// elsewhere, so there `numa` behaves exactly like `spread`.
    case numa
}
