// cmark-gfm's tree converted into Herald's: every kind of node, with source ranges in the file.

import HeraldCore
import HeraldMarkdown
import Testing

/// The kinds of a node's children.
func kinds(_ document: Document, _ id: NodeID) -> [NodeKind] {
    document.children(of: id).map { document[$0].kind }
}

/// The first node of the document (in order) whose kind passes `test`.
func first(_ document: Document, where test: (NodeKind) -> Bool) -> Node? {
    document.descendants().map { document[$0] }.first { test($0.kind) }
}

@Suite struct ConverterTests {
    let parser = MarkdownParser()

    @Test func blocksAndTheirData() throws {
        let document = parser.parseMarkdown(
            "# One\n\nTwo\n===\n\n> quote\n\n3. a\n4. b\n\n- x\n\n- y\n\n```rust title=\"x\"\nfn main() {}\n```\n\n    indented\n\n<div>raw</div>\n\n---\n")
        #expect(kinds(document, document.root) == [
            .heading(level: 1, setext: false), .heading(level: 1, setext: true), .blockQuote,
            .list(ListStyle(marker: .ordered(start: 3, delimiter: "."), isTight: true)),
            .list(ListStyle(marker: .bullet("-"), isTight: false)),
            .codeBlock(info: "rust title=\"x\"", literal: "fn main() {}\n", fenced: true),
            .codeBlock(info: "", literal: "indented\n", fenced: false),
            .htmlBlock("<div>raw</div>\n"),
            .thematicBreak,
        ])
    }

    @Test func taskItems() {
        let document = parser.parseMarkdown("- [ ] open\n- [x] done\n- plain\n")
        let list = document.children(of: document.root).first { _ in true }!
        #expect(kinds(document, list) == [.item(task: .unchecked), .item(task: .checked), .item(task: nil)])
    }

    @Test func tablesKeepAlignmentAndHeaderRow() throws {
        let document = parser.parseMarkdown("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n")
        let table = try #require(first(document) { if case .table = $0 { true } else { false } })
        #expect(table.kind == .table(alignments: [.left, .center, .right, .none]))
        let rows = document.children(of: document.root).flatMap { document.children(of: $0) }.map { document[$0].kind }
        #expect(rows == [.tableRow(isHeader: true), .tableRow(isHeader: false)])
    }

    @Test func inlines() {
        let document = parser.parseMarkdown("*e* **s** ~~d~~ `c` <b>h</b> a  \nb\nc https://x.org <https://y.org>\n")
        let paragraph = document.children(of: document.root).first { _ in true }!
        let names = kinds(document, paragraph).map(\.name)
        #expect(names == [
            "emph", "text", "strong", "text", "strikethrough", "text", "code", "text", "html_inline", "text",
            "html_inline", "text", "linebreak", "text", "softbreak", "text", "link", "text", "link",
        ])
    }

    @Test func linksRememberHowTheyWereWritten() throws {
        let document = parser.parseMarkdown(
            "[inline](/a \"t\") [full][Label] [Label][] [label] <https://auto.org> https://bare.org ![img][Label]\n\n[label]: /target\n")
        let links = document.descendants().compactMap { id -> Link? in
            switch document[id].kind {
            case .link(let link), .image(let link): link
            default: nil
            }
        }
        #expect(links.map(\.form) == [.inline, .full, .collapsed, .shortcut, .autolink, .autolink, .full])
        #expect(links.map(\.label) == [nil, "Label", "Label", "label", nil, nil, "Label"])
        #expect(links[1].destination == "/target")
        #expect(links[0].title == "t")
        #expect(links[5].destination == "https://bare.org")
    }

    @Test func footnotes() throws {
        let document = parser.parseMarkdown("Text[^n].\n\n[^n]: The note.\n")
        #expect(first(document) { $0 == .footnoteReference(label: "n") } != nil)
        #expect(first(document) { $0 == .footnoteDefinition(label: "n") } != nil)
    }

    @Test func commonMarkSyntaxHasNoExtensions() {
        let document = MarkdownParser(syntax: .commonMark).parseMarkdown("~~x~~ https://x.org\n\n| a |\n|---|\n")
        #expect(first(document) { if case .link = $0 { true } else { false } } == nil)
        #expect(first(document) { $0 == .strikethrough } == nil)
        #expect(first(document) { if case .table = $0 { true } else { false } } == nil)
    }

    @Test func sourceRangesCountFrontMatterLines() throws {
        let post = try parser.parse(Array("---\ntitle: T\ndate: 2020-01-01\n---\n\n## Head\n\nA *b* c\n".utf8), path: "p.md")
        let document = post.document
        let heading = try #require(first(document) { if case .heading = $0 { true } else { false } })
        #expect(heading.range == SourceRange(6, 1, 6, 7))
        let emphasis = try #require(first(document) { $0 == .emphasis })
        #expect(emphasis.range == SourceRange(8, 3, 8, 5))
    }

    @Test func columnsCountCharacters() throws {
        let document = parser.parseMarkdown("中文 *强调* x\n")
        let emphasis = try #require(first(document) { $0 == .emphasis })
        #expect(emphasis.range == SourceRange(1, 4, 1, 7))
    }

    @Test func nestedRangesInListsAndQuotes() throws {
        let document = parser.parseMarkdown("> - item `code`\n>   more\n")
        let code = try #require(first(document) { $0 == .code("code") })
        #expect(code.range.start == SourceLocation(line: 1, column: 10))
        let item = try #require(first(document) { $0 == .item(task: nil) })
        #expect(item.range.start == SourceLocation(line: 1, column: 3))
        #expect(item.range.end.line == 2)
    }

    @Test func adjacentTextIsMerged() {
        let document = parser.parseMarkdown("a [b c\n")
        let paragraph = document.children(of: document.root).first { _ in true }!
        #expect(kinds(document, paragraph) == [.text("a [b c")])
    }

    @Test func slugAndLanguageFollowFrontMatterThenFileName() throws {
        let zh = try parser.parse(Array("---\ntitle: 标题\n---\n\n这是一篇中文文章，讲述了很多事情。\n".utf8), path: "/x/2020-01-news.zh.md")
        #expect(zh.slug == "2020-01-news")
        #expect(zh.lang == "zh")
        let en = try parser.parse(Array("---\ntitle: T\nslug: Custom Slug\nlang: en-GB\n---\n\n这是\n".utf8), path: "/x/y.md")
        #expect(en.slug == "Custom-Slug")
        #expect(en.lang == "en-GB")
    }
}
