/// Which CPU generation a machine has, from /proc/cpuinfo: vendor, family and model number. Two hosts
/// with the same model name ("AMD EPYC") can be a Zen 4 (family 25) and a Zen 5 (family 26) with twice the
/// FMA width; these fields are what tells them apart.
public struct CPUGeneration: Sendable, Equatable, Hashable {
    /// `vendor_id` (x86: AuthenticAMD, GenuineIntel) or `CPU implementer` (ARM: 0x41, …).
    public var vendor: String
    /// `cpu family` (x86) or `CPU architecture` (ARM).
    public var family: String
    /// `model` (x86) or `CPU part` (ARM).
    public var model: String

    public init(vendor: String, family: String, model: String) {
        self.vendor = vendor
        self.family = family
        self.model = model
    }

    /// Parses the first processor block of /proc/cpuinfo; nil when it has neither the x86 nor the ARM fields.
    public init?(cpuinfo: String) {
        var fields: [String: String] = [:]
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingWhitespace().isEmpty && !fields.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingWhitespace()
            if fields[name] == nil { fields[name] = line[line.index(after: colon)...].trimmingWhitespace() }
        }
        if let vendor = fields["vendor_id"], let family = fields["cpu family"], let model = fields["model"] {
            self.init(vendor: vendor, family: family, model: model)
        } else if let vendor = fields["CPU implementer"], let family = fields["CPU architecture"], let model = fields["CPU part"] {
            self.init(vendor: vendor, family: family, model: model)
        } else {
            return nil
        }
    }

    /// The vendor in short: `amd`, `intel`, else the slug of the raw field.
    public var vendorName: String {
        switch vendor {
        case "AuthenticAMD": "amd"
        case "GenuineIntel": "intel"
        case "0x41": "arm"
        default: MachineFingerprint.slug(vendor, or: "vendor")
        }
    }

    /// `f25m17`, preceded by the vendor (`intel-f6m143`) unless the model-name slug already names it.
    public func tag(besides modelSlug: String) -> String {
        let generation = "f" + MachineFingerprint.slug(family, or: "x") + "m" + MachineFingerprint.slug(model, or: "x")
        let named = modelSlug.split(separator: "-").contains { $0 == vendorName }
        return named ? generation : vendorName + "-" + generation
    }
}
