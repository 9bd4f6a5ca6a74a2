// The renderer's extension points: a backend with other readers brings its own markup for
// headings, footnotes, table alignment and raw HTML, and the renderer writes what it is given.

import HeraldCore
import HeraldHTML
import Testing

/// Markup for an imagined reader, unlike the web's in every piece, so a test sees each one used.
struct BracketMarkup: HTMLMarkup {
    func openFootnotes(into out: inout String) { out += "<notes>\n" }
    func closeFootnotes(into out: inout String) { out += "</notes>\n" }
    func openFootnote(id: String, into out: inout String) { out += "<note id=\"\(id)\">\n" }
    func closeFootnote(into out: inout String) { out += "</note>\n" }
    func footnoteLead(number: Int, into out: inout String) { out += "[\(number)] " }

    func footnoteReference(number: Int, footnoteID: String, id: String, into out: inout String) {
        out += "<ref to=\"\(footnoteID)\" id=\"\(id)\">\(number)</ref>"
    }

    func footnoteBackLinks(to referenceIDs: FootnoteReferenceIDs, into out: inout String) {
        out += "<back to=\"\(referenceIDs.joined(separator: " "))\"/>"
    }

    func tableCellAlignment(_ alignment: TableAlignment, into out: inout String) {
        out += " style=\"text-align: \(alignment.rawValue)\""
    }

    func openHeading(level: Int, id: String?, into out: inout String) { out += "<h\(level) title=\"\(id ?? "-")\">" }
    func closeHeading(level: Int, id: String?, into out: inout String) { out += "</h\(level)>\n" }
    func sanitize(_ fragment: String) -> String { "<!-- clean -->\n" + fragment.replacingOccurrences(of: "<blink>", with: "") }
}

@Suite struct HTMLMarkupTests {
    let bracket = HTMLOptions(markup: BracketMarkup())

    @Test func footnotesAreWrittenByTheMarkup() {
        let html = renderHTML("Note[^a] and again[^a].\n\n[^a]: Text.\n", bracket)
        #expect(html == """
            <p>Note<ref to="fn-a" id="fnref-a">1</ref> and again<ref to="fn-a" id="fnref-a-2">1</ref>.</p>
            <notes>
            <note id="fn-a">
            <p>[1] Text. <back to="fnref-a fnref-a-2"/></p>
            </note>
            </notes>

            """)
    }

    @Test func tableAlignmentIsWrittenByTheMarkup() {
        let html = renderHTML("| a | b | c |\n|:-|-|-:|\n| 1 | 2 | 3 |\n", bracket)
        #expect(html.contains("<th style=\"text-align: left\">a</th>\n<th>b</th>\n<th style=\"text-align: right\">c</th>"))
        #expect(html.contains("<td style=\"text-align: left\">1</td>\n<td>2</td>\n<td style=\"text-align: right\">3</td>"))
        #expect(!html.contains("align="))
    }

    @Test func headingsAreWrittenByTheMarkup() {
        #expect(renderHTML("## What's New?\n", bracket) == "<h2 title=\"whats-new\">What's New?</h2>\n")
        #expect(renderHTML("## News\n", HTMLOptions(flavor: .gfm, markup: BracketMarkup())) == "<h2 title=\"-\">News</h2>\n")
    }

    @Test func rawHTMLIsCleanedByTheMarkup() {
        let html = renderHTML("<blink>Hi</blink>\n", HTMLOptions(rawHTML: .sanitize, markup: BracketMarkup()))
        #expect(html == "<!-- clean -->\n<p>Hi</blink></p>\n")
        // Without raw HTML there is nothing to clean.
        #expect(renderHTML("Hi\n", HTMLOptions(rawHTML: .sanitize, markup: BracketMarkup())) == "<p>Hi</p>\n")
    }

    /// Comments are all the sanitizer would take from a post whose only HTML they are: they go
    /// without it (it would parse the whole page again). With other HTML, it still runs.
    @Test func commentsAloneAreDroppedWithoutTheSanitizer() {
        let options = HTMLOptions(rawHTML: .sanitize, markup: BracketMarkup())
        #expect(renderHTML("One\n\n<!--more-->\n\nTwo <!-- aside --> end\n", options) == "<p>One</p>\n<p>Two  end</p>\n")
        #expect(renderHTML("<!--more-->\n\n<blink>Hi</blink>\n", options) == "<!-- clean -->\n<p>Hi</blink></p>\n")
        // Shown as text when raw HTML is escaped, as before.
        #expect(renderHTML("<!--more-->\n", HTMLOptions(rawHTML: .escape)) == "&lt;!--more--&gt;\n")
    }

    @Test func webMarkupIsTheDefault() {
        let source = "## A\n\nx[^1]\n\n| a |\n|:-:|\n| 1 |\n\n<b>b</b>\n\n[^1]: n\n"
        #expect(renderHTML(source, HTMLOptions(markup: WebMarkup())) == renderHTML(source))
        #expect(renderHTML(source).contains("<section class=\"footnotes\" data-footnotes>\n<ol>\n<li id=\"fn-1\">"))
    }

    @Test func webMarkupCanLeaveOutHeadingAnchors() {
        let options = HTMLOptions(markup: WebMarkup(headingAnchors: false))
        #expect(renderHTML("## What's New?\n", options) == "<h2 id=\"whats-new\">What's New?</h2>\n")
    }
}
