import ArgumentParser
import AttnBench
import Foundation

/// `gate --against REV`: the A/B mode. The work is ``ABGate``'s; this file turns the options into one,
/// prints and exits.
extension GateCommand {
    func runRace(against: String) throws {
        let log: (String) -> Void = gate.format == .text ? { print($0) } : { warn($0) }
        var abGate = ABGate(against: against, candidate: race.candidate, thisBinary: (Self.thisExecutable(), BuildInfo.label),
                            sweepArguments: shape.commandLine + options.commandLine,
                            schedule: RaceSchedule(rounds: race.rounds, order: race.order, seed: race.orderSeed),
                            folder: options.output.map { $0.hasSuffix(".csv") ? String($0.dropLast(4)) : $0 }
                                ?? "Results/tmp/gate-ab-\(SweepCommand.fileStamp())",
                            configuration: gate.configuration)
        abGate.normalise = gate.normalise
        abGate.confirm = race.confirm
        if let fraction = race.candidateInjectedWork {
            abGate.candidateEnvironment = [InjectedWork.environmentVariable: String(fraction)]
        }
        do {
            let report = try abGate.run(log: log, warn: warn, progress: { line in if !options.quiet { warn("… " + line) } })
            try GateOutput.finish(report, options: gate)
        } catch RevisionRaceError.interrupted {
            warn("interrupted")
            throw ExitCode(130)
        } catch let error as RevisionRaceError {
            throw CLIError(error.description)
        } catch let error as CSVError {
            throw CLIError(error.description)
        } catch let error as SubprocessError {
            throw CLIError(error.description)
        } catch let error as GateError {
            throw CLIError(error.description)
        }
    }

    /// The path of the running executable (`/proc/self/exe`), so the candidate side runs this very binary.
    static func thisExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
