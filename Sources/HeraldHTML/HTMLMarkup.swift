// The renderer's extension points: the few pieces of markup that differ between the readers of
// the HTML (web pages, mail, books), and the web's own version of them.

public import HeraldCore
import HeraldXHTML

/// The pieces of markup that differ between the outputs built on ``HTMLRenderer``.
///
/// The renderer writes everything CommonMark and GFM define (paragraphs, lists, code, links)
/// the same way for every reader, and asks its markup for the rest: headings, footnotes,
/// table cell alignment and the clean-up of raw HTML. ``WebMarkup`` writes web pages; a
/// backend with other readers (EPUB's reading systems) brings its own conformance.
///
/// Every method appends its markup to `out`, which the renderer then adds to the fragment it
/// writes (as UTF-8 bytes). Values passed as ids are ready to be written inside a double-quoted attribute unless a
/// parameter says otherwise.
public protocol HTMLMarkup: Sendable {
    /// Opens the section that holds the footnotes, before the first footnote definition.
    /// - Parameter out: Where the markup is written (appended).
    func openFootnotes(into out: inout String)

    /// Closes the section opened by ``openFootnotes(into:)``, at the end of the fragment.
    /// - Parameter out: Where the markup is written (appended).
    func closeFootnotes(into out: inout String)

    /// Opens one footnote definition.
    /// - Parameters:
    ///   - id: The definition's id, which its references link to (`fn-1`).
    ///   - out: Where the markup is written (appended).
    func openFootnote(id: String, into out: inout String)

    /// Closes the footnote definition opened by ``openFootnote(id:into:)``.
    /// - Parameter out: Where the markup is written (appended).
    func closeFootnote(into out: inout String)

    /// Writes what starts the first paragraph of a footnote, after its `<p>`: a footnote that
    /// is shown on its own (a pop-up) may need to show its number.
    /// - Parameters:
    ///   - number: The footnote's number, counted from 1 in the order of the definitions.
    ///   - out: Where the markup is written (appended).
    func footnoteLead(number: Int, into out: inout String)

    /// Writes a reference to a footnote, where the text cites it.
    /// - Parameters:
    ///   - number: The footnote's number, which the reader sees.
    ///   - footnoteID: The id of the footnote definition to link to (`fn-1`).
    ///   - id: The reference's own id, which the footnote links back to (`fnref-1`, `fnref-1-2`).
    ///   - out: Where the markup is written (appended).
    func footnoteReference(number: Int, footnoteID: String, id: String, into out: inout String)

    /// Writes the links from a footnote back to the places that cite it, at the end of its
    /// last paragraph (or after its last block).
    /// - Parameters:
    ///   - referenceIDs: The ids of the footnote's references, in document order; at least one.
    ///   - out: Where the markup is written (appended).
    func footnoteBackLinks(to referenceIDs: FootnoteReferenceIDs, into out: inout String)

    /// Writes the attribute that aligns a table cell, with its leading space (` align="left"`).
    /// - Parameters:
    ///   - alignment: The alignment of the cell's column; never `.none`.
    ///   - out: Where the markup is written (appended); it follows `<td` or `<th`.
    func tableCellAlignment(_ alignment: TableAlignment, into out: inout String)

    /// Opens a heading.
    /// - Parameters:
    ///   - level: 1 to 6.
    ///   - id: The heading's id, not escaped; nil when the flavor gives headings no ids.
    ///   - out: Where the markup is written (appended).
    func openHeading(level: Int, id: String?, into out: inout String)

    /// Closes a heading opened by ``openHeading(level:id:into:)``, with whatever follows its
    /// text inside it (a link to the heading itself) and the line break after it.
    /// - Parameters:
    ///   - level: 1 to 6.
    ///   - id: The heading's id, not escaped; nil when the flavor gives headings no ids.
    ///   - out: Where the markup is written (appended).
    func closeHeading(level: Int, id: String?, into out: inout String)

