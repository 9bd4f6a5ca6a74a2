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
        var needs = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 {
            needs = true
            break
        }
        guard needs else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Escapes text for XML 1.0, also dropping the control characters XML cannot hold.
    public static func xml(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || (0xFFFE...0xFFFF).contains(value) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
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
        var result = ""
        result.reserveCapacity(url.utf8.count)
        let hex: [Character] = Array("0123456789ABCDEF")
        for byte in url.utf8 {
            if byte < 128 && hrefSafe[Int(byte)] {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: "&") {
                result += "&amp;"
            } else if byte == UInt8(ascii: "'") {
                result += "&#x27;"
            } else {
                result.append("%")
                result.append(hex[Int(byte >> 4)])
                result.append(hex[Int(byte & 0xF)])
            }
        }
        return result
    }

    /// Whether a URL uses a scheme that runs code or embeds content (`javascript:`, `vbscript:`,
    /// `file:`, `data:`). With `allowDataImages`, `data:image/png|gif|jpeg|webp` are accepted, as
    /// CommonMark's safe mode does.
    public static func isDangerousURL(_ url: String, allowDataImages: Bool = false) -> Bool {
        let lowered = String(url.unicodeScalars.filter { $0.value > 0x20 }).lowercased()
        for scheme in ["javascript:", "vbscript:", "file:"] where lowered.hasPrefix(scheme) { return true }
        if lowered.hasPrefix("data:") {
            guard allowDataImages else { return true }
            return !["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { lowered.hasPrefix($0) }
        }
        return false
    }
}
