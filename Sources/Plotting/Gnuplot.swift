import Foundation

/// The gnuplot executable, found on `PATH`, and a way to run one script with `-e` variables.
public struct Gnuplot: Sendable {
    public var executable: String

    public init(executable: String) { self.executable = executable }

    /// The first executable `gnuplot` on `searchPath` (a `PATH`-style list), or `nil`.
    public static func locate(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> Gnuplot? {
        for directory in (searchPath ?? "").split(separator: ":") where !directory.isEmpty {
            let candidate = String(directory) + "/gnuplot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return Gnuplot(executable: candidate) }
        }
        return nil
    }

    /// `gnuplot` on `PATH`, or a one-line error that says how to get it.
    public static func require() throws -> Gnuplot {
        guard let gnuplot = locate() else {
            throw PlotError("gnuplot not found on PATH: install it (apt-get install gnuplot-nox, brew install gnuplot, dnf install gnuplot) and run again")
        }
        return gnuplot
    }

    /// `name='value'` for gnuplot's `-e`: single quotes, with a quote written twice.
    public static func assignment(_ name: String, _ value: String) -> String {
        "\(name)='\(value.replacingOccurrences(of: "'", with: "''"))'"
    }

    /// The command line that runs `script` with `variables`, quoted for a POSIX shell.
    public func commandLine(script: String, variables: [(String, String)]) -> String {
        let setting = variables.map { Self.assignment($0.0, $0.1) }.joined(separator: "; ")
        return ["gnuplot", "-e", setting, script].map(Self.shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=+:,@".contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `gnuplot -e "variables" script`; returns what gnuplot printed (warnings), or throws with its
    /// last error line when it exits non-zero.
    @discardableResult
    public func run(script: String, variables: [(String, String)]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-e", variables.map { Self.assignment($0.0, $0.1) }.joined(separator: "; "), script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw PlotError("cannot run \(executable): \(error.localizedDescription)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let message = lines.last(where: { $0.hasPrefix("attnbench:") }).map { String($0.dropFirst("attnbench: ".count)) }
                ?? lines.suffix(2).joined(separator: " ")
            let name = (script as NSString).lastPathComponent
            throw PlotError("gnuplot failed on \(name) (exit \(process.terminationStatus)): \(message)")
        }
        return output
    }
}
