// What an HTML5 parser would call a parse error in the pages Herald writes: characters HTML
// forbids, bad character references, tags closed out of order or not at all, and the places
// where the tree builder would move or close elements by itself (a block inside a paragraph,
// text or a stray cell in a table's structure, a link inside a link). Not a full HTML5 parser:
// it reads markup of the shape Herald's serializer writes (quoted attributes, every element
// closed), and it is strict about that shape, which is what the fuzzers check.

import HeraldCore

/// One problem in an HTML document, at its byte offset.
public struct HTMLProblem: Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public var description: String { "byte \(offset): \(message)" }
}

public enum HTMLStructure {
    static let void: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
    static let rawText: Set<String> = ["script", "style", "textarea", "title"]
    /// Start tags that close an open `p` (HTML5's "in body" rules).
    static let closesParagraph: Set<String> = [
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
        "dd", "dt", "main", "menu", "nav", "ol", "p", "pre", "listing", "section", "summary", "table", "ul", "xmp", "plaintext",
    ]
    static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    static let tableSections: Set<String> = ["thead", "tbody", "tfoot"]
    static let inHead: Set<String> = ["meta", "link", "title", "style", "script", "base", "noscript", "template"]
    /// Elements that end the scope in which an open `li` (or `dd`/`dt`) is found.
    static let listScopeBoundary: Set<String> = ["ul", "ol", "menu", "dl", "table", "td", "th", "caption", "html", "blockquote", "div", "details", "figure", "section", "article", "aside", "nav", "body"]

    /// The problems of `html`, a whole document or a fragment.
    public static func problems(_ html: String) -> [HTMLProblem] {
        var problems: [HTMLProblem] = []
        let text = ByteText(html)
        let bytes = text.bytes
        func report(_ offset: Int, _ message: String) {
            if problems.count < 20 { problems.append(HTMLProblem(offset: offset, message: message)) }
        }
        var offset = 0
        for scalar in html.unicodeScalars {
            if !allowedCharacter(scalar) { report(offset, "character U+\(String(scalar.value, radix: 16, uppercase: true)) is not allowed in HTML") }
            offset += UTF8.width(scalar)
        }
        var stack: [String] = []
        var index = 0

        func checkText(_ start: Int, _ end: Int) {
            // Character references must be complete; text in a table's structure would be moved out of it.
            var i = start
            var nonSpace = false
            while i < end {
                let byte = bytes[i]
                if byte == UInt8(ascii: "&") {
                    if let problem = referenceProblem(bytes, i, end) { report(i, problem) }
                }
                if !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D) { nonSpace = true }
                i += 1
            }
            if nonSpace, let top = stack.last, top == "table" || top == "tr" || tableSections.contains(top) {
                report(start, "text directly inside <\(top)>")
            }
        }

