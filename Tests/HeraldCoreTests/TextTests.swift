// Shared text utilities: slugs, escaping, digests, dates, language detection.

import Foundation
import HeraldCore
import Testing

@Suite struct SlugTests {
    @Test(arguments: [
        ("Hello, World!", "hello-world"),
        ("What's new in 3.0?", "whats-new-in-30"),
        ("新功能", "新功能"),
        ("TiKV 4.0 发布：新功能", "tikv-40-发布新功能"),
        ("snake_case and-dash", "snake_case-and-dash"),
        ("  Leading space", "--leading-space"),
        ("Émigré Café", "émigré-café"),
        ("C++ & Rust", "c--rust"),
        ("!!!", ""),
    ])
    func headingIDs(_ input: String, _ expected: String) {
        #expect(Slug.headingID(input) == expected)
    }

    /// Heading ids lowercase a character at a time: what lowercasing the whole heading first
    /// and then keeping its letters, digits, marks, `-` and `_` gives, for every character of
    /// the Basic Multilingual Plane alone and after a letter, and for words whose lowercasing
    /// could look at their neighbours (a final sigma, a dotted capital I).
    @Test func headingIDsLowercaseAsTheWholeHeadingWould() {
        func reference(_ text: String) -> String {
            var result = ""
            for scalar in text.lowercased().unicodeScalars {
                switch scalar.value {
                case 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F: result.unicodeScalars.append(scalar)
                case 0x20: result += "-"
                case 0..<0x80: break
                default:
                    let properties = scalar.properties
                    if properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
                        || properties.generalCategory == .spacingMark
                    {
                        result.unicodeScalars.append(scalar)
                    }
                }
            }
            return result
        }
        var differing: [String] = []
        for value in UInt32(0x20)..<0x10000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(scalar), "A" + String(scalar) + " x"] where Slug.headingID(text) != reference(text) {
                differing.append(text)
            }
        }
        for text in ["ΟΔΟΣ ΚΑΙ ΣΟΦΙΑ", "İstanbul IŞIK", "Straße ǅemal", "ﬁne ΣΑΣ"] where Slug.headingID(text) != reference(text) {
            differing.append(text)
        }
        #expect(differing.isEmpty, "\(differing.count) differ; first: \(differing.prefix(5))")
    }

    @Test func duplicatesGetNumberedSuffixes() {
        var ids = Slug.Deduplicator()
        #expect(ids.unique("news") == "news")
        #expect(ids.unique("news") == "news-1")
        #expect(ids.unique("news-1") == "news-1-1")
        #expect(ids.unique("news") == "news-2")
        #expect(ids.unique("") == "section")
    }

    @Test(arguments: [
        ("my-post", "my-post"),
        ("../../etc/passwd", "etc-passwd"),
        ("/absolute/path", "absolute-path"),
        ("a\0b", "a-b"),
        ("dir\\name", "dir-name"),
        ("..", nil),
        ("中文标题", "中文标题"),
        (".hidden", "hidden"),
    ] as [(String, String?)])
    func pathComponentsNeverEscape(_ input: String, _ expected: String?) {
        let slug = Slug.pathComponent(input)
        #expect(slug == expected)
        if let slug {
            #expect(!slug.contains("/") && !slug.contains("\0") && slug != ".." && !slug.hasPrefix("."))
        }
    }

    @Test(arguments: [
        ("This Month in TiKV: August 2019", "this-month-in-tikv-august-2019"),
        ("TiKV 本月动态", "tikv-本月动态"),
        ("TiKV 4.0 发布：新功能！", "tikv-4-0-发布-新功能"),
        ("What's new in 3.0?", "whats-new-in-3-0"),
        ("Don’t panic", "dont-panic"),
        ("Café Über — déjà vu", "cafe-uber-deja-vu"),
        ("ＴｉＫＶ　２０２６", "tikv-2026"),
        ("C++ & Rust", "c-rust"),
        ("\"Quoted\" title: with/slash", "quoted-title-with-slash"),
        ("../../etc/passwd", "etc-passwd"),
        ("Новости проекта", "новости-проекта"),
        ("!!! 🎉", nil),
        ("", nil),
    ] as [(String, String?)])
    func titleSlugs(_ title: String, _ expected: String?) {
        #expect(Slug.fromTitle(title) == expected)
    }

    @Test func longTitlesAreCutBetweenWords() throws {
        let slug = try #require(Slug.fromTitle(String(repeating: "community ", count: 20)))
        #expect(slug.count <= Slug.maximumTitleSlugLength)
        #expect(slug.hasSuffix("community") && !slug.hasSuffix("-"))
        let word = try #require(Slug.fromTitle(String(repeating: "a", count: 200)))
        #expect(word.count == Slug.maximumTitleSlugLength)
    }
}

