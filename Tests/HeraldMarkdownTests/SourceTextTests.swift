// Decoding a post's bytes: refusals with exact places, line ending normalisation, and the
// conversions from byte offsets and cmark's byte columns to editor columns.

import HeraldCore
import HeraldMarkdown
import Testing

/// A file's bytes that must be refused, with the diagnostic expected.
struct RefusedBytes: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var id: String
    var location: HeraldCore.SourceLocation?
    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8], _ id: String, _ location: HeraldCore.SourceLocation?) {
        self.name = name
        self.bytes = bytes
        self.id = id
        self.location = location
    }

    static let all: [RefusedBytes] = [
        RefusedBytes("no bytes", [], "empty-file", HeraldCore.SourceLocation(line: 1, column: 1)),
        RefusedBytes("only whitespace", Array(" \n\t\r\n".utf8), "empty-file", HeraldCore.SourceLocation(line: 1, column: 1)),
        RefusedBytes("BOM then nothing", [0xEF, 0xBB, 0xBF, 0x0A], "empty-file", HeraldCore.SourceLocation(line: 1, column: 1)),
        RefusedBytes("NUL", Array("ab\ncd".utf8) + [0], "binary-file", HeraldCore.SourceLocation(line: 2, column: 3)),
        RefusedBytes(
            "PNG header", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00], "binary-file",
            HeraldCore.SourceLocation(line: 3, column: 1)),
        RefusedBytes("control bytes", Array("x\n".utf8) + [1, 2, 3, 4, 5, 6] + Array("abc".utf8), "binary-file", HeraldCore.SourceLocation(line: 2, column: 1)),
        RefusedBytes("UTF-16 LE BOM", [0xFF, 0xFE] + Array("-\0-\0-\0".utf8), "unsupported-encoding", nil),
        RefusedBytes("UTF-16 BE BOM", [0xFE, 0xFF, 0, 0x2D], "unsupported-encoding", nil),
        RefusedBytes("UTF-32 LE BOM", [0xFF, 0xFE, 0, 0, 0x2D, 0, 0, 0], "unsupported-encoding", nil),
        RefusedBytes("UTF-16 without BOM", Array("t\0i\0t\0l\0e\0".utf8), "unsupported-encoding", nil),
        RefusedBytes(
            "0xFF after two Chinese characters", Array("---\ntitle: T\n中文".utf8) + [0xFF] + Array(" tail\n".utf8),
            "invalid-utf8", HeraldCore.SourceLocation(line: 3, column: 3)),
        RefusedBytes("stray continuation byte", Array("a\r\nb\r\né".utf8) + [0x80], "invalid-utf8", HeraldCore.SourceLocation(line: 3, column: 2)),
        RefusedBytes("overlong encoding", Array("ab".utf8) + [0xC0, 0xAF], "invalid-utf8", HeraldCore.SourceLocation(line: 1, column: 3)),
        RefusedBytes("UTF-16 surrogate", Array("x\ry".utf8) + [0xED, 0xA0, 0x80], "invalid-utf8", HeraldCore.SourceLocation(line: 2, column: 2)),
        RefusedBytes("truncated at the end", Array("abc ".utf8) + [0xE4, 0xB8], "invalid-utf8", HeraldCore.SourceLocation(line: 1, column: 5)),
        RefusedBytes("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80], "invalid-utf8", HeraldCore.SourceLocation(line: 1, column: 1)),
        RefusedBytes("Latin-1 é", Array("caf".utf8) + [0xE9, 0x0A], "invalid-utf8", HeraldCore.SourceLocation(line: 1, column: 4)),
    ]
}

@Suite struct SourceTextTests {
    @Test(arguments: RefusedBytes.all)
    func refusedWithIdAndPlace(_ input: RefusedBytes) throws {
        let (text, diagnostics) = SourceText.decode(input.bytes, path: "p.md")
        #expect(text == nil)
        let diagnostic = try #require(diagnostics.last)
        #expect(diagnostic.id.rawValue == input.id)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location == input.location)
        #expect(diagnostic.file == "p.md")
    }

    /// Plain ASCII is read eight bytes at a time: a byte that stops the reading is found at
    /// every position in a word.
    @Test(arguments: 0..<20)
    func aStrayByteIsFoundWhereverItFalls(_ offset: Int) throws {
        let before = [UInt8](repeating: UInt8(ascii: "a"), count: offset), after = Array(" after the byte\n".utf8)
        for (byte, id) in [(UInt8(0), "binary-file"), (0xFF, "invalid-utf8")] {
            let (text, diagnostics) = SourceText.decode(before + [byte] + after, path: "p.md")
            #expect(text == nil)
            #expect(diagnostics.last?.id.rawValue == id)
            #expect(diagnostics.last?.location == HeraldCore.SourceLocation(line: 1, column: offset + 1))
        }
    }

