// A ready-to-send message (RFC 5322 and MIME): multipart/alternative with the plain text
// first and the HTML second, CRLF line endings, quoted-printable bodies (base64 for a body
// mostly of other scripts than Latin, such as Chinese), RFC 2047 headers.
// The same message always encodes to the same bytes.

public import Foundation
public import HeraldCore

public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    /// The post's date. A date without a time is sent as midnight, a time without a zone as UTC
    /// (`+0000`); a message without a date gets the Unix epoch, never the clock.
    public var date: PostDate?
    /// `<id@domain>` without the brackets; derived from the content when nil.
    public var messageID: String?
    /// `https:` or `mailto:` address for a `List-Unsubscribe` header.
    public var listUnsubscribe: String?
    /// The list's identity for a `List-Id` header (RFC 2919): a name and an id such as
    /// `users.lists.example.org`, which mail readers filter on.
    public var listID: (name: String?, id: String)?
    /// The plain text, LF line endings.
    public var textBody: String
    public var htmlBody: String
    /// Whether `textBody` is `format=flowed; delsp=yes`.
    public var flowed: Bool
    /// The multipart boundary; derived from the content when nil.
    public var boundary: String?

    public init(
        from: MailAddress, to: [MailAddress], replyTo: MailAddress? = nil, subject: String, date: PostDate? = nil,
        messageID: String? = nil, listUnsubscribe: String? = nil, textBody: String, htmlBody: String,
        flowed: Bool = false, boundary: String? = nil
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.listUnsubscribe = listUnsubscribe
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.flowed = flowed
        self.boundary = boundary
    }

    /// A digest of everything the message says, for its Message-ID and boundary.
    var contentDigest: String {
        let parts = [
            from.headerText, to.map(\.headerText).joined(separator: ","), replyTo?.headerText ?? "", subject,
            date?.description ?? "", listUnsubscribe ?? "", flowed ? "flowed" : "fixed", textBody, htmlBody,
        ]
        return sha256Hex(joining: parts, separator: "\u{0}")
    }

    /// The whole message, as an `.eml` file holds it.
    public func encoded() -> Data {
        let digest = contentDigest
        // Quoted-printable output never holds "=_" outside an encoded octet's "=5F", and base64
        // has no "_", so a boundary that starts with "=_" cannot occur in the parts.
        let boundary = self.boundary ?? "=_herald_" + digest.prefix(24)
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "herald.invalid"
        let messageID = self.messageID ?? "\(digest.prefix(32))@\(domain)"

        var headers: [String] = []
        headers.append(HeaderText.field("Date", Self.rfc5322Date(date)))
        headers.append(HeaderText.addressField("From", [from]))
        headers.append(HeaderText.addressField("To", to))
        if let replyTo { headers.append(HeaderText.addressField("Reply-To", [replyTo])) }
        headers.append(HeaderText.unstructuredField("Subject", subject))
        headers.append(HeaderText.field("Message-ID", "<\(HeaderText.clean(messageID))>"))
        headers.append("MIME-Version: 1.0")
        if let listID {
            let name = listID.name.map { HeaderText.phrase($0).split(separator: " ").map(String.init) } ?? []
            headers.append(HeaderText.fold("List-Id:", name + ["<\(HeaderText.clean(listID.id))>"]))
        }
        if let listUnsubscribe {
            headers.append(HeaderText.field("List-Unsubscribe", "<\(HeaderText.clean(listUnsubscribe))>"))
            // One click from the mail reader unsubscribes (RFC 8058), which large providers
            // require of bulk mail with an https: address.
            if listUnsubscribe.lowercased().hasPrefix("https:") {
                headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
            }
        }
        headers.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")

        var head = headers.joined(separator: "\r\n") + "\r\n\r\n"
        head += "This is a message in MIME format: the plain text, then the same in HTML.\r\n"
        head += "\r\n--\(boundary)\r\n"
        let (textEncoding, htmlEncoding) = (BodyEncoding.choice(for: textBody), BodyEncoding.choice(for: htmlBody))
        head += "Content-Type: text/plain; charset=utf-8" + (flowed ? "; format=flowed; delsp=yes" : "") + "\r\n"
        head += "Content-Transfer-Encoding: \(textEncoding.rawValue)\r\n\r\n"
        var middle = "\r\n--\(boundary)\r\n"
        middle += "Content-Type: text/html; charset=utf-8\r\n"
        middle += "Content-Transfer-Encoding: \(htmlEncoding.rawValue)\r\n\r\n"
        let tail = "\r\n--\(boundary)--\r\n"
        // The parts are encoded straight into the message's one buffer: a long post's message
        // is tens of megabytes, and each copy of it counts.
        return BodyEncoding.message(head: head, (textBody, textEncoding), middle: middle, (htmlBody, htmlEncoding), tail: tail)
    }

    /// A date as the `Date` header writes it: `Wed, 30 Oct 2026 18:00:00 +0200`.
    public static func rfc5322Date(_ date: PostDate?) -> String {
        let date = date ?? PostDate(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, utcOffset: 0)
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        // 1970-01-01 was a Thursday.
        let weekday = days[((date.daysSince1970 % 7) + 7 + 3) % 7]
        let offset = date.utcOffset ?? 0
        let zone = (offset < 0 ? "-" : "+") + (abs(offset) / 3600).zeroPadded(2) + (abs(offset) % 3600 / 60).zeroPadded(2)
        return weekday + ", " + date.day.zeroPadded(2) + " " + months[date.month - 1] + " " + date.year.zeroPadded(4) + " "
            + (date.hour ?? 0).zeroPadded(2) + ":" + (date.minute ?? 0).zeroPadded(2) + ":" + (date.second ?? 0).zeroPadded(2) + " " + zone
    }
}

