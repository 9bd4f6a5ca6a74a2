// The front matter most posts have, read without a YAML library: one key per line, each a
// plain or quoted one-line value, a `[a, b]` list or a list of `- item` lines. Anything else
// (a value over several lines, an escape, a nested mapping, a repeated key, an anchor, a tag, a
// tab, a line break libyaml counts that this does not) is left to Yams: `read` says nil, and
// the caller reads the text as it always has. What `read` gives is what the Yams reading gives,
// places included (FrontMatterTests compare the two).

import HeraldCore

enum PlainYAML {
    /// The mapping that `bytes` (front matter, lines ending in `\n`) writes, or nil when it is
    /// not written in the plain form. `location` turns a 1-based line of `bytes` and a 1-based
    /// column in characters (as libyaml counts them) into a place in the file.
    static func read(_ bytes: [UInt8], location: (_ line: Int, _ column: Int) -> SourceLocation) -> MetadataNode? {
        // Bytes that make any of this harder than it looks: tabs, carriage returns and other
        // controls, the line breaks libyaml reads beyond `\n` (U+0085, U+2028, U+2029), what
        // libyaml does not take as printable, and a byte-order mark.
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 && byte != UInt8(ascii: "\n") || byte == 0x7F { return nil }
            // U+0080 to U+009F (libyaml refuses them, U+0085 breaks a line), U+FFFE and U+FFFF.
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] < 0xA0 { return nil }
            if byte == 0xEF, index + 2 < bytes.count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE { return nil }
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 { return nil }
            if byte == 0xEF, index + 2 < bytes.count, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF { return nil }
            index += 1
        }
        return withoutActuallyEscaping(location) { location in
            var reader = LineReader(bytes: bytes, location: location)
            return reader.mapping()
        }
    }

    private struct LineReader {
        let bytes: [UInt8]
        let location: (Int, Int) -> SourceLocation
        /// The line being read (1-based) and where it starts and ends (before its `\n`).
        var line = 0
        var start = 0
        var end = 0
        var next = 0

        init(bytes: [UInt8], location: @escaping (Int, Int) -> SourceLocation) {
            self.bytes = bytes
            self.location = location
        }

        /// Moves to the next line; false at the end.
        mutating func advance() -> Bool {
            guard next < bytes.count else { return false }
            line += 1
            start = next
            end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            next = end + 1
            return true
        }

        /// The first byte of the line that is not a space, and where it is.
        var firstContent: (offset: Int, byte: UInt8)? {
            var offset = start
            while offset < end, bytes[offset] == UInt8(ascii: " ") { offset += 1 }
            return offset < end ? (offset, bytes[offset]) : nil
        }

        /// The 1-based column of `offset` in the line, in characters.
        func column(_ offset: Int) -> Int {
            var column = 1
            for byte in bytes[start..<offset] where byte & 0xC0 != 0x80 { column += 1 }
            return column
        }

        func place(_ offset: Int) -> SourceLocation { location(line, column(offset)) }

        mutating func mapping() -> MetadataNode? {
            var entries: [MetadataEntry] = []
            var keys: Set<String> = []
            var rootPlace: SourceLocation?
            var pending: (key: String, keyPlace: SourceLocation)?
            var items: [MetadataNode] = []
            var itemIndent = -1
            var listPlace: SourceLocation?

            func closePending(_ entries: inout [MetadataEntry]) -> Bool {
                guard let (key, keyPlace) = pending else { return true }
                // A key with nothing after it and no items is left to Yams (where its null is).
                guard let listPlace, !items.isEmpty else { return false }
                entries.append(MetadataEntry(key: key, keyLocation: keyPlace, value: MetadataNode(kind: .list(items), location: listPlace)))
                return true
            }

            while advance() {
                guard let (offset, byte) = firstContent else { continue }
                if byte == UInt8(ascii: "#") {
                    // A comment line; indented, it may be in the middle of a value Yams reads.
                    guard offset == start else { return nil }
                    continue
                }
                if byte == UInt8(ascii: "-") {
                    // An item of the list the last key opened.
                    guard pending != nil, offset + 1 < end, bytes[offset + 1] == UInt8(ascii: " ") else { return nil }
                    let indent = offset - start
                    if itemIndent < 0 {
                        itemIndent = indent
                        listPlace = place(offset)
                    } else if indent != itemIndent {
                        return nil
                    }
                    var valueStart = offset + 1
                    while valueStart < end, bytes[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
                    guard valueStart < end, let (item, _) = blockScalar(from: valueStart) else { return nil }
                    items.append(item)
                    continue
                }
                // `key: value`, at the start of the line.
                guard offset == start, closePending(&entries) else { return nil }
                pending = nil
                items = []
                itemIndent = -1
                listPlace = nil
                guard let (key, colon) = key(at: offset), keys.insert(key).inserted else { return nil }
                let keyPlace = place(offset)
                if rootPlace == nil { rootPlace = keyPlace }
                var valueStart = colon + 1
                while valueStart < end, bytes[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
                if valueStart == end || bytes[valueStart] == UInt8(ascii: "#") && valueStart > colon + 1 {
                    pending = (key, keyPlace)
                    continue
                }
                guard valueStart > colon + 1 else { return nil }
                let value: MetadataNode
                if bytes[valueStart] == UInt8(ascii: "[") {
                    guard let list = flowList(from: valueStart) else { return nil }
                    value = list
                } else {
                    guard let (scalar, _) = blockScalar(from: valueStart) else { return nil }
                    value = scalar
                }
                entries.append(MetadataEntry(key: key, keyLocation: keyPlace, value: value))
            }
            guard closePending(&entries), let rootPlace else { return nil }
            return MetadataNode(kind: .map(entries), location: rootPlace)
        }

        /// A key of letters, digits, `_`, `-` and `.` (a letter or `_` first) and the offset of
        /// the `:` right after it.
        func key(at offset: Int) -> (String, Int)? {
            var cursor = offset
            while cursor < end {
                let byte = bytes[cursor]
                let isLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "_")
                let isOther = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                if isLetter || (cursor > offset && isOther) {
                    cursor += 1
                    continue
                }
                break
            }
            guard cursor > offset, cursor < end, bytes[cursor] == UInt8(ascii: ":"),
                cursor + 1 == end || bytes[cursor + 1] == UInt8(ascii: " ")
            else { return nil }
            return (String(decoding: bytes[offset..<cursor], as: UTF8.self), cursor)
        }

        /// A scalar that ends the line: plain or quoted, then only spaces or a comment.
        func blockScalar(from offset: Int) -> (MetadataNode, Int)? {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                guard let (node, after) = quoted(from: offset), restIsBlank(after) else { return nil }
                return (node, after)
            }
            guard Self.canStartPlain(byte) else { return nil }
            // Up to ` #` or the end of the line; `: ` or a final `:` would start a mapping.
            var cursor = offset
            var last = offset
            while cursor < end {
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "#"), bytes[cursor - 1] == UInt8(ascii: " ") { break }
                if byte == UInt8(ascii: ":"), cursor + 1 == end || bytes[cursor + 1] == UInt8(ascii: " ") { return nil }
                if byte != UInt8(ascii: " ") { last = cursor }
                cursor += 1
            }
            return (plain(offset, through: last), end)
        }

        /// `[a, 'b', "c"]` on one line, then only spaces or a comment.
        func flowList(from offset: Int) -> MetadataNode? {
            var items: [MetadataNode] = []
            var cursor = offset + 1
            func skipSpaces() { while cursor < end, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 } }
            skipSpaces()
            if cursor < end, bytes[cursor] == UInt8(ascii: "]") {
                return restIsBlank(cursor + 1) ? MetadataNode(kind: .list([]), location: place(offset)) : nil
            }
            while true {
                skipSpaces()
                guard cursor < end else { return nil }
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                    guard let (node, after) = quoted(from: cursor) else { return nil }
                    items.append(node)
                    cursor = after
                } else {
                    guard Self.canStartPlain(byte) else { return nil }
                    let first = cursor
                    var last = cursor
                    while cursor < end {
                        let byte = bytes[cursor]
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") { break }
                        // Whatever flow context makes of these is left to Yams.
                        if Self.flowIndicators.contains(byte) { return nil }
                        if byte != UInt8(ascii: " ") { last = cursor }
                        cursor += 1
                    }
                    items.append(plain(first, through: last))
                }
                skipSpaces()
                guard cursor < end else { return nil }
                if bytes[cursor] == UInt8(ascii: "]") {
                    return restIsBlank(cursor + 1) ? MetadataNode(kind: .list(items), location: place(offset)) : nil
                }
                guard bytes[cursor] == UInt8(ascii: ",") else { return nil }
                cursor += 1
                // `[a, ]` and `[a,, b]` are left to Yams.
                skipSpaces()
                guard cursor < end, bytes[cursor] != UInt8(ascii: "]"), bytes[cursor] != UInt8(ascii: ",") else { return nil }
            }
        }

        /// A quoted scalar closed on its line, without escapes (`''` in single quotes is one
        /// quote); its node and the offset after the closing quote.
        func quoted(from offset: Int) -> (MetadataNode, Int)? {
            let quote = bytes[offset]
            var text: [UInt8] = []
            var cursor = offset + 1
            while cursor < end {
                let byte = bytes[cursor]
                if byte == quote {
                    if quote == UInt8(ascii: "'"), cursor + 1 < end, bytes[cursor + 1] == quote {
                        text.append(quote)
                        cursor += 2
                        continue
                    }
                    let string = String(decoding: text, as: UTF8.self)
                    // A value that holds a character no post may hold is left to the reader that reports it.
                    guard SourceText.replacingForbidden(in: string).replaced.isEmpty else { return nil }
                    return (MetadataNode(kind: .scalar(text: string, value: .string(string)), location: place(offset)), cursor + 1)
                }
                if byte == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") { return nil }
                text.append(byte)
                cursor += 1
            }
            return nil
        }

        /// The plain scalar from `first` through `last`, typed by the YAML 1.2 core schema.
        func plain(_ first: Int, through last: Int) -> MetadataNode {
            let text = String(decoding: bytes[first...last], as: UTF8.self)
            return MetadataNode(kind: .scalar(text: text, value: YAMLCoreSchema.value(of: text)), location: place(first))
        }

        /// Whether the line from `offset` on is only spaces, or spaces then a comment.
        func restIsBlank(_ offset: Int) -> Bool {
            var cursor = offset
            while cursor < end, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
            return cursor == end || (cursor > offset && bytes[cursor] == UInt8(ascii: "#"))
        }

        /// Bytes that cannot start a plain scalar here (YAML's indicators), and the quotes.
        static func canStartPlain(_ byte: UInt8) -> Bool {
            !"-?:,[]{}#&*!|>'\"%@`".utf8.contains(byte) && byte != UInt8(ascii: " ")
        }

        static let flowIndicators: Set<UInt8> = Set("[]{}#:'\"".utf8)
    }
}
