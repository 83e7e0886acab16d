import Foundation

/// Writes plots into one folder: the scripts it uses (copies of `Scripts/`, runnable on their own), one
/// image per plot, and `replot.sh` with the exact gnuplot command lines.
public struct PlotWriter {
    public var gnuplot: Gnuplot
    public var format: ImageFormat
    public var directory: String
    public var titleExtra: String?
    /// The command lines run so far, for `replot.sh`.
    public private(set) var commands: [String] = []

    public init(gnuplot: Gnuplot, format: ImageFormat, directory: String, titleExtra: String? = nil) {
        self.gnuplot = gnuplot
        self.format = format
        self.directory = directory
        self.titleExtra = titleExtra
    }

    /// Creates the folder and writes the shared script and the scripts of `plots`; returns their paths.
    @discardableResult
    public func writeScripts(for plots: [PlotKind]) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PlotError("cannot create \(directory): \(error.localizedDescription)")
        }
        var written: [String] = []
        for name in [EmbeddedScripts.commonName] + plots.map(\.scriptName) {
            guard let text = EmbeddedScripts.files[name] else { throw PlotError("no embedded script \(name)") }
            let path = (directory as NSString).appendingPathComponent(name)
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw PlotError("cannot write \(path): \(error.localizedDescription)")
            }
            written.append(path)
        }
        return written
    }

    /// Draws `plot` from `data` into `<directory>/<name>.<format>` with the script already in the folder;
    /// returns the image path. Fails when gnuplot does, or leaves no image.
    public mutating func render(_ plot: PlotKind, data: String, name: String? = nil, titleExtra extra: String? = nil) throws -> String {
        for path in [data, directory] where path.contains("'") {
            throw PlotError("paths with a single quote are not supported by the gnuplot scripts: \(path)")
        }
        let image = (directory as NSString).appendingPathComponent((name ?? plot.rawValue) + "." + format.fileExtension)
        let script = (directory as NSString).appendingPathComponent(plot.scriptName)
        var variables = [("data", Self.absolute(data)), ("out", Self.absolute(image)), ("term", format.rawValue)]
        if let title = extra ?? titleExtra, !title.isEmpty { variables.append(("title_extra", title)) }
        try? FileManager.default.removeItem(atPath: image)
        commands.append(gnuplot.commandLine(script: Self.absolute(script), variables: variables))
        try gnuplot.run(script: script, variables: variables)
        let size = (try? FileManager.default.attributesOfItem(atPath: image)[.size] as? Int) ?? nil
        guard let size, size > 0 else { throw PlotError("gnuplot wrote no image for \(plot) at \(image)") }
        return image
    }

    /// Writes `replot.sh`, which runs the same command lines again; returns its path.
    @discardableResult
    public func writeReplotScript() throws -> String {
        let path = (directory as NSString).appendingPathComponent("replot.sh")
        let text = "#!/bin/sh\n# The gnuplot command lines attnbench ran to draw the images in this folder.\nset -e\n"
            + commands.joined(separator: "\n") + "\n"
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw PlotError("cannot write \(path): \(error.localizedDescription)")
        }
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
