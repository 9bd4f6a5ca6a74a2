// The document tree: building, editing and walking it, also at depths that would overflow a
// recursive walker.

import HeraldCore
import Testing

@Suite struct DocumentTests {
    @Test func appendInsertUnlinkKeepLinksConsistent() {
        var document = Document()
        let paragraph = document.append(.paragraph, to: document.root)
        let a = document.append(.text("a"), to: paragraph)
        let c = document.append(.text("c"), to: paragraph)
        let b = document.insert(.emphasis, before: c)
        document.append(.text("b"), to: b)
        #expect(document.children(of: paragraph).map { document[$0].kind } == [.text("a"), .emphasis, .text("c")])
        #expect(document.plainText(of: paragraph) == "abc")

        document.unlink(a)
        #expect(document[paragraph].firstChild == b)
        #expect(document[b].previous == nil)
        document.unlink(c)
        #expect(document[paragraph].lastChild == b)
        #expect(document.plainText(of: document.root) == "b")
        document.move(c, toEndOf: paragraph)
        #expect(document.plainText(of: paragraph) == "bc")
    }

    @Test func walkVisitsInDocumentOrderAndCanSkip() {
        var document = Document()
        let quote = document.append(.blockQuote, to: document.root)
        let inner = document.append(.paragraph, to: quote)
        document.append(.text("x"), to: inner)
        let after = document.append(.paragraph, to: document.root)
        document.append(.text("y"), to: after)

        var events: [String] = []
        document.walk { event in
            switch event {
            case .enter(let id):
                events.append("+" + document[id].kind.name)
                return document[id].kind == .blockQuote ? .skipChildren : .proceed
            case .exit(let id):
                events.append("-" + document[id].kind.name)
                return .proceed
            }
        }
        #expect(events == ["+document", "+block_quote", "-block_quote", "+paragraph", "+text", "-text", "-paragraph", "-document"])
    }

    /// A long post has hundreds of thousands of nodes, and backends that edit links copy them
    /// all: a node is a 24-byte kind (long data boxed), 32-bit positions and 32-bit links.
    @Test func aNodeIsSmall() {
        #expect(MemoryLayout<Node>.stride <= 56)
        #expect(MemoryLayout<NodeKind>.size <= 17)
        #expect(MemoryLayout<SourceRange>.size == 16)
        // A location still reads and writes as the numbers it was given, and clamps what 32
        // bits cannot hold.
        var location = SourceLocation(line: 3, column: 70_000)
        location.column += 1
        #expect(location == SourceLocation(line: 3, column: 70_001))
        #expect(SourceLocation(line: .max, column: 1).line == Int(Int32.max))
    }

    @Test func walkingAHundredThousandLevelsDoesNotRecurse() {
        var document = Document()
        var parent = document.root
        for _ in 0..<100_000 { parent = document.append(.blockQuote, to: parent) }
        document.append(.text("deep"), to: parent)
        #expect(document.depth == 100_001)
        #expect(document.plainText(of: document.root) == "deep")
        #expect(document.descendants().count == 100_002)
    }

    @Test func jsonCarriesKindsFieldsAndRanges() {
        var document = Document(metadata: PostMetadata(title: "T \"q\""), range: SourceRange(1, 1, 3, 4))
        let heading = document.append(.heading(level: 2, setext: false), range: SourceRange(5, 1, 5, 9), to: document.root)
        document.append(.text("Hi\n"), range: SourceRange(5, 4, 5, 9), to: heading)
        let json = document.jsonString()
        #expect(json.contains("\"title\": \"T \\\"q\\\"\""))
        #expect(json.contains("{\"type\": \"heading\", \"range\": \"5:1-5:9\", \"level\": 2"))
        #expect(json.contains("\"literal\": \"Hi\\n\""))
    }
}
