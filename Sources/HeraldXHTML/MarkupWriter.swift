// Writes elements, text and comments as HTML or as well-formed XHTML. Names arrive checked by
// a policy; this type owns void elements, boolean attributes and escaping.

internal import HeraldCore

/// Serializes markup into a string, one tag or text run at a time.
struct MarkupWriter {
    let syntax: HTMLOutputSyntax
    private(set) var output = ""
    /// Set right after `<pre>`-like start tags in HTML: a parser would drop a first newline there.
    private var atStartOfNewlineEatingElement = false

    /// Elements with no end tag and no content.
    static let voidElements: Set<String> = [
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
        "isindex", "keygen", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// Attributes whose presence is their meaning: bare in HTML, `name="name"` in XHTML.
    static let booleanAttributes: Set<String> = [
        "allowfullscreen", "async", "autofocus", "autoplay", "checked", "compact", "controls",
        "declare", "default", "defer", "disabled", "formnovalidate", "hidden", "inert", "ismap",
        "itemscope", "loop", "multiple", "muted", "nohref", "noresize", "noshade", "novalidate",
        "nowrap", "open", "playsinline", "readonly", "required", "reversed", "selected",
    ]

    /// Elements whose first newline an HTML parser drops.
    private static let newlineEatingElements: Set<String> = ["pre", "listing", "textarea"]

    init(syntax: HTMLOutputSyntax) { self.syntax = syntax }

    mutating func startTag(_ name: String, attributes: [FragmentAttribute]) {
        atStartOfNewlineEatingElement = false
        output += "<"
        output += name
        for attribute in attributes {
            output += " "
            output += attribute.name
            if Self.booleanAttributes.contains(attribute.name) {
                if syntax == .xhtml { output += "=\"\(attribute.name)\"" }
            } else if let value = attribute.value {
                output += "=\""
                output += escapeAttribute(value)
                output += "\""
            } else if syntax == .xhtml {
                output += "=\"\""
            }
        }
        if Self.voidElements.contains(name) {
            output += syntax == .xhtml ? " />" : ">"
        } else {
            output += ">"
            atStartOfNewlineEatingElement = syntax == .html && Self.newlineEatingElements.contains(name)
        }
    }

    /// Closes an element; a void element has nothing to close.
    mutating func endTag(_ name: String) {
        atStartOfNewlineEatingElement = false
        guard !Self.voidElements.contains(name) else { return }
        output += "</"
        output += name
        output += ">"
    }

    mutating func text(_ text: String) {
        // `<pre>\n\nx` must reach the reader with one newline: the parser eats the first.
        if atStartOfNewlineEatingElement && text.hasPrefix("\n") { output += "\n" }
        atStartOfNewlineEatingElement = false
        output += syntax == .xhtml ? Escape.xml(text) : Escape.html(text)
    }

    /// Writes a comment if it can be written safely in both syntaxes; otherwise nothing.
    mutating func comment(_ text: String) {
        atStartOfNewlineEatingElement = false
        guard Self.isWritableComment(text) else { return }
        output += "<!--"
        output += text
        output += "-->"
    }

    /// Comments are written unescaped, so only ones that mean the same in both syntaxes pass:
    /// XML forbids `--` inside and `-` at the end, HTML also ends a comment at `--!>` and reads
    /// `<!-->` and `<!--->` as complete comments, and XML cannot hold most control characters.
    static func isWritableComment(_ text: String) -> Bool {
        guard !text.contains("--"), !text.hasSuffix("-"), !text.hasPrefix(">"), !text.hasPrefix("->") else {
            return false
        }
        return !text.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
                || scalar.value == 0xFFFE || scalar.value == 0xFFFF
        }
    }

    private func escapeAttribute(_ value: String) -> String {
        guard syntax == .xhtml else { return Escape.html(value) }
        // XML normalizes literal tabs and newlines in attributes to spaces: keep them as references.
        let escaped = Escape.xml(value)
        guard escaped.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return escaped }
        var result = ""
        result.reserveCapacity(escaped.utf8.count + 8)
        for scalar in escaped.unicodeScalars {
            switch scalar {
            case "\t": result += "&#9;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
