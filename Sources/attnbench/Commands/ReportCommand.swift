import ArgumentParser
import AttnBench
import Foundation

/// Renders a results CSV as a table (``ResultsReport``), so the docs' figures come from committed files.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a results CSV as a text or Markdown table (the docs' result tables are made with it).")

    @Argument(help: "A results CSV written by `attnbench sweep` (or merged with peers).")
    var results: String

    @Option(help: "Output format: text or markdown.")
    var format = ResultsReport.Format.markdown

    func run() throws {
        let table: CSVTable
        do { table = try CSVTable(contentsOf: results) } catch { throw CLIError("\(error)") }
        do { print(try ResultsReport.render(table, results: results, format: format), terminator: "") } catch let error as CSVError {
            throw CLIError(error.description)
        }
    }
}

extension ResultsReport.Format: ExpressibleByArgument {}
