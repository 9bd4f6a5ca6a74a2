// The HTML backend's own rules: heading ids, escaping, CJK soft breaks, raw HTML policies,
// the table of contents and templates.

import Foundation
import HeraldCore
import HeraldHTML
import HeraldMarkdown
import HeraldTemplates
import Testing

func renderHTML(_ markdown: String, _ options: HTMLOptions = HTMLOptions()) -> String {
    let document = MarkdownParser().parseMarkdown(markdown)
    return HTMLRenderer(options: options).render(document).html
}

@Suite struct HeadingIDTests {
    @Test func headingsGetGitHubStyleIDsAndAnchors() {
        let html = renderHTML("## What's New?\n")
        #expect(html == "<h2 id=\"whats-new\">What's New? <a class=\"anchor\" href=\"#whats-new\" aria-hidden=\"true\">#</a></h2>\n")
    }

    @Test func chineseHeadingsKeepTheirCharacters() {
        let html = renderHTML("## 新功能：更快的读取\n")
        #expect(html.contains("<h2 id=\"新功能更快的读取\">"))
    }

    @Test func duplicateHeadingsAreNumbered() {
        let html = renderHTML("# News\n\n## News\n\n### News\n")
        #expect(html.contains("id=\"news\""))
        #expect(html.contains("id=\"news-1\""))
        #expect(html.contains("id=\"news-2\""))
    }

    @Test func punctuationOnlyHeadingFallsBack() {
        #expect(renderHTML("## ???\n").contains("id=\"section\""))
    }

    @Test func markupInsideHeadingsIsDroppedFromTheID() {
        #expect(renderHTML("## The `raw_scan` *API*\n").contains("id=\"the-raw_scan-api\""))
    }

    @Test func specFlavorsHaveNoIDs() {
        #expect(renderHTML("## News\n", HTMLOptions(flavor: .gfm)) == "<h2>News</h2>\n")
        #expect(renderHTML("## News\n", HTMLOptions(flavor: .commonmark)) == "<h2>News</h2>\n")
    }

    @Test func headingsFeedTheTableOfContents() {
        let document = MarkdownParser().parseMarkdown("# A\n\n## B\n\n### C\n\n## D\n")
        let body = HTMLRenderer().render(document)
        #expect(body.headings.map(\.id) == ["a", "b", "c", "d"])
        #expect(body.headings.map(\.level) == [1, 2, 3, 2])
    }
}

@Suite struct EscapingTests {
    @Test func textIsEscaped() {
        #expect(renderHTML("AT&T says a < b > c and \"hi\"\n") == "<p>AT&amp;T says a &lt; b &gt; c and &quot;hi&quot;</p>\n")
    }

