import Results

/// Plotting: gnuplot scripts and the code that runs them on attnbench CSV files.
///
/// The scripts in `Scripts/*.gp` are the one source of truth; ``EmbeddedScripts`` carries byte-identical
/// copies so that an installed binary needs no checkout (a test keeps the two equal and can regenerate the
/// Swift file). ``PlotPlanner`` decides which plots a CSV has data for, ``Gnuplot`` finds and runs gnuplot,
/// and ``PlotWriter`` does the whole of `attnbench plot`: scripts next to the images, one gnuplot run each.
public enum Plotting {}

/// The plots attnbench draws; the raw value is the script's base name and the image's base name.
public enum PlotKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case timeVsSeq = "time_vs_seq"
    case gflopsVsSeq = "gflops_vs_seq"
    case speedupVsSeq = "speedup_vs_seq"
    case threadScaling = "thread_scaling"
    case headsSweep = "heads_sweep"
    case roofline
    case compare
    case samples
    case heatmap

    public var scriptName: String { rawValue + ".gp" }
    public var description: String { rawValue }

    /// The columns the plot's script reads (after ``PlotPlanner/normalizedColumn(_:)``).
    public var requiredColumns: [String] {
        let key = ResultsSchema.keyColumns
        switch self {
        case .timeVsSeq, .headsSweep: return key + ["median_ms"]
        case .gflopsVsSeq: return key + ["gflops"]
        case .speedupVsSeq: return key + ["speedup_vs_naive"]
        case .threadScaling: return key + ["speedup_vs_1t", "parallel_efficiency"]
        case .roofline: return key + ["gflops", "gflop", "bandwidth_gbs", "peak_gflops"]
        case .compare: return ["benchmark", "ratio", "ci_low", "ci_high", "verdict", "threshold"]
        case .samples: return key + ["time_ms"]
        case .heatmap: return []
        }
    }

    /// What the plot shows, for `--help` and reports.
    public var summary: String {
        switch self {
        case .timeVsSeq: "time vs sequence length, log-log, with an O(N²) guide"
        case .gflopsVsSeq: "GFLOP/s vs sequence length with the FMA peak as roofline"
        case .speedupVsSeq: "speedup over naive vs sequence length"
        case .threadScaling: "speedup and parallel efficiency vs threads"
        case .headsSweep: "time vs number of heads"
        case .roofline: "GFLOP/s vs arithmetic intensity, log-log, under the measured bandwidth slope and FMA ceiling"
        case .compare: "candidate/baseline ratios with confidence intervals (compare CSV)"
        case .samples: "sample distributions per benchmark (samples CSV)"
        case .heatmap: "attention weight matrix (attnbench heatmap)"
        }
    }

    /// The plots drawn from a results file (the samples plot comes from the samples file beside it).
    public static let resultsPlots: [PlotKind] = [.timeVsSeq, .gflopsVsSeq, .speedupVsSeq, .threadScaling, .headsSweep, .roofline]
}

/// The image format; gnuplot's cairo terminals draw all three.
public enum ImageFormat: String, CaseIterable, Sendable {
    case png, svg, pdf
    public var fileExtension: String { rawValue }
}

/// A plotting problem, in one line. `usage` marks a bad request (exit status 64) rather than an
/// unusable file or a missing tool (exit status 1).
public struct PlotError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public var usage: Bool
    public init(_ description: String, usage: Bool = false) {
        self.description = description
        self.usage = usage
    }
}
