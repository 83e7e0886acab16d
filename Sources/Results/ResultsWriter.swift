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

    /// Creates the file (and its folder) with `header`. Throws a ``CSVError`` whose one line says why the
    /// file cannot be written (an unwritable folder, a path under a file, a full disk).
    public init(path: String, header: [String]) throws {
        self.path = path
        do { handle = try Self.create(path, header: header) } catch let error as CSVError { throw error } catch {
            throw CSVError(source: path, line: 0, message: "cannot write: \(Self.reason(error))")
        }
    }

    private static func create(_ path: String, header: [String]) throws -> FileHandle {
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
        try handle.seekToEnd()
        return handle
    }

    /// Why a file operation failed, in one line: the operating system's reason (`strerror`) where the error
    /// carries one, else Foundation's description with its line breaks folded.
    public static func reason(_ error: Error) -> String {
        var current = error as NSError
        while true {
            if current.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(current.code))) }
            guard let underlying = current.userInfo[NSUnderlyingErrorKey] as? NSError else { break }
            current = underlying
        }
        if let code = (error as? CocoaError)?.code {
            switch code {
            case .fileWriteNoPermission: return String(cString: strerror(EACCES))
            case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
            case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
            case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
            default: break
            }
        }
        return (error as NSError).localizedDescription.split(whereSeparator: \.isNewline).joined(separator: " ")
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
        do { try Data(table.text.utf8).write(to: temporary) } catch {
            throw CSVError(source: path, line: 0, message: "cannot write: \(reason(error))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CSVError(source: path, line: 0, message: "cannot replace file (rename failed, errno \(errno))")
        }
    }
}
