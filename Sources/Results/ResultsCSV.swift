import Foundation
import AttentionCore

/// Writes the results format (``ResultsSchema``): one row per (kernel, shape, threads, pin), and one
/// samples row per timed sample.
public enum ResultsCSV {
    public static func row(_ record: BenchmarkRecord, environment: RunEnvironment) -> [String] {
        let stats = record.statistics
        let check = record.equivalence
        let peak = environment.peakGFLOPS(threads: record.key.threads)
        let values: [String: String] = [
            "schema_version": String(ResultsSchema.schemaVersion), "timestamp": environment.timestamp, "host": environment.host,
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
            "peak_gflops": format(peak), "peak_fraction": format(ResultsSchema.peakFraction(gflops: record.gflops, peak: peak)),
            "probe_before_gflops": format(environment.probeBefore), "probe_after_gflops": format(environment.probeAfter),
            "load_average": format(environment.loadAverage),
            "noisy": environment.noiseWarnings.isEmpty ? "false" : "true", "host_id": environment.hostID,
            "bandwidth_gbs": format(environment.bandwidthGBs(threads: record.key.threads)),
            "min_bytes": format(CostModel.minimumBytes(record.key.shape)),
            "roofline_gflops": format(environment.rooflineGFLOPS(record)),
            "row_bandwidth_gbs": format(record.nearbyBandwidth),
            "format_err": format(check?.formatError),
            "roofline_fraction": format(environment.rooflineFraction(record)),
            "probe_all_cores_before_gflops": format(environment.probeAllCoresBefore),
            "probe_all_cores_after_gflops": format(environment.probeAllCoresAfter),
        ].merging(ResultsSchema.keyFields(record.key)) { first, _ in first }
        return ResultsSchema.columns.map { values[$0] ?? "" }
    }

    public static func table(_ records: [BenchmarkRecord], environment: RunEnvironment) -> CSVTable {
        CSVTable(header: ResultsSchema.columns, rows: records.map { row($0, environment: environment) })
    }

    /// Long format: one row per sample, keyed like the results rows.
    public static func sampleRows(_ record: BenchmarkRecord, environment: RunEnvironment) -> [[String]] {
        let fields = ResultsSchema.keyFields(record.key)
        let prefix = [String(ResultsSchema.schemaVersion), environment.timestamp, environment.host] + ResultsSchema.keyColumns.map { fields[$0]! }
        let formats = ResultsSchema.formatColumns.map { fields[$0]! }
        return record.samples.enumerated().map { index, sample in prefix + [String(index), format(sample)] + formats }
    }

    /// Numbers as text gnuplot and spreadsheets read: 6 significant digits (`%.6g`), empty when absent.
    public static func format(_ value: Double?) -> String {
        guard let value else { return "" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.6g", value)
    }
}
