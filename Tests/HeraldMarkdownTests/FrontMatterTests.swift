// Front matter: every accepted form decoded into PostMetadata, and every broken form reported
// with its id at its line:column in the file, never a crash or a hang.

import HeraldCore
import HeraldMarkdown
import Testing

/// Decodes `text` as a post file and reads its front matter.
private func frontMatter(_ text: String) throws -> FrontMatterResult {
    try frontMatter(Array(text.utf8))
}

private func frontMatter(_ bytes: [UInt8]) throws -> FrontMatterResult {
    let source = try #require(SourceText.decode(bytes, path: "post.md").text)
    return FrontMatter.parse(source)
}

private func at(_ line: Int, _ column: Int) -> HeraldCore.SourceLocation { HeraldCore.SourceLocation(line: line, column: column) }

/// A broken front matter and the diagnostic it must give.
struct BrokenFrontMatter: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var id: String
    var location: HeraldCore.SourceLocation
    var severity: Diagnostic.Severity
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ id: String, _ line: Int, _ column: Int, _ severity: Diagnostic.Severity = .error) {
        self.name = name
        self.text = text
        self.id = id
        self.location = HeraldCore.SourceLocation(line: line, column: column)
        self.severity = severity
    }

    static let all: [BrokenFrontMatter] = [
        BrokenFrontMatter("unclosed quoted string", "---\ntitle: \"unclosed\ndate: 2020-01-01\n---\n\nBody.\n", "front-matter-yaml", 2, 8),
        BrokenFrontMatter("key without colon", "---\ntitle: T\noops\ndate: 2020-01-01\n---\n", "front-matter-yaml", 3, 1),
        BrokenFrontMatter("colon in a plain value", "---\ntitle: a: b\n---\n", "front-matter-yaml", 2, 9),
        BrokenFrontMatter("tab indentation", "---\ntags:\n\t- a\n---\n", "front-matter-yaml", 3, 1),
        BrokenFrontMatter("unterminated YAML", "---\ntitle: Never closed\ndate: 2020-01-01\n\nBody.\n", "front-matter-unterminated", 1, 1),
        BrokenFrontMatter("unterminated TOML", "+++\ntitle = \"x\"\n---\n", "front-matter-unterminated", 1, 1),
        BrokenFrontMatter("missing title", "---\ndate: 2020-01-01\n---\n\nBody.\n", "missing-title", 1, 1, .warning),
        BrokenFrontMatter("empty title", "---\ntitle: \"  \"\ndate: 2020-01-01\n---\n", "missing-title", 2, 1, .warning),
        BrokenFrontMatter("missing date", "---\ntitle: T\n---\n", "missing-date", 1, 1, .warning),
        BrokenFrontMatter("invalid date", "---\ntitle: T\ndate: 2019-13-45\n---\n\nBody.\n", "invalid-date", 3, 7),
        BrokenFrontMatter("date as text", "---\ntitle: T\ndate: \"last Tuesday\"\n---\n", "invalid-date", 3, 7),
        BrokenFrontMatter("date as list", "---\ntitle: T\ndate: [2020-01-01]\n---\n", "front-matter-type", 3, 7),
        BrokenFrontMatter("list front matter", "---\n- a\n- b\n---\n", "front-matter-not-mapping", 2, 1),
        BrokenFrontMatter("scalar front matter", "---\njust some text\n---\n", "front-matter-not-mapping", 2, 1),
        BrokenFrontMatter("title as list", "---\ntitle: [x]\ndate: 2020-01-01\n---\n", "front-matter-type", 2, 8),
        BrokenFrontMatter("tags as mapping", "---\ntitle: T\ntags: {a: 1}\n---\n", "front-matter-type", 3, 7),
        BrokenFrontMatter("nested list in authors", "---\ntitle: T\nauthor:\n  - A\n  - [B]\n---\n", "front-matter-type", 5, 5),
        BrokenFrontMatter("draft as text", "---\ntitle: T\ndraft: maybe\n---\n", "front-matter-type", 3, 8),
        BrokenFrontMatter("mapping as key", "---\n? {a: 1}\n: x\n---\n", "front-matter-type", 2, 3),
        BrokenFrontMatter("alias", "---\ntitle: &t Hello\nsummary: *t\n---\n", "front-matter-alias", 3, 10),
        BrokenFrontMatter("emphasis that reads as an alias", "---\ntitle: *Really* good\n---\n", "front-matter-alias", 2, 8),
        BrokenFrontMatter("merge key", "---\nbase: &b {a: 1}\nmore:\n  <<: *b\n---\n", "front-matter-alias", 4, 7),
        BrokenFrontMatter("repeated key", "---\ntitle: A\ndate: 2020-01-01\ntitle: B\n---\n", "front-matter-duplicate-key", 2, 1, .warning),
        BrokenFrontMatter("repeated key in flow mapping", "---\ntitle: T\nx: {a: 1, a: 2}\n---\n", "front-matter-duplicate-key", 3, 5),
        BrokenFrontMatter("TOML bare word", "+++\ntitle = hello\n+++\n", "front-matter-toml", 2, 9),
        BrokenFrontMatter("TOML missing equals", "+++\ntitle = \"T\"\ndate 2020-01-01\n+++\n", "front-matter-toml", 3, 6),
        BrokenFrontMatter("TOML unclosed string", "+++\ntitle = \"中文\n+++\n", "front-matter-toml", 2, 9),
        BrokenFrontMatter("TOML bad escape", "+++\ntitle = \"a\\qb\"\n+++\n", "front-matter-toml", 2, 11),
        BrokenFrontMatter("TOML unclosed array", "+++\ntags = [\"a\",\n  \"b\"\n+++\n", "front-matter-toml", 4, 1),
        BrokenFrontMatter("TOML value then junk", "+++\ntitle = \"T\" x\n+++\n", "front-matter-toml", 2, 13),
        BrokenFrontMatter("TOML key over a value", "+++\na = 1\n[a.b]\n+++\n", "front-matter-toml", 3, 2),
        BrokenFrontMatter("TOML invalid date", "+++\ntitle = \"T\"\ndate = 2019-13-45\n+++\n", "invalid-date", 3, 8),
        BrokenFrontMatter("TOML repeated key", "+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n", "front-matter-duplicate-key", 2, 1, .warning),
    ]
}

