// The readable text of raw HTML written in a post, for outputs that cannot show markup
// (plain-text email, translation segments).

public enum HTMLText {
    /// Elements whose start or end begins a new line of text.
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
        "pre", "section", "summary", "table", "tr", "ul",
    ]
    /// Elements whose content is not text for a reader.
    static let hiddenElements: Set<String> = ["script", "style", "template", "head", "title", "noscript"]

    /// Whether `html` is nothing but comments and white space (`<!--more-->`, `<!-- TOC -->`):
    /// raw HTML that a sanitizer removes whole. A comment ends, as browsers read it, at the
    /// first `-->` or `--!>`; `<!-->` and `<!--->` are whole (empty) comments. An unended
    /// comment, or anything else, makes it false.
    public static func isOnlyComments(_ html: String) -> Bool {
        let bytes = Array(html.utf8)
        let dash = UInt8(ascii: "-"), close = UInt8(ascii: ">"), bang = UInt8(ascii: "!")
        func at(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }
        var index = 0
        var comments = 0
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0C, 0x0D:
                index += 1
                continue
            default:
                break
            }
            guard bytes[index...].starts(with: "<!--".utf8) else { return false }
            var cursor = index + 4
            if at(cursor) == close {
                cursor += 1
            } else if at(cursor) == dash && at(cursor + 1) == close {
                cursor += 2
            } else {
                var end: Int?
                while end == nil, cursor + 2 < bytes.count {
                    if bytes[cursor] == dash, bytes[cursor + 1] == dash {
                        if bytes[cursor + 2] == close { end = cursor + 3 }
                        if bytes[cursor + 2] == bang, at(cursor + 3) == close { end = cursor + 4 }
                    }
                    cursor += 1
                }
                guard let end else { return false }
                cursor = end
            }
            comments += 1
            index = cursor
        }
        return comments > 0
    }

    /// The text of `html`, one entry per line a block element starts: tags removed, comments,
    /// scripts and styles dropped, character references decoded, runs of white space joined.
    public static func lines(of html: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var pendingSpace = false
        func endLine() {
            if !current.isEmpty { lines.append(current) }
            current = ""
            pendingSpace = false
        }
        func add(_ text: String) {
            for character in text {
                if character.isWhitespace {
                    pendingSpace = !current.isEmpty
                } else {
                    if pendingSpace { current.append(" ") }
                    pendingSpace = false
                    current.append(character)
                }
            }
        }
        let scalars = Array(html.unicodeScalars)
        var index = 0
        var hiddenUntil: String?
        var text = String.UnicodeScalarView()
        func flushText() {
            if hiddenUntil == nil { add(decodingReferences(String(text))) }
            text.removeAll()
        }
        while index < scalars.count {
            guard scalars[index] == "<" else {
                text.append(scalars[index])
                index += 1
                continue
            }
            if hasPrefix(scalars, at: index, "<!--") {
                flushText()
                index = find(scalars, "-->", from: index + 4).map { $0 + 3 } ?? scalars.count
                continue
            }
            guard let end = find(scalars, ">", from: index + 1) else {
                text.append(scalars[index])
                index += 1
                continue
            }
            var name = String.UnicodeScalarView()
            var cursor = index + 1
            let closing = cursor < end && scalars[cursor] == "/"
            if closing { cursor += 1 }
            while cursor < end, scalars[cursor].properties.isAlphabetic || ("0"..."9").contains(scalars[cursor]) {
                name.append(scalars[cursor])
                cursor += 1
            }
            guard !name.isEmpty || scalars[index + 1] == "!" || scalars[index + 1] == "?" else {
                // Not a tag: a lone '<' in text.
                text.append(scalars[index])
                index += 1
                continue
            }
            flushText()
            let tag = String(name).lowercased()
            if let hidden = hiddenUntil {
                if closing && tag == hidden { hiddenUntil = nil }
            } else if !closing && hiddenElements.contains(tag) {
                hiddenUntil = tag
            } else if blockElements.contains(tag) {
                endLine()
            }
            index = end + 1
        }
        flushText()
        endLine()
        return lines
    }

    /// Whether an inline HTML tag is a line break (`<br>`, `<br/>`, `<br />`).
    public static func isLineBreak(_ tag: String) -> Bool {
        let name = tag.lowercased().filter { $0.isLetter }
        return name == "br"
    }

    private static let namedReferences: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©",
        "reg": "®", "mdash": "—", "ndash": "–", "hellip": "…", "laquo": "«", "raquo": "»", "middot": "·",
    ]

    /// `text` with `&amp;`, `&lt;`, `&#39;`, `&#x4E2D;` and the other common references decoded.
    public static func decodingReferences(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semicolon = after.prefix(12).firstIndex(of: ";") {
                let name = String(after[..<semicolon])
                var decoded: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    decoded = namedReferences[name]
                }
                if let decoded {
                    result += decoded
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = after
        }
        return result + rest
    }

    private static func hasPrefix(_ scalars: [Unicode.Scalar], at index: Int, _ prefix: String) -> Bool {
        var offset = index
        for scalar in prefix.unicodeScalars {
            guard offset < scalars.count, scalars[offset] == scalar else { return false }
            offset += 1
        }
        return true
    }

    private static func find(_ scalars: [Unicode.Scalar], _ needle: String, from start: Int) -> Int? {
        var index = start
        while index < scalars.count {
            if hasPrefix(scalars, at: index, needle) { return index }
            index += 1
        }
        return nil
    }
}
