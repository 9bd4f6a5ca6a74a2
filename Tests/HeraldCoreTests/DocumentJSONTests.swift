// The JSON form of the AST read back: every kind and metadata field, any depth, and errors that
// name the place in the JSON.

import Foundation
import HeraldCore
import Testing

/// A document with every kind of node, every metadata field and link definitions.
func everyKindDocument() -> Document {
    var extra: [(key: String, value: MetadataValue)] = [
        ("series", .string("Lantern")), ("issue", .int(10)), ("ratio", .double(0.5)), ("big", .double(1e300)),
        ("featured", .bool(false)), ("nothing", .null),
        ("links", .list([.string("a"), .map(["b": .list([.int(1), .map([:])]), "c": .string("é \"q\"\n")])])),
    ]
    extra.append(("empty", .list([])))
    let metadata = PostMetadata(
        title: "Every kind", date: PostDate(parsing: "2026-10-30T18:00:00+02:00"), authors: ["Mira", "陈静"],
        tags: ["a", "b"], summary: "All of it.", slug: "every-kind", lang: "en", draft: true, extra: extra)
    var document = Document(metadata: metadata, range: SourceRange(1, 1, 40, 3))
    let root = document.root
    let heading = document.append(.heading(level: 2, setext: true), range: SourceRange(12, 1, 13, 3), to: root)
    document.append(.text("Title \u{1F600}\t\u{1}"), to: heading)
    let paragraph = document.append(.paragraph, to: root)
    for kind in [NodeKind.softBreak, .lineBreak, .code("x < y"), .inlineHTML("<b>"), .footnoteReference(label: "n")] {
        document.append(kind, to: paragraph)
    }
    for kind in [NodeKind.emphasis, .strong, .strikethrough] {
        document.append(.text("t"), to: document.append(kind, to: paragraph))
    }
    let link = document.append(.link(Link(destination: "https://e.org/", title: "T", form: .full, label: "Home")), to: paragraph)
    document.append(.text("home"), to: link)
    document.append(.image(Link(destination: "a.png", form: .autolink)), to: paragraph)
    document.append(.link(Link(destination: "", form: .shortcut, label: "x")), to: paragraph)
    let quote = document.append(.blockQuote, range: SourceRange(20, 1, 20, 9), to: root)
    document.append(.thematicBreak, to: quote)
    let bullets = document.append(.list(ListStyle(marker: .bullet("*"), isTight: true)), to: root)
    document.append(.paragraph, to: document.append(.item(task: .checked), to: bullets))
    document.append(.item(task: .unchecked), to: bullets)
    document.append(.item(task: nil), to: bullets)
    let numbers = document.append(.list(ListStyle(marker: .ordered(start: 0, delimiter: ")"), isTight: false)), to: root)
    document.append(.codeBlock(info: "swift title=\"x\"", literal: "let x = 1\n", fenced: true), to: document.append(.item(task: nil), to: numbers))
    document.append(.codeBlock(info: "", literal: "indented\n", fenced: false), to: root)
    document.append(.htmlBlock("<div>\n</div>\n"), to: root)
    let table = document.append(.table(alignments: [.none, .left, .center, .right]), to: root)
    let header = document.append(.tableRow(isHeader: true), to: table)
    document.append(.text("h"), to: document.append(.tableCell, to: header))
    document.append(.tableCell, to: document.append(.tableRow(isHeader: false), to: table))
    let note = document.append(.footnoteDefinition(label: "n"), to: root)
    document.append(.text("note"), to: document.append(.paragraph, to: note))
    document.append(.heading(level: 6, setext: false), to: root)
    document.linkDefinitions = [
        LinkDefinition(label: "Home", destination: "https://e.org/", title: "T", range: SourceRange(30, 1, 30, 20)),
        LinkDefinition(label: "x", destination: ""),
    ]
    return document
}

/// The document read back from `json`, or the error it gives.
func decoding(_ json: String) -> Result<Document, DocumentJSONError> {
    Result { () throws(DocumentJSONError) -> Document in try Document(json: Data(json.utf8)) }
}

/// The error `json` gives, as `place: message`.
func decodingError(_ json: String) -> String? {
    if case .failure(let error) = decoding(json) { return error.description }
    return nil
}

/// A document of the current version whose root holds `children` (JSON text).
func documentJSON(_ children: String, version: String = "1") -> String {
    "{\"herald_ast_version\": \(version), \"metadata\": {}, \"root\": {\"type\": \"document\", \"children\": [\(children)]}}"
}

@Suite struct DocumentJSONTests {
    @Test func everyKindAndMetadataFieldReadsBackAsItWasWritten() throws {
        let document = everyKindDocument()
        let json = document.jsonString(extra: [("slug", "s"), ("lang", "en"), ("source_path", "p.md")])
        #expect(json.hasPrefix("{\n  \"herald_ast_version\": 1,\n"))
        let decoded = try decoding(json).get()
        #expect(decoded.jsonString(extra: [("slug", "s"), ("lang", "en"), ("source_path", "p.md")]) == json)
        #expect(decoded.nodes == document.nodes)
        #expect(decoded.linkDefinitions == document.linkDefinitions)
        #expect(decoded.metadata == document.metadata)
    }

