// What the sanitizer lets through, written as data: allowed elements with their attributes,
// elements dropped with their content, URL attributes and the schemes they may use.

/// The allow-list behind ``HTMLSanitizer``.
///
/// - Elements in `elements` are kept with the global attributes, their own attributes, `align`
///   where `alignable` says so, and plain `data-*` attributes.
/// - Elements in `droppedWithContent` disappear with everything inside them.
/// - Any other element is unwrapped: the tag goes, its content stays.
/// - `target` on links is dropped rather than paired with `rel="noopener"`: a post's links open
///   where the reader chooses, and no opener can be abused.
struct SanitizerPolicy: FragmentPolicy {
    /// Allowed elements and the attributes each may carry besides the global ones.
    static let elements: [String: Set<String>] = [
        // Text blocks and sections.
        "p": [], "div": [], "span": [], "br": [], "hr": [], "wbr": [],
        "h1": [], "h2": [], "h3": [], "h4": [], "h5": [], "h6": [],
        "blockquote": ["cite"], "pre": [], "section": [], "article": [], "aside": [],
        "header": [], "footer": [], "nav": [], "address": [],
        "figure": [], "figcaption": [], "details": ["open"], "summary": [],
        // Phrases.
        "code": [], "kbd": [], "samp": [], "var": [], "em": [], "strong": [], "b": [], "i": [],
        "u": [], "s": [], "strike": [], "sub": [], "sup": [], "small": [], "mark": [],
        "abbr": [], "cite": [], "dfn": [], "q": ["cite"], "bdi": [], "bdo": [],
        "del": ["cite", "datetime"], "ins": ["cite", "datetime"], "time": ["datetime"],
        "ruby": [], "rt": [], "rp": [],
        // Links and images.
        "a": ["href", "name", "rel"],
        "img": ["src", "alt", "width", "height", "loading", "srcset", "sizes"],
        "picture": [], "source": ["srcset", "sizes", "media", "type"],
        // Lists.
        "ul": [], "ol": ["start", "type", "reversed"], "li": ["value"], "dl": [], "dt": [], "dd": [],
        // Tables.
        "table": [], "caption": [], "thead": [], "tbody": [], "tfoot": [], "tr": [],
        "th": ["colspan", "rowspan", "scope"], "td": ["colspan", "rowspan"],
        "colgroup": ["span"], "col": ["span"],
        // `input` is allowed only as a task-list checkbox: see `decide`.
    ]

    /// Attributes every allowed element may carry (`data-*` is checked by `isPlainDataAttribute`).
    static let globalAttributes: Set<String> = [
        "id", "class", "title", "lang", "dir", "role", "aria-label", "aria-hidden",
    ]

    /// Elements that may carry the legacy `align` attribute (cmark-gfm's table cells use it).
    static let alignable: Set<String> = [
        "p", "div", "img", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "col", "colgroup",
    ]

