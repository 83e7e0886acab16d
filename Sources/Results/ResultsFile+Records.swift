
extension ResultsFile {
    /// The file a sweep just wrote, built from its records in memory instead of read back from disk:
    /// the same rows, in the same order, with the same samples (the gate and `baseline update` use it).
    /// `line` is each row's line in the written file.
    public init(path: String, samplesPath: String, records: [BenchmarkRecord], environment: RunEnvironment) {
        let rows = records.enumerated().map { index, record in
            Row(line: index + 2, key: record.key, status: record.status, host: environment.host,
                cpuModel: environment.cpuModel, cores: environment.cores, timestamp: environment.timestamp,
                medianMilliseconds: record.statistics?.median, probeBefore: environment.probeBefore,
                probeAfter: environment.probeAfter, noisy: !environment.noiseWarnings.isEmpty, samples: record.samples,
                hostID: environment.hostID.isEmpty ? nil : environment.hostID)
        }
        self.init(path: path, samplesPath: samplesPath, rows: rows)
    }
}
