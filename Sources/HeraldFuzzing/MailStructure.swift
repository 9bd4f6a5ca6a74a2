// What a mail reader (or Python's email package) would call a defect in a message Herald
// writes: lines not ended by CRLF, header lines too long or not 7-bit, a header that is not
// `Name: value`, a multipart body whose boundary is missing or found inside a part, and a
// transfer encoding the part's bytes do not follow.

import HeraldCore

public enum MailStructure {
    /// The defects of the message `bytes`.
    public static func problems(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        func report(_ message: String) { if problems.count < 20 { problems.append(message) } }
        // Lines, each of which must end in CRLF.
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                if i == start || bytes[i - 1] != 0x0D { report("line \(lines.count + 1) ends in LF without CR") }
                lines.append(bytes[start..<(i > start && bytes[i - 1] == 0x0D ? i - 1 : i)])
                start = i + 1
            } else if bytes[i] == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A) {
                report("line \(lines.count + 1) holds a CR without LF")
            }
            i += 1
        }
        if start < bytes.count { report("the message does not end with CRLF"); lines.append(bytes[start...]) }
        for (number, line) in lines.enumerated() where line.count > 998 {
            report("line \(number + 1) is longer than 998 octets")
        }
        guard let blank = lines.firstIndex(where: \.isEmpty) else {
            report("no blank line after the header")
            return problems
        }
        let headers = unfold(Array(lines[..<blank]), report)
        for required in ["from", "date", "message-id", "mime-version", "content-type", "subject"] where !headers.contains(where: { $0.name == required }) {
            report("no \(required) header")
        }
        for header in headers where ["from", "to", "date", "subject", "message-id", "content-type", "mime-version"].contains(header.name) {
            if headers.filter({ $0.name == header.name }).count > 1 { report("two \(header.name) headers"); break }
        }
        checkPart(headers: headers, body: Array(lines[(blank + 1)...]), depth: 0, report)
        return problems
    }

    struct Header { var name: String; var value: String }

    static func unfold(_ lines: [ArraySlice<UInt8>], _ report: (String) -> Void) -> [Header] {
        var headers: [Header] = []
        for line in lines {
            if line.contains(where: { $0 >= 0x80 || ($0 < 0x20 && $0 != 0x09) }) { report("a header line that is not 7-bit text: \(String(decoding: line, as: UTF8.self))") }
            if line.count > 78 + 100 { report("a header line of \(line.count) octets") }
            if let first = line.first, first == 0x20 || first == 0x09 {
                if headers.isEmpty { report("the header starts with a continuation line") } else {
                    headers[headers.count - 1].value += String(decoding: line, as: UTF8.self)
                }
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                  line[line.startIndex..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            else {
                report("a header line that is not 'Name: value': \(String(decoding: line, as: UTF8.self))")
                continue
            }
            headers.append(Header(
                name: String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased(),
                value: String(String(decoding: line[(colon + 1)...], as: UTF8.self).withoutSurroundingSpaces)))
        }
        return headers
    }

    static func checkPart(headers: [Header], body: [ArraySlice<UInt8>], depth: Int, _ report: (String) -> Void) {
        let contentType = headers.first { $0.name == "content-type" }?.value ?? "text/plain"
        let encoding = headers.first { $0.name == "content-transfer-encoding" }?.value.lowercased() ?? "7bit"
        if contentType.lowercased().hasPrefix("multipart/") {
            guard let boundary = parameter("boundary", of: contentType) else { report("a multipart part without a boundary"); return }
            let delimiter = Array(("--" + boundary).utf8)
            var parts: [[ArraySlice<UInt8>]] = []
            var current: [ArraySlice<UInt8>]? = nil
            var closed = false
            for line in body {
                if line.starts(with: delimiter) {
                    let rest = line.dropFirst(delimiter.count)
                    if rest.starts(with: Array("--".utf8)) {
                        if let current { parts.append(current) }
                        current = nil
                        closed = true
                        continue
                    }
                    if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                        if let current { parts.append(current) }
                        current = []
                        continue
                    }
                    report("a line that starts with the boundary inside a part")
                }
                current?.append(line)
            }
            if !closed { report("the multipart body has no closing boundary") }
            if parts.isEmpty { report("a multipart body without parts") }
            for part in parts {
                guard let blank = part.firstIndex(where: \.isEmpty) else { report("a part without a blank line after its header"); continue }
                checkPart(headers: unfold(Array(part[..<blank]), report), body: Array(part[(blank + 1)...]), depth: depth + 1, report)
            }
            return
        }
        switch encoding {
        case "base64":
            for line in body {
                if line.count > 76 { report("a base64 line longer than 76 characters") }
                if !line.allSatisfy({ isBase64($0) }) { report("a base64 line with other characters"); break }
            }
        case "quoted-printable":
            for line in body {
                if line.count > 76 { report("a quoted-printable line longer than 76 characters") }
                if line.contains(where: { $0 >= 0x80 }) { report("an 8-bit byte in quoted-printable") }
                var i = line.startIndex
                while i < line.endIndex {
                    if line[i] == UInt8(ascii: "=") {
                        if i + 1 == line.endIndex { break }  // a soft line break
                        guard i + 2 < line.endIndex, isHex(line[i + 1]), isHex(line[i + 2]) else { report("a bad '=' escape in quoted-printable"); break }
                        i += 3
                    } else {
                        i += 1
                    }
                }
            }
        case "7bit":
            if body.contains(where: { $0.contains { $0 >= 0x80 } }) { report("an 8-bit byte in a 7bit part") }
        case "8bit":
            break
        default:
            report("an unknown transfer encoding '\(encoding)'")
        }
    }

    static func parameter(_ name: String, of value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].withoutSurroundingSpaces.lowercased() == name else { continue }
            var found = Substring(pair[1].withoutSurroundingSpaces)
            if found.hasPrefix("\"") && found.hasSuffix("\"") && found.count >= 2 { found = found.dropFirst().dropLast() }
            return String(found)
        }
        return nil
    }

    static func isBase64(_ byte: UInt8) -> Bool {
        HTMLStructure.isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }
    static func isHex(_ byte: UInt8) -> Bool { HTMLStructure.hexValue(byte) != nil && !(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) }
}
