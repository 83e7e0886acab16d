import Foundation

/// Writes plots into one folder: one image per plot and `replot.sh` with the exact gnuplot command lines,
/// every path in it relative to the folder. Inside an attnbench checkout (a folder above holds
/// `Package.swift` and `Scripts/attnbench-common.gp`) the plots run the checkout's own `Scripts/*.gp`, so
/// the folder holds images and data only; anywhere else the embedded scripts are written beside the images
/// so the folder replots on its own.
public struct PlotWriter {
    public var gnuplot: Gnuplot
    public var format: ImageFormat
    public var directory: String
    public var titleExtra: String?
    /// The command lines run so far, for `replot.sh`.
    public private(set) var commands: [String] = []

    /// The folder the scripts run from: the checkout's `Scripts/`, or ``directory`` for written copies.
    public private(set) var scriptsDirectory: String

    public init(gnuplot: Gnuplot, format: ImageFormat, directory: String, titleExtra: String? = nil) {
        self.gnuplot = gnuplot
        self.format = format
        self.directory = directory
        self.titleExtra = titleExtra
        scriptsDirectory = directory
    }

    /// The `Scripts/` folder of the attnbench checkout that holds `folder`, when its scripts are the ones
    /// this binary embeds (the same bytes); nil outside a checkout or for another revision's scripts.
    static func checkoutScripts(above folder: String, for names: [String]) -> String? {
        var url = URL(fileURLWithPath: absolute(folder))
        while url.path != "/" {
            let scripts = url.appendingPathComponent("Scripts")
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
               names.allSatisfy({ name in
                   (try? String(contentsOfFile: scripts.appendingPathComponent(name).path, encoding: .utf8)) == EmbeddedScripts.files[name]
               }) {
                return scripts.path
            }
            url.deleteLastPathComponent()
        }
        return nil
    }

    /// Creates the folder and, outside a checkout, writes the shared script and the scripts of `plots`
    /// into it; returns the paths of the scripts the plots will run.
    @discardableResult
    public mutating func writeScripts(for plots: [PlotKind]) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PlotError("cannot create \(directory): \(error.localizedDescription)")
        }
        let names = [EmbeddedScripts.commonName] + plots.map(\.scriptName)
        if let scripts = Self.checkoutScripts(above: directory, for: names) {
            scriptsDirectory = scripts
            return names.map { (scripts as NSString).appendingPathComponent($0) }
        }
        scriptsDirectory = directory
        var written: [String] = []
        for name in names {
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
        let script = (scriptsDirectory as NSString).appendingPathComponent(plot.scriptName)
        var variables = [("data", Self.absolute(data)), ("out", Self.absolute(image)), ("term", format.rawValue)]
        var replotVariables = [("data", relative(data)), ("out", relative(image)), ("term", format.rawValue)]
        if let title = extra ?? titleExtra, !title.isEmpty {
            variables.append(("title_extra", title))
            replotVariables.append(("title_extra", title))
        }
        try? FileManager.default.removeItem(atPath: image)
        commands.append(gnuplot.commandLine(script: relative(script), variables: replotVariables))
        try gnuplot.run(script: script, variables: variables)
        let size = (try? FileManager.default.attributesOfItem(atPath: image)[.size] as? Int) ?? nil
        guard let size, size > 0 else { throw PlotError("gnuplot wrote no image for \(plot) at \(image)") }
        return image
    }

    /// Writes `replot.sh`, which runs the same command lines again; returns its path.
    @discardableResult
    public func writeReplotScript() throws -> String {
        let path = (directory as NSString).appendingPathComponent("replot.sh")
        let text = "#!/bin/sh\n# The gnuplot command lines attnbench ran to draw the images in this folder; paths are relative to it.\n"
            + "set -e\ncd \"$(dirname \"$0\")\"\n" + commands.joined(separator: "\n") + "\n"
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw PlotError("cannot write \(path): \(error.localizedDescription)")
        }
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// `path` relative to ``directory``, so `replot.sh` works wherever the checkout or folder is moved.
    func relative(_ path: String) -> String { Self.relative(path, from: directory) }

    /// `path` relative to the folder `base` (`../../Scripts/x.gp`), both resolved against the current
    /// directory first.
    static func relative(_ path: String, from base: String) -> String {
        let target = absolute(path).split(separator: "/"), origin = absolute(base).split(separator: "/")
        var shared = 0
        while shared < min(target.count, origin.count) && target[shared] == origin[shared] { shared += 1 }
        let parts = Array(repeating: "..", count: origin.count - shared) + target[shared...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
