import AttentionCore
import Machine

extension KernelContext {
    /// The context that runs `plan`'s workers: each on its planned CPU, with its NUMA node as the OS numbers
    /// it (libnuma's numbering, which `move_pages` needs), placing memory when the plan's policy does.
    public init(plan: PinPlan, topology: MachineTopology, schedule: Schedule = .dynamic) {
        self.init(threads: plan.workers.count, workerCPUs: plan.workers.map(\.cpu),
                  workerNodes: plan.workers.map { topology.numaNodes[$0.numaNode].osIndex },
                  schedule: schedule, placesMemory: plan.placesMemory)
    }
}
