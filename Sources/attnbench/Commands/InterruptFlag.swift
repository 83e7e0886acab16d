import AttnBench
import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT (Ctrl-C) into a flag the sweep polls between runs, so an interrupted sweep stops after
/// the run in flight, prints what finished and leaves a valid results file. A second Ctrl-C exits at once.
/// (`@unchecked`: the dispatch source is only touched in `init` and `deinit`.)
final class InterruptFlag: @unchecked Sendable {
    private let raised = Atomic<Bool>(false)
    private let source: DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            if self.raised.exchange(true, ordering: .relaxed) { exit(130) }
            FileHandle.standardError.write(Data("\ninterrupted: finishing the run in flight (Ctrl-C again to quit now)\n".utf8))
        }
        source.resume()
    }

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
