import Foundation

/// Runs `body` with an environment variable set (as C code such as hwloc sees it), then restores the
/// previous value or unsets it. XCTest runs tests one at a time, so the change is not observed elsewhere.
func withEnvironment<R>(_ name: String, _ value: String, _ body: () throws -> R) rethrows -> R {
    let previous = getenv(name).map { String(cString: $0) }
    setenv(name, value, 1)
    defer {
        if let previous { setenv(name, previous, 1) } else { unsetenv(name) }
    }
    return try body()
}
