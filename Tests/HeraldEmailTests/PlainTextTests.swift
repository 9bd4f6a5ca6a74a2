// The plain-text email on real posts and on the rules one at a time: URLs kept, widths in
// display columns, code untouched, format=flowed.

import Foundation
import HeraldCore
import HeraldEmail
import HeraldMarkdown
import Testing

enum Corpus {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static let newsletter = shared.appendingPathComponent("this-month-in-tikv-2019-08.md")
    static let blog = shared.appendingPathComponent("tikv-blog")
    static var present: Bool { FileManager.default.fileExists(atPath: newsletter.path) }
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")
}

func parsePost(_ url: URL) throws -> Post {
    try MarkdownParser().parse([UInt8](try Data(contentsOf: url)), path: url.path)
}

func parsePost(_ markdown: String, path: String = "post.md") throws -> Post {
    try MarkdownParser().parse(Array(markdown.utf8), path: path)
}

func plainText(_ post: Post, _ options: PlainTextOptions = PlainTextOptions()) throws -> String {
    try EmailBackend(options: EmailOptions(text: options))
        .plainText(post, context: BuildContext(baseURL: "https://tikv.org/blog/", siteTitle: "TiKV"))
}

/// Every `http(s)://` address written in `markdown`, outside HTML comments (which no reader sees).
func addresses(in markdown: String) -> Set<String> {
    let markdown = markdown.replacingOccurrences(of: "<!--[\\s\\S]*?-->", with: "", options: .regularExpression)
    let pattern = try! NSRegularExpression(pattern: #"https?://[^\s)>\]"'`]+"#)
    let range = NSRange(markdown.startIndex..., in: markdown)
    return Set(pattern.matches(in: markdown, range: range).map { String(markdown[Range($0.range, in: markdown)!]) })
}

/// The code of a post: the lines of its code blocks and its code spans.
func code(of document: Document) -> (blockLines: [String], spans: [String]) {
    var lines: [String] = []
    var spans: [String] = []
    for id in document.descendants() {
        switch document[id].kind {
        case .codeBlock(_, let literal, _):
            lines += literal.split(separator: "\n").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        case .code(let literal):
            spans.append(literal)
        default:
            break
        }
    }
    return (lines, spans)
}

@Suite struct PlainTextCorpusTests {
    @Test(.enabled(if: Corpus.present, "needs ../shared/corpus"))
    func newsletterKeepsAll73Addresses() throws {
        let source = try String(contentsOf: Corpus.newsletter, encoding: .utf8)
        let post = try parsePost(Corpus.newsletter)
        let text = try plainText(post)
        let urls = addresses(in: source)
        #expect(urls.count == 73)
        let missing = urls.filter { !text.contains($0) }
        #expect(missing.isEmpty, "missing: \(missing.sorted())")
        checkTextHygiene(text)
        for span in code(of: post.document).spans {
            #expect(text.contains("`" + span + "`"), "code span changed: \(span)")
        }
    }

    /// Every post of the blog: widths, hygiene, and code blocks byte for byte (after the
    /// four-space indent; tabs expand to spaces and trailing blanks go, which no reader sees).
    @Test(.enabled(if: Corpus.present, "needs ../shared/corpus"))
    func everyBlogPostFollowsTheRules() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Corpus.blog, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
        #expect(files.count == 50)
        for file in files {
            let post = try parsePost(file)
            let text = try plainText(post)
            let textLines = Set(text.split(separator: "\n").map { String($0) })
            let blocks = code(of: post.document).blockLines
            checkTextHygiene(text, sourceLines: Set(blocks.map { $0.trimmingCharacters(in: .whitespaces) }))
            for line in blocks where !line.contains("\t") {
                var expected = line
                while expected.last == " " { expected.removeLast() }
                #expect(textLines.contains(where: { $0.hasSuffix("    " + expected) }), "\(file.lastPathComponent): code line changed: \(line)")
            }
            for url in addresses(in: try String(contentsOf: file, encoding: .utf8)) {
                #expect(text.contains(url), "\(file.lastPathComponent): missing \(url)")
            }
        }
    }

    @Test(arguments: ["2026-10-community-update.md", "2026-10-zh-community-update.md"])
    func examplesFollowTheRules(_ name: String) throws {
        let text = try plainText(try parsePost(Corpus.examples.appendingPathComponent(name)))
        checkTextHygiene(text)
    }
}