    /// Elements removed together with their content: active content, forms, metadata and the
    /// foreign SVG/MathML trees (too much attack surface for a blog post).
    static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "noframes", "object", "embed", "applet",
        "param", "form", "input", "button", "select", "option", "optgroup", "textarea", "datalist",
        "output", "keygen", "isindex", "noscript", "noembed", "template", "svg", "math",
        "link", "meta", "base", "basefont", "bgsound", "title", "head", "portal",
    ]

    /// Attributes holding one URL, checked with `isAllowedURL` wherever they appear.
    static let urlAttributes: Set<String> = [
        "href", "src", "cite", "action", "formaction", "xlink:href", "poster", "background",
        "longdesc", "usemap", "codebase", "data", "ping", "manifest", "dynsrc", "lowsrc", "icon",
    ]

    /// Attributes holding a list of image candidates, checked with `isAllowedSrcset`.
    static let srcsetAttributes: Set<String> = ["srcset", "imagesrcset"]

    /// Schemes a URL may have; a URL without a scheme (`#id`, `/path`, `path`) is allowed too.
    static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    // MARK: FragmentPolicy

    /// Where the parts of tables and lists may stand: directly inside one of these. Elsewhere
    /// (a `<td>` alone, an `<li>` inside `<i>`) a browser's parser reports an error and moves
    /// or drops them, so they are unwrapped: their content stays.
    static let requiredParents: [String: Set<String>] = [
        "li": ["ul", "ol", "menu"], "dt": ["dl"], "dd": ["dl"],
        "caption": ["table"], "colgroup": ["table"], "thead": ["table"], "tbody": ["table"], "tfoot": ["table"],
        "col": ["colgroup"], "tr": ["table", "thead", "tbody", "tfoot"], "td": ["tr"], "th": ["tr"],
    ]

    /// What a table's own structure may hold directly; anything else there (a nested
    /// `<table>`, an `<i>`) is unwrapped, as only a cell or a caption holds content.
    static let allowedChildren: [String: Set<String>] = [
        "table": ["caption", "colgroup", "thead", "tbody", "tfoot", "tr"],
        "thead": ["tr"], "tbody": ["tr"], "tfoot": ["tr"], "tr": ["td", "th"], "colgroup": ["col"],
    ]

    /// Parts that HTML parsers take without complaint at the top of the body (a list item on
    /// its own), but not inside another element.
    static let allowedAtTop: Set<String> = ["li", "dt", "dd"]

    func decide(_ element: FragmentElement, inside ancestors: [String]) -> ElementDecision {
        let parent = ancestors.last
        if let required = Self.requiredParents[element.name] {
            let inPlace = parent.map(required.contains) ?? Self.allowedAtTop.contains(element.name)
            if !inPlace { return .unwrap }
        }
        if let parent, let allowed = Self.allowedChildren[parent], !allowed.contains(element.name),
            !Self.droppedWithContent.contains(element.name)
        {
            return .unwrap
        }
        return decide(element)
    }

    func decide(_ element: FragmentElement) -> ElementDecision {
        if element.name == "input" { return Self.taskCheckbox(element) }
        if Self.droppedWithContent.contains(element.name) { return .drop }
        guard let own = Self.elements[element.name] else { return .unwrap }
        let alignable = Self.alignable.contains(element.name)
        let kept = element.attributes.filter { attribute in
            let name = attribute.name
            guard Self.globalAttributes.contains(name) || own.contains(name) || (alignable && name == "align")
                || Self.isPlainDataAttribute(name)
            else { return false }
            if Self.urlAttributes.contains(name) { return Self.isAllowedURL(attribute.value ?? "") }
            if Self.srcsetAttributes.contains(name) { return Self.isAllowedSrcset(attribute.value ?? "") }
            return true
        }
        return .keep(kept)
    }

    func keepsComment(_ text: String) -> Bool { false }

    var keepsRawText: Bool { false }

    // MARK: Rules

    /// A GFM task-list box: `type`, `checked` and a forced `disabled`; any other input goes.
    static func taskCheckbox(_ element: FragmentElement) -> ElementDecision {
        let type = element.attribute("type")?.value ?? ""
        guard type.trimmingASCIIWhitespace().lowercased() == "checkbox" else { return .drop }
        var attributes = [FragmentAttribute(name: "type", value: "checkbox")]
        if element.attribute("checked") != nil { attributes.append(FragmentAttribute(name: "checked", value: nil)) }
        attributes.append(FragmentAttribute(name: "disabled", value: nil))
        return .keep(attributes)
    }

    /// `data-` followed by ASCII letters, digits and hyphens only.
    static func isPlainDataAttribute(_ name: String) -> Bool {
        guard name.hasPrefix("data-"), name.utf8.count > 5 else { return false }
        return name.utf8.dropFirst(5).allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D
        }
    }

    /// Whether a URL (entities already decoded by the parser) is relative or has an allowed
    /// scheme. Browsers strip leading and trailing controls and spaces and ignore tabs and
    /// newlines anywhere, so `java\tscript:` is `javascript:`; this check ignores every control
    /// character and space anywhere, which is stricter. A `:` before any `/`, `?` or `#` marks a
    /// scheme; a colon after them is part of a relative URL.
    static func isAllowedURL(_ url: String) -> Bool {
        var scheme = ""
        for scalar in url.unicodeScalars {
            switch scalar.value {
            case 0...0x20, 0x7F...0x9F:
                continue
            case 0x3A: // ":"
                return allowedSchemes.contains(scheme.lowercased())
            case 0x2F, 0x3F, 0x23: // "/", "?", "#"
                return true
            default:
                scheme.unicodeScalars.append(scalar)
            }
        }
        return true
    }

    /// Whether every image candidate in a `srcset` is allowed. A browser starts each candidate
    /// URL after whitespace or a comma, so checking every piece between those is conservative:
    /// `a.png 1x,javascript:x 2x` fails on its piece `javascript:x`.
    static func isAllowedSrcset(_ value: String) -> Bool {
        value.unicodeScalars
            .split { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }
            .allSatisfy { isAllowedURL(String(String.UnicodeScalarView($0))) }
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (HTML's definition).
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\u{0C}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}

/// The allow-list for EPUB content documents: the web one, adjusted to what EPUB 3 and
/// epubcheck accept.
struct EPUBSanitizerPolicy: FragmentPolicy {
    /// Elements that are interactive content: none may sit inside a link.
    static let interactive: Set<String> = ["a", "details", "summary", "input", "label", "audio", "video"]

    func decide(_ element: FragmentElement) -> ElementDecision {
        decide(element, inside: [])
    }

    func decide(_ element: FragmentElement, inside ancestors: [String]) -> ElementDecision {
        if Self.interactive.contains(element.name) && ancestors.contains("a") { return .unwrap }
        switch element.name {
        case "img":
            // Only images the book embeds may be shown; the renderer embeds Markdown images,
            // raw ones read as their alt text.
            let alt = element.attribute("alt")?.value ?? ""
            return alt.isEmpty ? .drop : .replace(alt)
        case "picture", "source":
            return element.name == "picture" ? .unwrap : .drop
        default:
            break
        }
        var attributes = element.attributes.filter { $0.name == "epub:type" }
        switch SanitizerPolicy().decide(element, inside: ancestors) {
        case .keep(let kept):
            attributes = kept.filter { $0.name != "align" && $0.name != "loading" } + attributes
            return .keep(attributes)
        case let other:
            return other
        }
    }

    func keepsComment(_ text: String) -> Bool { false }

    var keepsRawText: Bool { false }
}
