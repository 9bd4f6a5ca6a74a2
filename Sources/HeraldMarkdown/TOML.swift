// A small TOML reader for `+++` front matter: key/value pairs with bare, quoted and dotted keys,
// strings (basic, literal, multi-line), integers, floats, booleans, dates kept as text, arrays,
// inline tables, `[table]` and `[[array of tables]]` headers, and comments.

import HeraldCore

/// A TOML syntax error: the first one stops the reading.
struct TOMLError: Error {
    var message: String
    var location: SourceLocation
}

/// Reads TOML into a located ``MetadataNode`` mapping. Positions are reported through
/// `locate(line, utf8Column)`, both 1-based in the TOML text.
/// One part of a dotted key, with where it was written.
private struct TOMLKey {
    var name: String
    var location: SourceLocation
}

struct TOMLParser {
    private let bytes: [UInt8]
    private let path: String
    private let locate: (Int, Int) -> SourceLocation
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private let root: TOMLTable
    /// The table that `[header]` lines opened.
    private var currentTable: TOMLTable
    private var warnings: [Diagnostic] = []

    private init(_ text: String, path: String, locate: @escaping (Int, Int) -> SourceLocation) {
        self.bytes = Array(text.utf8)
        self.path = path
        self.locate = locate
        self.root = TOMLTable(location: locate(1, 1))
        self.currentTable = root
    }

    /// The document as a mapping; repeated keys give warnings (the last value wins).
    static func parse(
        _ text: String, path: String, diagnostics: inout [Diagnostic], locate: @escaping (Int, Int) -> SourceLocation
    ) throws(TOMLError) -> MetadataNode {
        var parser = TOMLParser(text, path: path, locate: locate)
        try parser.parseDocument()
        diagnostics += parser.warnings
        return parser.root.node
    }

    // MARK: Document

    private mutating func parseDocument() throws(TOMLError) {
        while true {
            skipBlanks(newlines: true)
            guard let byte = peek() else { return }
            if byte == UInt8(ascii: "[") {
                if peek(1) == UInt8(ascii: "[") { try arrayTableHeader() } else { try tableHeader() }
            } else {
                let key = try dottedKey()
                try expect("=", "expected '=' after the key")
                skipBlanks(newlines: false)
                let value = try parseValue(depth: 0)
                try set(key, value, in: currentTable)
            }
            try endOfLine()
        }
    }

    private mutating func tableHeader() throws(TOMLError) {
        position += 1
        let key = try dottedKey()
        try expect("]", "expected ']' to close the table header")
        currentTable = try Self.table(at: key[...], in: root)
    }

    private mutating func arrayTableHeader() throws(TOMLError) {
        position += 2
        let key = try dottedKey()
        try expect("]", "expected ']]' to close the array of tables header")
        try expect("]", "expected ']]' to close the array of tables header")
        let parent = try Self.table(at: key.dropLast(), in: root)
        let last = key[key.count - 1]
        let table = TOMLTable(location: last.location)
        switch parent[last.name] {
        case nil:
            parent.set(last, .tables(TOMLTableArray(table)))
        case .tables(let array):
            array.tables.append(table)
        case .table, .value:
            throw TOMLError(message: "'\(last.name)' is already defined and is not an array of tables", location: last.location)
        }
        currentTable = table
    }

    /// The table at a dotted path below `start`, made when missing; through an array of tables,
    /// its last table (as TOML headers and dotted keys go).
    private static func table(at path: ArraySlice<TOMLKey>, in start: TOMLTable) throws(TOMLError) -> TOMLTable {
        var table = start
        for key in path {
            switch table[key.name] {
            case nil:
                let child = TOMLTable(location: key.location)
                table.set(key, .table(child))
                table = child
            case .table(let child):
                table = child
            case .tables(let array):
                table = array.tables[array.tables.count - 1]
            case .value:
                throw TOMLError(message: "'\(key.name)' is already a value, not a table", location: key.location)
            }
        }
        return table
    }

    /// Sets a dotted key in a table, warning when it replaces an earlier value.
    private mutating func set(_ key: [TOMLKey], _ value: MetadataNode, in table: TOMLTable) throws(TOMLError) {
        let last = key[key.count - 1]
        if let earlier = try Self.table(at: key.dropLast(), in: table).set(last, .value(value)) {
            warnings.append(
                .warning(.frontMatterDuplicateKey, file: path, at: earlier,
                    "key '\(key.map(\.name).joined(separator: "."))' is given again later; this earlier value is ignored"))
        }
    }