    @Test func hrefAndTitleAreEscaped() {
        let html = renderHTML(#"[x](https://e.org/?a=1&b="2" "say \"hi\" & <go>")"# + "\n")
        #expect(html == "<p><a href=\"https://e.org/?a=1&amp;b=%222%22\" title=\"say &quot;hi&quot; &amp; &lt;go&gt;\">x</a></p>\n")
    }

    @Test func altAndTitleOfImagesAreEscaped() {
        let html = renderHTML(#"![a <b> & "c"](/i.png "t & \"u\"")"# + "\n")
        #expect(html == "<p><img src=\"/i.png\" alt=\"a &lt;b&gt; &amp; &quot;c&quot;\" title=\"t &amp; &quot;u&quot;\" /></p>\n")
    }

    @Test func altTextDropsMarkupButKeepsText() {
        #expect(renderHTML("![*big* `code`](/i.png)\n") == "<p><img src=\"/i.png\" alt=\"big code\" /></p>\n")
    }

    @Test func codeIsEscaped() {
        #expect(renderHTML("`<b>&`\n") == "<p><code>&lt;b&gt;&amp;</code></p>\n")
        #expect(renderHTML("```html\n<p class=\"x\">&amp;</p>\n```\n") == "<pre><code class=\"language-html\">&lt;p class=&quot;x&quot;&gt;&amp;amp;&lt;/p&gt;\n</code></pre>\n")
    }

    @Test func dangerousLinkURLsAreEmptiedUnlessKept() {
        #expect(renderHTML("[x](javascript:alert(1))\n") == "<p><a href=\"\">x</a></p>\n")
        #expect(renderHTML("[x](javascript:alert(1))\n", HTMLOptions(rawHTML: .keep)).contains("javascript:alert"))
    }
}

@Suite struct CJKSoftBreakTests {
    @Test func breakBetweenChineseCharactersDisappears() {
        #expect(renderHTML("这是第一行\n这是第二行\n") == "<p>这是第一行这是第二行</p>\n")
    }

    @Test func breakAfterChinesePunctuationDisappears() {
        #expect(renderHTML("第一句，\n第二句。\n") == "<p>第一句，第二句。</p>\n")
    }

    @Test func breakBetweenLatinWordsStays() {
        #expect(renderHTML("first line\nsecond line\n") == "<p>first line\nsecond line</p>\n")
    }

    @Test func breakBetweenChineseAndLatinStays() {
        #expect(renderHTML("中文\nEnglish\n") == "<p>中文\nEnglish</p>\n")
        #expect(renderHTML("English\n中文\n") == "<p>English\n中文</p>\n")
    }

    @Test func breakNextToEmphasizedChineseDisappears() {
        #expect(renderHTML("这是*强调*\n的文字\n") == "<p>这是<em>强调</em>的文字</p>\n")
    }

    @Test func specFlavorsKeepTheNewline() {
        #expect(renderHTML("中文\n中文\n", HTMLOptions(flavor: .gfm)) == "<p>中文\n中文</p>\n")
    }
}

@Suite struct RawHTMLPolicyTests {
    let source = "Press <kbd>Ctrl</kbd>.\n\n<script>alert(1)</script>\n\n<div onclick=\"x()\">hi</div>\n"

    @Test func escapeShowsTheMarkupAsText() {
        let html = renderHTML(source, HTMLOptions(rawHTML: .escape))
        #expect(html.contains("Press &lt;kbd&gt;Ctrl&lt;/kbd&gt;."))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script"))
    }

    @Test func keepPassesMarkupThroughWithTheTagFilter() {
        let html = renderHTML(source, HTMLOptions(rawHTML: .keep))
        #expect(html.contains("<kbd>Ctrl</kbd>"))
        #expect(html.contains("&lt;script>alert(1)&lt;/script>"))
        #expect(html.contains("onclick"))
    }

    @Test func sanitizeKeepsHarmlessMarkupAndDropsTheRest() {
        let html = renderHTML(source, HTMLOptions(rawHTML: .sanitize))
        #expect(html.contains("<kbd>Ctrl</kbd>"))
        #expect(!html.contains("script"))
        #expect(!html.contains("alert"))
        #expect(!html.contains("onclick"))
        #expect(html.contains("hi"))
    }

    @Test func sanitizeDropsIframesFormsStylesAndBadURLs() {
        let html = renderHTML(
            "<iframe src=\"https://e.org\"></iframe>\n\n<form><input name=a></form>\n\n<style>p{}</style>\n\n<a href=\"javascript:x\">a</a> <img src=\"data:image/png;base64,AA\" alt=\"i\">\n",
            HTMLOptions(rawHTML: .sanitize))
        for banned in ["iframe", "form", "<input", "style", "javascript", "data:"] {
            #expect(!html.contains(banned), "\(banned) in \(html)")
        }
        #expect(html.contains(">a</a>"))
    }

    @Test func sanitizeKeepsWhatHeraldItselfWrites() {
        let html = renderHTML("- [x] done\n\n| a |\n|:-:|\n| 1 |\n\nNote[^1]\n\n[^1]: Text\n\n<b>bold</b>\n", HTMLOptions(rawHTML: .sanitize))
        #expect(html.contains("<input"))
        #expect(html.contains("checked"))
        #expect(html.contains("align=\"center\""))
        #expect(html.contains("href=\"#fn-1\""))
        #expect(html.contains("<b>bold</b>"))
    }
}

@Suite struct TableOfContentsAndTemplateTests {
    func post(_ markdown: String, title: String = "T") -> Post {
        var document = MarkdownParser().parseMarkdown(markdown)
        document.metadata.title = title
        document.metadata.date = PostDate(parsing: "2026-10-01")
        document.metadata.authors = ["Ann", "Bo"]
        return Post(sourcePath: "p.md", document: document, slug: "p", lang: "en")
    }

    @Test func pageHasTitleMetadataAndNestedTOC() throws {
        let backend = HTMLBackend(options: HTMLOptions(tableOfContents: true))
        let page = try backend.renderPage(post("## A\n\n### B\n\n## C\n", title: "Hello & <you>"), context: BuildContext(baseURL: "https://e.org/blog"))
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<html lang=\"en\">"))
        #expect(page.contains("<title>Hello &amp; &lt;you&gt;"))
        #expect(page.contains("<time datetime=\"2026-10-01\">October 1, 2026</time>"))
        #expect(page.contains("Ann and Bo"))
        #expect(page.contains("<link rel=\"canonical\" href=\"https://e.org/blog/p/\">"))
        #expect(page.contains("<nav class=\"toc\">\n<ol>\n<li><a href=\"#a\">A</a>\n<ol>\n<li><a href=\"#b\">B</a></li>\n</ol>\n</li>\n<li><a href=\"#c\">C</a></li>\n</ol>\n</nav>"))
    }

    @Test func userTemplatesReplaceTheBuiltInOnes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("html"), withIntermediateDirectories: true)
        try "MINE {{title}} {{{content}}}".write(to: folder.appendingPathComponent("html/page.mustache"), atomically: true, encoding: .utf8)
        let backend = HTMLBackend(templates: TemplateSource(userFolder: folder))
        #expect(try backend.renderPage(post("hi\n"), context: BuildContext()) == "MINE T <p>hi</p>\n")
    }

    @Test func builtInTemplatesAreInTheBinary() {
        #expect(TemplateSource.builtIn["html/page.mustache"]?.contains("{{{content}}}") == true)
        #expect(TemplateSource.builtIn["html/index.mustache"] != nil)
    }
}
