/// The size of one attention problem.
///
/// Tensors are dense and row-major (see ``AttentionTensors`` for the layout); Q and O are stored as `dtype`,
/// K and V as `kvDtype` (``ElementFormat``; both fp32 unless given):
///
///     Q, O : [batch][heads][seqQ][headDim]
///     K, V : [batch][kvHeads][seqKV][headDim]
///
/// Query head `h` reads key/value head `h / (heads / kvHeads)`: `kvHeads == heads` is multi-head attention,
/// `1 < kvHeads < heads` grouped-query attention and `kvHeads == 1` multi-query attention.
///
/// Under the causal mask, query row `i` may attend to key `j` iff `j <= i + (seqKV - seqQ)`: the mask is
/// aligned to the bottom-right corner of the score matrix, as in PyTorch's `scaled_dot_product_attention`
/// and FlashAttention 2. When `seqQ > seqKV` the first `seqQ - seqKV` query rows see no key at all; their
/// output is defined to be zero (see ``AttentionShape/visibleKeys(forQuery:)``).
public struct AttentionShape: Sendable, Hashable, CustomStringConvertible {
    public var batch: Int
    public var heads: Int
    public var kvHeads: Int
    public var seqQ: Int
    public var seqKV: Int
    public var headDim: Int
    public var causal: Bool
    /// Multiplies every score; `1/√headDim` unless given.
    public var scale: Float
    /// Storage of Q and O: f32, f16 or bf16.
    public var dtype: ElementFormat
    /// Storage of K and V: f32, f16, bf16 or q8_0.
    public var kvDtype: ElementFormat

    /// `kvDtype` defaults to `dtype`, which defaults to f32.
    public init(batch: Int = 1, heads: Int, kvHeads: Int? = nil, seqQ: Int, seqKV: Int? = nil,
                headDim: Int, causal: Bool, scale: Float? = nil, dtype: ElementFormat = .f32,
                kvDtype: ElementFormat? = nil) {
        self.batch = batch
        self.heads = heads
        self.kvHeads = kvHeads ?? heads
        self.seqQ = seqQ
        self.seqKV = seqKV ?? seqQ
        self.headDim = headDim
        self.causal = causal
        self.scale = scale ?? (headDim > 0 ? 1 / Float(headDim).squareRoot() : 1)
        self.dtype = dtype
        self.kvDtype = kvDtype ?? dtype
    }

    /// Throws ``ShapeError`` with a one-line message when the shape cannot be run.
    public func validate() throws {
        for (name, value) in [("batch", batch), ("heads", heads), ("kv-heads", kvHeads),
                              ("seq", seqQ), ("seq-kv", seqKV), ("head-dim", headDim)] where value < 1 {
            throw ShapeError("\(name) must be at least 1, got \(value)")
        }
        if heads % kvHeads != 0 {
            throw ShapeError("heads (\(heads)) must be a multiple of kv-heads (\(kvHeads))")
        }
        if !scale.isFinite { throw ShapeError("scale must be finite, got \(scale)") }
        if !dtype.holdsQueriesAndOutputs {
            throw ShapeError("dtype \(dtype.rawValue) holds keys and values only; Q and O must be f32, f16 or bf16")
        }
        guard let bytes = tensorBytes, let scores = Self.product(seqQ, seqKV, MemoryLayout<Float>.size),
              bytes <= Self.maximumBytes, scores <= Self.maximumBytes, queryElements <= Int(Int32.max) * 16 else {
            throw ShapeError("shape \(self) is too large to address (its tensors or its score matrix would exceed \(Self.maximumBytes >> 50) PiB)")
        }
    }

    /// The most bytes the four tensors together, or one head's score matrix, may take: 1 PiB. Every size a
    /// kernel or the runner derives from a valid shape (padded panels, scratch for thousands of threads, a
    /// private copy for NUMA placement) is a small multiple of these, so it stays far below `Int.max`.
    public static let maximumBytes = 1 << 50

    /// `factors` multiplied with overflow checks: nil when the product does not fit in `Int`.
    public static func product(_ factors: Int...) -> Int? {
        var result = 1
        for factor in factors {
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = next
        }
        return result
    }

    /// Elements of Q (and of O), `batch·heads·seqQ·headDim`; nil when the product overflows.
    public var checkedQueryElements: Int? { Self.product(batch, heads, seqQ, headDim) }
    /// Elements of K (and of V), `batch·kvHeads·seqKV·headDim`; nil when the product overflows.
    public var checkedKeyElements: Int? { Self.product(batch, kvHeads, seqKV, headDim) }

    /// Bytes of Q, K, V and O together in their formats, `2·(query rows · dtype row bytes + key rows ·
    /// kvDtype row bytes)` (fp32: `2·(query + key elements)·4`); nil when any step overflows.
    public var tensorBytes: Int? {
        guard let queryRow = dtype.checkedRowBytes(headDim), let keyRow = kvDtype.checkedRowBytes(headDim),
              let query = Self.product(batch, heads, seqQ, queryRow), let key = Self.product(batch, kvHeads, seqKV, keyRow)
        else { return nil }
        let (bytes, overflow) = query.addingReportingOverflow(key)
        return overflow ? nil : Self.product(bytes, 2)
    }

    /// Query heads that share one key/value head.
    @inlinable public var groupSize: Int { heads / kvHeads }
    /// Added to a query index to get the last key it may see under the causal mask.
    @inlinable public var causalOffset: Int { seqKV - seqQ }

    /// Number of keys query row `i` attends to: all of them without the mask, `0...i+offset` with it.
    @inlinable public func visibleKeys(forQuery i: Int) -> Int {
        causal ? max(0, min(seqKV, i + causalOffset + 1)) : seqKV
    }

    /// Elements of Q (and of O). Traps when the product overflows: call ``validate()`` first.
    public var queryElements: Int { checkedQueryElements! }
    /// Elements of K (and of V). Traps when the product overflows: call ``validate()`` first.
    public var keyElements: Int { checkedKeyElements! }

    /// The one text form of a shape, in every table, report and message: `B1 H8 N4096 d64 full`, with
    /// `/KV2` for grouped-query heads and `N100×130` for query × key lengths of cross-attention; then
    /// ` <dtype>` when Q and O are not f32 and ` kv:<kvDtype>` when K and V differ from them
    /// (`B1 H32/KV8 N1×32768 d128 causal kv:q8_0`).
    public var description: String {
        var text = "B\(batch) H\(heads)"
        if kvHeads != heads { text += "/KV\(kvHeads)" }
        text += " N\(seqQ)"
        if seqKV != seqQ { text += "×\(seqKV)" }
        text += " d\(headDim) \(causal ? "causal" : "full")"
        if dtype != .f32 { text += " \(dtype.rawValue)" }
        if kvDtype != dtype { text += " kv:\(kvDtype.rawValue)" }
        return text
    }
}

/// A shape that cannot be run, with the reason in one line.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
