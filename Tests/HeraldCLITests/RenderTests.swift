// `herald render`: HTML to stdout, and the AST as JSON with source ranges in file coordinates.

import Foundation
import Testing

@Suite struct RenderTests {
    @Test func rendersStandardInput() {
        let run = herald(["render"], input: "*hi*\n")
        #expect(run.status == 0)
        #expect(run.stdout == "<p><em>hi</em></p>\n")
    }

    @Test func standaloneWritesAWholePage() {
        let run = herald(["render", "--standalone"], input: "---\ntitle: Hello\nlang: en\n---\n\nBody\n")
        #expect(run.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(run.stdout.contains("<h1>Hello</h1>"))
    }

    @Test func astCarriesMetadataAndRangesCountingFrontMatterLines() throws {
        let source = "---\ntitle: Ranges\ndate: 2020-01-01\ntags: [a, b]\n---\n\n## Head\n\nSee [the docs][Docs] now.\n\n[docs]: https://e.org \"T\"\n"
        let run = herald(["render", "--to", "ast"], input: source)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect(metadata["title"] as? String == "Ranges")
        #expect(metadata["tags"] as? [String] == ["a", "b"])
        let root = try #require(json["root"] as? [String: Any])
        let blocks = try #require(root["children"] as? [[String: Any]])
        #expect(blocks[0]["type"] as? String == "heading")
        #expect(blocks[0]["range"] as? String == "7:1-7:7")
        #expect(blocks[1]["range"] as? String == "9:1-9:25")
        let inlines = try #require(blocks[1]["children"] as? [[String: Any]])
        let link = try #require(inlines.first { $0["type"] as? String == "link" })
        #expect(link["range"] as? String == "9:5-9:20")
        #expect(link["form"] as? String == "full")
        #expect(link["label"] as? String == "Docs")
        #expect(link["destination"] as? String == "https://e.org")
        #expect(link["title"] as? String == "T")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let run = herald(["render", "--to", "ast"], input: "中文 [链接](https://e.org)\n")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let paragraph = try #require((json["root"] as? [String: Any])?["children"] as? [[String: Any]]).first
        let link = try #require((paragraph?["children"] as? [[String: Any]])?.first { $0["type"] as? String == "link" })
        #expect(link["range"] as? String == "1:4-1:22")
    }

    @Test func specFlavorsTakeOnlyClearFrontMatter() {
        // A post's front matter is not rendered, in any flavor.
        let post = herald(["render", "--flavor", "gfm"], input: "---\ntitle: T\n---\n\nBody\n")
        #expect(post.stdout == "<p>Body</p>\n")
        // What is not a mapping is Markdown, as the spec reads it: a break and a setext heading.
        let markdown = herald(["render", "--flavor", "commonmark"], input: "---\nFoo\n---\n")
        #expect(markdown.status == 0)
        #expect(markdown.stdout == "<hr />\n<h2>Foo</h2>\n")
        // Herald's own flavor reports it instead.
        let strict = herald(["render"], input: "---\nFoo\n---\n")
        #expect(strict.status != 0)
        #expect(strict.stderr.contains("[front-matter-not-mapping]"))
    }

    @Test func helpAndVersion() {
        #expect(herald("--help").stdout.contains("render"))
        #expect(herald("--version").status == 0)
        #expect(herald("render", "--to", "pdf").status != 0)
    }
}