@Suite struct EscapeTests {
    @Test func htmlEscapesTheFourCharacters() {
        #expect(Escape.html(#"a < b && "c" > 'd'"#) == "a &lt; b &amp;&amp; &quot;c&quot; &gt; 'd'")
        #expect(Escape.html("中文") == "中文")
    }

    @Test func hrefEscapesLikeTheReferenceRenderer() {
        #expect(Escape.href("https://x.org/a b?q=1&r='2'") == "https://x.org/a%20b?q=1&amp;r=&#x27;2&#x27;")
        #expect(Escape.href("/中") == "/%E4%B8%AD")
        #expect(Escape.href("\"><script>") == "%22%3E%3Cscript%3E")
    }

    @Test func xmlDropsControlCharacters() {
        #expect(Escape.xml("a\u{1}b<&>") == "ab&lt;&amp;&gt;")
    }

    /// Escaping into bytes writes what the escaping functions return, for texts of every
    /// length around the eight bytes read at a time, with the characters escaped anywhere.
    @Test func bytesAndStringsEscapeAlike() {
        let pieces = ["a", "中文", "&", "<", ">", "\"", "'", " ", "\u{1}", "\u{FFFE}", "é", "12345678"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = pieces.randomText(0...20, using: &generator)
            var bytes = Array("x".utf8)
            Escape.appendHTML(text, to: &bytes)
            #expect(bytes == Array(("x" + Escape.html(text)).utf8), "\(text.debugDescription)")
            #expect(Array(Escape.xml(text).utf8) == Self.escapedByScalars(text, xml: true), "\(text.debugDescription)")
            #expect(Array(Escape.htmlAttribute(text).utf8) == Self.escapedByScalars(text, xml: false), "\(text.debugDescription)")
        }
    }

    /// The escapes written out scalar by scalar: XML's (controls and U+FFFE/U+FFFF left out,
    /// `'` as `&apos;`) or an attribute's (`'` as `&#39;`).
    static func escapedByScalars(_ text: String, xml: Bool) -> [UInt8] {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += xml ? "&apos;" : "&#39;"
            default:
                if xml && ((scalar.value < 0x20 && ![0x09, 0x0A, 0x0D].contains(scalar.value)) || scalar.value == 0xFFFE || scalar.value == 0xFFFF) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return Array(out.utf8)
    }

    @Test(arguments: ["javascript:alert(1)", " JavaScript:x", "java\tscript:x", "vbscript:x", "file:///etc/passwd", "data:text/html,x"])
    func dangerousURLs(_ url: String) {
        #expect(Escape.isDangerousURL(url))
    }

    @Test(arguments: ["https://x.org", "/path", "#frag", "mailto:a@b.org", "relative/page.html"])
    func safeURLs(_ url: String) {
        #expect(!Escape.isDangerousURL(url))
    }
}

@Suite struct DigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("héllo, 世界", "415674ef2e179d38835023be6c2873a82594655d25574c25e04aec26339a5e78"),
    ])
    func sha256HexOfKnownStrings(_ input: String, _ digest: String) {
        #expect(sha256Hex(Data(input.utf8)) == digest)
    }
}

