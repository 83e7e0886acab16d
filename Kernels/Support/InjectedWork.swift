// Injected work — the regression gate's calibration hook (Scripts/gate-calibration), zero on every real
// revision.
//
// `fused` and `parallel` compute the first `fraction` of every head's query rows a second time. The repeat
// writes the same values again, so results and checks are unchanged, but the arithmetic grows by about
// `fraction` (key/value packing is not repeated: O(Nk·d) against O(Nq·Nk·d)). The calibration makes a
// throwaway commit with `fraction = 0.10` and gates it against HEAD: a gate that misses it misses a real 10%
// regression. With 0 the checks below are constant-folded away, so real revisions pay nothing.
import AttentionCore

public enum InjectedWork {
    /// The share of each head's query rows computed twice. Scripts/gate-calibration rewrites this line.
    public static let fraction = 0.0

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
