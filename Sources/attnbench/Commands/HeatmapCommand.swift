import AttnBench
import ArgumentParser
import Foundation
import Plotting

/// `attnbench heatmap`: the "visualise attention" picture. Computes one head's softmax weights in float64 on a
/// short sentence with repeated words (token vectors plus sinusoidal positional encodings, an induction-style
/// head that looks one token back and at what followed earlier copies of the current word), writes the
/// matrix as CSV and draws it with gnuplot.
struct HeatmapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heatmap",
        abstract: "Draw one attention head's weight matrix on a small structured input (needs gnuplot).",
        discussion: """
            Writes heatmap-causal.csv and/or heatmap-full.csv (row i: query position i, column j: key position j, \
            each row summing to 1, masked keys 0), the images, heatmap.gp and replot.sh into the output folder.
            """)

    @Option(name: .long, help: "Number of tokens.")
    var seq = 24

    @Option(name: .long, help: "Head dimension (even).")
    var headDim = 32

    @Option(name: .long, help: "Mask: on (causal), off (none), or both (two heatmaps).")
    var causal: CausalMode = .both

    @Option(name: .long, help: ArgumentHelp("Folder for the CSV, images and script.", valueName: "dir"))
    var out = "heatmap"

    @Option(name: .long, help: "Image format.")
    var format: ImageFormat = .png

    func validate() throws {
        guard (2...128).contains(seq) else { throw ValidationError("--seq must be between 2 and 128 for a readable heatmap (got \(seq))") }
        guard (2...512).contains(headDim), headDim % 2 == 0 else {
            throw ValidationError("--head-dim must be even and between 2 and 512 (got \(headDim))")
        }
    }

    func run() throws {
        let example = AttentionHeatmap.example(length: seq, dimension: headDim)
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch { throw CLIError("cannot create \(out): \(error.localizedDescription)") }
        var matrices: [(name: String, path: String, note: String)] = []
        for masked in causal.flags {
            let weights = AttentionHeatmap.weights(queries: example.queries, keys: example.keys, causal: masked)
            let name = masked ? "heatmap-causal" : "heatmap-full"
            let path = (out as NSString).appendingPathComponent(name + ".csv")
            do {
                try AttentionHeatmap.csv(weights, queryLabels: example.labels, keyLabels: example.labels)
                    .write(toFile: path, atomically: true, encoding: .utf8)
            } catch { throw CLIError("cannot write \(path): \(error.localizedDescription)") }
            print("wrote \(path)")
            let mask = masked ? "causal mask (query i sees keys j ≤ i)" : "no mask"
            matrices.append((name, path, "\(seq) tokens, d=\(headDim), \(mask); induction-style head"))
        }
        guard let gnuplot = Gnuplot.locate() else {
            throw CLIError("gnuplot not found on PATH, so the weights above were not drawn: install it (apt-get install gnuplot-nox, brew install gnuplot) and run again")
        }
        var writer = PlotWriter(gnuplot: gnuplot, format: format, directory: out)
        do {
            try writer.writeScripts(for: [.heatmap])
            for matrix in matrices {
                print("wrote \(try writer.render(.heatmap, data: matrix.path, name: matrix.name, titleExtra: matrix.note))")
            }
            try writer.writeReplotScript()
        } catch let error as PlotError { throw CLIError(error.description) }
    }
}
