// Whitespace trimming without Foundation. The Machine module keeps Foundation out: it needs nothing
// else from it, and every extra module that textually includes libc headers next to CHwloc/CNuma is
// one more chance for Clang to reject two differing `fd_set` definitions (seen with index-store builds).

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
