// The sanitizer's public face: parse an author's HTML fragment with libxml2, keep what the
// allow-list in `SanitizerPolicy` permits, and serialize it as HTML or XHTML.

/// How markup is written out.
public enum HTMLOutputSyntax: Sendable {
    /// HTML: void elements as `<br>`, boolean attributes bare (`<input checked>`).
    case html
    /// Well-formed XML: void elements as `<br />`, every attribute quoted with a value
    /// (`checked="checked"`), only characters XML allows.
    case xhtml
}

/// Cleans untrusted HTML fragments (the raw HTML an author wrote inside a post) down to
/// harmless markup.
///
/// Allowed elements keep only allowed attributes; scripts, styles, frames, plugins, forms,
/// SVG and MathML are dropped with their content; unknown elements are unwrapped; comments go;
/// URLs must be relative or use `http`, `https` or `mailto`. Characters are written as
/// characters, never as numeric references. Safe to call from many tasks at once.
public struct HTMLSanitizer: Sendable {
    /// Which readers the markup is for.
    public enum Profile: Sendable {
        /// Web pages and email.
        case web
        /// EPUB 3 content documents: also keeps `epub:type`; drops what EPUB forbids or
        /// cannot hold (legacy `align`, images outside the book, which become their alt text)
        /// and interactive elements inside links.
        case epub
    }

    public var profile: Profile

    /// Creates a sanitizer with Herald's fixed allow-list.
    public init(profile: Profile = .web) { self.profile = profile }

    /// Parses an HTML *fragment* (the body of a rendered post; it may hold any raw HTML an
    /// author wrote: unbalanced tags, comments, garbage) as the content of `<body>` with
    /// libxml2's HTML parser, removes everything not on the allow-list, and serializes the rest.
    ///
    /// Nesting deeper than libxml2's limit of 256 elements ends the parse: content after that
    /// point is lost rather than trusted.
    /// - Parameters:
    ///   - fragment: The HTML to clean. Empty input gives empty output.
    ///   - syntax: `.html` for web pages, `.xhtml` for XML consumers such as EPUB.
    /// - Returns: The cleaned fragment.
    public func sanitize(_ fragment: String, as syntax: HTMLOutputSyntax = .html) -> String {
        switch profile {
        case .web: FragmentFilter.render(fragment, as: syntax, policy: SanitizerPolicy())
        case .epub: FragmentFilter.render(fragment, as: syntax, policy: EPUBSanitizerPolicy())
        }
    }
}