    /// After a value or a header: blanks, an optional comment, then a line break or the end.
    private mutating func endOfLine() throws(TOMLError) {
        skipBlanks(newlines: false)
        guard let byte = peek() else { return }
        guard byte == UInt8(ascii: "\n") else {
            throw error("expected the end of the line, found '\(character(at: position))'")
        }
        advance()
    }

    // MARK: Keys

    /// `a`, `"a b"`, `'a'`, `a.b.c`.
    private mutating func dottedKey() throws(TOMLError) -> [TOMLKey] {
        var keys: [TOMLKey] = []
        repeat {
            skipBlanks(newlines: false)
            let location = here()
            let name: String
            switch peek() {
            case UInt8(ascii: "\""):
                name = try basicString()
            case UInt8(ascii: "'"):
                name = try literalString()
            case let byte? where Self.isBareKey(byte):
                let start = position
                while let byte = peek(), Self.isBareKey(byte) { position += 1 }
                name = String(decoding: bytes[start..<position], as: UTF8.self)
            default:
                throw error("expected a key")
            }
            keys.append(TOMLKey(name: name, location: location))
            guard keys.count <= MetadataDecoder.maximumDepth else { throw error("key has too many parts") }
            skipBlanks(newlines: false)
        } while consume(".")
        return keys
    }

    private static func isBareKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(TOMLError) -> MetadataNode {
        let location = here()
        guard depth < MetadataDecoder.maximumDepth else {
            throw error("values are nested more than \(MetadataDecoder.maximumDepth) levels deep")
        }
        func scalar(_ text: String, _ value: MetadataValue) -> MetadataNode {
            MetadataNode(kind: .scalar(text: text, value: value), location: location)
        }
        switch peek() {
        case UInt8(ascii: "\""):
            let text = starts(with: "\"\"\"") ? try multilineString(quote: UInt8(ascii: "\"")) : try basicString()
            return scalar(text, .string(text))
        case UInt8(ascii: "'"):
            let text = starts(with: "'''") ? try multilineString(quote: UInt8(ascii: "'")) : try literalString()
            return scalar(text, .string(text))
        case UInt8(ascii: "["):
            return try array(depth: depth)
        case UInt8(ascii: "{"):
            return try inlineTable(depth: depth)
        case nil, UInt8(ascii: "\n"), UInt8(ascii: "#"):
            throw error("expected a value after '='")
        default:
            return try bareValue(location: location)
        }
    }

