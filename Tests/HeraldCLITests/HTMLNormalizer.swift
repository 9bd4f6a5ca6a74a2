// Normalizes HTML before comparing it with the spec's expected output, as the spec's own test
// runner does: insignificant whitespace around block tags and runs of whitespace outside <pre>
// do not count, attribute order does not count, and character references are compared decoded.

enum HTMLNormalizer {
    static let blockTags: Set<String> = [
        "article", "header", "aside", "hgroup", "blockquote", "hr", "iframe", "body", "li", "map", "button",
        "object", "canvas", "ol", "caption", "output", "col", "p", "colgroup", "pre", "dd", "progress", "div",
        "section", "dl", "table", "td", "dt", "tbody", "embed", "textarea", "fieldset", "tfoot", "figcaption",
        "th", "figure", "thead", "footer", "tr", "form", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "video",
        "script", "style",
    ]

    static func normalize(_ html: String) -> String {
        let chars = Array(html.unicodeScalars)
        var out = ""
        var index = 0
        var inPre = false
        var lastWasBlock = true

        func stripTrailingWhitespace() {
            while let last = out.unicodeScalars.last, last == " " || last == "\n" || last == "\t" {
                out.unicodeScalars.removeLast()
            }
        }

        while index < chars.count {
            let c = chars[index]
            if c == "<", index + 1 < chars.count {
                let next = chars[index + 1]
                if next == "!" || next == "?" {
                    // Comment, declaration, processing instruction: kept as written.
                    let terminator: [Unicode.Scalar] = startsWith(chars, index, "<!--") ? Array("-->".unicodeScalars) : [">"]
                    let end = find(chars, terminator, from: index + 2) ?? chars.count
                    out += String(String.UnicodeScalarView(chars[index..<min(end + terminator.count, chars.count)]))
                    index = end + terminator.count
                    lastWasBlock = false
                    continue
                }
                if next.properties.isAlphabetic || (next == "/" && index + 2 < chars.count && chars[index + 2].properties.isAlphabetic) {
                    if let (tag, end) = parseTag(chars, index) {
                        let isBlock = blockTags.contains(tag.name)
                        if isBlock { stripTrailingWhitespace() }
                        if tag.closing {
                            if tag.name == "pre" { inPre = false }
                            out += "</\(tag.name)>"
                        } else {
                            if tag.name == "pre" { inPre = true }
                            out += "<" + tag.name
                            for (name, value) in tag.attributes.sorted(by: { $0.0 < $1.0 }) {
                                out += value.map { " \(name)=\"\(escape(decode($0)))\"" } ?? " \(name)"
                            }
                            out += ">"
                        }
                        lastWasBlock = isBlock
                        index = end
                        continue
                    }
                }
            }
            // Text up to the next '<'.
            var end = index
            while end < chars.count && !(chars[end] == "<" && end > index) { end += 1 }
            var text = decode(String(String.UnicodeScalarView(chars[index..<end])))
            if !inPre {
                text = collapse(text)
                if lastWasBlock { text = String(text.drop { $0 == " " }) }
            }
            out += escape(text)
            if !text.isEmpty { lastWasBlock = false }
            index = end
        }
        stripTrailingWhitespace()
        return out
    }

    struct Tag {
        var name: String
        var closing: Bool
        var attributes: [(String, String?)]
    }

    static func parseTag(_ chars: [Unicode.Scalar], _ start: Int) -> (Tag, Int)? {
        var index = start + 1
        var closing = false
        if chars[index] == "/" {
            closing = true
            index += 1
        }
        var name = ""
        while index < chars.count, chars[index].properties.isAlphabetic || ("0"..."9").contains(chars[index]) || chars[index] == "-" {
            name.unicodeScalars.append(chars[index])
            index += 1
        }
        var attributes: [(String, String?)] = []
        while index < chars.count {
            while index < chars.count, chars[index].properties.isWhitespace { index += 1 }
            guard index < chars.count else { return nil }
            if chars[index] == ">" { return (Tag(name: name.lowercased(), closing: closing, attributes: attributes), index + 1) }
            if chars[index] == "/" {
                index += 1
                continue
            }
            var attribute = ""
            while index < chars.count, !chars[index].properties.isWhitespace, chars[index] != "=", chars[index] != ">", chars[index] != "/" {
                attribute.unicodeScalars.append(chars[index])
                index += 1
            }
            if attribute.isEmpty { return nil }
            while index < chars.count, chars[index].properties.isWhitespace { index += 1 }
            if index < chars.count, chars[index] == "=" {
                index += 1
                while index < chars.count, chars[index].properties.isWhitespace { index += 1 }
                guard index < chars.count else { return nil }
                var value = ""
                if chars[index] == "\"" || chars[index] == "'" {
                    let quote = chars[index]
                    index += 1
                    while index < chars.count, chars[index] != quote {
                        value.unicodeScalars.append(chars[index])
                        index += 1
                    }
                    index += 1
                } else {
                    while index < chars.count, !chars[index].properties.isWhitespace, chars[index] != ">" {
                        value.unicodeScalars.append(chars[index])
                        index += 1
                    }
                }
                attributes.append((attribute.lowercased(), value))
            } else {
                attributes.append((attribute.lowercased(), nil))
            }
        }
        return nil
    }

    static func collapse(_ text: String) -> String {
        var out = ""
        var lastSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" {
                if !lastSpace { out += " " }
                lastSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastSpace = false
            }
        }
        return out
    }

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        let chars = Array(text.unicodeScalars)
        var index = 0
        let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
        while index < chars.count {
            if chars[index] == "&", let semicolon = chars[index...].prefix(12).firstIndex(of: ";") {
                let body = String(String.UnicodeScalarView(chars[(index + 1)..<semicolon]))
                var replacement: String?
                if body.hasPrefix("#x") || body.hasPrefix("#X") {
                    replacement = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if body.hasPrefix("#") {
                    replacement = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = named[body]
                }
                if let replacement {
                    out += replacement
                    index = semicolon + 1
                    continue
                }
            }
            out.unicodeScalars.append(chars[index])
            index += 1
        }
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func startsWith(_ chars: [Unicode.Scalar], _ index: Int, _ prefix: String) -> Bool {
        let prefix = Array(prefix.unicodeScalars)
        return index + prefix.count <= chars.count && Array(chars[index..<index + prefix.count]) == prefix
    }

    static func find(_ chars: [Unicode.Scalar], _ needle: [Unicode.Scalar], from: Int) -> Int? {
        guard needle.count <= chars.count else { return nil }
        var index = from
        while index + needle.count <= chars.count {
            if Array(chars[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}