    @Test func invalidUTF8NamesTheByte() throws {
        let (_, diagnostics) = SourceText.decode(Array("中文".utf8) + [0xFF], path: "p.md")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.message.contains("0xFF"))
        #expect(diagnostic.description.hasPrefix("p.md:1:3: error: "))
    }

    /// Runs of three-byte characters are read a character a step: the first malformed byte is
    /// still the one the standard library's UTF-8 parser stops at, wherever it falls in a run.
    @Test func malformedUTF8AmongChineseIsFoundWhereTheStandardParserFindsIt() throws {
        let pieces: [[UInt8]] = [
            Array("中".utf8), Array("文。".utf8), Array("a".utf8), Array("é".utf8), Array("😀".utf8), Array("\u{E000}".utf8),
            Array("\u{FFFD}".utf8), [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xEF, 0xBF], [0x80], [0xE5, 0x41, 0x41],
            [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF],
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                // Mostly Chinese, as a Chinese post is.
                bytes += Int.random(in: 0..<3, using: &generator) == 0 ? pieces.randomElement(using: &generator)! : pieces[Int.random(in: 0..<2, using: &generator)]
            }
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = bytes.makeIterator()
            var scalarsBefore = 0
            var malformed = false
            parsing: while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid: scalarsBefore += 1
                case .emptyInput: break parsing
                case .error:
                    malformed = true
                    break parsing
                }
            }
            let (text, diagnostics) = SourceText.decode(bytes, path: "p.md")
            #expect((text == nil) == malformed, "\(bytes)")
            if malformed {
                #expect(diagnostics.last?.id.rawValue == "invalid-utf8", "\(bytes)")
                #expect(diagnostics.last?.location == HeraldCore.SourceLocation(line: 1, column: scalarsBefore + 1), "\(bytes)")
            }
        }
    }

    @Test func utf16MessageSaysWhatToDo() throws {
        let (_, diagnostics) = SourceText.decode([0xFF, 0xFE, 0x41, 0], path: "p.md")
        #expect(diagnostics.first?.message == "file is UTF-16; save it as UTF-8")
    }

    @Test func byteOrderMarkIsDroppedWithAWarning() throws {
        let (decoded, diagnostics) = SourceText.decode([0xEF, 0xBB, 0xBF] + Array("# Hi\n".utf8), path: "p.md")
        let text = try #require(decoded)
        #expect(text.text == "# Hi\n")
        #expect(text.hadByteOrderMark)
        #expect(diagnostics.map(\.id) == ["byte-order-mark"])
        #expect(diagnostics.first?.severity == .warning)
        #expect(diagnostics.first?.location == HeraldCore.SourceLocation(line: 1, column: 1))
    }

    @Test func lineEndingsAreNormalisedKeepingTheEditorsLineNumbers() throws {
        let (decoded, diagnostics) = SourceText.decode(Array("a\r\nb\rc\nd".utf8), path: "p.md")
        let text = try #require(decoded)
        #expect(diagnostics.isEmpty)
        #expect(text.text == "a\nb\nc\nd")
        #expect(text.hadCRLF)
        #expect(text.hadLoneCR)
        #expect(text.lineStarts == [0, 2, 4, 6])
        #expect((1...4).map { String(text.line($0)) } == ["a", "b", "c", "d"])
        let plain = try #require(SourceText.decode(Array("a\nb\n".utf8), path: "p.md").text)
        #expect(!plain.hadCRLF && !plain.hadLoneCR)
        #expect(plain.lineCount == 3)
        #expect(plain.line(3) == "")
        #expect(plain.line(4) == "")
        #expect(plain.line(0) == "")
    }

    @Test func offsetsBecomeScalarColumns() throws {
        // Line 2: 中 is 3 bytes, 😀 is 4 bytes and one scalar.
        let text = SourceText("ab\n中😀x\n", path: "p.md")
        #expect(text.location(ofUTF8Offset: 0) == HeraldCore.SourceLocation(line: 1, column: 1))
        #expect(text.location(ofUTF8Offset: 2) == HeraldCore.SourceLocation(line: 1, column: 3))
        #expect(text.location(ofUTF8Offset: 3) == HeraldCore.SourceLocation(line: 2, column: 1))
        #expect(text.location(ofUTF8Offset: 6) == HeraldCore.SourceLocation(line: 2, column: 2))
        #expect(text.location(ofUTF8Offset: 10) == HeraldCore.SourceLocation(line: 2, column: 3))
        #expect(text.location(ofUTF8Offset: 12) == HeraldCore.SourceLocation(line: 3, column: 1))
        #expect(text.location(ofUTF8Offset: 999) == HeraldCore.SourceLocation(line: 3, column: 1))
        #expect(text.location(ofUTF8Offset: -5) == HeraldCore.SourceLocation(line: 1, column: 1))
    }

    @Test(arguments: [
        // (line, byte column as cmark reports it, scalar column)
        (1, 1, 1), (1, 8, 4), (1, 15, 7), (1, 16, 8),
        // Inside 中 (bytes 1-3): the character's own column.
        (1, 2, 1), (1, 3, 1), (1, 4, 2),
        // Past the end of the line, and lines out of range: clamped.
        (1, 99, 10), (2, 3, 3), (9, 1, 1), (0, 1, 1),
    ])
    func cmarkByteColumnsBecomeScalarColumns(_ line: Int, _ byteColumn: Int, _ column: Int) {
        let text = SourceText("中文 *强调* x\nabc", path: "p.md")
        let expectedLine = min(max(line, 1), 2)
        #expect(text.location(line: line, utf8Column: byteColumn) == HeraldCore.SourceLocation(line: expectedLine, column: column))
    }

    /// Every offset of a text mixing one- to four-byte characters, on lines longer than the
    /// checkpoints between which columns are counted eight bytes at a time, against a count
    /// made scalar by scalar.
    @Test func everyOffsetHasTheColumnOfItsCharacter() {
        let line = "ab中é😀 x\u{301}文字—text𝄞\t" + String(repeating: "中a", count: 40) + "\n"
        let source = String(repeating: line, count: 3) + "tail 尾"
        let text = SourceText(source, path: "p.md")
        var expected: [HeraldCore.SourceLocation] = []
        var lineNumber = 1
        var column = 1
        for scalar in source.unicodeScalars {
            for _ in 0..<String(scalar).utf8.count { expected.append(HeraldCore.SourceLocation(line: lineNumber, column: column)) }
            if scalar == "\n" {
                lineNumber += 1
                column = 1
            } else {
                column += 1
            }
        }
        for (offset, location) in expected.enumerated() {
            #expect(text.location(ofUTF8Offset: offset) == location, "offset \(offset)")
        }
    }

    @Test func manyConversionsOnALargeFileAreFast() throws {
        let line = "普通的一行文字 with some ASCII too\n"
        let text = SourceText(String(repeating: line, count: 20_000) + String(repeating: "ascii line\n", count: 20_000), path: "p.md")
        #expect(text.lineCount == 40_001)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for number in stride(from: 1, through: 40_000, by: 1) {
                _ = text.location(line: number, utf8Column: 20)
            }
        }
        #expect(elapsed < .seconds(2))
        #expect(text.location(line: 30_000, utf8Column: 5) == HeraldCore.SourceLocation(line: 30_000, column: 5))
        #expect(text.location(ofUTF8Offset: text.lineStarts[20_000] + 3) == HeraldCore.SourceLocation(line: 20_001, column: 4))
    }
}