@Suite struct PostDateTests {
    @Test func dateOnly() throws {
        let date = try #require(PostDate(parsing: "2019-09-18"))
        #expect(!date.hasTime)
        #expect(date.rfc3339 == "2019-09-18T00:00:00Z")
        #expect(date.description == "2019-09-18")
    }

    @Test(arguments: [
        ("2019-09-18T10:30:00Z", "2019-09-18T10:30:00Z"),
        ("2019-09-18 10:30:00 +08:00", "2019-09-18T10:30:00+08:00"),
        ("2019-09-18T10:30:00.5-0500", "2019-09-18T10:30:00-05:00"),
        ("2019-09-18T10:30", "2019-09-18T10:30:00Z"),
    ])
    func dateTimes(_ input: String, _ expected: String) throws {
        #expect(try #require(PostDate(parsing: input)).rfc3339 == expected)
    }

    @Test(arguments: ["2019-13-01", "2019-02-30", "2019-9-18", "yesterday", "2019-09-18T25:00", "2019-09-18Tjunk", ""])
    func invalid(_ input: String) {
        #expect(PostDate(parsing: input) == nil)
    }

    @Test func zonesOrderByInstant() throws {
        let beijing = try #require(PostDate(parsing: "2019-09-18T08:00:00+08:00"))
        let utc = try #require(PostDate(parsing: "2019-09-18T01:00:00Z"))
        #expect(beijing < utc)
    }
}

@Suite struct LanguageTests {
    @Test func detectsChineseAndEnglish() {
        #expect(LanguageDetector.detect("这是一篇关于 TiKV 的中文文章，介绍了新的功能。") == "zh")
        #expect(LanguageDetector.detect("This month in TiKV: releases and 新 news") == "en")
        #expect(LanguageDetector.detect("") == "en")
    }

    /// A text's UTF-8 bytes and its scalars are counted alike, whatever their length (accented
    /// Latin, Greek, Han of the first plane and beyond, emoji), and texts added one after
    /// another count as one.
    @Test func bytesAndScalarsCountAlike() {
        // ASCII around the letters too (`@` `[` `` ` `` `{` border them), in runs long enough
        // to be counted eight bytes at a time.
        let pieces = [
            "Café", "Ωμέγα", "中文", "𠀀𪚥", "🙂", "TiKV", " ", "ß", "한국어", "١٢٣", "@[`{", "AZaz", "Hello, world! ",
            "0123456789", "\t~\u{7F}",
        ]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let parts = (0..<Int.random(in: 1...8, using: &random)).map { _ in pieces.randomText(1...6, using: &random) }
            var byParts = LanguageDetector.Tally()
            for part in parts { byParts.add(part) }
            var byScalars = LanguageDetector.Tally()
            for scalar in parts.joined().unicodeScalars { byScalars.count(scalar) }
            #expect(byParts == byScalars, "\(parts)")
        }
    }
}

@Suite struct TrimmingTests {
    @Test(arguments: [
        ("text  \t", "text"), ("   ", ""), ("", ""), ("a b", "a b"), (" 中文\u{3000}", " 中文"),
    ])
    func trailingWhitespace(_ input: String, _ expected: String) {
        #expect(String(input.withoutTrailingWhitespace) == expected)
    }

    /// CommonMark's closing sequence: `#`s after white space (or alone); `C#` keeps its `#`.
    @Test(arguments: [
        ("Title ##", "Title"), ("Title ## ", "Title"), ("Title#", "Title#"), ("Learn C#", "Learn C#"),
        ("学习 C# ###", "学习 C#"), ("###", ""), ("Title \\#", "Title \\#"),
    ])
    func closingHashes(_ input: String, _ expected: String) {
        #expect(String(input.withoutClosingHashes) == expected)
    }

    @Test(arguments: [("\n\ntext\n more \n\r\n", "text\n more "), ("\n\n", ""), ("", ""), ("a", "a"), ("\r\n中文\n", "中文")])
    func surroundingNewlines(_ input: String, _ expected: String) {
        #expect(String(input.withoutSurroundingNewlines) == expected)
        #expect(String(input.withoutSurroundingNewlines) == input.trimmingCharacters(in: .newlines))
    }

