// The sanitizer against hostile, messy and ordinary author HTML: what goes, what stays, how it
// is written, and that deep or concurrent input is handled.

import HeraldXHTML
import Testing

@Suite struct HTMLSanitizerTests {
    let sanitizer = HTMLSanitizer()

    // MARK: Active content goes

    /// Parts of tables and lists out of place are unwrapped, their content kept: a browser's
    /// parser would report them as errors and move or drop them.
    @Test(arguments: [
        ("<td>cell", "cell"),
        ("<th>head</th> and <tr>row</tr>", "head and row"),
        ("<table><table><tr><td>x</td></tr></table></table>", "<table><tr><td>x</td></tr></table>"),
        ("<i><li>item</li></i>", "<i>item</i>"),
        ("<b><dd>definition</dd></b>", "<b>definition</b>"),
        // Text straight in a table's structure gets a cell of its own; spacing between rows stays.
        ("<table>loose<tr><td>y</td></tr></table>", "<table><tr><td>loose</td></tr><tr><td>y</td></tr></table>"),
        ("<table><tr>z<td>y</td></tr></table>", "<table><tr><td>z</td><td>y</td></tr></table>"),
        ("<table>\n<tr><td>ok</td></tr>\n</table>", "<table>\n<tr><td>ok</td></tr>\n</table>"),
        ("<table><tbody><tr><td>a</td><td><table><tr><td>in a cell</td></tr></table></td></tr></tbody></table>",
         "<table><tbody><tr><td>a</td><td><table><tr><td>in a cell</td></tr></table></td></tr></tbody></table>"),
        ("<ul><li>one</li><li>two</li></ul><dl><dt>t</dt><dd>d</dd></dl>", "<ul><li>one</li><li>two</li></ul><dl><dt>t</dt><dd>d</dd></dl>"),
        ("<table><caption>c</caption><colgroup><col span=\"2\"></colgroup><thead><tr><th>h</th></tr></thead></table>",
         "<table><caption>c</caption><colgroup><col span=\"2\"></colgroup><thead><tr><th>h</th></tr></thead></table>"),
    ])
    func tableAndListPartsOutOfPlaceAreUnwrapped(_ input: String, _ expected: String) {
        #expect(sanitizer.sanitize(input) == expected)
        #expect(HTMLSanitizer(profile: .epub).sanitize(input, as: .xhtml).replacingOccurrences(of: " />", with: ">") == expected)
    }

    @Test func scriptIsRemovedWithItsContent() {
        #expect(sanitizer.sanitize("<p>a</p><script>alert(1)</script><p>b</p>") == "<p>a</p><p>b</p>")
        #expect(sanitizer.sanitize("<SCRIPT type=\"text/javascript\">document.write('<b>x</b>')</SCRIPT>ok") == "ok")
    }

    @Test func eventHandlersAreRemovedAndTheElementKept() {
        #expect(sanitizer.sanitize("<img src=x onerror=alert(1)>") == "<img src=\"x\">")
        #expect(sanitizer.sanitize("<IMG SRC=x ONERROR=alert(1) onload=\"y\">") == "<img src=\"x\">")
        #expect(sanitizer.sanitize("<p onclick=\"x()\" onmouseover=y>t</p>") == "<p>t</p>")
    }

    @Test(arguments: [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "\u{01}\u{1F} javascript:alert(1)",
        "java\tscript:alert(1)",
        "java&#x09;script:alert(1)",
        "java&#10;script:alert(1)",
        "javascript&#58;alert(1)",
        "javascript&#x3A;alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
        "jav&#x0D;ascript:alert(1)",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "livescript:x",
    ])
    func dangerousHrefIsDropped(_ url: String) {
        #expect(sanitizer.sanitize("<a href=\"\(url)\" title=\"t\">x</a>") == "<a title=\"t\">x</a>")
    }

