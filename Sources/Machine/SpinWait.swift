/// Waiting for other threads of the same parallel region without sleeping.
///
/// A thread that sleeps on a futex in this VM takes 20–45 µs to run again after it is woken, which is a
/// tenth of a decode step. Waits that are expected to last microseconds therefore spin; to stay safe when
/// there are more threads than CPUs (the thread waited for may need this very CPU), a wait that outlasts
/// ``spinRounds`` rounds yields the CPU between checks instead.
public enum SpinWait {
    /// Rounds of `pause` before the wait starts yielding: about 4096 × 20–140 cycles, i.e. tens of
    /// microseconds, the scale of a work item's imbalance at the end of a parallel region.
    public static let spinRounds = 4096

    /// Returns once `isDone()` is true: spins (`pause`) for up to ``spinRounds`` checks, then yields the CPU
    /// (`sched_yield`) between checks.
    @inline(__always)
    public static func until(_ isDone: () -> Bool) {
        var rounds = 0
        while !isDone() {
            if rounds < spinRounds {
                SystemCalls.spinPause()
                rounds += 1
            } else {
                SystemCalls.yieldCPU()
            }
        }
    }
}