    /// Cleans a whole rendered fragment that holds raw HTML, when the raw HTML policy is
    /// ``RawHTMLPolicy/sanitize``: the author's markup is untrusted and must come out as the
    /// readers expect it (HTML or XHTML).
    /// - Parameter fragment: The rendered fragment, Herald's markup and the author's together.
    /// - Returns: The fragment with only harmless markup left.
    func sanitize(_ fragment: String) -> String

    /// The markup's settings as text, for the build cache (see ``Backend/fingerprint``). The
    /// default describes the value by reflection.
    var fingerprint: String { get }
}

extension HTMLMarkup {
    public var fingerprint: String { String(reflecting: self) }
}

/// The ids of the references to one footnote, in document order: `fnref-<label>` for the first,
/// `fnref-<label>-<n>` for the n-th after it. Computed when read, never stored.
public struct FootnoteReferenceIDs: RandomAccessCollection, Sendable {
    /// The footnote's label, escaped for an attribute.
    let label: String
    public let count: Int

    init(label: String, count: Int) {
        self.label = label
        self.count = count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The id of the reference at `position` (0 for the first).
    public subscript(position: Int) -> String { Self.id(label: label, occurrence: position + 1) }

    /// The id of the `occurrence`-th reference (from 1) to the footnote with `label` (escaped).
    static func id(label: String, occurrence: Int) -> String {
        occurrence == 1 ? "fnref-\(label)" : "fnref-\(label)-\(occurrence)"
    }
}

/// Web pages' markup: GitHub's footnotes (an ordered list with `data-footnote-*` attributes),
/// `align` attributes on table cells, headings with a `#` link to themselves, and raw HTML
/// sanitized as HTML.
public struct WebMarkup: HTMLMarkup {
    /// Whether headings that have an id carry a `#` link to themselves. Off for outputs read
    /// away from the page, such as email.
    public var headingAnchors: Bool

    /// Creates the web's markup.
    /// - Parameter headingAnchors: Whether headings carry a `#` link to themselves.
    public init(headingAnchors: Bool = true) { self.headingAnchors = headingAnchors }

    public var fingerprint: String {
        var settings = SettingsText("WebMarkup")
        settings.add("headingAnchors", headingAnchors)
        return settings.text
    }

    public func openFootnotes(into out: inout String) {
        out += "<section class=\"footnotes\" data-footnotes>\n<ol>\n"
    }

    public func closeFootnotes(into out: inout String) {
        out += "</ol>\n</section>\n"
    }

    public func openFootnote(id: String, into out: inout String) {
        out += "<li id=\"\(id)\">\n"
    }

    public func closeFootnote(into out: inout String) {
        out += "</li>\n"
    }

    /// Nothing: the list around the footnotes shows their numbers.
    public func footnoteLead(number: Int, into out: inout String) {}

    public func footnoteReference(number: Int, footnoteID: String, id: String, into out: inout String) {
        out += "<sup class=\"footnote-ref\"><a href=\"#\(footnoteID)\" id=\"\(id)\" data-footnote-ref>\(number)</a></sup>"
    }

    public func footnoteBackLinks(to referenceIDs: FootnoteReferenceIDs, into out: inout String) {
        for (index, id) in referenceIDs.enumerated() {
            if index > 0 { out += " " }
            out += "<a href=\"#\(id)\" class=\"footnote-backref\" data-footnote-backref aria-label=\"Back to content\">↩"
            if index > 0 { out += "<sup class=\"footnote-ref\">\(index + 1)</sup>" }
            out += "</a>"
        }
    }

    public func tableCellAlignment(_ alignment: TableAlignment, into out: inout String) {
        out += " align=\"\(alignment.rawValue)\""
    }

    public func openHeading(level: Int, id: String?, into out: inout String) {
        if let id {
            out += "<h\(level) id=\"\(Escape.html(id))\">"
        } else {
            out += "<h\(level)>"
        }
    }

    public func closeHeading(level: Int, id: String?, into out: inout String) {
        if headingAnchors, let id {
            out += " <a class=\"anchor\" href=\"#\(Escape.href(id))\" aria-hidden=\"true\">#</a>"
        }
        out += "</h\(level)>\n"
    }

    public func sanitize(_ fragment: String) -> String {
        HTMLSanitizer().sanitize(fragment)
    }
}
