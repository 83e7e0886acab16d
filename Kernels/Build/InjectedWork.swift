// Injected work — the regression gate's calibration hook (Scripts/maintainer/gate-calibration), zero unless
// the environment asks for it.
//
// `fused` and `parallel` compute the first `fraction` of every head's query rows a second time. The repeat
// writes the same values again, so results and checks are unchanged, but the arithmetic grows by about
// `fraction` (key/value packing is not repeated: O(Nk·d) against O(Nq·Nk·d)). The calibration races this
// build against itself with `ATTNBENCH_INJECTED_WORK=0.10` on the candidate side only
// (`gate --against HEAD --candidate-injected-work 0.10`): a gate that misses it misses a real 10% regression.
// The variable is read once, before the first timed run (`Sweep.run` asks for it and warns when it is set);
// without it the fraction is 0 and the kernels skip the repeat with one comparison per call.
import AttentionCore
#if canImport(Glibc)
import Glibc
#endif

public enum InjectedWork {
    /// The environment variable that sets ``fraction``: a fraction of each head's rows, 0 to 1.
    public static let environmentVariable = "ATTNBENCH_INJECTED_WORK"

    /// The variable's text, read once, on first use: ``fraction`` and ``problem`` both come from it.
    static let setting: String? = getenv(environmentVariable).map { String(cString: $0) }

    /// The share of each head's query rows computed twice: ``environmentVariable`` when it holds a fraction
    /// from 0 to 1, else 0.
    public static let fraction: Double = parse(setting) ?? 0

    /// What is wrong with the variable's value, in one line; nil when it is unset or a fraction from 0 to 1.
    public static var problem: String? {
        guard let text = setting, parse(text) == nil else { return nil }
        return "\(environmentVariable)=\(text) is not a fraction from 0 to 1"
    }

    static func parse(_ text: String?) -> Double? {
        guard let text, let value = Double(text), value.isFinite, (0...1).contains(value) else { return nil }
        return value
    }

    /// Rows per head computed twice for `seqQ` query rows.
    @inline(__always)
    public static func repeatedRows(_ seqQ: Int) -> Int {
        fraction > 0 ? Int((Double(seqQ) * fraction).rounded()) : 0
    }

    /// `parallel`'s share of the repeat: worker `worker` of `workers` redoes the first rows of every
    /// `workers`-th query head, from the packed panels (`panels`, one `geometry.floatsPerHead` block per
    /// key/value head, in batch-major order).
    @inline(__always)
    static func repeatRows(_ operands: AttentionOperands, panels: UnsafeMutablePointer<Float>, geometry: PanelGeometry,
                           workspace: FusedWorkspace, worker: Int, workers: Int) {
        let shape = operands.shape
        let end = min(shape.seqQ, repeatedRows(shape.seqQ))
        guard end > 0 else { return }
        var index = worker
        while index < shape.batch * shape.heads {
            let b = index / shape.heads, h = index % shape.heads
            let packed = PackedKeyValues(geometry: geometry,
                                         base: panels + (b * shape.kvHeads + h / shape.groupSize) * geometry.floatsPerHead)
            var row = 0
            while row < end {
                let rows = min(workspace.queryBlock, end - row)
                FusedKernel.attendQueryBlock(operands, packed: packed, batch: b, head: h, firstRow: row, rows: rows,
                                             workspace: workspace)
                row += rows
            }
            index += workers
        }
    }
}