    /// Spaces and tabs go, as Foundation's `.whitespaces` trims them; line ends stay.
    @Test(arguments: [
        (" \t text \t", "text"), ("   ", ""), ("", ""), ("a b", "a b"), ("\u{3000}中文\u{00A0}", "中文"), ("\nx\n", "\nx\n"),
        ("\u{200B}x\u{2003}", "x"), ("\u{200C}x", "\u{200C}x"),
    ])
    func surroundingSpaces(_ input: String, _ expected: String) {
        #expect(String(input.withoutSurroundingSpaces) == expected)
        #expect(String(input.withoutSurroundingSpaces) == input.trimmingCharacters(in: .whitespaces))
    }

    /// Spaces, tabs and line ends go, as Foundation's `.whitespacesAndNewlines` trims them;
    /// printable ASCII at both ends is left as it is without looking further.
    @Test(arguments: [
        " \t title \r\n", "\n\n", "", "a", "a b", "\u{3000}中文\u{00A0}\u{2028}", "\u{0085}x\u{2029}", "\u{200B}x\u{2003}",
        "\u{200C}x", "\u{000B}\u{000C}x\u{1680}\u{202F}\u{205F}", "x\u{FEFF}", "!~", "e\u{301}", "\u{301}x",
    ])
    func surroundingWhitespace(_ input: String) {
        #expect(String(input.withoutSurroundingWhitespace) == input.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A long run of spaces is trimmed in linear time (a `\s+$` expression took seconds here).
    @Test func longRunsOfSpaces() {
        let line = String(repeating: " ", count: 200_000) + "x" + String(repeating: " ", count: 200_000)
        #expect(line.withoutTrailingWhitespace.count == 200_001)
    }
}

@Suite struct ByteTextTests {
    @Test func findsMarkersByteForByte() {
        let text = ByteText("中文 <a href=\"x\">链接</a> id=\"end\"")
        let open = Array("<a ".utf8)
        let start = text.firstIndex(of: open, from: 0)
        #expect(start == 7)  // two Chinese characters are six bytes, then a space
        #expect(text.firstIndex(of: open, from: 8) == nil)
        let id = text.firstIndex(of: Array(" id=\"".utf8), from: 0)
        #expect(id.map { text.text(($0 + 5)..<(text.count - 1)) } == "end")
        #expect(text.firstIndex(of: Array("\"".utf8), from: text.count - 1) == text.count - 1)
        #expect(text.firstIndex(of: Array("end\"!".utf8), from: 0) == nil)
        #expect(text.firstIndex(of: Array("href".utf8), from: 0, before: 12) == nil)
        #expect(text.firstIndex(of: Array("href".utf8), from: 0, before: 14) == 10)
        #expect(text.firstIndex(of: UInt8(ascii: ">"), from: 0).map { text.text(7..<($0 + 1)) } == "<a href=\"x\">")
    }

    /// The search looks for a needle's first punctuation byte, then compares the rest: it finds
    /// what a search at every offset finds, for needles that start or end with spaces, letters
    /// or punctuation, in texts made of them.
    @Test func findsWhatASearchAtEveryOffsetFinds() {
        let pieces = [" ", "id", "=", "\"", "中", "a", "-", "<"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let haystack = pieces.randomText(0...30, using: &generator), needle = pieces.randomText(1...4, using: &generator)
            let text = ByteText(haystack), bytes = Array(needle.utf8)
            let start = Int.random(in: 0...text.count, using: &generator)
            let last = text.count - bytes.count
            let expected = start > last ? nil : (start...last).first { Array(text.bytes[$0..<($0 + bytes.count)]) == bytes }
            #expect(text.firstIndex(of: bytes, from: start) == expected, "\(needle.debugDescription) in \(haystack.debugDescription) from \(start)")
        }
    }

    @Test func decimalDigits() {
        for number in [0, 7, 10, 1_234_567, -42, Int.max, Int.min] {
            var bytes: [UInt8] = []
            bytes.appendDecimal(number)
            #expect(String(decoding: bytes, as: UTF8.self) == String(number))
        }
    }

