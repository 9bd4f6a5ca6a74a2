// HTML -> XHTML conversion without sanitizing, and the well-formedness check with its positions.

import HeraldXHTML
import Foundation
import Testing

@Suite struct XHTMLTests {
    @Test func voidAndBooleanAttributesAreWrittenAsXML() {
        #expect(XHTML.fromHTML("<p>a<br>b<img src=x alt=y><input type=checkbox checked>c<wbr>d</p>")
            == "<p>a<br />b<img src=\"x\" alt=\"y\" /><input type=\"checkbox\" checked=\"checked\" />c<wbr />d</p>")
        #expect(XHTML.fromHTML("<table><tr><td nowrap data-x>c</td></tr></table>")
            == "<table><tr><td nowrap=\"nowrap\" data-x=\"\">c</td></tr></table>")
    }

    @Test func nothingIsSanitized() {
        #expect(XHTML.fromHTML("<p onclick=\"x()\"><a href=\"javascript:y\">z</a></p>")
            == "<p onclick=\"x()\"><a href=\"javascript:y\">z</a></p>")
        #expect(XHTML.fromHTML("<script>if (a < b && c) x()</script><style>p>a{}</style>")
            == "<script>if (a &lt; b &amp;&amp; c) x()</script><style>p&gt;a{}</style>")
        #expect(XHTML.fromHTML("<!-- kept --><p>x</p>") == "<!-- kept --><p>x</p>")
    }

    @Test func whatXMLCannotHoldIsDropped() {
        #expect(XHTML.fromHTML("<x:y foo:bar=1 .a=2 _b=3 xml:lang=en xmlns=\"u\" xmlns:q=\"v\">t</x:y>")
            == "<y _b=\"3\" xml:lang=\"en\">t</y>")
        #expect(XHTML.fromHTML("<!-- a -- b --><!-- c- --><!DOCTYPE html><?php x ?>t\u{1}\u{C}") == "<!-- c- -->t")
    }

    @Test(arguments: [
        "<b><i>x</b>", "<<<>>>", "<a href=\"", "<p>a<p>b<table><tr><td>c</table>",
        "<p>x &amp; y &nbsp; &copy; 中文 \"q\" 'a'</p>", "<!-- a -- b -->text<!-- ok -->",
        "<div id=a id=b class=\"x\" CLASS=\"y\">dup</div>", "<td data-x title=\"a\tb\nc\">x</td>",
        "<x:y foo:bar=1 .a=2 _b=3>t</x:y>", "<svg viewBox=\"0 0 1 1\"><use xlink:href=\"#a\"/></svg>",
        "<script>a<b && c]]>d</script><style>a>b{}</style>", "\u{1}\u{1F}\u{7F}\u{FFFE}x",
        "<p>a</p></body></html><p>b</p>", "<pre>\n\ncode</pre>", "",
    ])
    func outputIsWellFormed(_ html: String) {
        let xhtml = XHTML.fromHTML(html)
        #expect(XHTML.wellFormednessErrors("<body>\(xhtml)</body>").isEmpty, "\(xhtml)")
    }

    @Test func mismatchedTagsAreReportedWithPosition() throws {
        let problems = XHTML.wellFormednessErrors("<a><b></a>")
        let first = try #require(problems.first)
        #expect(first.line == 1)
        #expect(first.column == 11)
        #expect(first.message.contains("mismatch"))

        let multiLine = try #require(XHTML.wellFormednessErrors("<a>\n  <b>\n</a>").first)
        #expect(multiLine.line == 3)
        #expect(multiLine.column == 5)
    }

    @Test(arguments: [
        "", "<a>", "text", "<a></b>", "<a x='1' x='2'/>", "<a>&nbsp;</a>", "<a>&</a>", "<a><x:b/></a>", "<a/><b/>",
    ])
    func malformedDocumentsAreReported(_ text: String) {
        let problems = XHTML.wellFormednessErrors(text)
        #expect(!problems.isEmpty)
        #expect(problems.allSatisfy { $0.line >= 1 && !$0.message.isEmpty })
    }

    @Test func wellFormedDocumentsPass() {
        #expect(XHTML.wellFormednessErrors("<a/>").isEmpty)
        #expect(XHTML.wellFormednessErrors("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>中文 &amp; &#x4E2D;</p></body></html>\n").isEmpty)
    }

    /// An external entity names a file that is not well-formed XML: had it been loaded and
    /// substituted, its errors would be reported.
    @Test func externalEntitiesAreNeitherLoadedNorSubstituted() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("herald-entity-\(UUID().uuidString).xml")
        try Data("<broken attribute=>".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let text = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"\(file.absoluteString)\">]><a>&x;</a>"
        #expect(XHTML.wellFormednessErrors(text).isEmpty)
        #expect(!XHTML.wellFormednessErrors("<a><broken attribute=></a>").isEmpty, "the file's text is an error where it stands")
    }

    /// Nine levels of ten: a billion `a`s if expanded. libxml2 does not expand it: it reports
    /// the entities as a problem, at once.
    @Test func entityExpansionIsNotPerformed() {
        var declarations = "<!ENTITY e0 \"aaaaaaaaaa\">"
        for level in 1...9 { declarations += "<!ENTITY e\(level) \"" + String(repeating: "&e\(level - 1);", count: 10) + "\">" }
        let laughs = "<!DOCTYPE a [\(declarations)]><a>&e9;&e9;</a>"
        let problems = XHTML.wellFormednessErrors(laughs)
        #expect(!problems.isEmpty && problems.allSatisfy { $0.message.lowercased().contains("entity") }, "\(problems)")
    }

    @Test func concurrentChecksAgree() async {
        let results = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<200).reduce(0) { count, _ in count + XHTML.wellFormednessErrors("<a><b></a>").count }
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: 400, count: 8))
    }
}
