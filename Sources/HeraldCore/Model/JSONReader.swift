// A JSON reader for documents that come back from filters: no recursion and no depth limit,
// so a tree nested ten thousand levels deep reads like a flat one, and every value keeps the
// place it was written, for errors.

/// A parsed JSON text, stored flat: containers hold the indices of their members, so neither
/// reading nor dropping a deep tree recurses.
struct JSONTree {
    enum Value {
        case null
        case bool(Bool)
        /// The number as written (`3`, `-1.5e3`); readers decide between whole and real.
        case number(String)
        case string(String)
        case array([Int])
        /// Members in the order written (keys are unique).
        case object([(key: String, value: Int)])
    }

    /// Every value of the text; the first is the top-level value.
    private(set) var values: [Value] = []

    subscript(index: Int) -> Value { values[index] }

    /// The top-level value.
    var top: Int { 0 }

    /// A text that is not JSON: what is wrong and where (1-based line and column, in bytes).
    struct SyntaxError: Error, Hashable {
        var line: Int
        var column: Int
        var message: String
    }

    /// Reads one JSON value (RFC 8259) surrounded by optional white space.
    init(parsing bytes: [UInt8]) throws(SyntaxError) {
        var reader = Reader(bytes: bytes)
        values = try reader.parse()
    }
}

/// The scanner behind ``JSONTree``: a loop over the bytes with a stack of open containers.
private struct Reader {
    let bytes: [UInt8]
    var position = 0
    var values: [JSONTree.Value] = []

    /// An array or object being read: where its value goes and the members read so far.
    enum Open {
        case array(slot: Int, items: [Int])
        case object(slot: Int, members: [(key: String, value: Int)], keys: Set<String>, pendingKey: String?)
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parse() throws(JSONTree.SyntaxError) -> [JSONTree.Value] {
        var stack: [Open] = []
        skipSpace()
        // Reading a value: a scalar completes at once, `[` or `{` opens a container.
        var expectingValue = true
        while true {
            if expectingValue {
                let slot = values.count
                values.append(.null)
                guard position < bytes.count else { throw error("expected a value, found the end of the text") }
                switch bytes[position] {
                case UInt8(ascii: "["):
                    position += 1
                    skipSpace()
                    if peek(UInt8(ascii: "]")) {
                        position += 1
                        values[slot] = .array([])
                    } else {
                        stack.append(.array(slot: slot, items: []))
                        continue
                    }
                case UInt8(ascii: "{"):
                    position += 1
                    skipSpace()
                    if peek(UInt8(ascii: "}")) {
                        position += 1
                        values[slot] = .object([])
                    } else {
                        let key = try readKey(in: [])
                        stack.append(.object(slot: slot, members: [], keys: [key], pendingKey: key))
                        continue
                    }
                default:
                    values[slot] = try scalar()
                }
                expectingValue = false
                attach(slot, to: &stack)
            }
            // After a value: a separator, the end of a container, or the end of the text.
            skipSpace()
            guard let open = stack.popLast() else {
                guard position == bytes.count else { throw error("unexpected text after the JSON value") }
                return values
            }
            switch open {
            case .array(let slot, let items):
                if take(UInt8(ascii: ",")) {
                    skipSpace()
                    stack.append(open)
                    expectingValue = true
                } else if take(UInt8(ascii: "]")) {
                    values[slot] = .array(items)
                    attach(slot, to: &stack)
                } else {
                    throw error("expected ',' or ']' in an array")
                }
            case .object(let slot, let members, var keys, _):
                if take(UInt8(ascii: ",")) {
                    skipSpace()
                    let key = try readKey(in: keys)
                    keys.insert(key)
                    stack.append(.object(slot: slot, members: members, keys: keys, pendingKey: key))
                    expectingValue = true
                } else if take(UInt8(ascii: "}")) {
                    values[slot] = .object(members)
                    attach(slot, to: &stack)
                } else {
                    throw error("expected ',' or '}' in an object")
                }
            }
        }
    }

    /// Adds a finished value to the innermost open container, if any.
    private func attach(_ slot: Int, to stack: inout [Open]) {
        guard let open = stack.popLast() else { return }
        switch open {
        case .array(let container, var items):
            items.append(slot)
            stack.append(.array(slot: container, items: items))
        case .object(let container, var members, let keys, let key):
            members.append((key!, slot))
            stack.append(.object(slot: container, members: members, keys: keys, pendingKey: nil))
        }
    }

    /// `"key"` and its colon, leaving the position at the value.
    private mutating func readKey(in keys: Set<String>) throws(JSONTree.SyntaxError) -> String {
        guard peek(UInt8(ascii: "\"")) else { throw error("expected a quoted key") }
        let start = position
        let key = try string()
        if keys.contains(key) {
            position = start
            throw error("duplicate key \(Escape.quotedString(key))")
        }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { throw error("expected ':' after a key") }
        skipSpace()
        return key
    }

    private mutating func scalar() throws(JSONTree.SyntaxError) -> JSONTree.Value {
        switch bytes[position] {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("expected a value")
        }
    }

    private mutating func word(_ text: String) throws(JSONTree.SyntaxError) {
        let expected = Array(text.utf8)
        let count = expected.count
        let matches = position + count <= bytes.count && expected[...] == bytes[position..<position + count]
        guard matches else { throw error("expected a value") }
        position += count
    }

    private mutating func number() throws(JSONTree.SyntaxError) -> String {
        let start = position
        _ = take(UInt8(ascii: "-"))
        if take(UInt8(ascii: "0")) {
            // No leading zeros.
        } else if digits() == 0 {
            throw error("invalid number")
        }
        if take(UInt8(ascii: ".")), digits() == 0 { throw error("invalid number") }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            _ = take(UInt8(ascii: "+")) || take(UInt8(ascii: "-"))
            if digits() == 0 { throw error("invalid number") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        return position - start
    }

    /// A quoted string, its escapes decoded; the text must be UTF-8.
    private mutating func string() throws(JSONTree.SyntaxError) -> String {
        let opening = position
        position += 1
        var decoded: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else {
                position = opening
                throw error("string not closed")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw error("control character in a string (write it as an escape)") }
            guard byte == UInt8(ascii: "\\") else {
                position += 1
                continue
            }
            decoded += bytes[runStart..<position]
            position += 1
            guard position < bytes.count else { throw error("string not closed") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")) else { throw error("unpaired surrogate in a \\u escape") }
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("unpaired surrogate in a \\u escape")
                }
                decoded += Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                position -= 2
                throw error("invalid escape in a string")
            }
            runStart = position
        }
        decoded += bytes[runStart..<position]
        position += 1
        guard let text = String(validating: decoded, as: UTF8.self) else {
            position = opening
            throw error("string is not valid UTF-8")
        }
        return text
    }

    private mutating func hex4() throws(JSONTree.SyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw error("invalid \\u escape") }
        position += 4
        return value
    }

    private func peek(_ byte: UInt8) -> Bool { position < bytes.count && bytes[position] == byte }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard peek(byte) else { return false }
        position += 1
        return true
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// An error at the current position, counted as line and column.
    private func error(_ message: String) -> JSONTree.SyntaxError {
        var line = 1
        var lineStart = 0
        for index in 0..<min(position, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return JSONTree.SyntaxError(line: line, column: position - lineStart + 1, message: message)
    }
}