    @Test func lineStartsAreTheBytesAfterEachLineFeed() {
        let cases = ["", "a", "\n", "a\nb", "中文\n\n第三行\n", "\r\n\r\nx", String(repeating: "line of text\n", count: 1_000)]
        for text in cases {
            let bytes = Array(text.utf8)
            let expected = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
            #expect(ByteText.lineStarts(of: bytes) == expected, "\(text.prefix(20))")
        }
    }

    @Test func containsBytesFindsASCIIMarkers() {
        let text = "前言 <!-- herald-check disable x --> 后记"
        #expect(text.containsBytes("herald-check"))
        #expect(text.containsBytes("记") && text.containsBytes(""))
        #expect(!text.containsBytes("herald-checks") && !"".containsBytes("a") && !"her".containsBytes("herald"))
        #expect(text.dropFirst(3).containsBytes("<!--") && !text.dropFirst(4).containsBytes("<!--") && !text.dropLast(10).containsBytes("-->"))
    }
}

@Suite struct HTMLTextTests {
    @Test(arguments: [
        "<!--more-->", "<!--more-->\n", "<!-- TOC -->\n<!-- /TOC -->\n", "  <!-- a -- b -->\t", "<!---->", "<!-->", "<!--->",
        "<!-- ends as browsers end it --!>", "<!-- 中文 -->",
    ])
    func commentsAloneAreFound(_ html: String) {
        #expect(HTMLText.isOnlyComments(html))
    }

    @Test(arguments: [
        "", "\n", "<br>", "<!-- a --> text", "<!-- a --><b>", "<!-- never ended", "<!-- a --!", "<!- not one -->", "text <!-- a -->",
        "<!-- a --!> <script>x</script> -->",
    ])
    func anythingElseIsNot(_ html: String) {
        #expect(!HTMLText.isOnlyComments(html))
    }
}

@Suite struct SWARTests {
    /// The word-at-a-time tests say of every byte, at every place in a word, what a byte-by-byte
    /// test says.
    @Test func eightByteTestsAgreeWithByteTests() {
        let plain = Array("abcdefgh".utf8)
        for place in 0..<8 {
            for value in 0...255 {
                var bytes = plain
                bytes[place] = UInt8(value)
                var equals = bytes
                equals[(place + 3) % 8] = 61
                for test in [bytes, equals] {
                    let word = test.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    let printable = test.allSatisfy { $0 >= 32 && $0 <= 126 && $0 != 61 }
                    #expect(SWAR.allPrintable(word) == printable, "\(test)")
                    #expect(SWAR.sum(SWAR.zeroByteFlags(word ^ SWAR.repeated(61))) == test.filter { $0 == 61 }.count, "\(test)")
                    #expect(SWAR.sum((word & SWAR.highBits) >> 7) == test.filter { $0 >= 0x80 }.count)
                    #expect(SWAR.sum(word) == test.reduce(0) { $0 + Int($1) })
                    for byte: UInt8 in [0, 0x22, 0x26, 0x3C, 0x3D, 0x3E, 0x80, 0xFF, UInt8(value)] {
                        #expect(SWAR.contains(word, byte) == test.contains(byte), "\(test) \(byte)")
                    }
                }
            }
        }
    }

    /// Escaping finds the characters it escapes wherever they are among the eight-byte words it
    /// reads, and leaves text without them as it is.
    @Test func htmlEscapingFindsEveryMarkAtEveryPlace() {
        for length in 0..<40 {
            let plain = String(repeating: "x", count: length)
            #expect(Escape.html(plain) == plain)
            for place in 0..<length {
                for (mark, entity) in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;")] {
                    var text = Array(plain)
                    text[place] = Character(mark)
                    let expected = String(repeating: "x", count: place) + entity + String(repeating: "x", count: length - place - 1)
                    #expect(Escape.html(String(text)) == expected)
                }
            }
        }
    }
}
