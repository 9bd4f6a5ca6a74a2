// Golden files of the plain-text email: one post of every block type in English and one in
// Chinese, rendered and compared with the reviewed `.txt` beside them. To re-record after a
// deliberate change, run with HERALD_RECORD_GOLDEN=1, then review the diff before committing:
// recording fails the test so that it is never left on.

import Foundation
import HeraldCore
import HeraldEmail
import HeraldMarkdown
import Testing

enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let recording = ProcessInfo.processInfo.environment["HERALD_RECORD_GOLDEN"] == "1"

    static func post(_ name: String) throws -> Post {
        let url = folder.appendingPathComponent(name)
        return try MarkdownParser().parse([UInt8](try Data(contentsOf: url)), path: url.path)
    }

    /// Compares `actual` with the golden file `name`, or records it.
    static func check(_ actual: String, against name: String) throws {
        let url = folder.appendingPathComponent(name)
        if recording {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name): review the diff, then run without HERALD_RECORD_GOLDEN")
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if actual != expected {
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(actualLines.count, expectedLines.count)).first { actualLines[$0] != expectedLines[$0] } ?? min(actualLines.count, expectedLines.count)
            Issue.record("""
                \(name) differs from line \(first + 1):
                expected: \(first < expectedLines.count ? String(expectedLines[first]) : "<end>")
                actual:   \(first < actualLines.count ? String(actualLines[first]) : "<end>")
                """)
        }
    }
}

/// The rules every plain-text body follows, whatever the post.
func checkTextHygiene(_ text: String, width: Int = 72, flowed: Bool = false, sourceLines: Set<String> = []) {
    #expect(!text.contains("\r"), "CR in text")
    #expect(!text.contains("\t"), "tab in text")
    #expect(text.hasSuffix("\n"))
    let closing: Set<Character> = ["，", "。", "、", "；", "：", "！", "？", "）", "」", "』", "》", "…", "”", "’"]
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if !flowed && line != "-- " {
            #expect(line.last != " ", "trailing space: '\(line)'")
        }
        if let first = line.first { #expect(!closing.contains(first), "line starts with closing punctuation: \(line)") }
        // Flowed lines end with the spaces of their soft break, and may be space-stuffed.
        var visible = Substring(line)
        if flowed {
            while visible.last == " " { visible.removeLast() }
            if visible.hasPrefix(" ") { visible.removeFirst() }
        }
        let content = visible.drop { $0 == " " }
        let unbreakable = !content.contains(" ") || sourceLines.contains(String(content))
            || content.split(separator: " ").contains { DisplayWidth.of($0) > width - 8 }
        if DisplayWidth.of(visible) > width {
            #expect(unbreakable, "line wider than \(width) columns: \(line)")
        }
    }
}

@Suite struct PlainTextGoldenTests {
    static let context = BuildContext(baseURL: "https://news.example.org/", siteTitle: "Lantern News")

    @Test(arguments: ["blocks-en", "blocks-zh"])
    func everyBlockType(_ name: String) throws {
        let post = try Golden.post(name + ".md")
        let text = try EmailBackend().plainText(post, context: Self.context)
        try Golden.check(text, against: name + ".txt")
        checkTextHygiene(text)
    }

    @Test func flowed() throws {
        let post = try Golden.post("blocks-en.md")
        let text = try EmailBackend(options: EmailOptions(text: PlainTextOptions(flowed: true))).plainText(post, context: Self.context)
        try Golden.check(text, against: "blocks-en.flowed.txt")
        checkTextHygiene(text, flowed: true)
    }
}