    @Test func nodesWithChildrenAlwaysWriteThemAndLeavesNever() {
        var document = Document()
        document.append(.paragraph, to: document.root)
        document.append(.thematicBreak, to: document.root)
        let json = document.jsonString()
        #expect(json.contains("{\"type\": \"paragraph\", \"children\": []}"))
        #expect(json.contains("{\"type\": \"thematic_break\"}"))
    }

    @Test func rangesAreOptional() throws {
        let decoded = try decoding(documentJSON("{\"type\": \"paragraph\", \"range\": \"3:1-3:5\", \"children\": [{\"type\": \"text\", \"literal\": \"hi\"}]}")).get()
        let paragraph = try #require(decoded.children(of: decoded.root).first { _ in true })
        #expect(decoded[paragraph].range == SourceRange(3, 1, 3, 5))
        #expect(decoded[decoded.root].range.isUnknown)
        #expect(decoded.children(of: paragraph).allSatisfy { decoded[$0].range.isUnknown })
        #expect(decoded.plainText(of: decoded.root) == "hi")
    }

    @Test func twentyThousandLevelsReadWithoutRecursion() throws {
        var document = Document()
        var parent = document.root
        for _ in 0..<20_000 { parent = document.append(.blockQuote, to: parent) }
        document.append(.text("deep"), to: document.append(.paragraph, to: parent))
        let json = document.jsonString()
        let decoded = try decoding(json).get()
        #expect(decoded.depth == 20_002)
        #expect(decoded.plainText(of: decoded.root) == "deep")
        #expect(decoded.jsonString() == json)
    }

