import AttnBench
import ArgumentParser
import Foundation

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Manage the gate's references: the A/B reference revision (Results/baselines/gate-reference) and per-host baselines (Results/baselines/<host-id>.csv and its -samples.csv).",
        subcommands: [BaselineUpdateCommand.self, BaselinePathCommand.self, BaselineAcceptCommand.self])
}

struct BaselineUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Run a sweep (or take --from CSV) and store it, raw samples included, as this host's baseline.",
        discussion: """
            Takes the sweep's options. The baseline is stored as <baselines-dir>/<host-id>.csv with its samples \
            as <host-id>-samples.csv; an existing baseline is only replaced with --force. With --from, the file \
            (and its <name>-samples.csv) is checked and stored under the id of the host that measured it.
            Exit status: 0 stored; 1 a baseline exists (without --force), the input is unusable, or a kernel \
            failed its check; 64 bad usage.
            """)

    @OptionGroup var shape: ShapeOptions
    @OptionGroup var options: RunOptions

    @Option(help: "Store this results CSV (and its -samples.csv) instead of running a sweep.")
    var from: String?

    @Flag(help: "Replace an existing baseline.")
    var force = false

    @Option(name: .customLong("baselines-dir"), help: "Where per-host baselines live.")
    var baselinesDirectory = BaselineStore.defaultDirectory

    func validate() throws {
        if options.noProbes {
            throw ValidationError("--no-probes: a baseline needs the FMA probe, by which `gate` tells its CPU kind from this machine's")
        }
        if from == nil { try options.refuseUnoptimisedKernels() }
    }

    func run() throws {
        let store = BaselineStore(directory: baselinesDirectory)
        let file: ResultsFile
        let hostID: String
        if let from {
            file = try readResults(from)
            guard let id = Gate.hostID(of: file) else { throw CLIError("\(from): no host_id (no benchmarks, or written before that column): which host measured it is unknown") }
            hostID = id
        } else {
            hostID = MachineFingerprint.current().id
            // Refuse before the sweep, not after it.
            if store.exists(forHost: hostID) && !force { throw CLIError(BaselineError.exists(store.resultsPath(forHost: hostID)).description) }
            let outcome = try SweepCommand.perform(shape: shape, options: options,
                                                   defaultOutput: "Results/tmp/baseline-\(SweepCommand.fileStamp()).csv")
            if !outcome.environment.noiseWarnings.isEmpty {
                warn("warning: this sweep was flagged noisy; consider running `baseline update --force` again on a quieter machine")
            }
            file = outcome.resultsFile
        }
        do {
            let stored = try store.store(file, hostID: hostID, force: force)
            print("baseline for host \(hostID): \(stored.results)\nsamples: \(stored.samples)")
        } catch let error as CSVError {
            throw CLIError(error.description)
        } catch let error as BaselineError {
            throw CLIError(error.description)
        }
    }
}

struct BaselinePathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "Print the baseline path for this host; exit status 1 when it does not exist.")

    @Option(name: .customLong("baselines-dir"), help: "Where per-host baselines live.")
    var baselinesDirectory = BaselineStore.defaultDirectory

    func run() throws {
        let store = BaselineStore(directory: baselinesDirectory)
        let id = MachineFingerprint.current().id
        print(store.resultsPath(forHost: id))
        if !store.exists(forHost: id) {
            warn("no baseline for host \(id) yet: `attnbench baseline update` records one")
            throw ExitCode(1)
        }
    }
}

struct BaselineAcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept a revision's speed as the reference CI races against: write its full hash to Results/baselines/gate-reference.",
        discussion: """
            After a deliberate performance change: `attnbench baseline accept` (HEAD by default), then commit the \
            file. `.ci/run` runs `attnbench gate --against <that revision>`; without the file it races HEAD~1.
            Exit status: 0 written; 1 unknown revision or not a git checkout; 64 bad usage.
            """)

    @Argument(help: "The revision whose speed becomes the reference.")
    var revision = "HEAD"

    @Option(name: .customLong("file"), help: "The reference file.")
    var file = BaselineStore.defaultDirectory + "/" + BaselineStore.referenceFileName

    func run() throws {
        do {
            let accepted = try SourceTree.locate().resolve(revision)
            let url = URL(fileURLWithPath: file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((accepted.hash + "\n").utf8).write(to: url)
            print("gate reference: \(accepted.summary)\nwritten to \(file); commit it")
        } catch let error as RevisionRaceError {
            throw CLIError(error.description)
        } catch {
            throw CLIError("cannot write \(file): \(error.localizedDescription)")
        }
    }
}
