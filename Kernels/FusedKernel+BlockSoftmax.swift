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
            blockMax[row] = rowMaximum(scores + row * keys, keys: roundUp(visible(row), toMultipleOf: vectorWidth))
        }
        for row in 0..<rows {
            onlineSoftmaxUpdate(scores: scores + row * keys, keys: roundUp(visible(row), toMultipleOf: vectorWidth),
                                blockMax: blockMax[row], accumulator: accumulator + row * paddedDim, paddedDim: paddedDim,
                                runningMax: runningMax + row, runningSum: runningSum + row)
        }
    }
}
