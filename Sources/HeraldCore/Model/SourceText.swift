// A post file's bytes checked and decoded into text, with the line table that turns byte
// offsets and cmark's byte columns into the line:column an editor shows.


/// The text of a post file: valid UTF-8, line endings normalised to LF, byte-order mark removed.
///
/// Line numbers are the editor's: a CRLF or a lone CR counts as one line break. Columns count
/// Unicode scalars.
public struct SourceText: Sendable {
    /// The file, as the user named it.
    public let path: String
    /// The text with every line ending as LF.
    public let text: String
    /// The UTF-8 offset in `text` where each line starts; `lineStarts[0] == 0`. A text that ends
    /// with a line break has a last, empty line.
    public let lineStarts: [Int]
    /// Whether the file had CRLF line endings (normalised to LF).
    public let hadCRLF: Bool
    /// Whether the file had a lone CR as a line ending (normalised to LF).
    public let hadLoneCR: Bool
    /// Whether the file started with a UTF-8 byte-order mark (removed).
    public let hadByteOrderMark: Bool

    /// Characters HTML and XML 1.0 do not allow in a document (control characters other than
    /// tab and line feed, noncharacters), each replaced by U+FFFD where it stood: the UTF-8
    /// offset of the replacement in `text`, and the character that was there.
    public let replacedCharacters: [(offset: Int, scalar: UInt32)]

    private let utf8: [UInt8]
    /// Per line: whether it is ASCII only, so its columns need no counting.
    private let asciiLines: [Bool]
    /// For text that is not all ASCII: how many characters start before every
    /// ``checkpointStride``-th byte, so that a column is counted from the nearest checkpoint,
    /// not from the start of its line (a long line with many nodes would take quadratic time).
    private let charactersBefore: [Int]
    /// For text that is not all ASCII: how many characters come before each line's start, so
    /// that a column needs one count from a checkpoint, not two.
    private let charactersBeforeLine: [Int]
    private static let checkpointStride = 64

    /// The number of lines.
    public var lineCount: Int { lineStarts.count }

    /// Text already known to be valid (a Swift string): line endings are normalised, nothing is checked.
    public init(_ text: String, path: String) {
        self.init(normalizing: Array(text.utf8), path: path, byteOrderMark: false)
    }

