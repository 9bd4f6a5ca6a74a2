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

/// A bare web address ends where Chinese text begins in Herald's flavor, in every output; GFM
/// (and `--flavor gfm`) ends one only at a space, swallowing the sentence after it.
@Suite struct CJKAutolinkTests {
    static let post = "---\ntitle: T\ndate: 2020-01-01\n---\n\n详见 https://tikv.org/blog中文说明，以及 www.example.org/路径。还有 https://github.com/tikv/tikv/pull/5128。谢谢 <https://x.org/中文> https://中文.org\n"

    @Test func theAddressEndsWhereTheChineseBegins() {
        let html = herald(["render"], input: Self.post).stdout
        #expect(html.contains("详见 <a href=\"https://tikv.org/blog\">https://tikv.org/blog</a>中文说明，以及 "), "\(html)")
        #expect(html.contains("<a href=\"http://www.example.org/\">www.example.org/</a>路径。"))
        #expect(html.contains("<a href=\"https://github.com/tikv/tikv/pull/5128\">https://github.com/tikv/tikv/pull/5128</a>。谢谢"))
        // Written between < and >, an address is what the author said; a Chinese host stays whole.
        #expect(html.contains("<a href=\"https://x.org/%E4%B8%AD%E6%96%87\">https://x.org/中文</a>"))
        #expect(html.contains("<a href=\"https://%E4%B8%AD%E6%96%87.org\">https://中文.org</a>"))
        // Plain text: a space after the address, so that a mail reader ends it there too.
        let text = herald(["render", "--to", "text"], input: Self.post).stdout
        #expect(text.contains("详见 https://tikv.org/blog 中文说明"), "\(text)")
        // GFM as its spec says.
        let gfm = herald(["render", "--flavor", "gfm"], input: Self.post).stdout
        #expect(gfm.contains(">https://tikv.org/blog中文说明，以及</a>"), "\(gfm)")
    }
}
