import ArgumentParser
import AttnBench
import Foundation

/// The end of `compare` and `gate`: print the report, write `--report`, exit with the gate's status.
enum GateOutput {
    /// Prints `report` in `--format` (notes on standard error for CSV), writes `--report`, then returns for
    /// exit 0 or throws `ExitCode(1)` / `ExitCode(2)` after the one line that says why.
    static func finish(_ report: GateReport, options: GateOptions) throws {
        let text = report.render(format: options.format)
        print(text, terminator: "")
        if options.format == .csv { for note in report.notes { warn("note: \(note)") } }
        if let path = options.reportPath {
            do { try Gate.write(text, to: path) } catch let error as GateError { throw CLIError(error.description) }
        }
        let outcome = Gate.outcome(of: report)
        if let message = outcome.message { warn(message) }
        if outcome.status != .passed { throw ExitCode(outcome.status.rawValue) }
    }
}

/// `OLD=NEW` for `--rename-kernel`.
struct KernelRename: ExpressibleByArgument, Equatable, Sendable {
    var from: String
    var to: String

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].contains("=") else { return nil }
        from = String(parts[0])
        to = String(parts[1])
    }
}

/// Turns a results-reading error into a one-line CLI error (exit status 1).
func readResults(_ path: String) throws -> ResultsFile {
    do { return try ResultsFile.read(path) } catch let error as CSVError {
        throw CLIError(error.description)
    } catch {
        throw CLIError("\(path): \(error)")
    }
}

/// ``Gate/report`` with the command line's statistics settings; its errors become one-line CLI errors.
func gateReport(baseline: ResultsFile, candidate: ResultsFile, options: GateOptions, selection: Gate.Selection,
                weakerModeNote: (_ baselineHost: String, _ candidateHost: String) -> String) throws -> GateReport {
    do {
        return try Gate.report(baseline: baseline, candidate: candidate, normalise: options.normalise,
                               configuration: options.configuration, selection: selection, weakerModeNote: weakerModeNote)
    } catch let error as GateError {
        throw CLIError(error.description)
    }
}