    @Test func dataURLsAreDroppedFromImages() {
        #expect(sanitizer.sanitize("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"a\">") == "<img alt=\"a\">")
        #expect(sanitizer.sanitize("<img src=\" DATA:image/svg+xml,<svg onload=alert(1)>\">") == "<img>")
        #expect(sanitizer.sanitize("<img srcset=\"a.png 1x, data:image/png;base64,AA 2x\">") == "<img>")
        #expect(sanitizer.sanitize("<img srcset=\"a.png 1x,javascript:alert(1) 2x\">") == "<img>")
        #expect(sanitizer.sanitize("<picture><source srcset=\"a.webp 1x, /b.webp 2x\" type=\"image/webp\"><img src=\"a.png\"></picture>")
            == "<picture><source srcset=\"a.webp 1x, /b.webp 2x\" type=\"image/webp\"><img src=\"a.png\"></picture>")
    }

    @Test(arguments: [
        "https://example.org/a?b=c:d#e", "http://x", "HTTPS://X", "mailto:a@example.org", "#fn-1", "/path/to",
        "relative/page.html", "page.html?q=a:b", "./a:b", "",
    ])
    func safeURLsAreKept(_ url: String) {
        #expect(sanitizer.sanitize("<a href=\"\(url)\">x</a>") == "<a href=\"\(url)\">x</a>")
    }

    @Test func undecodedEntityStaysText() {
        // `&colon;` is HTML5-only; libxml2 keeps it literally, and so will the browser after escaping.
        #expect(sanitizer.sanitize("<a href=\"javascript&colon;alert(1)\">x</a>") == "<a href=\"javascript&amp;colon;alert(1)\">x</a>")
    }

    @Test(arguments: [
        ("<iframe src=\"https://evil.example\">fallback</iframe>after", "after"),
        ("<form action=\"/x\"><input type=\"text\" name=\"q\"><button>Go</button></form>after", "after"),
        ("<input type=\"text\" value=\"v\">after", "after"),
        ("<input type=\"hidden\" name=\"csrf\">after", "after"),
        ("<button onclick=\"x()\">Click</button>after", "after"),
        ("<select><option>1</option></select><textarea>t</textarea>after", "after"),
        ("<style>body { display: none }</style>after", "after"),
        ("<p style=\"background: url(javascript:alert(1))\">after</p>", "<p>after</p>"),
        ("<object data=\"x.swf\"><param name=\"a\" value=\"b\">fallback</object><embed src=\"x.swf\">after", "after"),
        ("<svg onload=\"alert(1)\"><circle r=\"1\"/></svg><math><mi>x</mi></math>after", "after"),
        ("<noscript><p>n</p></noscript><template><p>t</p></template>after", "after"),
        ("<link rel=\"stylesheet\" href=\"x.css\"><meta http-equiv=\"refresh\" content=\"0\"><base href=\"https://evil.example/\">after", "after"),
        ("<frameset><frame src=\"x\"></frameset>after", "after"),
        ("<a href=\"/x\" target=\"_blank\" rel=\"nofollow\">after</a>", "<a href=\"/x\" rel=\"nofollow\">after</a>"),
    ])
    func activeAndFormContentIsRemoved(_ input: String, _ expected: String) {
        #expect(sanitizer.sanitize(input) == expected)
    }

    // MARK: Harmless markup stays

    @Test func allowedMarkupIsKept() {
        let table = "<table><thead><tr><th align=\"center\">A</th><th align=\"right\">B</th></tr></thead>"
            + "<tbody><tr><td align=\"left\" colspan=\"2\">1</td></tr></tbody></table>"
        #expect(sanitizer.sanitize(table) == table)
        let link = "<a href=\"https://example.org/\" title=\"Example &amp; co\">link</a>"
        #expect(sanitizer.sanitize(link) == link)
        let details = "<details open><summary>More</summary><p><del>old</del> <ins>new</ins> x<sup>2</sup> H<sub>2</sub>O</p></details>"
        #expect(sanitizer.sanitize(details) == details)
        let footnote = "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" data-footnote-ref>1</a></sup>"
            + "<section class=\"footnotes\" data-footnotes><ol><li id=\"fn-1\"><p>Note <a href=\"#fnref-1\" class=\"footnote-backref\" "
            + "data-footnote-backref data-footnote-backref-idx=\"1\" aria-label=\"Back to reference 1\">↩</a></p></li></ol></section>"
        #expect(sanitizer.sanitize(footnote) == footnote)
        let rich = "<figure><img src=\"/a.png\" alt=\"A\" width=\"10\" height=\"20\" loading=\"lazy\"><figcaption>Cap</figcaption></figure>"
            + "<ol start=\"3\" reversed><li value=\"7\">x</li></ol><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>"
            + "<p><time datetime=\"2024-01-01\">New year</time> <abbr title=\"HyperText\">HTML</abbr> <q cite=\"https://q.example\">q</q>"
            + " <kbd>Ctrl</kbd>+<kbd>C</kbd><wbr><br></p><hr><blockquote cite=\"/src\"><p>quote</p></blockquote>"
        #expect(sanitizer.sanitize(rich) == rich)
    }

    @Test func taskListCheckboxIsKeptAndForcedDisabled() {
        #expect(sanitizer.sanitize("<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>")
            == "<li><input type=\"checkbox\" checked disabled> done</li>")
        #expect(sanitizer.sanitize("<li><input type=\" CheckBox \" name=\"n\" onclick=\"x\"> todo</li>")
            == "<li><input type=\"checkbox\" disabled> todo</li>")
        #expect(sanitizer.sanitize("<input type=\"checkbox\" checked>", as: .xhtml)
            == "<input type=\"checkbox\" checked=\"checked\" disabled=\"disabled\" />")
    }

    @Test func attributesOutsideTheListAreDropped() {
        #expect(sanitizer.sanitize("<p data-ok-1=\"a\" data-bad_x=\"b\" data-=\"c\" xml:lang=\"en\" lang=\"en\" contenteditable>x</p>")
            == "<p data-ok-1=\"a\" lang=\"en\">x</p>")
        #expect(sanitizer.sanitize("<span align=\"center\" width=\"3\">x</span>") == "<span>x</span>")
    }

    @Test func unknownElementsAreUnwrapped() {
        #expect(sanitizer.sanitize("<center><font color=\"red\">hi</font> <custom-tag x=\"1\">there</custom-tag></center>") == "hi there")
        #expect(sanitizer.sanitize("<marquee><b>moving</b></marquee>") == "<b>moving</b>")
    }

    /// libxml2 ends an open `p` before a block only when it is the current element: behind an
    /// element it does not know, which is unwrapped here, the output would nest a list in a
    /// paragraph. The sanitizer ends it as a browser does.
    @Test(arguments: [
        ("<div><p>Raw <races.png\" caption=\"x\">}}\n<ol><li>item</li></ol></div>", "<div><p>Raw }}\n</p><ol><li>item</li></ol></div>"),
        ("<p><custom-tag>a<p>b</p>c</custom-tag></p>", "<p>a</p><p>b</p>c"),
        ("<p><em><custom-tag>a<ul><li>b</li></ul></custom-tag></em></p>", "<p><em>a</em></p><ul><li>b</li></ul>"),
        // Inside a table cell, the paragraph outside is not ended; without a paragraph, nothing is.
        ("<p><custom-tag><table><tr><td><div>x</div></td></tr></table></custom-tag></p>", "<p></p><table><tr><td><div>x</div></td></tr></table>"),
        ("<ul><li>a<custom-tag><ol><li>b</li></ol></custom-tag></li></ul>", "<ul><li>a<ol><li>b</li></ol></li></ul>"),
    ])
    func blocksEndTheParagraphAnUnknownElementHides(_ html: String, _ expected: String) {
        #expect(sanitizer.sanitize(html) == expected)
    }

    @Test func commentsAndProcessingInstructionsAreDropped() {
        #expect(sanitizer.sanitize("<!-- secret --><p>x<!--y--></p><?php echo 1 ?>") == "<p>x</p>")
        // libxml2 ends a comment at `--!>` as browsers do, so the script is seen and dropped.
        #expect(sanitizer.sanitize("<!-- a --!><script>alert(1)</script> -->z") == " --&gt;z")
    }

    @Test func contentAfterVoidElementsSurvives() {
        // libxml2 2.9 nests what follows `<embed>`, `<source>`, `<wbr>`… inside them.
        #expect(sanitizer.sanitize("<p>a<embed src=\"x.swf\">b</p>") == "<p>ab</p>")
        #expect(sanitizer.sanitize("<p>a<embed src=\"x.swf\">b<wbr>c<keygen>d</p>") == "<p>ab<wbr>cd</p>")
    }

    // MARK: Text and characters

    @Test func textIsEscaped() {
        #expect(sanitizer.sanitize("<p title='a \"b\" &amp; <c>'>1 &lt; 2 &amp;&amp; \"q\" &gt; 0</p>")
            == "<p title=\"a &quot;b&quot; &amp; &lt;c&gt;\">1 &lt; 2 &amp;&amp; &quot;q&quot; &gt; 0</p>")
        #expect(sanitizer.sanitize("a < b & c > d") == "a &lt; b &amp; c &gt; d")
    }

    @Test func nonASCIITextStaysCharacters() {
        let text = "<p>中文，日本語、한국어 — café ñ 😀</p>"
        #expect(sanitizer.sanitize(text) == text)
        #expect(sanitizer.sanitize(text, as: .xhtml) == text)
        #expect(sanitizer.sanitize("&eacute;&nbsp;&#x4E2D;") == "é\u{A0}中")
    }

    @Test func preKeepsItsMeaningfulNewline() {
        #expect(sanitizer.sanitize("<pre>\n\ncode</pre>") == "<pre>\n\ncode</pre>")
        #expect(sanitizer.sanitize("<pre>\ncode</pre>") == "<pre>code</pre>")
        #expect(sanitizer.sanitize("<pre>\n\ncode</pre>", as: .xhtml) == "<pre>\ncode</pre>")
    }

    // MARK: Broken and hostile input

    @Test(arguments: [
        ("<b><i>x</b>", "<b><i>x</i></b>"),
        ("<<<>>>", "&lt;&lt;&lt;&gt;&gt;&gt;"),
        ("<a href=\"", "<a href=\"\"></a>"),
        ("<p>a<p>b", "<p>a</p><p>b</p>"),
        ("</div></p>text", "text"),
        ("<p>a</p></body></html><p>b</p>", "<p>a</p><p>b</p>"),
        ("<body onload=\"x()\"><p>a</p>", "<p>a</p>"),
        ("a\u{0}b", "a b"),
        ("", ""),
        ("   ", "   "),
    ])
    func brokenInputGivesSaneOutput(_ input: String, _ expected: String) {
        #expect(sanitizer.sanitize(input) == expected)
    }

    @Test func deepNestingNeitherCrashesNorHangs() {
        let deep = String(repeating: "<div>", count: 50_000) + "x" + String(repeating: "</div>", count: 50_000)
        let html = sanitizer.sanitize(deep)
        #expect(html.hasPrefix("<div><div>"))
        let xhtml = sanitizer.sanitize(deep, as: .xhtml)
        #expect(XHTML.wellFormednessErrors("<root>\(xhtml)</root>").isEmpty)
        let unclosed = String(repeating: "<b><span>", count: 50_000)
        #expect(XHTML.wellFormednessErrors("<root>\(sanitizer.sanitize(unclosed, as: .xhtml))</root>").isEmpty)
    }

    @Test func xhtmlOutputOfMessyInputIsWellFormed() {
        let messy = """
            <h2 id=intro class=x>Intro<br><hr>
            <p>Unclosed <b>bold <i>both</b> text & stuff < 3 "quotes" 'single'
            <img src=a.png alt='a "b"' title="t&#9;tab"><input type=checkbox checked><wbr>
            <table align=center><tr><td nowrap data-x>cell<td>cell2</table>
            <ul><li>one<li>two</ul><details open><summary>s</summary>d</details>
            <center><font color=red>legacy</font></center><!-- c -- c --><script>x</script>
            <p title="line1
            line2">中文</p>\u{1}\u{B}
            """
        let xhtml = sanitizer.sanitize(messy, as: .xhtml)
        #expect(XHTML.wellFormednessErrors("<div>\(xhtml)</div>").isEmpty)
        #expect(xhtml.contains("<br />"))
        #expect(xhtml.contains("<input type=\"checkbox\" checked=\"checked\" disabled=\"disabled\" />"))
        #expect(xhtml.contains("<td data-x=\"\">cell</td>"))
        #expect(xhtml.contains("title=\"line1&#10;line2\""))
    }

    @Test func concurrentCallsAgree() async {
        let input = "<p onclick=x>a <a href=\"javascript:y\">b</a> 中文</p><script>z</script><table><tr><td align=left>c</table>"
        let expected = sanitizer.sanitize(input)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<200).allSatisfy { _ in HTMLSanitizer().sanitize(input) == expected }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
