extension FusedKernel {
    /// The online-softmax step of one key block for rows `0..<rows` of the score tile (`rows × keys`,
    /// row stride `keys`): each row's block maximum, then ``onlineSoftmaxUpdate(scores:keys:blockMax:accumulator:paddedDim:runningMax:runningSum:)``.
    /// Row `r` sees only the first `visible(r)` keys of the block (all `keys` off the diagonal); it reads and
    /// exponentiates only the vectors holding them, whose masked lanes are −∞ and become 0. The vectors past
    /// those are left as they are: ``accumulateVisibleRows`` reads no probability past a row's visible keys.
    ///
    /// Kept out of line on purpose: inlined into the query-block loop, whose body is already large, the
    /// optimiser left ``exp2Vector(_:)``, the row maximum and the row update as calls (measured with perf on
    /// Zen 4: 16% of `fused`'s samples in those three, the vector passed in four xmm pieces and a
    /// `vzeroupper` per call). In this small function they inline into one loop per row.
    /// Row maxima come first, in a loop of independent rows, so that their reduction latencies overlap
    /// instead of each row's exponentials waiting on its own maximum.
    @inline(never)
    static func softmaxBlock(scores: UnsafeMutablePointer<Float>, rows: Int, keys: Int, visible: (Int) -> Int,
                             accumulator: UnsafeMutablePointer<Float>, paddedDim: Int,
                             runningMax: UnsafeMutablePointer<Float>, runningSum: UnsafeMutablePointer<Float>,
                             blockMax: UnsafeMutablePointer<Float>) {
        for row in 0..<rows {
            #if ATTNBENCH_SIMD16
            blockMax[row] = rowMaximum(scores + row * keys, keys: roundUp(visible(row), toMultipleOf: vectorWidth))
            #else
            blockMax[row] = rowMaximumFourChains(scores + row * keys, keys: roundUp(visible(row), toMultipleOf: vectorWidth))
            #endif
        }
        for row in 0..<rows {
            onlineSoftmaxUpdate(scores: scores + row * keys, keys: roundUp(visible(row), toMultipleOf: vectorWidth),
                                blockMax: blockMax[row], accumulator: accumulator + row * paddedDim, paddedDim: paddedDim,
                                runningMax: runningMax + row, runningSum: runningSum + row)
        }
    }
}

#if !ATTNBENCH_SIMD16
extension FusedKernel {
    /// ``rowMaximum(_:keys:)`` in four independent `vmaxps` chains (AVX2): one chain waits a `vmaxps` latency
    /// per vector, 64 of them for a 512-key row, where four chains take a quarter of that (measured with
    /// perf on the AVX2 build, Zen 4: the one-chain loop's `vmaxps` carried 2% of `fused`'s samples at d = 64).
    @_transparent
    static func rowMaximumFourChains(_ scores: UnsafePointer<Float>, keys: Int) -> Float {
        let w = vectorWidth
        var m0 = FloatVector(repeating: -.infinity), m1 = m0, m2 = m0, m3 = m0
        var j = 0
        while j &+ 4 &* w <= keys {
            m0 = lanewiseMax(m0, loadVector(scores + j))
            m1 = lanewiseMax(m1, loadVector(scores + (j &+ w)))
            m2 = lanewiseMax(m2, loadVector(scores + (j &+ 2 &* w)))
            m3 = lanewiseMax(m3, loadVector(scores + (j &+ 3 &* w)))
            j = j &+ 4 &* w
        }
        while j < keys { m0 = lanewiseMax(m0, loadVector(scores + j)); j = j &+ w }
        return horizontalMax(lanewiseMax(lanewiseMax(m0, m1), lanewiseMax(m2, m3)))
    }
}
#endif
