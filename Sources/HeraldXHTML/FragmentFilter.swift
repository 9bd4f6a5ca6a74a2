// A parsed HTML fragment as Swift events, the policy hook that decides what survives, and the
// one walk that applies a policy and writes markup: shared by the sanitizer and the XHTML converter.

/// An element as libxml2's HTML parser saw it (names already lowercased).
struct FragmentElement: Equatable {
    var name: String
    var attributes: [FragmentAttribute]

    /// The first attribute called `name`, if present.
    func attribute(_ name: String) -> FragmentAttribute? {
        attributes.first { $0.name == name }
    }
}

/// One attribute; `value` is nil when the source had a bare name (`<td nowrap>`).
struct FragmentAttribute: Equatable {
    var name: String
    var value: String?
}

/// One step of a depth-first walk; every `.start` is matched by an `.end`.
enum FragmentEvent: Equatable {
    case start(FragmentElement)
    case end
    case text(String)
    /// The content of `<script>` or `<style>`, which libxml2 does not parse as markup.
    case rawText(String)
    case comment(String)
}

/// What the walk does with one element.
enum ElementDecision: Equatable {
    /// Write the element with these attributes, then its content.
    case keep([FragmentAttribute])
    /// Leave the element out but keep its content.
    case unwrap
    /// Leave out the element and everything in it.
    case drop
    /// Write this text instead of the element and its content (an image's alt text).
    case replace(String)
}

/// Decides, element by element, what a filtered fragment keeps.
protocol FragmentPolicy {
    func decide(_ element: FragmentElement) -> ElementDecision
    /// The decision for an element inside the kept elements `ancestors` (outermost first).
    func decide(_ element: FragmentElement, inside ancestors: [String]) -> ElementDecision
    /// Whether a comment with this text is written.
    func keepsComment(_ text: String) -> Bool
    /// Whether the raw content of `<script>`/`<style>` is written (as text) when kept.
    var keepsRawText: Bool { get }
}

extension FragmentPolicy {
    func decide(_ element: FragmentElement, inside ancestors: [String]) -> ElementDecision { decide(element) }
}

/// Parses a fragment, applies a policy and serializes what is left.
enum FragmentFilter {
    /// Start tags that end an open `p` (HTML's rules for the body), unless a table cell, a
    /// button or an object stands between.
    static let closesParagraph: Set<String> = [
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
        "dd", "dt", "main", "menu", "nav", "ol", "p", "pre", "listing", "section", "summary", "table", "ul", "xmp",
    ]
    static let paragraphScope: Set<String> = ["button", "table", "td", "th", "caption", "object", "marquee", "applet", "template"]
    /// The elements of a table's structure, where text has no place of its own.
    static let tableStructure: Set<String> = ["table", "thead", "tbody", "tfoot", "tr", "colgroup"]

    /// Where in `open` the `p` is that a start tag `name` ends (an open `p` before a block).
    /// libxml2's parser ends it only when it is the current element, so an element it does
    /// not know (left out of the output here) hides it, and the output would nest a list in a
    /// paragraph, which a browser reads differently. (A list item inside another is unwrapped
    /// by the policy.)
    static func paragraphEnded(by name: String, open: [String?]) -> Int? {
        guard closesParagraph.contains(name), let index = open.lastIndex(of: "p"),
            !open[(index + 1)...].contains(where: { $0.map(paragraphScope.contains) ?? false })
        else { return nil }
        return index
    }

    static func render(_ fragment: String, as syntax: HTMLOutputSyntax, policy: some FragmentPolicy) -> String {
        var writer = MarkupWriter(syntax: syntax)
        // One entry per open element that was kept (its name, to close it) or unwrapped (nil).
        var open: [String?] = []
        // The names in `open`, outermost first: the kept elements the policy hears of.
        var kept: [String] = []
        // How many dropped elements we are inside.
        var dropped = 0
        /// Text, in a cell of its own when it stands directly in a table's structure, where a
        /// browser's parser would report it and move it out of the table.
        func write(_ text: String) {
            guard let parent = kept.last, tableStructure.contains(parent),
                !text.allSatisfy(\.isWhitespace)
            else {
                writer.text(text)
                return
            }
            guard parent != "colgroup" else { return }  // nothing but columns may stand there
            if parent != "tr" { writer.startTag("tr", attributes: []) }
            writer.startTag("td", attributes: [])
            writer.text(text)
            writer.endTag("td")
            if parent != "tr" { writer.endTag("tr") }
        }
        LibXML2.walkHTMLFragment(fragment) { event in
            switch event {
            case .start(let element):
                if dropped > 0 {
                    dropped += 1
                    return
                }
                switch policy.decide(element, inside: kept) {
                case .drop:
                    dropped = 1
                case .replace(let text):
                    write(text)
                    dropped = 1
                case .unwrap:
                    open.append(nil)
                case .keep(let attributes):
                    if let ended = paragraphEnded(by: element.name, open: open) {
                        // Ended here, with what is open inside it; the walk's own ends for
                        // them write nothing.
                        for index in open.indices[ended...].reversed() {
                            if let name = open[index] {
                                writer.endTag(name)
                                kept.removeLast()
                            }
                            open[index] = nil
                        }
                    }
                    writer.startTag(element.name, attributes: attributes)
                    open.append(element.name)
                    kept.append(element.name)
                }
            case .end:
                if dropped > 0 {
                    dropped -= 1
                } else if let name = open.popLast() ?? nil {
                    writer.endTag(name)
                    kept.removeLast()
                }
            case .text(let text):
                if dropped == 0 { write(text) }
            case .rawText(let text):
                if dropped == 0 && policy.keepsRawText { write(text) }
            case .comment(let text):
                if dropped == 0 && policy.keepsComment(text) { writer.comment(text) }
            }
        }
        return writer.output
    }
}
