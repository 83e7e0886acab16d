import Foundation
import AttentionCore
import Kernels
import Machine
import Results

/// One sweep from configuration to CSV rows: the whole of `attnbench sweep`, `gate` and `baseline update`.
///
/// 1. discover the machine (hwloc topology, fingerprint) and pick the kernels, sized for its caches;
/// 2. measure the FMA peak of one core and of all cores at once, and the read bandwidth (the probes before; unless
///    ``SweepConfiguration/probes`` is off);
/// 3. turn thread counts × pin policies into pinned ``KernelContext``s (``PinPlan``);
/// 4. let ``SweepRunner`` check every kernel against the float64 reference and time the ones that pass,
///    streaming each finished benchmark's row to the results and samples files;
/// 5. probe peak and bandwidth again and rewrite the results file whole with both probes and the noise flag.
public enum Sweep {
    /// Runs the sweep and writes its results. A failed equivalence check or an interrupt does not throw:
    /// the outcome says so (``SweepOutcome/failed``, ``SweepOutcome/interrupted``) after every row is
    /// written.
    ///
    /// - Throws: ``ShapeError`` for a shape that cannot run or an unknown kernel name, ``SweepError`` when
    ///   two kernels share a name or the files cannot be written, and the topology's ``MachineError``.
    public static func run(_ configuration: SweepConfiguration) throws -> SweepOutcome {
        for shape in configuration.shapes { try shape.validate() }
        let topology = try MachineTopology.discover()
        let cache = CacheBudget(l1: topology.caches.l1d, l2: topology.caches.l2)
        let kernels = try KernelRegistry.select(configuration.registeredKernels, cache: cache) + configuration.additionalKernels
        let names = kernels.map(\.name)
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw SweepError("kernel name '\(repeated)' is used twice; every kernel needs its own name")
        }
        if !BuildInfo.timesOptimisedKernels { configuration.warn("WARNING: the kernels are unoptimised; their timings are meaningless.") }
        if let warning = KernelBuild.targetWarning(runningOn: InstructionSetLevel.current()) { configuration.warn(warning) }
        if let problem = InjectedWork.problem { throw SweepError(problem) }
        if InjectedWork.fraction > 0 {
            configuration.warn("WARNING: \(InjectedWork.environmentVariable)=\(InjectedWork.fraction): fused and parallel compute "
                               + "that share of their query rows twice (the gate calibration's injected work)")
        }

        let fingerprint = MachineFingerprint.current()
        var environment = RunEnvironment(
            timestamp: timestamp(), host: fingerprint.host, cpuModel: fingerprint.cpuModel, cores: fingerprint.cores,
            numaNodes: fingerprint.numaNodes, build: BuildInfo.label, commit: BuildInfo.commit, hostID: fingerprint.id)
        environment.loadAverage = RunEnvironment.currentLoadAverage()
        let bandwidthProbe = configuration.probes ? try BandwidthProbe(topology: topology) : nil
        if let bandwidthProbe {
            environment.probeBefore = FMAPeakProbe.measure()
            environment.probeAllCoresBefore = FMAPeakProbe.measureAllWorkers(bandwidthProbe.context)
            environment.bandwidthBefore = bandwidthProbe.measure()
        }

        let resultsPath = configuration.resultsPath
        let samplesPath = ResultsFile.samplesPath(for: resultsPath)
        let results: ResultsWriter, samples: ResultsWriter
        do {
            results = try ResultsWriter(path: resultsPath, header: ResultsSchema.columns)
            samples = try ResultsWriter(path: samplesPath, header: ResultsSchema.sampleColumns)
        } catch {
            throw SweepError("cannot write results: \(oneLine(error))")
        }

        var runner = SweepRunner(kernels: kernels, shapes: configuration.shapes,
                                 threadSettings: try threadSettings(configuration, topology: topology),
                                 policy: configuration.timing,
                                 check: EquivalenceCheck(rowsPerHead: configuration.checkRowsPerHead, seed: configuration.seed),
                                 seed: configuration.seed)
        runner.memoryLimit = configuration.memoryLimit ?? SweepConfiguration.defaultMemoryLimit()
        runner.shouldStop = configuration.shouldStop
        if let bandwidthProbe {
            let probed = environment
            runner.measureBandwidth = { bandwidthProbe.measure(passes: 3) }
            runner.isMemoryBound = { shape, threads in probed.isMemoryBound(shape, threads: threads) }
        }
        runner.progress = configuration.progress
        var writeError: Error?
        let streamed = environment
        runner.onRecord = { record in
            do {
                try results.append(ResultsCSV.row(record, environment: streamed))
                for row in ResultsCSV.sampleRows(record, environment: streamed) { try samples.append(row) }
            } catch { writeError = error }
        }

        configuration.log("attnbench \(environment.build) on \(environment.cpuModel), \(environment.cores) cores, \(topology.caches)")
        let records = runner.run()
        if let bandwidthProbe {
            environment.probeAfter = FMAPeakProbe.measure()
            environment.probeAllCoresAfter = FMAPeakProbe.measureAllWorkers(bandwidthProbe.context)
            environment.bandwidthAfter = bandwidthProbe.measure()
        }
        if let writeError { throw SweepError("writing results failed: \(oneLine(writeError))") }
        // Rows were streamed as they finished (an interrupted sweep keeps them); now that the second
        // probe is in, rewrite the file whole with the final peak and noise flag.
        do { try ResultsWriter.replace(resultsPath, with: ResultsCSV.table(records, environment: environment)) } catch {
            throw SweepError("writing results failed: \(oneLine(error))")
        }
        return SweepOutcome(resultsPath: resultsPath, samplesPath: samplesPath, records: records, environment: environment,
                            interrupted: configuration.shouldStop())
    }

    /// One pinned context per (thread count, pin policy), in that order.
    static func threadSettings(_ configuration: SweepConfiguration, topology: MachineTopology) throws -> [ThreadSetting] {
        var settings: [ThreadSetting] = []
        for threads in ThreadCount.resolve(configuration.threadCounts, cores: topology.cores.count) {
            for policy in configuration.pinPolicies {
                let plan = try PinPlan(topology: topology, threads: threads, policy: policy)
                let context = KernelContext(plan: plan, topology: topology, schedule: configuration.schedule)
                settings.append(ThreadSetting(threads: threads, pin: policy.rawValue, context: context,
                                              numaNodesUsed: plan.numaNodesUsed))
            }
        }
        return settings
    }

    /// A file error in one line: a ``CSVError`` names the file, anything else says the system's reason.
    static func oneLine(_ error: Error) -> String {
        (error as? CSVError)?.description ?? ResultsWriter.reason(error)
    }

    /// Now, ISO 8601 UTC: the `timestamp` column.
    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