@Suite struct PlainTextRuleTests {
    func body(_ markdown: String, _ options: PlainTextOptions = PlainTextOptions()) throws -> String {
        PlainTextRenderer(options: options).render(try parsePost(markdown).document)
    }

    @Test func theSameAddressGetsTheSameNumber() throws {
        let text = try body("[a](https://e.org/x) and [b](https://e.org/x) and [c](https://e.org/y)\n")
        #expect(text.hasPrefix("a [1] and b [1] and c [2]\n"))
        #expect(text.contains("[1] https://e.org/x\n[2] https://e.org/y\n"))
    }

    @Test func autolinksStandInPlaceWithoutANumber() throws {
        let text = try body("See <https://e.org/page> or https://e.org/bare.\n")
        #expect(text == "See https://e.org/page or https://e.org/bare.\n")
    }

    @Test func imagesShowTheirAltTextAndAddress() throws {
        let text = try body("![A cat](https://e.org/cat.png)\n")
        #expect(text.hasPrefix("[image: A cat] [1]\n"))
        #expect(text.contains("[1] https://e.org/cat.png"))
    }

    @Test func aLongURLStandsWholeOnItsLine() throws {
        let url = "https://example.org/" + String(repeating: "segment/", count: 12)
        let text = try body("Words before the address \(url) and words after it.\n")
        #expect(text.split(separator: "\n").contains { $0 == Substring(url) })
    }

    @Test func codeSpansAreNeverBroken() throws {
        let text = try body(String(repeating: "word ", count: 12) + "`a code span with several spaces inside` end\n", PlainTextOptions(width: 40))
        #expect(text.contains("`a code span with several spaces inside`"))
    }

    @Test func chineseWrapsByDisplayWidth() throws {
        let sentence = String(repeating: "汉字的宽度是两列，", count: 10)
        let text = try body(sentence + "\n")
        for line in text.split(separator: "\n") {
            #expect(DisplayWidth.of(line) <= 72)
            #expect(line.first != "，")
        }
        #expect(text.split(separator: "\n").count == 3)
    }

    @Test func chineseSoftBreaksJoinWithoutASpace() throws {
        #expect(try body("第一行\n第二行\n") == "第一行第二行\n")
        #expect(try body("first\nsecond\n") == "first second\n")
    }

    @Test func nestedListsHang() throws {
        let text = try body("- one\n  - two\n    - three\n")
        #expect(text == "* one\n  * two\n    * three\n")
    }

    @Test func wideTablesFallBackToRecords() throws {
        let long = String(repeating: "wide ", count: 20)
        let text = try body("| a | b |\n|---|---|\n| \(long) | x |\n")
        #expect(text.hasPrefix("* a: wide wide"))
    }

    @Test func flowedTextStuffsAndFlows() throws {
        let text = try body(
            "From here the paragraph is long enough to be wrapped into more than one line of text at forty.\n\n    code line\n",
            PlainTextOptions(width: 40, flowed: true))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix(" From here"))
        #expect(lines[0].hasSuffix(" "))
        #expect(lines.contains("     code line"))
        #expect(!lines.contains { $0.hasSuffix("code line ") })
    }

    @Test func deepNestingDoesNotOverflow() throws {
        let deep = String(repeating: "> ", count: 5_000) + "deep\n\n" + String(repeating: "- ", count: 3_000) + "x\n"
        let text = try body(deep)
        #expect(text.contains("deep"))
    }
}