        var textStart = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else { index += 1; continue }
            checkText(textStart, index)
            let tagStart = index
            if bytes[index...].starts(with: "<!--".utf8) {
                guard let end = text.firstIndex(of: Array("-->".utf8), from: index + 4) else { report(index, "comment not closed"); return problems }
                index = end + 3
            } else if bytes[index...].starts(with: "<!".utf8) {
                guard let end = text.firstIndex(of: UInt8(ascii: ">"), from: index) else { report(index, "declaration not closed"); return problems }
                index = end + 1
            } else if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                guard let end = text.firstIndex(of: UInt8(ascii: ">"), from: index) else { report(index, "end tag not closed"); return problems }
                let name = String(String(decoding: bytes[(index + 2)..<end], as: UTF8.self).lowercased().withoutSurroundingSpaces)
                if let top = stack.last, top == name {
                    stack.removeLast()
                } else {
                    report(tagStart, "</\(name)> closes <\(stack.last ?? "nothing")>")
                    if let open = stack.lastIndex(of: name) { stack.removeSubrange(open...) }
                }
                index = end + 1
            } else if index + 1 < bytes.count, isLetter(bytes[index + 1]) {
                guard let (name, attributes, selfClosing, end) = readStartTag(bytes, index) else {
                    report(index, "start tag not closed"); return problems
                }
                for (attribute, value) in attributes {
                    if let value { checkAttribute(value, at: index, report) }
                    _ = attribute
                }
                let names = attributes.map(\.0)
                if Set(names).count != names.count { report(index, "<\(name)> has an attribute twice") }
                if selfClosing && !void.contains(name) && !stack.contains(where: { $0 == "svg" || $0 == "math" }) {
                    report(index, "<\(name)/> is not a void element")
                }
                placementProblem(name, stack).map { report(index, $0) }
                index = end + 1
                if void.contains(name) || (selfClosing && stack.contains(where: { $0 == "svg" || $0 == "math" })) {
                    // nothing opened
                } else if rawText.contains(name) {
                    guard let close = findCaseless(bytes, "</\(name)", from: index) else { report(index, "<\(name)> not closed"); return problems }
                    if name == "title" || name == "textarea" { checkText(index, close) }
                    guard let end = text.firstIndex(of: UInt8(ascii: ">"), from: close) else { report(close, "end tag not closed"); return problems }
                    index = end + 1
                } else {
                    stack.append(name)
                }
            } else {
                report(index, "'<' that starts no tag")
                index += 1
            }
            textStart = index
        }
        checkText(textStart, bytes.count)
        if !stack.isEmpty { report(bytes.count, "not closed at the end: " + stack.map { "<\($0)>" }.joined(separator: " ")) }
        return problems
    }

    /// Why a start tag `name` would not stay where it is under the open elements `stack`.
    static func placementProblem(_ name: String, _ stack: [String]) -> String? {
        let top = stack.last ?? ""
        if top == "head" && !inHead.contains(name) { return "<\(name)> inside <head>" }
        if top == "table" && !["caption", "colgroup", "thead", "tbody", "tfoot", "tr", "script", "style", "template"].contains(name) {
            return "<\(name)> directly inside <table>"
        }
        if tableSections.contains(top) && !["tr", "script", "template"].contains(name) { return "<\(name)> directly inside <\(top)>" }
        if top == "tr" && !["td", "th", "script", "template"].contains(name) { return "<\(name)> directly inside <tr>" }
        if ["td", "th", "tr", "thead", "tbody", "tfoot", "caption", "colgroup", "col"].contains(name) {
            let expected: Set<String> = switch name {
            case "td", "th": ["tr"]
            case "tr": ["table", "thead", "tbody", "tfoot"]
            case "col": ["colgroup", "table"]
            default: ["table"]
            }
            if !expected.contains(top) { return "<\(name)> outside its table part (in <\(top)>)" }
        }
        if closesParagraph.contains(name), let p = stack.lastIndex(of: "p"),
           !stack[p...].contains(where: { ["button", "table", "td", "th", "caption", "object", "svg", "math"].contains($0) }) {
            return "<\(name)> inside <p>"
        }
        if headings.contains(name) && headings.contains(top) { return "<\(name)> inside <\(top)>" }
        if name == "a" && stack.contains("a") { return "<a> inside <a>" }
        if name == "li", let li = stack.lastIndex(of: "li"), !stack[li...].contains(where: { listScopeBoundary.contains($0) && $0 != "li" }) {
            return "<li> inside <li>"
        }
        if name == "dd" || name == "dt", let item = stack.lastIndex(where: { $0 == "dd" || $0 == "dt" }),
           !stack[item...].contains(where: { listScopeBoundary.contains($0) }) {
            return "<\(name)> inside <\(stack[item])>"
        }
        if ["html", "head", "body"].contains(name) && stack.contains(name) { return "a second <\(name)>" }
        return nil
    }

    static func allowedCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value == 0x09 || value == 0x0A || value == 0x0C || value == 0x0D }
        if (0x7F...0x9F).contains(value) { return false }
        if (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE { return false }
        return true
    }

    /// Why the character reference at `i` is one an HTML5 parser complains of, if it is.
    static func referenceProblem(_ bytes: [UInt8], _ i: Int, _ end: Int) -> String? {
        var j = i + 1
        if j < end, bytes[j] == UInt8(ascii: "#") {
            j += 1
            let hex = j < end && (bytes[j] == UInt8(ascii: "x") || bytes[j] == UInt8(ascii: "X"))
            if hex { j += 1 }
            var value: UInt32 = 0
            let digitsStart = j
            while j < end, let digit = hexValue(bytes[j]), hex || digit < 10 {
                value = min(value &* (hex ? 16 : 10) &+ UInt32(digit), 0x110000)
                j += 1
            }
            if j == digitsStart || j >= end || bytes[j] != UInt8(ascii: ";") { return "numeric character reference without digits or ';'" }
            guard let scalar = Unicode.Scalar(value), value != 0, allowedCharacter(scalar) else { return "character reference &#\(value); names a character HTML forbids" }
            return nil
        }
        let nameStart = j
        while j < end, isLetter(bytes[j]) || (bytes[j] >= 0x30 && bytes[j] <= 0x39) { j += 1 }
        if j == nameStart { return nil }  // a lone '&' followed by no name is text
        if j < end, bytes[j] == UInt8(ascii: ";") { return nil }
        return "character reference '&\(String(decoding: bytes[nameStart..<j], as: UTF8.self))' without ';'"
    }

    static func checkAttribute(_ value: [UInt8], at offset: Int, _ report: (Int, String) -> Void) {
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: "&"), let problem = referenceProblem(value, i, value.count) { report(offset, "in an attribute: " + problem) }
            i += 1
        }
    }

    /// Reads `<name attr="value" …>` at `i`: the name, attributes, whether it ends in `/>`, and the offset of its `>`.
    static func readStartTag(_ bytes: [UInt8], _ start: Int) -> (String, [(String, [UInt8]?)], Bool, Int)? {
        var i = start + 1
        while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") { i += 1 }
        let name = String(decoding: bytes[(start + 1)..<i], as: UTF8.self).lowercased()
        var attributes: [(String, [UInt8]?)] = []
        var selfClosing = false
        while i < bytes.count {
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ">") { return (name, attributes, selfClosing, i) }
            if bytes[i] == UInt8(ascii: "/") { selfClosing = true; i += 1; continue }
            selfClosing = false
            let nameStart = i
            while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") { i += 1 }
            let attribute = String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased()
            if i < bytes.count, bytes[i] == UInt8(ascii: "=") {
                i += 1
                guard i < bytes.count else { return nil }
                let quote = bytes[i]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    guard let close = bytes[(i + 1)...].firstIndex(of: quote) else { return nil }
                    attributes.append((attribute, Array(bytes[(i + 1)..<close])))
                    i = close + 1
                } else {
                    let valueStart = i
                    while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
                    attributes.append((attribute, Array(bytes[valueStart..<i])))
                }
            } else {
                attributes.append((attribute, nil))
            }
        }
        return nil
    }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
    static func findCaseless(_ bytes: [UInt8], _ needle: String, from: Int) -> Int? {
        let n = Array(needle.lowercased().utf8)
        var i = from
        while i + n.count <= bytes.count {
            if zip(bytes[i..<(i + n.count)], n).allSatisfy({ ($0 | (isLetter($0) ? 0x20 : 0)) == $1 }) { return i }
            i += 1
        }
        return nil
    }
}
