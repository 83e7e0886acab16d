// Saving a topology as hwloc XML, so a big server's layout can be captured once and replayed with
// `MachineTopology.xml(path:)` or `HWLOC_XMLFILE` on a laptop or in CI.

extension MachineTopology {
    /// Writes hwloc's full XML for the topology `discover()` would see (the host, or whatever
    /// `HWLOC_SYNTHETIC` / `HWLOC_XMLFILE` select) — or, given `synthetic`, for that description.
    ///
    /// The XML comes straight from hwloc, so it keeps details this module's value types drop
    /// (caches of every level, distances) and loads in `lstopo` too.
    ///
    /// - Throws: `MachineError` when the topology cannot be loaded or the file cannot be written.
    public static func exportXML(to path: String, synthetic description: String? = nil) throws {
        let handle = try SystemCalls.hwlocLoad(description.map(HwlocSource.synthetic) ?? .environmentOrHost)
        try SystemCalls.hwlocExportXML(handle, to: path)
    }
}
