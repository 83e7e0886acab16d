import Foundation

/// A CSV file as a header and rows of text fields (RFC 4180 quoting), with the file and line it came from
/// so that errors can name both.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// For a parsed table, the file line each row starts on (same count as `rows`); empty otherwise.
    /// Not part of equality.
    public var rowLines: [Int] = []

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    public static func == (lhs: CSVTable, rhs: CSVTable) -> Bool {
        lhs.header == rhs.header && lhs.rows == rhs.rows
    }

    /// The file line row `index` starts on: the parsed line where known, else `index + 2`.
    public func line(ofRow index: Int) -> Int {
        index < rowLines.count ? rowLines[index] : index + 2
    }

    /// One CSV line for `fields`, quoting a field only when it holds a comma, a quote or a line break.
    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }

    public var text: String {
        ([Self.line(header)] + rows.map(Self.line)).joined(separator: "\n") + "\n"
    }

    /// The index of column `name`, or `nil`.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Parses CSV text. Every row must have as many fields as the header; the error names the line.
    public init(parsing text: String, source: String = "<text>") throws {
        var records: [[String]] = []
        var lineNumbers: [Int] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var characters = text.makeIterator()
        var pending: Character? = nil
        func nextCharacter() -> Character? {
            if let character = pending { pending = nil; return character }
            return characters.next()
        }
        while let character = nextCharacter() {
            if inQuotes {
                if character == "\"" {
                    let following = nextCharacter()
                    if following == "\"" { field.append("\"") } else { inQuotes = false; pending = following }
                } else {
                    if character == "\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n":
                fields.append(field); field = ""
                records.append(fields); lineNumbers.append(recordLine)
                fields = []
                line += 1
                recordLine = line
            case "\r": continue
            default: field.append(character)
            }
        }
        if inQuotes { throw CSVError(source: source, line: recordLine, message: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(fields); lineNumbers.append(recordLine)
        }
        guard let header = records.first, !(header.count == 1 && header[0].isEmpty) else {
            throw CSVError(source: source, line: 1, message: "empty file, expected a header line")
        }
        self.header = header
        rows = []
        for (index, record) in records.enumerated().dropFirst() {
            if record.count == 1 && record[0].isEmpty { continue }
            guard record.count == header.count else {
                throw CSVError(source: source, line: lineNumbers[index],
                               message: "expected \(header.count) fields, found \(record.count)")
            }
            rows.append(record)
            rowLines.append(lineNumbers[index])
        }
    }

    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CSVError(source: path, line: 0, message: "cannot read file")
        }
        try self.init(parsing: String(decoding: data, as: UTF8.self), source: path)
    }
}

/// A CSV problem, naming the file and the line.
public struct CSVError: Error, CustomStringConvertible, Equatable {
    public var source: String
    public var line: Int
    public var message: String
    public init(source: String, line: Int, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }
    public var description: String { line > 0 ? "\(source):\(line): \(message)" : "\(source): \(message)" }
}
