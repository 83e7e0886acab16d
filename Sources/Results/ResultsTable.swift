import Foundation
import AttentionCore

/// The human-readable table of a sweep: one line per benchmark, as `attnbench sweep` prints it.
public enum ResultsTable {
    public static func render(_ records: [BenchmarkRecord], environment: RunEnvironment) -> String {
        let header = ["kernel", "shape", "threads", "pin", "median ms", "MAD ms", "GFLOP/s", "of peak", "of roofline", "vs naive", "max abs err", "check"]
        let rows: [[String]] = records.map { record in
            let stats = record.statistics
            return [
                record.key.kernel, ResultsSchema.shapeText(record.key.shape), String(record.key.threads), record.key.pin,
                stats.map { fixed($0.median, 3) } ?? "-", stats.map { fixed($0.mad, 3) } ?? "-",
                record.gflops.map { fixed($0, 2) } ?? "-",
                peakFraction(record, environment).map { fixed($0 * 100, 1) + "%" } ?? "-",
                environment.rooflineFraction(record).map { fixed($0 * 100, 1) + "%" } ?? "-",
                record.speedupOverNaive.map { fixed($0, 1) + "×" } ?? "-",
                record.equivalence.map { ResultsCSV.format($0.maxAbsoluteError) } ?? "-",
                record.status == .ok ? "pass" : record.status == .failed ? "FAIL" : "skipped: \(record.note)",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ fields: [String]) -> String {
            fields.enumerated().map { index, field in
                let pad = String(repeating: " ", count: widths[index] - field.count)
                return index <= 3 || index == fields.count - 1 ? field + pad : pad + field
            }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n")
    }

    static func peakFraction(_ record: BenchmarkRecord, _ environment: RunEnvironment) -> Double? {
        ResultsSchema.peakFraction(gflops: record.gflops, peak: environment.peakGFLOPS(threads: record.key.threads))
    }

    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
