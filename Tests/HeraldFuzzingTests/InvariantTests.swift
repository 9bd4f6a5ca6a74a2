// The fuzzers' checkers find what they are meant to find: each is shown a faulty output of the
// kind it guards against, and a sound one.

import Foundation
import HeraldFuzzing
import Testing

@Suite struct InvariantTests {
    @Test(arguments: [
        ("<p>a<div>b</div></p>", "<div> inside <p>"),
        ("<table><tr><td>a</td></tr>x</table>", "text directly inside <table>"),
        ("<table><td>a</td></table>", "<td> directly inside <table>"),
        ("<ul><li><i><li>a</li></i></li></ul>", "<li> inside <li>"),
        ("<a href=\"x\"><a href=\"y\">z</a></a>", "<a> inside <a>"),
        ("<b><i>x</b></i>", "</b> closes <i>"),
        ("<p>a &amp b</p>", "without ';'"),
        ("<p>a\u{8}b</p>", "U+8 is not allowed"),
        ("<p>&#0;</p>", "forbids"),
        ("<div/>", "not a void element"),
        ("<p>open", "not closed at the end"),
        ("<img src=\"a\" src=\"b\">", "attribute twice"),
    ])
    func htmlProblemsAreFound(_ html: String, _ expected: String) {
        let problems = HTMLStructure.problems(html)
        #expect(problems.contains { $0.message.contains(expected) }, "\(problems)")
    }

    @Test func soundHTMLHasNoProblems() {
        let html = """
            <!DOCTYPE html>
            <html lang="zh"><head><meta charset="utf-8"><title>a &lt; b</title><style>p > a { color: red }</style></head>
            <body><p>x &amp; y &#x4E2D; <a href="/a?b=1&amp;c=2">link</a><br></p>
            <table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
            <ul><li><p>item</p><ul><li>inner</li></ul></li></ul><script>if (a < b && c) {}</script></body></html>
            """
        #expect(HTMLStructure.problems(html).isEmpty, "\(HTMLStructure.problems(html))")
    }

    static let message = [
        "From: news@example.org", "To: users@example.org", "Subject: =?UTF-8?B?5Lit?=", "Date: Thu, 1 Oct 2026 00:00:00 +0000",
        "Message-ID: <a@example.org>", "MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=\"b1\"", "",
        "--b1", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", "a=E4=B8=AD=", "b",
        "--b1", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", "", "PHA+YTwvcD4=", "--b1--", "",
    ].joined(separator: "\r\n")

    @Test func aSoundMessageHasNoDefects() {
        #expect(MailStructure.problems(Array(Self.message.utf8)).isEmpty, "\(MailStructure.problems(Array(Self.message.utf8)))")
    }

    @Test(arguments: [
        ("Subject: =?UTF-8?B?5Lit?=", "Subject: 中", "not 7-bit"),
        ("\r\n", "\n", "LF without CR"),
        ("--b1--", "--b1-", "no closing boundary"),
        ("a=E4=B8=AD=", "a=E4=B8=ZZ", "bad '=' escape"),
        ("PHA+YTwvcD4=", "PHA+YTwvcD4=!", "base64 line with other characters"),
        ("MIME-Version: 1.0\r\n", "", "no mime-version header"),
    ])
    func messageDefectsAreFound(_ sound: String, _ faulty: String, _ expected: String) {
        let problems = MailStructure.problems(Array(Self.message.replacingOccurrences(of: sound, with: faulty).utf8))
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }

    @Test func plainTextLinesAreChecked() {
        let source: Set<String> = ["中文内容在这里继续 ；后面"]
        #expect(PlainTextLines.problems("中文\n；后面\n", width: 72, sourceLines: []).contains { $0.contains("closing punctuation") })
        #expect(PlainTextLines.problems("中文\n；后面\n", width: 72, sourceLines: ["；后面"]).isEmpty)
        let wide = Array(repeating: "word", count: 20).joined(separator: " ")
        #expect(PlainTextLines.problems(wide + "\n", width: 72, sourceLines: source).contains { $0.contains("columns wide") })
        #expect(PlainTextLines.problems(String(repeating: "x", count: 100) + "\n", width: 72, sourceLines: source).isEmpty)
    }

    @Test func translatorInputsSplitAtNULBytes() {
        let (source, stub, po) = TranslationFuzzer.parts(Array("a\0b\0c\0d".utf8))
        #expect(source == Array("a".utf8) && stub == Array("b".utf8) && po == Array("c\0d".utf8))
    }
}