@Suite struct SourceTextNormalisationTests {
    /// The normalisation spelt out byte by byte: CRLF and a lone CR become LF, a forbidden
    /// character becomes U+FFFD; where each line starts.
    static func reference(_ text: String) -> (bytes: [UInt8], lineStarts: [Int], replaced: [Int]) {
        var out: [UInt8] = []
        var starts = [0]
        var replaced: [Int] = []
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            let value = scalar.value
            if value == 0x0D {
                if scalars.first == "\n" { scalars.removeFirst() }
                out.append(0x0A)
                starts.append(out.count)
            } else if (value < 0x20 && value != 0x09 && value != 0x0A) || (0x7F...0x9F).contains(value)
                || (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE
            {
                replaced.append(out.count)
                out += [0xEF, 0xBF, 0xBD]
            } else {
                out += Array(String(scalar).utf8)
                if value == 0x0A { starts.append(out.count) }
            }
        }
        return (out, starts, replaced)
    }

    @Test(arguments: [
        "plain ASCII\nover two lines\n", "CRLF\r\nlines\r\n", "a lone\rCR and\r\r\n", "中文\r\n第二行\n", "tab\tand\u{7}bell\u{1B}[0m",
        "DEL\u{7F} and C1 \u{85}\u{9F} controls", "noncharacters " + [0xFDD0, 0xFFFE, 0x1FFFF].map { String(Unicode.Scalar(UInt32($0))!) }.joined() + " end", "emoji 👍🏽\r\n", "", "\r", "\n\n\r\n",
        "ends with CR\r", "é\u{0301} combining",
    ])
    func linesAndReplacementsMatchTheByteByByteRules(_ text: String) {
        Self.expectMatchesReference(text)
    }

    /// Long texts mixing printable ASCII with everything that stops a run of it, at random
    /// places in the eight-byte words the normalisation reads.
    @Test func longMixedTextsMatchTheByteByByteRules() {
        let pieces = ["plain words ", "x", "\r\n", "\r", "\n", "\t", "\u{7F}", "\u{1}", "\u{85}", "中", "é", "👍🏽", "\u{FFFE}", "~"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 1...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            Self.expectMatchesReference(text)
        }
    }

    static func expectMatchesReference(_ text: String) {
        let source = SourceText(text, path: "post.md")
        let expected = Self.reference(text)
        #expect(Array(source.text.utf8) == expected.bytes)
        #expect(source.lineStarts == expected.lineStarts)
        #expect(source.replacedCharacters.map(\.offset) == expected.replaced)
        let bytes = Array(text.utf8)
        #expect(source.hadCRLF == zip(bytes, bytes.dropFirst()).contains { $0 == (0x0D, 0x0A) })
    }
}
