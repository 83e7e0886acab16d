import AttnBench
import ArgumentParser
import Foundation
import Plotting

/// `attnbench plot RESULTS.csv`: every plot the CSV has data for, drawn by gnuplot, with the scripts that
/// drew them copied next to the images (they run on their own: see `replot.sh` in the output folder).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw every plot a results, samples or compare CSV has data for (needs gnuplot).",
        discussion: """
            A results CSV gives time, GFLOP/s (with the FMA-peak roofline) and speedup over naive vs sequence \
            length when a kernel ran at two or more lengths, thread scaling at two or more thread counts, and a \
            heads sweep at two or more head counts; its <name>-samples.csv beside it gives the sample \
            distributions. A compare CSV (`attnbench compare --format csv`) gives the ratio chart. Only rows with \
            status ok are drawn. The images, the gnuplot scripts (the same as Scripts/*.gp) and replot.sh with \
            the exact command lines go into the output folder.
            Plots: \(PlotKind.allCases.filter { $0 != .heatmap }.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")).
            """)

    @Argument(help: ArgumentHelp("A results CSV, a samples CSV, or a compare CSV.", valueName: "csv"))
    var csv: String

    @Option(name: .long, help: ArgumentHelp("Folder for the images and scripts (default: the CSV's path without .csv, plus -plots).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: "Image format.")
    var format: ImageFormat = .png

    @Option(name: .long, help: ArgumentHelp("Only these plots, comma-separated; each must have data.", valueName: "names"))
    var plots: PlotNameList?

    @Option(name: .long, help: ArgumentHelp("Text appended to every title.", valueName: "text"))
    var title: String?

    func run() throws {
        let plan: PlotPlan
        do {
            plan = try PlotPlanner.plan(path: csv, requested: plots?.plots)
        } catch let error as PlotError {
            if error.usage { throw ValidationError(error.description) }
            throw CLIError(error.description)
        }
        let gnuplot: Gnuplot
        do { gnuplot = try Gnuplot.require() } catch let error as PlotError { throw CLIError(error.description) }
        let directory = out ?? Self.defaultDirectory(for: csv)
        var writer = PlotWriter(gnuplot: gnuplot, format: format, directory: directory, titleExtra: title)
        do {
            try writer.writeScripts(for: plan.plots.map(\.plot))
        } catch let error as PlotError { throw CLIError(error.description) }
        var failures: [String] = []
        for planned in plan.plots {
            do {
                let image = try writer.render(planned.plot, data: planned.data)
                print("wrote \(image)")
            } catch let error as PlotError {
                failures.append(error.description)
                warn("error: \(error.description)")
            }
        }
        for skipped in plan.skipped { print("skipped \(skipped.plot): \(skipped.reason)") }
        if let replot = try? writer.writeReplotScript() {
            print("scripts: \(directory)/*.gp (run \(replot) to draw them again)")
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    static func defaultDirectory(for csv: String) -> String {
        (csv.hasSuffix(".csv") ? String(csv.dropLast(4)) : csv) + "-plots"
    }
}

/// Plot names, comma-separated: `time_vs_seq,samples`.
struct PlotNameList: ExpressibleByArgument, Equatable, Sendable {
    var plots: [PlotKind]

    init?(argument: String) {
        var plots: [PlotKind] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let plot = PlotKind(rawValue: part.trimmingCharacters(in: .whitespaces)), plot != .heatmap else { return nil }
            if !plots.contains(plot) { plots.append(plot) }
        }
        guard !plots.isEmpty else { return nil }
        self.plots = plots
    }

    static var allValueStrings: [String] { PlotKind.allCases.filter { $0 != .heatmap }.map(\.rawValue) }
}

extension ImageFormat: ExpressibleByArgument {}
