// The MIME message without a mail reader: headers, encodings, determinism, addresses.

import Foundation
import HeraldCore
@testable import HeraldEmail
import Testing

@Suite struct MailMessageTests {
    func message(subject: String = "Hello", text: String = "Body\n", html: String = "<p>Body</p>\n") throws -> MailMessage {
        MailMessage(
            from: try MailAddress(parsing: "陈静 <chen@example.org>", field: "--from"),
            to: [try MailAddress(parsing: "list@example.org", field: "--to")], subject: subject,
            date: PostDate(year: 2026, month: 10, day: 30, hour: 18, minute: 0, second: 0, utcOffset: 7200),
            textBody: text, htmlBody: html)
    }

    func lines(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test func headersComeInRFC5322Form() throws {
        let head = lines(try message().encoded())
        #expect(head[0] == "Date: Fri, 30 Oct 2026 18:00:00 +0200")
        #expect(head[1] == "From: =?utf-8?b?6ZmI6Z2Z?= <chen@example.org>")
        #expect(head[2] == "To: list@example.org")
        #expect(head[3] == "Subject: Hello")
        #expect(head[4].hasPrefix("Message-ID: <") && head[4].hasSuffix("@example.org>"))
        #expect(head.contains("MIME-Version: 1.0"))
    }

    @Test(arguments: [
        (2000, 1, 1, "Sat"), (2024, 2, 29, "Thu"), (1970, 1, 1, "Thu"), (2019, 8, 31, "Sat"), (2100, 3, 1, "Mon"),
    ])
    func weekdays(_ year: Int, _ month: Int, _ day: Int, _ weekday: String) {
        #expect(MailMessage.rfc5322Date(PostDate(year: year, month: month, day: day)).hasPrefix(weekday + ","))
    }

    @Test func aDateWithoutZoneIsUTCAndWithoutTimeIsMidnight() {
        #expect(MailMessage.rfc5322Date(PostDate(year: 2019, month: 9, day: 18)) == "Wed, 18 Sep 2019 00:00:00 +0000")
    }

    @Test func chineseSubjectsBecomeShortEncodedWordsSplitBetweenCharacters() throws {
        let title = String(repeating: "中文标题，", count: 20)
        let data = try message(subject: title).encoded()
        let all = lines(data)
        let start = try #require(all.firstIndex { $0.hasPrefix("Subject:") })
        var words: [String] = []
        for line in all[start...] {
            guard line.hasPrefix("Subject:") || line.hasPrefix(" ") else { break }
            #expect(line.utf8.count <= 78)
            words += line.split(separator: " ").filter { $0.hasPrefix("=?") }.map(String.init)
        }
        var decoded = Data()
        for word in words {
            #expect(word.count <= 75)
            let payload = word.dropFirst("=?utf-8?b?".count).dropLast(2)
            let bytes = try #require(Data(base64Encoded: String(payload)))
            #expect(String(data: bytes, encoding: .utf8) != nil, "a word splits a character")
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == title)
    }

    @Test func controlCharactersCannotStartAHeader() throws {
        let data = try message(subject: "Hi\r\nBcc: evil@example.org").encoded()
        #expect(!lines(data).contains { $0.hasPrefix("Bcc:") })
    }

    @Test func sameContentSameBytesOtherContentOtherBoundary() throws {
        #expect(try message().encoded() == (try message().encoded()))
        let boundary = { (data: Data) in self.lines(data).first { $0.contains("boundary=") } }
        #expect(boundary(try message().encoded()) != boundary(try message(text: "Other\n").encoded()))
    }

    /// A Chinese body is base64 (quoted-printable would write each of its bytes as three), an
    /// English one stays quoted-printable; base64 lines are 76 characters and decode to the
    /// text with CRLF line ends, whatever the length of its last group.
    @Test func bodiesMostlyInAnotherScriptAreBase64() throws {
        for tail in ["", "。", "好。", "一二。"] {
            let text = String(repeating: "这是一封中文邮件，内容很长。\n", count: 40) + "\n第二段：Herald 把文章写成邮件。\n" + tail
            let html = "<p>" + String(repeating: "中文段落。", count: 60) + "</p>\n<p>" + tail + "</p>\n"
            let data = try message(text: text, html: html).encoded()
            let all = lines(data)
            let encodings = all.filter { $0.hasPrefix("Content-Transfer-Encoding:") }
            #expect(encodings == ["Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: base64"])
            // Each part: its lines after the blank line that ends its headers, up to the boundary.
            var parts: [String] = []
            var index = 0
            while let start = all[index...].firstIndex(where: { $0.hasPrefix("Content-Transfer-Encoding:") }) {
                let body = all[(start + 2)...].prefix { !$0.hasPrefix("--=_herald_") }
                #expect(body.allSatisfy { $0.count <= 76 })
                #expect(body.dropLast().allSatisfy { $0.count == 76 })
                let decoded = try #require(Data(base64Encoded: body.joined()))
                parts.append(String(decoding: decoded, as: UTF8.self))
                index = start + 1
            }
            #expect(parts == [text.replacingOccurrences(of: "\n", with: "\r\n"), html.replacingOccurrences(of: "\n", with: "\r\n")])
            // About half what quoted-printable would take.
            #expect(data.count * 2 < BodyEncoding.quotedPrintable.encode(text).utf8.count + BodyEncoding.quotedPrintable.encode(html).utf8.count + 2_000)
        }
        let english = lines(try message(text: "Plain words, and a few 中文 ones.\n", html: "<p>Plain words.</p>\n").encoded())
        #expect(english.filter { $0.hasPrefix("Content-Transfer-Encoding:") } == Array(repeating: "Content-Transfer-Encoding: quoted-printable", count: 2))
    }

    @Test func quotedPrintableKeepsLinesShortAndRoundTrips() {
        let text = String(repeating: "é=x ", count: 100) + "\ntrailing  \n.\nFrom here\n"
        let encoded = BodyEncoding.quotedPrintable.encode(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
            #expect(!line.hasSuffix(" "))
            #expect(line != "." && !line.hasPrefix("From "))
        }
        #expect(decodeQuotedPrintable(encoded) == text)
    }

    /// A soft line break can put a "." or "From " at the start of a line too: encoded there.
    @Test(arguments: [
        String(repeating: "a", count: 75) + ".b\n", String(repeating: "a", count: 75) + "From x\n",
        String(repeating: "a", count: 74) + "=.\n", "line one\r\nline two\rstill two\r\n", "no newline at the end",
    ])
    func quotedPrintableLinesNeverStartWithADotOrFrom(_ text: String) {
        let encoded = BodyEncoding.quotedPrintable.encode(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
            #expect(!line.hasPrefix(".") && !line.hasPrefix("From "), "\(line)")
            #expect(!line.contains("\r") && !line.contains("\n"))
        }
        #expect(decodeQuotedPrintable(encoded) == text.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    /// Random text of plain words, tabs, spaces, `=`, Chinese, dots and "From " in lines of
    /// every length (the eight-byte steps stop at the limit, a line's end and every byte they
    /// cannot take): each line within 76 bytes, none ends with a space or starts with "." or
    /// "From ", and the text comes back.
    @Test func quotedPrintableOfRandomTextRoundTrips() {
        let pieces = ["word", "longer words here", " ", "\t", "=", "中文", ".", "From ", "x", "\n", "12345678", "é"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<60 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            let encoded = BodyEncoding.quotedPrintable.encode(text)
            for line in encoded.components(separatedBy: "\r\n") {
                #expect(line.utf8.count <= 76)
                #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
                #expect(!line.hasPrefix(".") && !line.hasPrefix("From "), "\(line)")
            }
            #expect(decodeQuotedPrintable(encoded) == text)
            // The choice counts the bytes to escape eight at a time, adding up every 1,016 bytes.
            for sample in [text, String(repeating: text, count: 30)] {
                let escaped = sample.utf8.filter { $0 >= 0x80 || $0 == 61 }.count
                let count = sample.utf8.count
                #expect(BodyEncoding.escapedBytes(in: sample) == escaped)
                #expect(BodyEncoding.choice(for: sample) == (count + 2 * escaped > count * 4 / 3 + count / 38 ? .base64 : .quotedPrintable))
            }
        }
    }

    /// Base64 bodies are Foundation's base64 of the text with CRLF line ends, in lines of 76:
    /// random bytes with lone LFs, CRLFs and lone CRs among them, of every length around the
    /// three-byte groups and the line's 57 bytes.
    @Test func base64BodiesAreFoundationsBase64OfCRLFText() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for length in Array(0...130) + [1_000, 4_099] {
            let bytes = (0..<length).map { _ -> UInt8 in
                switch next(10) {
                case 0: 10
                case 1: 13
                default: UInt8(next(256))
                }
            }
            var crlf: [UInt8] = []
            for (index, byte) in bytes.enumerated() {
                if byte == 10 && (index == 0 || bytes[index - 1] != 13) { crlf.append(13) }
                crlf.append(byte)
            }
            let expected = Data(crlf).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            let encoded = bytes.withUnsafeBufferPointer { input in
                [UInt8](unsafeUninitializedCapacity: BodyEncoding.room(input.count)) { buffer, count in
                    count = Base64Body.encode(input, into: buffer.baseAddress!)
                }
            }
            #expect(String(decoding: encoded, as: UTF8.self) == expected, "\(length) bytes")
        }
    }

    func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "\r\n", with: "\n").utf8)
        var index = 0
        while index < input.count {
            if input[index] == 61, index + 2 < input.count, let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

@Suite struct MailAddressTests {
    @Test(arguments: [
        ("news@example.org", nil, "news@example.org"),
        ("Lantern News <news@example.org>", "Lantern News", "news@example.org"),
        ("\"Doe, Jane\" <jane@example.org>", "Doe, Jane", "jane@example.org"),
        ("陈静 <chen@example.org>", "陈静", "chen@example.org"),
        ("  first.last+tag@sub.example.org  ", nil, "first.last+tag@sub.example.org"),
    ] as [(String, String?, String)])
    func valid(_ text: String, _ name: String?, _ address: String) throws {
        let parsed = try MailAddress(parsing: text, field: "--from")
        #expect(parsed.displayName == name)
        #expect(parsed.address == address)
    }

    @Test(arguments: [
        "news", "news@", "@example.org", "a@b@c.org", "a b@example.org", "a@exa mple.org", "News <news@example.org",
        "a@example.org\r\nBcc: x@evil.org", "a..b@example.org", "a@-bad.org", "Name\n <a@example.org>",
    ])
    func invalid(_ text: String) {
        #expect {
            try MailAddress(parsing: text, field: "--to")
        } throws: { error in
            (error as? DiagnosticError)?.diagnostics.first?.message.hasPrefix("invalid address in --to") == true
        }
    }

    @Test func listsSplitAtCommasOutsideQuotes() throws {
        let list = try MailAddress.list(parsing: "\"Doe, Jane\" <jane@example.org>, bob@example.org", field: "--to")
        #expect(list.map(\.address) == ["jane@example.org", "bob@example.org"])
    }

    @Test func namesAreQuotedOrEncodedInHeaders() throws {
        #expect(try MailAddress(parsing: "\"Doe, Jane\" <jane@example.org>", field: "f").description == "\"Doe, Jane\" <jane@example.org>")
        #expect(try MailAddress(parsing: "Jane Doe <jane@example.org>", field: "f").description == "Jane Doe <jane@example.org>")
    }
}

