import ArgumentParser
import AttnBench

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the registered kernels.")

    func run() throws {
        let kernels = KernelRegistry.all(cache: CacheBudget(l1: 0, l2: 0))
        let width = kernels.map(\.name.count).max() ?? 0
        for kernel in kernels {
            let threads = kernel.isParallel ? "parallel" : "1 thread"
            print("\(kernel.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(threads.padding(toLength: 8, withPad: " ", startingAt: 0))  \(kernel.summary)")
        }
    }
}
