// Options of the HTML backend: which flavor of HTML and what to do with raw HTML.

/// Which rules the HTML follows.
public enum HTMLFlavor: String, CaseIterable, Sendable {
    /// Exactly CommonMark: no extensions, no Herald additions.
    case commonmark
    /// Exactly GitHub Flavored Markdown: its extensions, no Herald additions.
    case gfm
    /// GFM plus Herald's additions: heading ids and anchors, the CJK soft-break rule.
    case herald

    /// Whether Herald's additions apply.
    public var hasHeraldAdditions: Bool { self == .herald }
}

/// What happens to HTML written inside a post.
public enum RawHTMLPolicy: String, CaseIterable, Sendable {
    /// Shown as text: `<b>` appears as the characters `<b>`.
    case escape
    /// Harmless markup from an allow-list is kept; scripts, styles, event handlers,
    /// `javascript:`/`data:` URLs, iframes and forms are dropped.
    case sanitize
    /// Passed through as written (GFM's tag filter still applies outside the CommonMark flavor).
    case keep
}

/// Who reads the markup.
public enum HTMLTarget: Sendable {
    /// Browsers and mail readers: HTML.
    case web
    /// EPUB 3 reading systems: well-formed XHTML, footnotes as EPUB notes (`epub:type`),
    /// table alignment as classes, raw HTML always sanitized for EPUB.
    case epub
}

/// How the HTML backend renders.
public struct HTMLOptions: Sendable {
    public var flavor: HTMLFlavor
    public var rawHTML: RawHTMLPolicy
    /// Whether pages get a table of contents (a post can also ask with `toc: true`).
    public var tableOfContents: Bool
    /// Whether headings carry a `#` link to themselves (herald flavor only). Off for outputs
    /// read away from the page, such as email.
    public var headingAnchors: Bool
    public var target: HTMLTarget

    public init(
        flavor: HTMLFlavor = .herald, rawHTML: RawHTMLPolicy = .sanitize, tableOfContents: Bool = false,
        headingAnchors: Bool = true, target: HTMLTarget = .web
    ) {
        self.flavor = flavor
        self.rawHTML = target == .epub ? .sanitize : rawHTML
        self.tableOfContents = tableOfContents
        self.headingAnchors = target == .epub ? false : headingAnchors
        self.target = target
    }
}
