/// Facts about the run that every CSV row repeats, so that rows from many files can be pooled.
public struct RunEnvironment: Sendable, Equatable {
    /// ISO 8601, UTC: when the run started.
    public var timestamp: String
    public var host: String
    public var cpuModel: String
    public var cores: Int
    public var numaNodes: Int
    /// Configuration, SIMD width and target CPU, e.g. `release-simd16-native`.
    public var build: String
    /// Short git commit of the source, or `unknown`.
    public var commit: String

    public init(timestamp: String, host: String, cpuModel: String, cores: Int, numaNodes: Int, build: String, commit: String) {
        self.timestamp = timestamp
        self.host = host
        self.cpuModel = cpuModel
        self.cores = cores
        self.numaNodes = numaNodes
        self.build = build
        self.commit = commit
    }
}
