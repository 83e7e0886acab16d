/// The items the static schedule deals worker `worker` of `threads`, in snake order: round trip `r` deals
/// items `2rT…2rT+T−1` to workers 0…T−1 and items `(2r+1)T…(2r+2)T−1` back to workers T−1…0. Over items
/// whose cost changes steadily along the list (key chunks that shrink, query blocks that see more keys under
/// the causal mask), each round trip gives every worker about the same total, where round robin would give
/// worker 0 the cheapest, or the dearest, item of every round.
struct SnakeDeal: Sequence, IteratorProtocol {
    let worker: Int, threads: Int, items: Int
    private var roundStart = 0, forward = true

    init(worker: Int, threads: Int, items: Int) {
        self.worker = worker
        self.threads = threads
        self.items = items
    }

    mutating func next() -> Int? {
        let item = roundStart + (forward ? worker : threads - 1 - worker)
        guard item < items else { return nil }
        roundStart += threads
        forward.toggle()
        return item
    }
}
