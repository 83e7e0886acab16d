import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a CSV file row by row, so that an interrupted sweep leaves a valid file holding every row
/// that finished.
///
/// The file is created atomically: the header is written under a temporary name, then renamed into place,
/// so the final path never holds a half-written header. Each appended row is flushed to the OS at once.
public final class ResultsWriter {
    public let path: String
    private let handle: FileHandle

    public init(path: String, header: [String]) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path,
                                             contents: Data((CSVTable.line(header) + "\n").utf8)) else {
            throw CSVError(source: path, line: 0, message: "cannot create file")
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(at: temporary, to: url)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CSVError(source: path, line: 0, message: "cannot open file for appending")
        }
        self.handle = handle
        try handle.seekToEnd()
    }

    public func append(_ fields: [String]) throws {
        try handle.write(contentsOf: Data((CSVTable.line(fields) + "\n").utf8))
        try handle.synchronize()
    }

    deinit { try? handle.close() }

    /// Replaces the file at `path` with `table` in one step (temporary file, then rename), so a reader
    /// sees either the old file or the new one, never a mixture.
    public static func replace(_ path: String, with table: CSVTable) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try Data(table.text.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CSVError(source: path, line: 0, message: "cannot replace file (rename failed, errno \(errno))")
        }
    }
}