    /// Booleans, numbers, dates and times (dates and times are kept as text).
    private mutating func bareValue(location: SourceLocation) throws(TOMLError) -> MetadataNode {
        let start = position
        let isDate = (0..<4).allSatisfy { Self.isDigit(peek($0)) } && peek(4) == UInt8(ascii: "-")
        let isTime = Self.isDigit(peek(0)) && Self.isDigit(peek(1)) && peek(2) == UInt8(ascii: ":")
        if isDate || isTime {
            while let byte = peek() {
                if Self.isDigit(byte) || ":-.+TtZz".utf8.contains(byte) {
                    position += 1
                } else if byte == UInt8(ascii: " "), isDate, position - start == 10, Self.isDigit(peek(1)),
                    Self.isDigit(peek(2)), peek(3) == UInt8(ascii: ":")
                {
                    // `1979-05-27 07:32:00`: a space may separate the date and the time.
                    position += 1
                } else {
                    break
                }
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            return MetadataNode(kind: .scalar(text: text, value: .string(text)), location: location)
        }
        while let byte = peek(), Self.isBareKey(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Self.number(text) else {
            if text.isEmpty { throw error("unexpected '\(character(at: position))'; expected a value") }
            throw TOMLError(
                message: "invalid value '\(text)' (put text in quotes: \"\(text)\")", location: location)
        }
        return MetadataNode(kind: .scalar(text: text, value: value), location: location)
    }

    /// `true`, `false`, integers (decimal, `0x`, `0o`, `0b`, with `_` between digits) and floats.
    private static func number(_ text: String) -> MetadataValue? {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "inf", "+inf": return .double(.infinity)
        case "-inf": return .double(-.infinity)
        case "nan", "+nan", "-nan": return .double(.nan)
        default: break
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            let digits = text.dropFirst(2)
            guard underscoresAreBetweenDigits(digits, radix: radix) else { return nil }
            return Int(digits.filter { $0 != "_" }, radix: radix).map(MetadataValue.int)
        }
        var unsigned = Substring(text)
        if unsigned.first == "+" || unsigned.first == "-" { unsigned = unsigned.dropFirst() }
        // Parts: integer, then an optional fraction and exponent; `_` only between digits.
        let exponentStart = unsigned.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = unsigned[..<(exponentStart ?? unsigned.endIndex)]
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard let integer = parts.first, parts.count <= 2, underscoresAreBetweenDigits(integer, radix: 10),
            integer.first != "0" || integer.count == 1
        else { return nil }
        if parts.count == 2 && !underscoresAreBetweenDigits(parts[1], radix: 10) { return nil }
        if let exponentStart {
            var exponent = unsigned[unsigned.index(after: exponentStart)...]
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard underscoresAreBetweenDigits(exponent, radix: 10) else { return nil }
        }
        let plain = text.filter { $0 != "_" }
        if parts.count == 1 && exponentStart == nil {
            return Int(plain).map(MetadataValue.int) ?? Double(plain).map(MetadataValue.double)
        }
        return Double(plain).map(MetadataValue.double)
    }

    /// Digits of `radix`, at least one, with each `_` between two digits.
    private static func underscoresAreBetweenDigits(_ text: Substring, radix: Int) -> Bool {
        guard let first = text.first, let last = text.last, first != "_", last != "_" else { return false }
        var previousWasUnderscore = false
        for character in text {
            if character == "_" {
                if previousWasUnderscore { return false }
                previousWasUnderscore = true
            } else {
                guard character.isASCII, character.hexDigitValue.map({ $0 < radix }) ?? false else { return false }
                previousWasUnderscore = false
            }
        }
        return true
    }

    private mutating func array(depth: Int) throws(TOMLError) -> MetadataNode {
        let location = here()
        position += 1
        var items: [MetadataNode] = []
        while true {
            skipBlanks(newlines: true)
            if consume("]") { break }
            items.append(try parseValue(depth: depth + 1))
            skipBlanks(newlines: true)
            if consume(",") { continue }
            if consume("]") { break }
            throw error(peek() == nil ? "the array is never closed (expected ']')" : "expected ',' or ']' in the array")
        }
        return MetadataNode(kind: .list(items), location: location)
    }

    /// `{ a = 1, b.c = "x" }`; line breaks inside are accepted (as TOML 1.1 does).
    private mutating func inlineTable(depth: Int) throws(TOMLError) -> MetadataNode {
        let table = TOMLTable(location: here())
        position += 1
        skipBlanks(newlines: true)
        if consume("}") { return table.node }
        while true {
            skipBlanks(newlines: true)
            let key = try dottedKey()
            try expect("=", "expected '=' after the key")
            skipBlanks(newlines: false)
            let value = try parseValue(depth: depth + 1)
            try set(key, value, in: table)
            skipBlanks(newlines: true)
            if consume(",") {
                skipBlanks(newlines: true)
                if consume("}") { break }
                continue
            }
            if consume("}") { break }
            throw error(peek() == nil ? "the inline table is never closed (expected '}')" : "expected ',' or '}' in the inline table")
        }
        return table.node
    }

    // MARK: Strings

    /// `"…"` with escapes, on one line.
    private mutating func basicString() throws(TOMLError) -> String {
        let open = here()
        position += 1
        var text: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else {
                throw TOMLError(message: "this string is never closed (expected '\"')", location: open)
            }
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: text, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try escape(into: &text)
            } else {
                try checkNotControl(byte)
                text.append(byte)
                position += 1
            }
        }
    }

    /// `'…'`, taken as written, on one line.
    private mutating func literalString() throws(TOMLError) -> String {
        let open = here()
        position += 1
        let start = position
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else {
                throw TOMLError(message: "this string is never closed (expected \"'\")", location: open)
            }
            if byte == UInt8(ascii: "'") { break }
            try checkNotControl(byte)
            position += 1
        }
        defer { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `"""…"""` (with escapes and line-ending backslashes) or `'''…'''` (as written). A line
    /// break right after the opening quotes is dropped.
    private mutating func multilineString(quote: UInt8) throws(TOMLError) -> String {
        let open = here()
        let isBasic = quote == UInt8(ascii: "\"")
        position += 3
        if peek() == UInt8(ascii: "\n") { advance() }
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else {
                let delimiter = isBasic ? "\"\"\"" : "'''"
                throw TOMLError(message: "this multi-line string is never closed (expected \(delimiter))", location: open)
            }
            if byte == quote && peek(1) == quote && peek(2) == quote {
                // Up to two quotes may end the content right before the closing three.
                var run = 3
                while run < 5 && peek(run) == quote { run += 1 }
                text += Array(repeating: quote, count: run - 3)
                position += run
                return String(decoding: text, as: UTF8.self)
            }
            if isBasic && byte == UInt8(ascii: "\\") {
                var ahead = 1
                while peek(ahead) == UInt8(ascii: " ") || peek(ahead) == UInt8(ascii: "\t") { ahead += 1 }
                if peek(ahead) == UInt8(ascii: "\n") {
                    // A line-ending backslash joins the lines, dropping the blanks that follow.
                    position += ahead
                    while let next = peek(), next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n") {
                        advance()
                    }
                    continue
                }
                try escape(into: &text)
                continue
            }
            if byte != UInt8(ascii: "\n") { try checkNotControl(byte) }
            text.append(byte)
            advance()
        }
    }

    /// One escape sequence after `\` in a basic string.
    private mutating func escape(into text: inout [UInt8]) throws(TOMLError) {
        let location = here()
        position += 1
        guard let byte = peek() else { throw TOMLError(message: "incomplete escape sequence", location: location) }
        position += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "b"): 0x08, UInt8(ascii: "t"): 0x09, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "f"): 0x0C,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "e"): 0x1B, UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C,
        ]
        if let replacement = simple[byte] {
            text.append(replacement)
            return
        }
        let digits: Int
        switch byte {
        case UInt8(ascii: "x"): digits = 2
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default:
            throw TOMLError(message: "invalid escape sequence '\\\(character(at: position - 1))'", location: location)
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = peek().flatMap({ Character(Unicode.Scalar($0)).hexDigitValue }) else {
                throw TOMLError(message: "expected \(digits) hexadecimal digits after '\\\(Character(Unicode.Scalar(byte)))'", location: location)
            }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw TOMLError(message: "escape sequence is not a Unicode scalar value", location: location)
        }
        text += Array(String(Character(scalar)).utf8)
    }

    private func checkNotControl(_ byte: UInt8) throws(TOMLError) {
        if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            throw error("control character U+\(String(repeating: "0", count: byte < 0x10 ? 3 : 2))\(String(byte, radix: 16, uppercase: true)) in a string; use an escape sequence")
        }
    }

    // MARK: Reading

    private func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private static func isDigit(_ byte: UInt8?) -> Bool {
        byte.map { (0x30...0x39).contains($0) } ?? false
    }

    private func starts(with text: String) -> Bool {
        bytes[position...].starts(with: text.utf8)
    }

    /// Moves past one byte, counting lines.
    private mutating func advance() {
        if bytes[position] == UInt8(ascii: "\n") {
            line += 1
            lineStart = position + 1
        }
        position += 1
    }

    private mutating func consume(_ text: String) -> Bool {
        guard starts(with: text) else { return false }
        position += text.utf8.count
        return true
    }

    private mutating func expect(_ text: String, _ message: String) throws(TOMLError) {
        skipBlanks(newlines: false)
        guard consume(text) else { throw error(message) }
    }

    /// Skips spaces, tabs and comments, and line breaks too when asked.
    private mutating func skipBlanks(newlines: Bool) {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                position += 1
            case UInt8(ascii: "\n") where newlines:
                advance()
            case UInt8(ascii: "#"):
                while let next = peek(), next != UInt8(ascii: "\n") { position += 1 }
            default:
                return
            }
        }
    }

    /// The character at a byte offset, for messages.
    private func character(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of text" }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    private func here() -> SourceLocation { locate(line, position - lineStart + 1) }

    private func error(_ message: String) -> TOMLError { TOMLError(message: message, location: here()) }
}

