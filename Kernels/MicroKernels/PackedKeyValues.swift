import AttentionCore

/// Geometry of one key/value head packed for ``multiplyAccumulate4Rows``.
///
/// K is stored as panels of `keyBlock` keys, each panel transposed to `[paddedDim][keyBlock]` so that the
/// score product `S = Q·Kᵀ` streams contiguous rows of keys. V is stored as `[paddedKeys][paddedDim]`.
/// Padding (head dimension up to a multiple of the SIMD width, keys up to a multiple of `keyBlock`) is zero,
/// so padded lanes add nothing to any dot product.
public struct PanelGeometry: Sendable, Equatable {
    public let headDim: Int
    public let paddedDim: Int
    public let keyBlock: Int
    public let seqKV: Int
    public let keyBlocks: Int
    public var paddedKeys: Int { keyBlocks * keyBlock }
    /// Floats for one head's K panels plus its V panel.
    public var floatsPerHead: Int { 2 * paddedKeys * paddedDim }

    public init(headDim: Int, seqKV: Int, keyBlock: Int) {
        self.headDim = headDim
        paddedDim = roundUp(headDim, toMultipleOf: vectorWidth)
        self.keyBlock = keyBlock
        self.seqKV = seqKV
        keyBlocks = (seqKV + keyBlock - 1) / keyBlock
    }
}

/// One key/value head in packed form, living in caller-provided scratch.
public struct PackedKeyValues {
    public let geometry: PanelGeometry
    public let base: UnsafeMutablePointer<Float>

    public init(geometry: PanelGeometry, base: UnsafeMutablePointer<Float>) {
        self.geometry = geometry
        self.base = base
    }

    /// The transposed K panel of key block `block`: `[paddedDim][keyBlock]`.
    @inline(__always) public func keyPanel(_ block: Int) -> UnsafePointer<Float> {
        UnsafePointer(base + block * geometry.keyBlock * geometry.paddedDim)
    }

    /// Rows of V starting at key block `block`: `[keyBlock][paddedDim]`.
    @inline(__always) public func valuePanel(_ block: Int) -> UnsafePointer<Float> {
        UnsafePointer(base + (geometry.keyBlocks + block) * geometry.keyBlock * geometry.paddedDim)
    }

    /// Copies K and V (`seqKV × headDim`, row-major fp32) into the panels. Cost: one pass over the head's K and V.
    public func pack(keys: UnsafePointer<Float>, values: UnsafePointer<Float>) {
        let rowBytes = 4 * geometry.headDim
        pack(F32Decoder.self, keys: UnsafeRawPointer(keys), values: UnsafeRawPointer(values), rowBytes: rowBytes)
    }

    /// Packs the head whose first K and V row is `firstRow`, decoding f16, bf16 or q8_0 to fp32 on the way:
    /// the only conversion prefill makes, O(Nk·d) per key/value head, never per query block.
    public func pack(keys: TensorView, values: TensorView, firstRow: Int) {
        let k = keys.row(firstRow), v = values.row(firstRow), rowBytes = keys.rowBytes
        switch keys.format {
        case .f32: pack(F32Decoder.self, keys: k, values: v, rowBytes: rowBytes)
        case .f16: pack(F16Decoder.self, keys: k, values: v, rowBytes: rowBytes)
        case .bf16: pack(BF16Decoder.self, keys: k, values: v, rowBytes: rowBytes)
        case .q8_0: pack(Q8Decoder.self, keys: k, values: v, rowBytes: rowBytes)
        }
    }

    @inline(__always)
    private func pack<D: ElementDecoder>(_ decoder: D.Type, keys: UnsafeRawPointer, values: UnsafeRawPointer, rowBytes: Int) {
        let g = geometry
        let d = g.headDim, dp = g.paddedDim, bk = g.keyBlock
        for block in 0..<g.keyBlocks {
            let panel = base + block * bk * dp
            let first = block * bk
            let count = min(bk, g.seqKV - first)
            for c in 0..<dp {
                let row = panel + c * bk
                if c < d {
                    for j in 0..<count { row[j] = D.decode(keys + (first &+ j) &* rowBytes, c) }
                    for j in count..<bk { row[j] = 0 }
                } else {
                    row.update(repeating: 0, count: bk)
                }
            }
        }
        let packedValues = base + g.keyBlocks * bk * dp
        decodeRows(D.self, values, rowBytes: rowBytes, rows: g.seqKV, headDim: d, into: packedValues, paddedDim: dp)
        (packedValues + g.seqKV * dp).update(repeating: 0, count: (g.paddedKeys - g.seqKV) * dp)
    }
}