    private init(normalizing bytes: [UInt8], path: String, byteOrderMark: Bool) {
        // The text as it is read, unless a line end or a character is changed: then a copy.
        var out = [UInt8]()
        var changed = false
        var starts = [0]
        var ascii = [Bool]()
        var lineIsASCII = true
        var crlf = false
        var loneCR = false
        var replaced: [(offset: Int, scalar: UInt32)] = []
        // Runs of bytes that stay as they are are copied whole; only a line end, a carriage
        // return and a forbidden character stop the scan.
        var index = 0
        var runStart = 0
        while index < bytes.count {
            index = Self.printableASCIIEnd(in: bytes, from: index)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x7F || byte == 0x09 {
                index += 1
                continue
            }
            if byte == 0x0A {
                index += 1
                ascii.append(lineIsASCII)
                lineIsASCII = true
                starts.append(out.count + index - runStart)
                continue
            }
            // The bytes are well-formed UTF-8 (a String's, or checked by `decode`): a character
            // of two to four bytes is passed whole, and only the lead bytes of the forbidden
            // ones (C1 controls, noncharacters) are looked at closer.
            if byte >= 0xC3 && byte < 0xEF {
                lineIsASCII = false
                index += byte < 0xE0 ? 2 : 3
                // Chinese text: the three-byte characters after it, passed whole in a row.
                while index < bytes.count, bytes[index] >= 0xE0 && bytes[index] < 0xEF { index += 3 }
                continue
            }
            let forbidden = Self.forbiddenCharacter(in: bytes, at: index)
            if forbidden == nil && byte != 0x0D {
                // A character that may stand (anything else below 0x80 is forbidden).
                lineIsASCII = false
                index += byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                continue
            }
            if !changed {
                changed = true
                out.reserveCapacity(bytes.count)
            }
            out.append(contentsOf: bytes[runStart..<index])
            if let (length, scalar) = forbidden {
                replaced.append((out.count, scalar))
                out += [0xEF, 0xBF, 0xBD]
                lineIsASCII = false
                index += length
            } else {
                // A carriage return: with the line feed after it or alone, one line end.
                index += 1
                if index < bytes.count, bytes[index] == 0x0A {
                    index += 1
                    crlf = true
                } else {
                    loneCR = true
                }
                out.append(0x0A)
                ascii.append(lineIsASCII)
                lineIsASCII = true
                starts.append(out.count)
            }
            runStart = index
        }
        if changed { out.append(contentsOf: bytes[runStart...]) } else { out = bytes }
        ascii.append(lineIsASCII)
        self.path = path
        self.utf8 = out
        // Well-formed: a string's bytes, or bytes `decode` has checked, with whole characters
        // and line ends replaced.
        self.text = String(wellFormedUTF8: out)
        self.lineStarts = starts
        self.asciiLines = ascii
        self.hadCRLF = crlf
        self.hadLoneCR = loneCR
        self.hadByteOrderMark = byteOrderMark
        self.replacedCharacters = replaced
        if ascii.allSatisfy({ $0 }) {
            charactersBefore = []
            charactersBeforeLine = []
        } else {
            var counts = [Int]()
            counts.reserveCapacity(out.count / Self.checkpointStride + 2)
            var characters = 0
            for start in stride(from: 0, to: out.count, by: Self.checkpointStride) {
                counts.append(characters)
                characters += Self.leadBytes(in: out, from: start, to: min(start + Self.checkpointStride, out.count))
            }
            if out.count % Self.checkpointStride == 0 { counts.append(characters) }
            charactersBefore = counts
            charactersBeforeLine = starts.map { start in
                counts[start / Self.checkpointStride] + Self.leadBytes(in: out, from: start / Self.checkpointStride * Self.checkpointStride, to: start)
            }
        }
    }

    /// How many characters start before the byte at `offset`.
    private func characters(before offset: Int) -> Int {
        let checkpoint = offset / Self.checkpointStride
        return charactersBefore[checkpoint] + Self.leadBytes(in: utf8, from: checkpoint * Self.checkpointStride, to: offset)
    }

    /// How many bytes of `bytes[start..<end]` start a character, counted eight at a time: a
    /// continuation byte is the one with its top bit set and the next bit clear.
    private static func leadBytes(in bytes: [UInt8], from start: Int, to end: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            var count = 0
            var index = start
            while index + 8 <= end {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                count += 8 - (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                index += 8
            }
            while index < end {
                if isLeadByte(raw[index]) { count += 1 }
                index += 1
            }
            return count
        }
    }

