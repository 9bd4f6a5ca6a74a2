// Escaping for HTML text, attributes, XML and URLs: shared by every backend that writes markup.

import Foundation

public enum Escape {
    /// A double-quoted string as JSON writes it, which is also a YAML double-quoted scalar:
    /// quotes, backslashes and control characters escaped, everything else as it is.
    public static func quotedString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Escapes `&`, `<`, `>` and `"` for HTML or XML text and double-quoted attribute values.
    /// (The same four characters CommonMark's reference renderer escapes.)
    public static func html(_ text: String) -> String {
        // Most text has none of the four: one tight look over its bytes says so.
        var text = text
        let clean = text.withUTF8 { bytes in
            // Eight bytes at a time, then the rest one by one.
            var index = 0
            while index + 8 <= bytes.count {
                if holdsMarkup(SWAR.word(bytes, at: index)) { return false }
                index += 8
            }
            return !bytes[index...].contains { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }
        }
        return clean ? text : escapingUTF8(text) { byte, _, _ in markup(byte, apostrophe: nil) }
    }

    /// Appends ``html(_:)`` of `text` to the UTF-8 `bytes`: the runs between the escaped
    /// characters copied whole, no string made.
    public static func appendHTML(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { source in
            var runStart = 0
            var index = 0
            while index < source.count {
                // Eight bytes at a time while none is one of the four.
                if index + 8 <= source.count, !holdsMarkup(SWAR.word(source, at: index)) {
                    index += 8
                    continue
                }
                guard case .replace(let entity) = markup(source[index], apostrophe: nil) else {
                    index += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
                bytes.append(contentsOf: entity)
                index += 1
                runStart = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart...]))
        }
    }

    /// Whether any of the eight bytes of `word` is one ``html(_:)`` escapes.
    @inline(__always) private static func holdsMarkup(_ word: UInt64) -> Bool {
        SWAR.contains(word, UInt8(ascii: "&")) || SWAR.contains(word, UInt8(ascii: "<")) || SWAR.contains(word, UInt8(ascii: ">"))
            || SWAR.contains(word, UInt8(ascii: "\""))
    }

    /// ``html(_:)`` and `'` as `&#39;` too: safe in attribute values quoted either way (what a
    /// template's `{{name}}` writes).
    public static func htmlAttribute(_ text: String) -> String {
        escapingUTF8(text) { byte, _, _ in markup(byte, apostrophe: numericApos) }
    }

    /// The entity of a byte that markup escapes: `&`, `<`, `>`, `"`, and `'` when given one.
    private static func markup(_ byte: UInt8, apostrophe: [UInt8]?) -> ByteAction {
        switch byte {
        case UInt8(ascii: "&"): .replace(amp)
        case UInt8(ascii: "<"): .replace(lt)
        case UInt8(ascii: ">"): .replace(gt)
        case UInt8(ascii: "\""): .replace(quot)
        case UInt8(ascii: "'"): apostrophe.map(ByteAction.replace) ?? .keep
        default: .keep
        }
    }

    /// Escapes text for XML 1.0, also dropping the control characters XML cannot hold.
    public static func xml(_ text: String) -> String {
        escapingUTF8(text, xmlAction)
    }

    /// Whether ``xml(_:)`` writes the UTF-8 `bytes` back byte for byte (a link settled to the
    /// address it had keeps its bytes).
    public static func xmlKeeps(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.indices.allSatisfy { index in
            if case .keep = xmlAction(bytes[index], bytes, index) { true } else { false }
        }
    }

    /// What ``xml(_:)`` does with the byte at `index` of `bytes`.
    private static func xmlAction(_ byte: UInt8, _ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> ByteAction {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return markup(byte, apostrophe: apos)
        case 0x09, 0x0A, 0x0D: return .keep
        case ..<0x20: return .drop(1)
        // U+FFFE and U+FFFF: EF BF BE, EF BF BF.
        case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF):
            return .drop(3)
        default: return .keep
        }
    }

    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&apos;".utf8), numericApos = Array("&#39;".utf8)

    /// What becomes of one byte of the text being escaped.
    private enum ByteAction {
        case keep
        case replace([UInt8])
        /// Leave out this many bytes, this one first.
        case drop(Int)
    }

    /// `text` with each byte acted on as `action` says, working on the UTF-8 bytes (every byte
    /// an escape looks at is ASCII, or starts a sequence it drops whole); `text` itself when
    /// nothing changes.
    private static func escapingUTF8(_ text: String, _ action: (UInt8, UnsafeBufferPointer<UInt8>, Int) -> ByteAction) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var index = 0
            // Most text needs nothing: find the first byte that does.
            while index < bytes.count, case .keep = action(bytes[index], bytes, index) { index += 1 }
            guard index < bytes.count else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            // The bytes kept are copied a run at a time, up to each one changed.
            var runStart = 0
            while index < bytes.count {
                switch action(bytes[index], bytes, index) {
                case .keep:
                    index += 1
                case .replace(let replacement):
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    out.append(contentsOf: replacement)
                    index += 1
                    runStart = index
                case .drop(let count):
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    index += count
                    runStart = index
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            // Well-formed: ASCII put in for ASCII, whole characters left out, the rest copied.
            return String(wellFormedUTF8: out)
        } ?? text
    }

    /// Bytes that may stand in an `href` unencoded; `&` and `'` get entities, everything else
    /// is percent-encoded (as CommonMark's reference renderer does, so spec output matches).
    private static let hrefSafe: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for byte in "!#$%()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~".utf8 {
            table[Int(byte)] = true
        }
        return table
    }()

    /// Escapes a URL for a double-quoted `href` or `src` attribute.
    public static func href(_ url: String) -> String {
        var url = url
        let safe = hrefSafe
        let clean = url.withUTF8 { bytes in bytes.allSatisfy { $0 < 128 && safe[Int($0)] } }
        if clean { return url }
        return escapingUTF8(url) { byte, _, _ in
            if byte < 128 && hrefSafe[Int(byte)] { return .keep }
            if byte == UInt8(ascii: "&") { return .replace(amp) }
            if byte == UInt8(ascii: "'") { return .replace(hrefApostrophe) }
            return .replace(percentEncoded[Int(byte)])
        }
    }

    private static let hrefApostrophe = Array("&#x27;".utf8)
    /// `%XX` for every byte value, made once.
    private static let percentEncoded: [[UInt8]] = (0..<256).map { Array(String(format: "%%%02X", $0).utf8) }

    /// Whether a URL uses a scheme that runs code or embeds content (`javascript:`, `vbscript:`,
    /// `file:`, `data:`). With `allowDataImages`, `data:image/png|gif|jpeg|webp` are accepted, as
    /// CommonMark's safe mode does.
    public static func isDangerousURL(_ url: String, allowDataImages: Bool = false) -> Bool {
        if URLs.startsLike(url, "javascript:") || URLs.startsLike(url, "vbscript:") || URLs.startsLike(url, "file:") { return true }
        guard URLs.startsLike(url, "data:") else { return false }
        guard allowDataImages else { return true }
        return !(URLs.startsLike(url, "data:image/png") || URLs.startsLike(url, "data:image/gif")
            || URLs.startsLike(url, "data:image/jpeg") || URLs.startsLike(url, "data:image/webp"))
    }
}