    @Test(arguments: [
        (documentJSON("{\"type\": \"paragraph\", \"children\": []}, {\"type\": \"paragraph\", \"children\": [{\"type\": \"emph\", \"children\": [{\"type\": \"foo\"}]}]}"),
         "root.children[1].children[0].children[0]: unknown type 'foo'"),
        (documentJSON("{\"type\": \"paragraph\"}"),
         "root.children[0]: missing field 'children' (a 'paragraph' node always has it, [] when empty)"),
        (documentJSON("{\"type\": \"text\", \"literal\": \"x\"}"),
         "root.children[0]: a 'document' cannot hold a 'text' (it holds blocks)"),
        (documentJSON("{\"type\": \"paragraph\", \"children\": [{\"type\": \"paragraph\", \"children\": []}]}"),
         "root.children[0].children[0]: a 'paragraph' cannot hold a 'paragraph' (it holds inlines)"),
        (documentJSON("{\"type\": \"list\", \"ordered\": false, \"tight\": true, \"bullet\": \"-\", \"children\": [{\"type\": \"paragraph\", \"children\": []}]}"),
         "root.children[0].children[0]: a 'list' cannot hold a 'paragraph' (it holds items)"),
        (documentJSON("{\"type\": \"paragraph\", \"children\": [{\"type\": \"text\", \"literal\": \"x\", \"children\": []}]}"),
         "root.children[0].children[0].children: a 'text' node has no children"),
        (documentJSON("{\"type\": \"paragraph\", \"children\": [{\"type\": \"text\", \"literal\": 3}]}"),
         "root.children[0].children[0].literal: expected a string, found the number 3"),
        (documentJSON("{\"type\": \"heading\", \"level\": 7, \"setext\": false, \"children\": []}"),
         "root.children[0].level: 7 is out of range (1 to 6)"),
        (documentJSON("{\"type\": \"heading\", \"level\": 1, \"children\": []}"),
         "root.children[0]: missing field 'setext'"),
        (documentJSON("{\"type\": \"thematic_break\", \"level\": 1}"),
         "root.children[0]: unknown field 'level' in a 'thematic_break' node (it has no fields)"),
        (documentJSON("{\"type\": \"list\", \"ordered\": true, \"tight\": true, \"bullet\": \"-\", \"children\": []}"),
         "root.children[0].bullet: an ordered list has 'start' and 'delimiter', not 'bullet'"),
        (documentJSON("{\"type\": \"list\", \"ordered\": false, \"tight\": true, \"bullet\": \"x\", \"children\": []}"),
         "root.children[0].bullet: expected one of '-', '+', '*', found \"x\""),
        (documentJSON("{\"type\": \"table\", \"alignments\": [\"left\", \"middle\"], \"children\": []}"),
         "root.children[0].alignments[1]: expected 'none', 'left', 'center' or 'right', found the string \"middle\""),
        (documentJSON("{\"type\": \"paragraph\", \"children\": [{\"type\": \"link\", \"destination\": \"x\", \"form\": \"odd\", \"children\": []}]}"),
         "root.children[0].children[0].form: \"odd\" is not one of 'inline', 'full', 'collapsed', 'shortcut', 'autolink'"),
        (documentJSON("{\"type\": \"thematic_break\", \"range\": \"3:1\"}"),
         "root.children[0].range: expected a range like \"3:1-3:20\", found the string \"3:1\""),
        (documentJSON("{\"type\": \"document\", \"children\": []}"),
         "root.children[0]: a 'document' cannot hold a 'document' (it holds blocks)"),
        ("{\"herald_ast_version\": 1, \"metadata\": {}, \"root\": {\"type\": \"paragraph\", \"children\": []}}",
         "root: the root must be of type 'document', not 'paragraph'"),
        ("{\"herald_ast_version\": 1, \"metadata\": {\"date\": \"2026-02-30\"}, \"root\": {\"type\": \"document\", \"children\": []}}",
         "metadata.date: not a date (expected 2019-09-18 or 2019-09-18T10:00:00+08:00): \"2026-02-30\""),
        ("{\"herald_ast_version\": 1, \"metadata\": {\"author\": \"A\"}, \"root\": {\"type\": \"document\", \"children\": []}}",
         "metadata.author: unknown field (the metadata holds title, date, authors, tags, summary, slug, lang, draft, extra; other front matter keys go in 'extra')"),
        ("{\"herald_ast_version\": 1, \"metadata\": {\"tags\": [\"a\", 2]}, \"root\": {\"type\": \"document\", \"children\": []}}",
         "metadata.tags[1]: expected a string, found the number 2"),
        ("{\"herald_ast_version\": 1, \"metadata\": {}, \"link_definitions\": [{\"destination\": \"x\", \"title\": \"\"}], \"root\": {\"type\": \"document\", \"children\": []}}",
         "link_definitions[0]: missing field 'label'"),
        ("{\"herald_ast_version\": 1, \"metadata\": {}, \"slug\": 3, \"root\": {\"type\": \"document\", \"children\": []}}",
         "slug: expected a string, found the number 3"),
        ("{\"herald_ast_version\": 1, \"metadata\": {}, \"root\": {\"type\": \"document\", \"children\": []}, \"notes\": \"\"}",
         "notes: unknown field (the top level holds herald_ast_version, metadata, link_definitions, root, slug, lang and source_path)"),
        ("{\"herald_ast_version\": 1, \"root\": {\"type\": \"document\", \"children\": []}}",
         "top level: missing field 'metadata'"),
        ("[]", "top level: expected an object, found an array"),
    ])
    func brokenDocumentsAreRefusedWithTheirPlace(json: String, expected: String) {
        #expect(decodingError(json) == expected)
        if case .failure(let error) = decoding(json) { #expect(error.reason == .invalidDocument) }
    }

    @Test(arguments: [
        (documentJSON("", version: "2"), "herald_ast_version: version 2 is not supported (Herald reads version 1)"),
        (documentJSON("", version: "1.5"), "herald_ast_version: expected a whole number, found the number 1.5"),
        ("{\"metadata\": {}, \"root\": {\"type\": \"document\", \"children\": []}}",
         "top level: missing field 'herald_ast_version' (Herald writes herald_ast_version: 1)"),
    ])
    func otherVersionsAreRefused(json: String, expected: String) {
        #expect(decodingError(json) == expected)
        if case .failure(let error) = decoding(json) { #expect(error.reason == .unsupportedVersion) }
    }

    @Test(arguments: [
        ("{\"a\": 1,\n  \"b\": }", "line 2, column 8: expected a value"),
        ("{\"a\": 1} x", "line 1, column 10: unexpected text after the JSON value"),
        ("{\"a\": 1, \"a\": 2}", "line 1, column 10: duplicate key \"a\""),
        ("[1, 2", "line 1, column 6: expected ',' or ']' in an array"),
        ("\"\\ud800\"", "line 1, column 8: unpaired surrogate in a \\u escape"),
        ("\"a\nb\"", "line 1, column 3: control character in a string (write it as an escape)"),
        ("[01]", "line 1, column 3: expected ',' or ']' in an array"),
        ("", "line 1, column 1: expected a value, found the end of the text"),
    ])
    func textThatIsNotJSONIsRefusedWithItsLineAndColumn(json: String, expected: String) {
        #expect(decodingError(json) == expected)
        if case .failure(let error) = decoding(json) { #expect(error.reason == .notJSON) }
    }

    @Test func stringsDecodeEveryEscape() throws {
        let literal = #""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00 中""#
        let decoded = try decoding(documentJSON("{\"type\": \"paragraph\", \"children\": [{\"type\": \"text\", \"literal\": \(literal)}]}")).get()
        #expect(decoded.plainText(of: decoded.root) == "a\"\\/\u{8}\u{c}\n\r\té😀 中")
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        var bytes = Data(documentJSON("{\"type\": \"paragraph\", \"children\": [{\"type\": \"text\", \"literal\": \"x\"}]}").utf8)
        let quote = bytes.lastIndex(of: UInt8(ascii: "x"))!
        bytes[quote] = 0xFF
        #expect(throws: DocumentJSONError.self) { try Document(json: bytes) }
    }
}
