// The markup of an EPUB chapter where it differs from a web page: EPUB 3 notes, table
// alignment as classes, no heading anchors, raw HTML sanitized as XHTML for reading systems.

import HeraldCore
import HeraldHTML
import HeraldXHTML

extension HTMLOptions {
    /// How chapters are rendered: Herald's flavor in EPUB markup, and raw HTML always sanitized
    /// (a book's XHTML must stay well-formed, whatever the author wrote).
    static let epubChapter = HTMLOptions(flavor: .herald, rawHTML: .sanitize, markup: EPUBMarkup())
}

/// How the HTML renderer writes a chapter's body: well-formed XHTML for EPUB 3 reading systems.
struct EPUBMarkup: HTMLMarkup {
    /// Headings as on a web page, without the `#` link to themselves: a book has its own navigation.
    private let headings = WebMarkup(headingAnchors: false)

    var fingerprint: String {
        var settings = SettingsText("EPUBMarkup")
        settings.add("headings", raw: headings.fingerprint)
        return settings.text
    }

    // Reading systems show an aside of type footnote where it is referenced: no list around them.
    func openFootnotes(into out: inout String) {
        out += "<section class=\"footnotes\">\n"
    }

    func closeFootnotes(into out: inout String) {
        out += "</section>\n"
    }

    func openFootnote(id: String, into out: inout String) {
        out += "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"\(id)\">\n"
    }

    func closeFootnote(into out: inout String) {
        out += "</aside>\n"
    }

    /// An EPUB note pops up alone: it shows its own number.
    func footnoteLead(number: Int, into out: inout String) {
        out += "<span class=\"footnote-number\">\(number).</span> "
    }

    func footnoteReference(number: Int, footnoteID: String, id: String, into out: inout String) {
        out += "<sup class=\"footnote-ref\"><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#\(footnoteID)\" id=\"\(id)\">\(number)</a></sup>"
    }

    func footnoteBackLinks(to referenceIDs: FootnoteReferenceIDs, into out: inout String) {
        for (index, id) in referenceIDs.enumerated() {
            if index > 0 { out += " " }
            out += "<a href=\"#\(id)\" class=\"footnote-backref\" role=\"doc-backlink\">↩"
            if index > 0 { out += "<sup class=\"footnote-ref\">\(index + 1)</sup>" }
            out += "</a>"
        }
    }

    /// EPUB's XHTML has no `align`: a class the style sheet aligns.
    func tableCellAlignment(_ alignment: TableAlignment, into out: inout String) {
        out += " class=\"align-\(alignment.rawValue)\""
    }

    func openHeading(level: Int, id: String?, into out: inout String) {
        headings.openHeading(level: level, id: id, into: &out)
    }

    func closeHeading(level: Int, id: String?, into out: inout String) {
        headings.closeHeading(level: level, id: id, into: &out)
    }

    func sanitize(_ fragment: String) -> String {
        HTMLSanitizer(profile: .epub).sanitize(fragment, as: .xhtml)
    }
}
