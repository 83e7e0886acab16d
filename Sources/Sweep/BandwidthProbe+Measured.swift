import Kernels
import Results

extension BandwidthProbe {
    /// Both figures, each the best of `passes` streams of the whole buffer, as the results record them.
    public func measure(passes: Int = 8) -> MeasuredBandwidth {
        MeasuredBandwidth(singleThread: singleThread(passes: passes), allThreads: allThreads(passes: passes),
                          threads: context.threads)
    }
}
