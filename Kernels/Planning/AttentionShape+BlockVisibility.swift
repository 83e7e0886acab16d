import AttentionCore

extension AttentionShape {
    /// How many keys of the block `[firstKey, firstKey + keys)` query `query` sees: its visible prefix
    /// clipped to the block, 0 when the block lies wholly past it. Non-decreasing in `query`.
    @inline(__always)
    func visibleKeys(forQuery query: Int, inBlockFrom firstKey: Int, keys: Int) -> Int {
        min(keys, max(0, visibleKeys(forQuery: query) - firstKey))
    }
}