    /// The offset of the first byte at or after `start` that is not printable ASCII (0x20 to
    /// 0x7E), or `bytes.count`; the text is read eight bytes at a time, most of it in one step
    /// per word.
    static func printableASCIIEnd(in bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            var index = start
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                // A byte with its top bit set, below 0x20, or 0x7F (which xor 0x7F makes zero)
                // sets the top bit of its byte in one of the three tests.
                let del = word ^ (ones &* 0x7F)
                let stops = word | ((word &- ones &* 0x20) & ~word) | ((del &- ones) & ~del)
                if stops & highs != 0 { break }
                index += 8
            }
            while index < raw.count, raw[index] >= 0x20 && raw[index] < 0x7F { index += 1 }
            return index
        }
    }

    /// Whether a post may not hold the character `value`, as HTML and XML 1.0 forbid it (reading
    /// one replaces it with U+FFFD): C0 controls but tab, line feed and carriage return; DEL and
    /// the C1 controls; the noncharacters U+FDD0–U+FDEF and U+xFFFE, U+xFFFF of every plane.
    public static func isForbidden(_ value: UInt32) -> Bool {
        (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || (0x7F...0x9F).contains(value)
            || (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE
    }

    /// `text` with every character ``isForbidden(_:)`` refuses replaced with U+FFFD, and the
    /// ones replaced, in order (none for most texts, which are not copied).
    public static func replacingForbidden(in text: String) -> (text: String, replaced: [UInt32]) {
        guard text.unicodeScalars.contains(where: { isForbidden($0.value) }) else { return (text, []) }
        let replaced = text.unicodeScalars.filter { isForbidden($0.value) }.map(\.value)
        return (String(String.UnicodeScalarView(text.unicodeScalars.map { isForbidden($0.value) ? "\u{FFFD}" : $0 })), replaced)
    }

    /// How a warning names the characters replaced: `a character` or `3 characters`, and
    /// `U+0000, U+0085` (each once, in order of value).
    public static func describe(replaced scalars: [UInt32]) -> (count: String, names: String) {
        let names = Array(Set(scalars)).sorted().map { String(format: "U+%04X", $0) }.joined(separator: ", ")
        return (scalars.count == 1 ? "a character" : "\(scalars.count) characters", names)
    }

    /// The character ``isForbidden(_:)`` refuses that starts at `index` of well-formed UTF-8, and
    /// its length in bytes; only the bytes that can start one are decoded.
    static func forbiddenCharacter(in bytes: [UInt8], at index: Int) -> (length: Int, scalar: UInt32)? {
        let byte = bytes[index]
        switch byte {
        case 0x09, 0x0A, 0x0D: return nil
        case 0x00..<0x20, 0x7F: return (1, UInt32(byte))
        case 0xC2:
            guard index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) else { return nil }
            return (2, UInt32(bytes[index + 1]))
        case 0xEF:
            guard index + 2 < bytes.count else { return nil }
            let scalar = (UInt32(byte & 0x0F) << 12) | (UInt32(bytes[index + 1] & 0x3F) << 6) | UInt32(bytes[index + 2] & 0x3F)
            return isForbidden(scalar) ? (3, scalar) : nil
        case 0xF0...0xF4:
            guard index + 3 < bytes.count else { return nil }
            let scalar = (UInt32(byte & 0x07) << 18) | (UInt32(bytes[index + 1] & 0x3F) << 12)
                | (UInt32(bytes[index + 2] & 0x3F) << 6) | UInt32(bytes[index + 3] & 0x3F)
            return isForbidden(scalar) ? (4, scalar) : nil
        default:
            return nil
        }
    }

    /// Checks and decodes a file's bytes. Returns nil text when the file cannot be read as a
    /// post (empty, binary, not UTF-8), with an error saying where and why; a byte-order mark
    /// gives a warning and the text.
    public static func decode(_ bytes: [UInt8], path: String) -> (text: SourceText?, diagnostics: [Diagnostic]) {
        let start = SourceLocation(line: 1, column: 1)
        func failure(_ diagnostic: Diagnostic) -> (text: SourceText?, diagnostics: [Diagnostic]) {
            (nil, [diagnostic])
        }
        if let encoding = unsupportedEncoding(bytes) {
            return failure(.error("unsupported-encoding", file: path, "file is \(encoding); save it as UTF-8"))
        }
        var diagnostics: [Diagnostic] = []
        var content = bytes
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if hasBOM {
            content.removeFirst(3)
            diagnostics.append(
                .warning("byte-order-mark", file: path, at: start,
                    "file starts with a UTF-8 byte-order mark; it was ignored (save the file without BOM)"))
        }
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D]
        if content.allSatisfy(whitespace.contains) {
            return failure(.error("empty-file", file: path, at: start, "file is empty"))
        }
        let survey = ByteSurvey(content)
        if let nul = survey.firstNUL {
            return failure(
                .error("binary-file", file: path, at: rawLocation(of: nul, in: content), "file looks binary (NUL byte)"))
        }
        if let control = survey.firstControl, survey.controls * 10 > content.count {
            return failure(
                .error("binary-file", file: path, at: rawLocation(of: control, in: content),
                    "file looks binary (too many control characters)"))
        }
        if let bad = survey.firstInvalidUTF8 {
            let byte = "0x" + String(content[bad], radix: 16, uppercase: true)
            let what =
                isLeadByte(content[bad]) && content[bad] >= 0xC2 && content[bad] <= 0xF4
                ? "incomplete UTF-8 sequence starting with byte \(byte)" : "invalid UTF-8 byte \(byte)"
            return failure(
                .error("invalid-utf8", file: path, at: rawLocation(of: bad, in: content),
                    "\(what); the file must be saved as UTF-8"))
        }
        let text = SourceText(normalizing: content, path: path, byteOrderMark: hasBOM)
        // One warning per line that had such characters, at the first of them (they come in order).
        var lines: [(location: SourceLocation, scalars: [UInt32])] = []
        for (offset, scalar) in text.replacedCharacters {
            let location = text.location(ofUTF8Offset: offset)
            if lines.last?.location.line == location.line {
                lines[lines.count - 1].scalars.append(scalar)
            } else {
                lines.append((location, [scalar]))
            }
        }
        for (location, scalars) in lines {
            let (count, names) = describe(replaced: scalars)
            diagnostics.append(.warning(
                .controlCharacter, file: path, at: location,
                "\(count) HTML and XML do not allow (\(names), usually pasted by accident): replaced with U+FFFD in every output; delete \(scalars.count == 1 ? "it" : "them")"))
        }
        return (text, diagnostics)
    }

    // MARK: Positions

    /// The line:column of a UTF-8 offset in `text` (clamped to the text).
    public func location(ofUTF8Offset offset: Int) -> SourceLocation {
        let offset = min(max(offset, 0), utf8.count)
        // The last line start at or before the offset.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return SourceLocation(line: low + 1, column: column(line: low, offset: offset))
    }

    /// Converts a 1-based line and 1-based byte column, as cmark reports them, to a location
    /// whose column counts Unicode scalars. A column inside a multi-byte character gives that
    /// character's column; lines and columns out of range are clamped.
    public func location(line: Int, utf8Column: Int) -> SourceLocation {
        let index = min(max(line, 1), lineStarts.count) - 1
        let start = lineStarts[index]
        let offset = min(start + max(utf8Column, 1) - 1, lineEnd(index))
        return SourceLocation(line: index + 1, column: column(line: index, offset: offset))
    }

    /// The text of a 1-based line, without its line break (empty when out of range).
    public func line(_ number: Int) -> Substring {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let utf8View = text.utf8
        let start = utf8View.index(utf8View.startIndex, offsetBy: lineStarts[number - 1])
        let end = utf8View.index(utf8View.startIndex, offsetBy: lineEnd(number - 1))
        return text[start..<end]
    }

    /// The text of lines `first...last` (1-based, clamped), each with its line break.
    public func lines(_ first: Int, through last: Int) -> String {
        let first = max(first, 1)
        let last = min(last, lineStarts.count)
        guard first <= last else { return "" }
        let start = lineStarts[first - 1]
        let end = last < lineStarts.count ? lineStarts[last] : utf8.count
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// The text from the start of a 1-based line to the end: a part of ``text``, not a copy.
    public func text(fromLine number: Int) -> Substring {
        guard number <= lineStarts.count else { return "" }
        let utf8View = text.utf8
        return text[utf8View.index(utf8View.startIndex, offsetBy: lineStarts[max(number, 1) - 1])...]
    }

    /// The offset of a 0-based line's line break (or the end of the text).
    private func lineEnd(_ index: Int) -> Int {
        index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : utf8.count
    }

    /// The 1-based scalar column of `offset` on a 0-based line.
    private func column(line index: Int, offset: Int) -> Int {
        let start = lineStarts[index]
        if asciiLines[index] { return offset - start + 1 }
        let column = characters(before: offset) - charactersBeforeLine[index]
        // An offset inside a character belongs to that character's column.
        if offset < utf8.count, !Self.isLeadByte(utf8[offset]) { return max(column, 1) }
        return column + 1
    }

    // MARK: Checks on raw bytes

    private static func isLeadByte(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }

    /// The encoding of a file that is UTF-16 or UTF-32, by its byte-order mark or, for UTF-16
    /// without one, by the zero bytes between ASCII characters.
    private static func unsupportedEncoding(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            return "UTF-32"
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16" }
        let sample = bytes.prefix(512)
        // Without a zero byte, no half of the sample is all zeros.
        guard sample.count >= 4, sample.count % 2 == 0, sample.contains(0) else { return nil }
        let even = stride(from: 0, to: sample.count, by: 2).map { sample[$0] }
        let odd = stride(from: 1, to: sample.count, by: 2).map { sample[$0] }
        let looksLikeASCII = { (half: [UInt8]) in half.allSatisfy { $0 != 0 && $0 < 0x80 } }
        if odd.allSatisfy({ $0 == 0 }) && looksLikeASCII(even) { return "UTF-16" }
        if even.allSatisfy({ $0 == 0 }) && looksLikeASCII(odd) { return "UTF-16" }
        return nil
    }

    /// The editor's line:column of a byte offset in raw bytes: CRLF, CR and LF are line breaks,
    /// and columns count the UTF-8 lead bytes before it (exact when those bytes are valid UTF-8).
    private static func rawLocation(of offset: Int, in bytes: [UInt8]) -> SourceLocation {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset {
            let byte = bytes[index]
            index += 1
            if byte == 0x0A || (byte == 0x0D && (index >= bytes.count || bytes[index] != 0x0A)) {
                line += 1
                lineStart = index
            }
        }
        var column = 1
        for byte in bytes[lineStart..<offset] where isLeadByte(byte) { column += 1 }
        return SourceLocation(line: line, column: column)
    }
}