/// Header fields: folding, encoded words, and nothing that could start another header.
enum HeaderText {
    /// Control characters (a CR or LF would end the field) become spaces.
    static func clean(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    static func field(_ name: String, _ value: String) -> String { name + ": " + clean(value) }

    /// An unstructured field (Subject): ASCII words as they are, the rest as UTF-8 encoded
    /// words of at most 75 characters, folded onto continuation lines.
    static func unstructuredField(_ name: String, _ value: String) -> String {
        let value = clean(value)
        let tokens: [String]
        if value.unicodeScalars.allSatisfy({ $0.isASCII }) && !value.contains("=?") {
            tokens = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        } else {
            // The first word shares its line with the field name.
            tokens = encodedWords(value, firstLength: 78 - name.utf8.count - 2)
        }
        return fold(name + ":", tokens)
    }

    /// An address field, folded between addresses.
    static func addressField(_ name: String, _ addresses: [MailAddress]) -> String {
        var tokens: [String] = []
        for (index, address) in addresses.enumerated() {
            var words = address.headerText.split(separator: " ").map(String.init)
            if index < addresses.count - 1, !words.isEmpty { words[words.count - 1] += "," }
            tokens += words
        }
        return fold(name + ":", tokens)
    }

    /// A display name: as it is when it is plain ASCII words, quoted when it holds specials,
    /// as encoded words when it is not ASCII.
    static func phrase(_ name: String) -> String {
        let name = clean(name)
        guard name.unicodeScalars.allSatisfy({ $0.isASCII }), !name.contains("=?") else {
            return encodedWords(name).joined(separator: " ")
        }
        let specials = Set("()<>[]:;@\\,.\"")
        if name.contains(where: { specials.contains($0) }) || name.hasPrefix(" ") || name.hasSuffix(" ") {
            return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return name
    }

    /// `text` as `=?utf-8?b?…?=` words of at most 75 characters (`firstLength` for the first),
    /// split between characters.
    static func encodedWords(_ text: String, firstLength: Int = 75) -> [String] {
        let prefix = "=?utf-8?b?", suffix = "?="
        func room(_ length: Int) -> Int { max((min(length, 75) - prefix.count - suffix.count) / 4 * 3, 6) }  // bytes per word
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > room(words.isEmpty ? firstLength : 75) {
                words.append(prefix + Data(chunk).base64EncodedString() + suffix)
                chunk.removeAll()
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(prefix + Data(chunk).base64EncodedString() + suffix) }
        return words
    }

    /// Joins `tokens` with spaces after `head`, starting a continuation line (CRLF and a
    /// space) before a token that would take the line past 78 characters.
    static func fold(_ head: String, _ tokens: [String]) -> String {
        var out = head
        var lineLength = head.utf8.count
        for (index, token) in tokens.enumerated() {
            // Never before the first token: a field body that starts on a continuation line
            // reads back with a leading space.
            if index > 0 && lineLength + 1 + token.utf8.count > 78 {
                out += "\r\n"
                lineLength = 0
            }
            out += " " + token
            lineLength += 1 + token.utf8.count
        }
        return out
    }
}

/// Quoted-printable (RFC 2045 §6.7) with CRLF hard line breaks and soft breaks before 76.
/// How a part's body is written. Quoted-printable keeps ASCII as it is (a message stays
/// readable as a file), but writes each byte of another script's character as three (`=E4`):
/// a body where that would come out longer than base64 (Chinese text) is written in base64.
enum BodyEncoding: String {
    case quotedPrintable = "quoted-printable"
    case base64

    /// The shorter of the two for `text`.
    static func choice(for text: String) -> BodyEncoding {
        let escaped = escapedBytes(in: text)
        let count = text.utf8.count
        // Base64: 4 bytes for every 3, and a line end for every 76 written.
        return count + 2 * escaped > count * 4 / 3 + count / 38 ? .base64 : .quotedPrintable
    }

    /// How many bytes of `text` quoted-printable writes as `=XX`, line ends and spaces apart:
    /// the bytes past ASCII, and `=`.
    static func escapedBytes(in text: String) -> Int {
        // Over the bytes in place: walking a String's UTF-8 view byte by byte costs more than
        // encoding them.
        func escapes(_ bytes: some Sequence<UInt8>) -> Int {
            var escaped = 0
            for byte in bytes { escaped &+= byte >= 0x80 || byte == 61 ? 1 : 0 }
            return escaped
        }
        func escapesInMemory(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            // Eight bytes at a time: a count in each byte of `counts` of the bytes there with
            // their high bit set or that are `=` (at most 2 a step: added up every 127 steps).
            var escaped = 0
            var index = 0
            var counts: UInt64 = 0
            var steps = 0
            while index + 8 <= bytes.count {
                let word = SWAR.word(bytes, at: index)
                counts &+= (word & SWAR.highBits) >> 7 &+ SWAR.zeroByteFlags(word ^ SWAR.repeated(61))
                steps += 1
                if steps == 127 {
                    escaped += SWAR.sum(counts)
                    (counts, steps) = (0, 0)
                }
                index += 8
            }
            return escaped + SWAR.sum(counts) + escapes(UnsafeBufferPointer(rebasing: bytes[index...]))
        }
        return text.utf8.withContiguousStorageIfAvailable { escapesInMemory($0) } ?? escapes(text.utf8)
    }

    /// `text` in this encoding.
    func encode(_ text: String) -> String {
        var text = text
        let bytes = text.withUTF8 { bytes in
            [UInt8](unsafeUninitializedCapacity: Self.room(bytes.count)) { buffer, count in
                count = encode(bytes, into: buffer.baseAddress!)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `bytes` in this encoding at `out`, which has ``room(_:)`` for it; returns the length.
    func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch self {
        case .quotedPrintable: QuotedPrintable.encode(bytes, into: out)
        case .base64: Base64Body.encode(bytes, into: out)
        }
    }

    /// `head`, `text` encoded, `middle`, `html` encoded and `tail`, in one buffer.
    static func message(
        head: String, _ text: (String, BodyEncoding), middle: String, _ html: (String, BodyEncoding), tail: String
    ) -> Data {
        var (head, textBody, middle, htmlBody, tail) = (head, text.0, middle, html.0, tail)
        return textBody.withUTF8 { textBytes in
            htmlBody.withUTF8 { htmlBytes in
                let capacity = head.utf8.count + room(textBytes.count) + middle.utf8.count + room(htmlBytes.count) + tail.utf8.count
                guard let buffer = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else { fatalError("out of memory") }
                var cursor = buffer
                func copy(_ string: inout String) {
                    string.withUTF8 { bytes in
                        if let base = bytes.baseAddress { cursor.update(from: base, count: bytes.count) }
                        cursor += bytes.count
                    }
                }
                copy(&head)
                cursor += text.1.encode(textBytes, into: cursor)
                copy(&middle)
                cursor += html.1.encode(htmlBytes, into: cursor)
                copy(&tail)
                let count = cursor - buffer
                // The room not written was never touched; it is given back.
                let kept = realloc(buffer, max(count, 1)) ?? UnsafeMutableRawPointer(buffer)
                return Data(bytesNoCopy: kept, count: count, deallocator: .free)
            }
        }
    }

    /// Room for either encoding of `count` bytes. Quoted-printable: each byte takes at most 3
    /// (`=XX`), its line end 2, and a soft break 3 for every 73 or more written, so less than 4
    /// for each byte. Base64: a line end of one byte becomes two (CRLF), so at most 2 bytes in
    /// for each, 4 out for every 3 in, and a line end for every 76 out: less than 3. Room that
    /// is not written is never touched, so it costs no memory.
    static func room(_ count: Int) -> Int { count * 4 + 16 }
}

/// Base64 bodies (RFC 2045): the text with CRLF line ends (a lone LF becomes CRLF, as the
/// canonical form of text wants), 76 characters a line.
enum Base64Body {
    /// Writes the encoding of `bytes` at `out`, which has room for it; returns its length.
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let digits = alphabet.utf8Start
        var cursor = out
        var group: UInt32 = 0
        var filled = 0
        var lineLength = 0
        var index = 0
        // The LF of a lone LF, still to be taken after its CR.
        var pendingLineFeed = false
        /// Writes the four digits of three bytes, on a new line when the line is full.
        @inline(__always) func write(_ three: UInt32) {
            if lineLength == 76 {
                cursor[0] = 13
                cursor[1] = 10
                cursor += 2
                lineLength = 0
            }
            cursor[0] = digits[Int(three >> 18 & 63)]
            cursor[1] = digits[Int(three >> 12 & 63)]
            cursor[2] = digits[Int(three >> 6 & 63)]
            cursor[3] = digits[Int(three & 63)]
            cursor += 4
            lineLength += 4
        }
        while true {
            // Most of a text: three bytes at a time, none of them a line feed, with no group begun.
            while filled == 0, !pendingLineFeed, index + 3 <= bytes.count {
                let first = bytes[index], second = bytes[index + 1], third = bytes[index + 2]
                guard first != 10, second != 10, third != 10 else { break }
                write(UInt32(first) << 16 | UInt32(second) << 8 | UInt32(third))
                index += 3
            }
            let byte: UInt8
            if pendingLineFeed {
                byte = 10
                pendingLineFeed = false
            } else if index < bytes.count {
                let next = bytes[index]
                if next == 10 && (index == 0 || bytes[index - 1] != 13) {
                    byte = 13
                    pendingLineFeed = true
                } else {
                    byte = next
                }
                index += 1
            } else {
                break
            }
            group = group << 8 | UInt32(byte)
            filled += 1
            guard filled == 3 else { continue }
            write(group)
            group = 0
            filled = 0
        }
        if filled > 0 {
            if lineLength == 76 {
                cursor[0] = 13
                cursor[1] = 10
                cursor += 2
            }
            group <<= UInt32(8 * (3 - filled))
            cursor[0] = digits[Int(group >> 18 & 63)]
            cursor[1] = digits[Int(group >> 12 & 63)]
            cursor[2] = filled == 2 ? digits[Int(group >> 6 & 63)] : 61
            cursor[3] = 61
            cursor += 4
        }
        return cursor - out
    }
}

enum QuotedPrintable {
    /// Writes the encoding of `bytes` at `out`, which has room for it; returns its length.
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let hex: StaticString = "0123456789ABCDEF"
        let digits = hex.utf8Start
        // Written through a moving pointer: no closure captures it, so no access is checked.
        var cursor = out
        var lineStart = 0
        while lineStart <= bytes.count {
            // One line of the text, without its CRLF or LF.
            var lineEnd = bytes.count
            if lineStart < bytes.count, let base = bytes.baseAddress, let newline = memchr(base + lineStart, 10, bytes.count - lineStart) {
                lineEnd = UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) - base
            }
            let next = lineEnd + 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == 13, lineEnd < bytes.count { lineEnd -= 1 }
            var length = 0
            var index = lineStart
            while index < lineEnd {
                // Inside the line, away from its end and the limit: eight plain bytes at a time.
                if length > 0 {
                    var room = min(74 - length, lineEnd - 1 - index)
                    while room >= 8 {
                        let word = SWAR.word(bytes, at: index)
                        guard SWAR.allPrintable(word) else { break }
                        UnsafeMutableRawPointer(cursor).storeBytes(of: word, as: UInt64.self)
                        cursor += 8
                        index += 8
                        length += 8
                        room -= 8
                    }
                }
                defer { index += 1 }
                let byte = bytes[index]
                // Most bytes of most text: printable ASCII or a space, inside a line and far from
                // its end and from the limit, written as they are (what the tests below decide
                // for them too).
                if length > 0 && length < 74 && index < lineEnd - 1
                    && ((byte >= 33 && byte <= 126 && byte != 61) || byte == 32 || byte == 9)
                {
                    cursor[0] = byte
                    cursor += 1
                    length += 1
                    continue
                }
                let isLast = index == lineEnd - 1
                let limit = isLast ? 76 : 75
                var encoded = !((byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast))
                // A "." or "From " that would begin a line survives every transport when encoded.
                if !encoded, byte == 46 || byte == 70, length == 0 || length + 1 > limit,
                    byte == 46 || (lineEnd - index >= 5 && bytes[index + 1] == 114 && bytes[index + 2] == 111
                        && bytes[index + 3] == 109 && bytes[index + 4] == 32)
                {
                    encoded = true
                }
                if length + (encoded ? 3 : 1) > limit {
                    // A soft line break.
                    cursor[0] = 61
                    cursor[1] = 13
                    cursor[2] = 10
                    cursor += 3
                    length = 0
                }
                if encoded {
                    cursor[0] = 61
                    cursor[1] = digits[Int(byte >> 4)]
                    cursor[2] = digits[Int(byte & 15)]
                    cursor += 3
                    length += 3
                } else {
                    cursor[0] = byte
                    cursor += 1
                    length += 1
                }
            }
            guard next <= bytes.count else { break }
            cursor[0] = 13
            cursor[1] = 10
            cursor += 2
            lineStart = next
        }
        return cursor - out
    }
}