@Suite struct SendmailTests {
    /// The command line runs through the shell: quotes and redirections work, and the message
    /// arrives with LF line endings.
    @Test func theCommandLineRunsThroughTheShell() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("sent message.eml")
        let sender = try Sendmail(commandLine: "cat > '\(file.path)'")
        #expect(try await Self.send(sender).isEmpty)
        #expect(try String(contentsOf: file, encoding: .utf8) == "To: a@example.org\n\nHi\n")
    }

    @Test func aFailureQuotesTheProgramsErrorOutput() async throws {
        let sender = try Sendmail(commandLine: "cat >/dev/null; echo 'relay refused' >&2; exit 75")
        #expect(sender.program == "cat")
        #expect(try await Self.send(sender) == ["'cat >/dev/null; echo 'relay refused' >&2; exit 75' failed with status 75: relay refused"])
    }

    @Test func aMissingProgramIsNamed() async throws {
        let messages = try await Self.send(try Sendmail(commandLine: "no-such-sendmail -t"))
        #expect(messages.first?.hasPrefix("sendmail command 'no-such-sendmail' not found") == true)
        #expect(throws: DiagnosticError.self) { try Sendmail(commandLine: "  ") }
    }

    /// The messages of what went wrong sending a short message with `sender`; none when it went.
    /// Sending runs on a thread of its own, waited for without holding a thread of Swift's
    /// cooperative pool (on which Swift Testing runs tests), which the child-process machinery needs.
    static func send(_ sender: Sendmail) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do throws(DiagnosticError) {
                    try sender.send(Data("To: a@example.org\r\n\r\nHi\r\n".utf8))
                    continuation.resume(returning: [])
                } catch {
                    continuation.resume(returning: error.diagnostics.map(\.message))
                }
            }.start()
        }
    }
}

@Suite struct InlineStyleTests {
    @Test func everyKnownStartTagGetsItsStyleOnce() {
        let html = "<p>中文 &lt;p&gt; <a href=\"x\">a</a> <em>e</em></p>\n<P class=\"k\">B</P><td style=\"color:red\">c</td><br/><p"
        let styled = InlineStyles.apply(to: html)
        #expect(styled.hasPrefix("<p style=\"\(InlineStyles.styles["p"]!)\">中文 &lt;p&gt; <a style=\"\(InlineStyles.styles["a"]!)\" href=\"x\">a</a> <em>e</em></p>"))
        #expect(styled.contains("<P style=\"\(InlineStyles.styles["p"]!)\" class=\"k\">B</P>"))
        #expect(styled.contains("<td style=\"color:red\">c</td><br/>"))
        #expect(styled.hasSuffix("<br/><p"))
    }
}