@Suite struct FrontMatterTests {
    // MARK: Accepted forms

    @Test(arguments: [
        ("2019-09-18", PostDate(year: 2019, month: 9, day: 18)),
        ("2019-09-18 10:00:00 +08:00", PostDate(year: 2019, month: 9, day: 18, hour: 10, minute: 0, second: 0, utcOffset: 8 * 3600)),
        ("2019-09-18T10:00:00Z", PostDate(year: 2019, month: 9, day: 18, hour: 10, minute: 0, second: 0, utcOffset: 0)),
        ("2019-09-18T10:00:00", PostDate(year: 2019, month: 9, day: 18, hour: 10, minute: 0, second: 0)),
        ("\"2019-09-18T10:30:00.5-05:00\"", PostDate(year: 2019, month: 9, day: 18, hour: 10, minute: 30, second: 0, nanosecond: 500_000_000, utcOffset: -5 * 3600)),
    ])
    func yamlDates(_ written: String, _ expected: PostDate) throws {
        let result = try frontMatter("---\ntitle: T\ndate: \(written)\n---\n")
        #expect(result.metadata.date == expected)
        #expect(result.diagnostics.isEmpty)
        #expect(!result.failed)
    }

    @Test func yamlFieldsAndBody() throws {
        let result = try frontMatter("""
            ---
            title: Hello, world
            date: 2019-09-18
            author: Ann
            tags: [swift, "markdown", swift]
            summary: >
              Folded
              text.
            slug: hello
            lang: zh-CN
            draft: true
            ---

            # Heading
            """)
        let metadata = result.metadata
        #expect(metadata.title == "Hello, world")
        #expect(metadata.authors == ["Ann"])
        #expect(metadata.tags == ["swift", "markdown"])
        #expect(metadata.summary == "Folded text.")
        #expect(metadata.slug == "hello")
        #expect(metadata.lang == "zh-CN")
        #expect(metadata.draft)
        #expect(metadata.extra.isEmpty)
        #expect(result.diagnostics.isEmpty)
        #expect(result.format == .yaml)
        #expect(result.body == "\n# Heading")
        #expect(result.bodyFirstLine == 13)
    }

