// Options of the HTML backend: which flavor of HTML, what to do with raw HTML, and which
// markup the readers get.

public import HeraldCore

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

/// How the HTML backend renders.
public struct HTMLOptions: Sendable {
    public var flavor: HTMLFlavor
    public var rawHTML: RawHTMLPolicy
    /// Whether pages get a table of contents (a post can also ask with `toc: true`).
    public var tableOfContents: Bool
    /// The markup that differs between readers: headings, footnotes, table alignment and the
    /// clean-up of raw HTML. ``WebMarkup`` unless a backend writes for other readers.
    public var markup: any HTMLMarkup

    public init(
        flavor: HTMLFlavor = .herald, rawHTML: RawHTMLPolicy = .sanitize, tableOfContents: Bool = false,
        markup: any HTMLMarkup = WebMarkup()
    ) {
        self.flavor = flavor
        self.rawHTML = rawHTML
        self.tableOfContents = tableOfContents
        self.markup = markup
    }

    /// The options written out, for the fingerprints of the backends that render with them
    /// (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("HTMLOptions")
        settings.add("flavor", raw: flavor.rawValue)
        settings.add("rawHTML", raw: rawHTML.rawValue)
        settings.add("tableOfContents", tableOfContents)
        settings.add("markup", raw: markup.fingerprint)
        return settings
    }
}
