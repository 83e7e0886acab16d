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

    /// Copies K and V (`seqKV × headDim`, row-major) into the panels. Cost: one pass over the head's K and V.
    public func pack(keys: UnsafePointer<Float>, values: UnsafePointer<Float>) {
        let g = geometry
        let d = g.headDim, dp = g.paddedDim, bk = g.keyBlock
        for block in 0..<g.keyBlocks {
            let panel = base + block * bk * dp
            let first = block * bk
            let count = min(bk, g.seqKV - first)
            for c in 0..<dp {
                let row = panel + c * bk
                if c < d {
                    for j in 0..<count { row[j] = keys[(first &+ j) &* d &+ c] }
                    for j in count..<bk { row[j] = 0 }
                } else {
                    row.update(repeating: 0, count: bk)
                }
            }
        }
        let packedValues = base + g.keyBlocks * bk * dp
        for j in 0..<g.paddedKeys {
            let row = packedValues + j * dp
            if j < g.seqKV {
                row.update(from: values + j * d, count: d)
                (row + d).update(repeating: 0, count: dp - d)
            } else {
                row.update(repeating: 0, count: dp)
            }
        }
    }
}