    @Test(arguments: [
        ("author: Ann", ["Ann"]),
        ("author: [Ann, Bob]", ["Ann", "Bob"]),
        ("authors:\n  - Ann\n  - Bob", ["Ann", "Bob"]),
        ("authors: Ann", ["Ann"]),
        ("author: Ann\nauthors: [Bob]", ["Ann", "Bob"]),
        ("author:", []),
    ])
    func authors(_ yaml: String, _ expected: [String]) throws {
        let result = try frontMatter("---\ntitle: T\ndate: 2020-01-01\n\(yaml)\n---\n")
        #expect(result.metadata.authors == expected)
        #expect(!result.failed)
    }

    @Test(arguments: [
        ("tags: [a, b]", ["a", "b"]),
        ("tags:\n  - a\n  - 2020", ["a", "2020"]),
        ("tags: a, b ,, c", ["a", "b", "c"]),
        ("tags: single", ["single"]),
        ("tags: []", []),
        ("categories: [x]", []),
    ])
    func tags(_ yaml: String, _ expected: [String]) throws {
        let result = try frontMatter("---\ntitle: T\ndate: 2020-01-01\n\(yaml)\n---\n")
        #expect(result.metadata.tags == expected)
        #expect(!result.failed)
    }

    @Test func scalarsOfOtherTypesAreTitles() throws {
        #expect(try frontMatter("---\ntitle: 2019\n---\n").metadata.title == "2019")
        #expect(try frontMatter("---\ntitle: 1.10\n---\n").metadata.title == "1.10")
        #expect(try frontMatter("---\ntitle: true\n---\n").metadata.title == "true")
    }

