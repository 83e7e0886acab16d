/// Linux-style CPU list formatting ("0-3,8,10-11"), the notation of `taskset -c` and sysfs.
enum CPUList {
    /// Collapses sorted, de-duplicated ids into ranges so a 192-CPU node prints on one line.
    static func format<S: Sequence<Int>>(_ ids: S) -> String {
        let sorted = Array(Set(ids)).sorted()
        guard var start = sorted.first else { return "none" }
        var parts: [String] = []
        var previous = start
        for id in sorted.dropFirst() {
            if id == previous + 1 { previous = id; continue }
            parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
            start = id
            previous = id
        }
        parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
        return parts.joined(separator: ",")
    }
}