/// What `decode` needs to know of a file's raw bytes, found in one pass: the first NUL, the
/// control characters (how many, and the first), and the first byte that does not start a
/// well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF).
private struct ByteSurvey {
    var firstNUL: Int?
    var controls = 0
    var firstControl: Int?
    var firstInvalidUTF8: Int?

    init(_ bytes: [UInt8]) {
        var index = 0
        let count = bytes.count
        while index < count {
            index = SourceText.printableASCIIEnd(in: bytes, from: index)
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                // Control characters other than tab, line feed, form feed and carriage return.
                if (lead < 0x20 && lead != 0x09 && lead != 0x0A && lead != 0x0C && lead != 0x0D) || lead == 0x7F {
                    if lead == 0, firstNUL == nil { firstNUL = index }
                    if firstControl == nil { firstControl = index }
                    controls += 1
                }
                index += 1
                continue
            }
            // After a malformed sequence, only NULs and control characters are still looked for.
            guard firstInvalidUTF8 == nil else {
                index += 1
                continue
            }
            // Most of a Chinese post: three-byte characters whose lead byte allows any
            // continuation bytes (U+1000 to U+CFFF, U+E000 to U+FFFF), run after run.
            var at = index
            while at + 2 < count, (0xE1...0xEC).contains(bytes[at]) || bytes[at] == 0xEE || bytes[at] == 0xEF,
                bytes[at + 1] & 0xC0 == 0x80, bytes[at + 2] & 0xC0 == 0x80
            {
                at += 3
            }
            if at > index {
                index = at
                continue
            }
            let length: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; second = 0x80...0x8F
            default: length = 0
            }
            var valid = length > 0 && index + length <= count && second.contains(bytes[index + 1])
            if valid {
                for next in index + 2..<index + length where !(0x80...0xBF).contains(bytes[next]) { valid = false }
            }
            if valid {
                index += length
            } else {
                firstInvalidUTF8 = index
                index += 1
            }
        }
    }
}
