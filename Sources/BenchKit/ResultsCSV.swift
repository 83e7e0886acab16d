import Foundation
import AttentionCore

/// The results file format: one row per (kernel, shape, threads, pin), documented column by column in
/// README.md. Readers check `schema_version` and look columns up by name, so columns may be appended
/// without breaking them.
public enum ResultsCSV {
    public static let schemaVersion = 1

    public static let columns = [
        "schema_version", "timestamp", "host", "cpu_model", "cores", "numa_nodes", "build", "commit",
        "kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal", "threads", "pin",
        "repetitions", "min_ms", "median_ms", "mean_ms", "p90_ms", "max_ms", "mad_ms", "gflops",
        "max_abs_err", "max_rel_err", "passed",
        "status", "nrms_err", "allowed_abs_err", "gflop", "speedup_vs_naive",
        "numa_nodes_used", "speedup_vs_1t", "parallel_efficiency",
        "peak_gflops", "peak_fraction", "probe_before_gflops", "probe_after_gflops", "load_average", "noisy",
        "note", "host_id",
    ]

    /// Columns that identify a benchmark, shared with the raw-samples file.
    public static let keyColumns = ["kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal", "threads", "pin"]

    public static let sampleColumns = ["schema_version", "timestamp", "host"] + keyColumns + ["sample", "time_ms"]

    public static func row(_ record: BenchmarkRecord, environment: RunEnvironment) -> [String] {
        let stats = record.statistics
        let check = record.equivalence
        let peak = environment.peakPerCore.map { $0 * Double(min(record.key.threads, max(1, environment.cores))) }
        let values: [String: String] = [
            "schema_version": String(schemaVersion), "timestamp": environment.timestamp, "host": environment.host,
            "cpu_model": environment.cpuModel, "cores": String(environment.cores),
            "numa_nodes": String(environment.numaNodes), "build": environment.build, "commit": environment.commit,
            "repetitions": String(record.samples.count),
            "min_ms": format(stats?.min), "median_ms": format(stats?.median), "mean_ms": format(stats?.mean),
            "p90_ms": format(stats?.p90), "max_ms": format(stats?.max), "mad_ms": format(stats?.mad),
            "gflops": format(record.gflops),
            "max_abs_err": format(check?.maxAbsoluteError), "max_rel_err": format(check?.maxRelativeError),
            "passed": record.status == .ok ? "true" : "false",
            "status": record.status.rawValue,
            "nrms_err": format(check?.normalizedRMSError), "allowed_abs_err": format(check?.allowedAbsoluteError),
            "gflop": format(CostModel.flops(record.key.shape) / 1e9),
            "speedup_vs_naive": format(record.speedupOverNaive),
            "numa_nodes_used": String(record.numaNodesUsed),
            "speedup_vs_1t": format(record.speedupOverOneThread),
            "parallel_efficiency": format(record.parallelEfficiency),
            "note": record.note,
            "peak_gflops": format(peak), "peak_fraction": format(record.gflops.flatMap { g in peak.map { g / $0 } }),
            "probe_before_gflops": format(environment.probeBefore), "probe_after_gflops": format(environment.probeAfter),
            "load_average": format(environment.loadAverage),
            "noisy": environment.noiseWarnings.isEmpty ? "false" : "true",
            "host_id": environment.hostID,
        ].merging(keyFields(record.key)) { first, _ in first }
        return columns.map { values[$0] ?? "" }
    }

    public static func keyFields(_ key: BenchmarkKey) -> [String: String] {
        let shape = key.shape
        return ["kernel": key.kernel, "batch": String(shape.batch), "heads": String(shape.heads),
                "kv_heads": String(shape.kvHeads), "seq_q": String(shape.seqQ), "seq_kv": String(shape.seqKV),
                "head_dim": String(shape.headDim), "causal": shape.causal ? "true" : "false",
                "threads": String(key.threads), "pin": key.pin]
    }

    public static func table(_ records: [BenchmarkRecord], environment: RunEnvironment) -> CSVTable {
        CSVTable(header: columns, rows: records.map { row($0, environment: environment) })
    }

    /// Long format: one row per sample, keyed like the results rows.
    public static func sampleRows(_ record: BenchmarkRecord, environment: RunEnvironment) -> [[String]] {
        let fields = keyFields(record.key)
        let prefix = [String(schemaVersion), environment.timestamp, environment.host] + keyColumns.map { fields[$0]! }
        return record.samples.enumerated().map { index, sample in prefix + [String(index), format(sample)] }
    }

    /// Numbers as text gnuplot and spreadsheets read: 6 significant digits (`%.6g`), empty when absent.
    public static func format(_ value: Double?) -> String {
        guard let value else { return "" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.6g", value)
    }
}