    @Test func unknownKeysAreKeptInOrderWithCoreSchemaTypes() throws {
        let result = try frontMatter("""
            ---
            title: T
            zeta: 1
            description: Not a summary
            alpha: [1, 2.5, true, null, "7", on, 2019-09-18, .inf, 0x1F, 0o17, -3e2]
            nested:
              deep:
                list: [a, {b: c}]
              empty:
            ~: tilde key
            ---
            """)
        let extra = result.metadata.extra
        #expect(extra.map(\.key) == ["zeta", "description", "alpha", "nested", "~"])
        #expect(extra[0].value == .int(1))
        #expect(extra[1].value == .string("Not a summary"))
        #expect(result.metadata.summary == nil)
        #expect(extra[2].value == .list([
            .int(1), .double(2.5), .bool(true), .null, .string("7"), .string("on"), .string("2019-09-18"),
            .double(.infinity), .int(31), .int(15), .double(-300),
        ]))
        #expect(extra[3].value == .map([
            "deep": .map(["list": .list([.string("a"), .map(["b": .string("c")])])]),
            "empty": .null,
        ]))
        #expect(result.metadata.value(forExtraKey: "~") == .string("tilde key"))
        #expect(result.metadata.value(forExtraKey: "categories") == nil)
    }

    @Test func explicitTagsAreHonoured() throws {
        let result = try frontMatter("---\ntitle: T\na: !!str 12\nb: !!int \"12\"\nc: !custom x\n---\n")
        #expect(result.metadata.value(forExtraKey: "a") == .string("12"))
        #expect(result.metadata.value(forExtraKey: "b") == .int(12))
        #expect(result.metadata.value(forExtraKey: "c") == .string("x"))
    }

    @Test func keyLocationsAreInTheFile() throws {
        let result = try frontMatter("---\n# comment\ntitle: T\n  \nslug:   s\n\"lang\": en\n---\n")
        #expect(result.metadata.keyLocations == ["title": at(3, 1), "slug": at(5, 1), "lang": at(6, 1)])
    }

    @Test func tomlFrontMatter() throws {
        let result = try frontMatter(#"""
            +++
            # A TOML front matter
            title = "Hello \"TOML\" \u00e9"
            date = 2019-09-18T10:00:00+08:00
            'author' = ['Ann', "Bob",]
            tags = [
              "a", # first
              "b",
            ]
            draft = false
            summary = """
            Two \
              lines joined."""
            count = 1_000
            ratio = -0.5e1
            hex = 0xff
            local = 1979-05-27 07:32:00
            path = 'C:\dir'
            site.name = "x"
            inline = { a = 1, b = { c = [1, 2] } }

            [params]
            color = "blue"

            [[links]]
            url = "a"
            [[links]]
            url = "b"
            +++

            Body
            """#)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let metadata = result.metadata
        #expect(result.format == .toml)
        #expect(metadata.title == "Hello \"TOML\" é")
        #expect(metadata.date == PostDate(year: 2019, month: 9, day: 18, hour: 10, minute: 0, second: 0, utcOffset: 8 * 3600))
        #expect(metadata.authors == ["Ann", "Bob"])
        #expect(metadata.tags == ["a", "b"])
        #expect(metadata.summary == "Two lines joined.")
        #expect(!metadata.draft)
        #expect(metadata.extra.map(\.key) == ["count", "ratio", "hex", "local", "path", "site", "inline", "params", "links"])
        #expect(metadata.value(forExtraKey: "count") == .int(1000))
        #expect(metadata.value(forExtraKey: "ratio") == .double(-5))
        #expect(metadata.value(forExtraKey: "hex") == .int(255))
        #expect(metadata.value(forExtraKey: "local") == .string("1979-05-27 07:32:00"))
        #expect(metadata.value(forExtraKey: "path") == .string("C:\\dir"))
        #expect(metadata.value(forExtraKey: "site") == .map(["name": .string("x")]))
        #expect(metadata.value(forExtraKey: "inline") == .map(["a": .int(1), "b": .map(["c": .list([.int(1), .int(2)])])]))
        #expect(metadata.value(forExtraKey: "params") == .map(["color": .string("blue")]))
        #expect(metadata.value(forExtraKey: "links") == .list([.map(["url": .string("a")]), .map(["url": .string("b")])]))
        #expect(metadata.keyLocations["title"] == at(3, 1))
        #expect(metadata.keyLocations["author"] == at(5, 1))
        #expect(result.body == "\nBody")
        #expect(result.bodyFirstLine == 30)
    }

    @Test func noFrontMatter() throws {
        let result = try frontMatter("# Title\n\n---\n\nText\n")
        #expect(result.format == .none)
        #expect(result.body == "# Title\n\n---\n\nText\n")
        #expect(result.bodyFirstLine == 1)
        #expect(result.metadata == PostMetadata())
        #expect(result.diagnostics.map(\.id) == ["missing-title", "missing-date"])
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning && $0.location == at(1, 1) })
        #expect(!result.failed)
    }

    @Test func emptyFrontMatterAndFenceVariants() throws {
        let empty = try frontMatter("---\n---\nBody\n")
        #expect(empty.body == "Body\n")
        #expect(empty.bodyFirstLine == 3)
        #expect(!empty.failed)
        let dots = try frontMatter("---   \ntitle: T\ndate: 2020-01-01\n...\nBody")
        #expect(dots.metadata.title == "T")
        #expect(dots.body == "Body")
        #expect(dots.bodyFirstLine == 5)
        let closedAtEnd = try frontMatter("---\ntitle: T\n---")
        #expect(closedAtEnd.body == "")
        #expect(closedAtEnd.metadata.title == "T")
        let comments = try frontMatter("---\n# only a comment\n---\n")
        #expect(!comments.failed)
    }

    @Test func bodyLinesMapToFileLines() throws {
        let source = try #require(SourceText.decode(Array("---\ntitle: T\n---\nline 4\nline 5\n".utf8), path: "p.md").text)
        let split = try FrontMatter.split(source)
        #expect(split.frontMatter == "title: T\n")
        #expect(split.frontMatterFirstLine == 2)
        let bodyLines = split.body.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in bodyLines.enumerated() where !line.isEmpty {
            #expect(source.line(index + split.bodyFirstLine) == line)
        }
    }

    @Test func repeatedKeyKeepsTheLaterValue() throws {
        let result = try frontMatter("---\ntitle: A\ntags:\n- x\ndate: 2020-01-01\ntitle: B\ntags: [y]\n---\n")
        #expect(result.metadata.title == "B")
        #expect(result.metadata.tags == ["y"])
        #expect(result.metadata.keyLocations["title"] == at(6, 1))
        #expect(result.diagnostics.map(\.id) == ["front-matter-duplicate-key", "front-matter-duplicate-key"])
        #expect(result.diagnostics.map(\.location) == [at(2, 1), at(3, 1)])
        #expect(!result.failed)
        let nested = try frontMatter("---\ntitle: T\nparams:\n  - a: 1\n    a: 2\n---\n")
        #expect(nested.metadata.value(forExtraKey: "params") == .list([.map(["a": .int(2)])]))
        #expect(nested.diagnostics.first?.location == at(4, 5))
    }

    // MARK: Broken input

    @Test(arguments: BrokenFrontMatter.all)
    func brokenFrontMatterIsLocated(_ input: BrokenFrontMatter) throws {
        let result = try frontMatter(input.text)
        let diagnostic = try #require(result.diagnostics.first { $0.id.rawValue == input.id }, "\(result.diagnostics)")
        #expect(diagnostic.location == input.location, "\(diagnostic)")
        #expect(diagnostic.severity == input.severity)
        #expect(diagnostic.file == "post.md")
        #expect(result.failed == (input.severity == .error))
    }

    @Test func messagesSayWhatIsWrong() throws {
        let date = try frontMatter("---\ntitle: T\ndate: 2019-13-45\n---\n")
        #expect(date.diagnostics.first?.message == "invalid date '2019-13-45': expected YYYY-MM-DD or an RFC 3339 date-time")
        let title = try frontMatter("---\ntitle: [x]\n---\n")
        #expect(title.diagnostics.first?.message == "'title' must be a string")
        let open = try frontMatter("---\ntitle: T\n")
        #expect(open.diagnostics.first?.message == "front matter opened here is never closed (expected '---')")
        let quote = try frontMatter("---\ntitle: \"unclosed\ndate: 2020-01-01\n---\n")
        #expect(quote.diagnostics.first?.description == "post.md:2:8: error: this quoted string is never closed [front-matter-yaml]")
    }

    @Test func lineNumbersSurviveCRLFAndByteOrderMark() throws {
        let crlf = try frontMatter("---\r\ntitle: T\r\ndate: 2020-13-01\r\n---\r\n\r\nBody\r\n")
        #expect(crlf.diagnostics.map(\.description) == [
            "post.md:3:7: error: invalid date '2020-13-01': expected YYYY-MM-DD or an RFC 3339 date-time [invalid-date]",
        ])
        #expect(crlf.bodyFirstLine == 5)
        #expect(crlf.body == "\nBody\n")
        let bom = try frontMatter([0xEF, 0xBB, 0xBF] + Array("---\ntitle: T\ndate: 2020-01-01\n---\nBody\n".utf8))
        #expect(!bom.failed)
        #expect(bom.metadata.title == "T")
        #expect(bom.metadata.keyLocations["date"] == at(3, 1))
    }

    @Test func columnsCountCharactersInFrontMatter() throws {
        let yaml = try frontMatter("---\n标题: 中文\ndate: 2020-01-01\ntitle: x\nwhen: [中, {d: 中文 *x}]\n---\n")
        #expect(yaml.metadata.keyLocations["when"] == at(5, 1))
        #expect(yaml.metadata.value(forExtraKey: "when") == .list([.string("中"), .map(["d": .string("中文 *x")])]))
        let alias = try frontMatter("---\ntitle: 标题\nbad: [中, *x]\n---\n")
        #expect(alias.diagnostics.map(\.location) == [at(3, 10)])
        let yamlError = try frontMatter("---\ntitle: 标题\n中: [a, b\n---\n")
        #expect(yamlError.diagnostics.first?.id == "front-matter-yaml")
        let toml = try frontMatter("+++\n\"标题\" = \"中文\"\ndate = 2020-13-01\n+++\n")
        #expect(toml.diagnostics.filter { $0.severity == .error }.map(\.location) == [at(3, 8)])
        let tomlError = try frontMatter("+++\n\"标题\" = \"中文\" x\n+++\n")
        #expect(tomlError.diagnostics.map(\.location) == [at(2, 13)])
    }

    // MARK: Hostile input

    @Test func billionLaughsFinishesQuickly() throws {
        var yaml = "---\ntitle: T\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let name = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(level)))
            let previous = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(level - 1)))
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        // An aliased key: hashing it to look for repeated keys would walk the whole expansion.
        yaml += "k: {? *j : 1}\n---\n"
        let clock = ContinuousClock()
        var result: FrontMatterResult?
        let elapsed = try clock.measure { result = try frontMatter(yaml) }
        #expect(elapsed < .seconds(2))
        #expect(result?.diagnostics.map(\.id) == ["front-matter-alias"])
        #expect(result?.diagnostics.first?.location == at(4, 8))
    }

    @Test func aliasAfterAUnicodeLineBreakIsFound() throws {
        // libyaml breaks lines at U+2028 too; the alias must not slip through.
        let result = try frontMatter("---\ntitle: T\nk: &a [1]\u{2028}j: *a\n---\n")
        #expect(result.diagnostics.map(\.id) == ["front-matter-alias"])
    }

    @Test(arguments: [
        ("flow", "---\nx: " + String(repeating: "[", count: 100_000) + "\n---\n", "front-matter-yaml"),
        ("flow mappings", "---\nx: " + String(repeating: "{a: ", count: 5_000) + "\n---\n", "front-matter-yaml"),
        ("closed flow", "---\nx: " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "\n---\n", "front-matter-too-deep"),
        ("block", "---\n" + (0..<300).map { String(repeating: " ", count: $0) + "k:\n" }.joined() + "---\n", "front-matter-too-deep"),
        ("block sequences", "---\nx:\n" + String(repeating: "- ", count: 2_000) + "x\n---\n", "front-matter-yaml"),
        ("TOML arrays", "+++\nx = " + String(repeating: "[", count: 100_000) + "\n+++\n", "front-matter-toml"),
        ("TOML dotted key", "+++\n" + Array(repeating: "a", count: 10_000).joined(separator: ".") + " = 1\n+++\n", "front-matter-toml"),
    ])
    func deepNestingIsRefused(_ name: String, _ text: String, _ id: String) throws {
        let result = try frontMatter(text)
        #expect(result.failed)
        #expect(result.diagnostics.map(\.id.rawValue) == [id], "\(name)")
    }

    @Test func hugeFrontMatterIsRefusedQuickly() throws {
        let line = "key\(0): \(String(repeating: "x", count: 100))\n"
        let text = "---\n" + String(repeating: line, count: 20_000) + "---\n"
        let clock = ContinuousClock()
        var result: FrontMatterResult?
        let elapsed = try clock.measure { result = try frontMatter(text) }
        #expect(elapsed < .seconds(2))
        #expect(result?.diagnostics.map(\.id) == ["front-matter-too-large"])
        #expect(result?.diagnostics.first?.location == at(2, 1))
    }

    @Test func manyKeysStillDecode() throws {
        let text = "---\ntitle: T\ndate: 2020-01-01\n" + (0..<5_000).map { "key\($0): value \($0)\n" }.joined() + "---\n"
        let result = try frontMatter(text)
        #expect(!result.failed)
        #expect(result.metadata.extra.count == 5_000)
        #expect(result.metadata.keyLocations["key4999"] == at(5_003, 1))
    }
}
