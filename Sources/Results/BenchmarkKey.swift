import AttentionCore

/// Identifies one benchmark across runs and files: kernel, shape (storage formats included), threads and pin
/// policy. The sweep writes it, the reader parses it, and the regression gate matches baseline and candidate
/// on it.
public struct BenchmarkKey: Sendable, Hashable, CustomStringConvertible {
    public var kernel: String
    public var shape: AttentionShape
    public var threads: Int
    public var pin: String

    public init(kernel: String, shape: AttentionShape, threads: Int, pin: String) {
        self.kernel = kernel
        self.shape = shape
        self.threads = threads
        self.pin = pin
    }

    /// e.g. `fused B1 H8 N4096 d64 causal t1 none`: the report's "benchmark" column.
    public var description: String { "\(kernel) \(ResultsSchema.shapeText(shape)) t\(threads) \(pin)" }

    /// The key columns joined by `|` (`kernel|batch|heads|kv_heads|seq_q|seq_kv|head_dim|causal|threads|pin`,
    /// then `|dtype|kv_dtype` unless both are f32, so that fp32 ids stay those of files from before formats):
    /// a stable text for the gate's `id` column and for seeding its resampling, the same on every run.
    public var id: String {
        let fields = ResultsSchema.keyFields(self)
        let formats = shape.dtype == .f32 && shape.kvDtype == .f32 ? [] : ResultsSchema.formatColumns
        return (ResultsSchema.keyColumns + formats).map { fields[$0]! }.joined(separator: "|")
    }
}