/// A table being read: keys in the order written, found by name. A class, so that headers and
/// dotted keys can reach into nested tables without copying them.
private final class TOMLTable {
    enum Item {
        case value(MetadataNode)
        case table(TOMLTable)
        case tables(TOMLTableArray)
    }

    let location: SourceLocation
    private var keys: [String] = []
    private var items: [String: (keyLocation: SourceLocation, item: Item)] = [:]

    init(location: SourceLocation) { self.location = location }

    subscript(key: String) -> Item? { items[key]?.item }

    /// Sets a key; returns where it was written before, if it was.
    @discardableResult
    func set(_ key: TOMLKey, _ item: Item) -> SourceLocation? {
        let earlier = items.updateValue((key.location, item), forKey: key.name)
        if earlier == nil { keys.append(key.name) }
        return earlier?.keyLocation
    }

    var node: MetadataNode {
        let entries = keys.compactMap { key -> MetadataEntry? in
            guard let (keyLocation, item) = items[key] else { return nil }
            let value: MetadataNode
            switch item {
            case .value(let node): value = node
            case .table(let table): value = table.node
            case .tables(let array): value = MetadataNode(kind: .list(array.tables.map(\.node)), location: keyLocation)
            }
            return MetadataEntry(key: key, keyLocation: keyLocation, value: value)
        }
        return MetadataNode(kind: .map(entries), location: location)
    }
}

/// The tables of a `[[name]]` array, in order.
private final class TOMLTableArray {
    var tables: [TOMLTable]

    init(_ first: TOMLTable) { tables = [first] }
}
