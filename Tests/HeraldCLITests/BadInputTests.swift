// Bad input: every broken post gets a clear diagnostic with a place, never a crash, and one bad
// post never stops the others.

import Foundation
import Testing
import ZIPFoundation

struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    /// The diagnostic id expected.
    var id: String
    /// `LINE:COL` expected in the diagnostic.
    var place: String
    /// Whether the post is still built (a warning) or not (an error).
    var builds: Bool

    var testDescription: String { name }

    init(_ name: String, _ text: String, id: String, place: String, builds: Bool) {
        self.init(name, Array(text.utf8), id: id, place: place, builds: builds)
    }

    init(_ name: String, _ bytes: [UInt8], id: String, place: String, builds: Bool) {
        self.name = name
        self.bytes = bytes
        self.id = id
        self.place = place
        self.builds = builds
    }

    static let all: [BadInput] = [
        BadInput("broken-yaml", "---\ntitle: \"unclosed\ndate: 2020-01-01\n---\n\nBody.\n", id: "front-matter-yaml", place: ":2:8:", builds: false),
        BadInput("unterminated", "---\ntitle: Never closed\ndate: 2020-01-01\n\nBody.\n", id: "front-matter-unterminated", place: ":1:1:", builds: false),
        BadInput("missing-title", "---\ndate: 2020-01-01\n---\n\nBody.\n", id: "missing-title", place: ":1:1:", builds: true),
        BadInput("invalid-date", "---\ntitle: T\ndate: 2019-13-45\n---\n\nBody.\n", id: "invalid-date", place: ":3:7:", builds: false),
        // A NUL written as a YAML escape is replaced like one in the file (a stub holding it raw
        // could not be read again).
        BadInput("escaped-control", "---\ntitle: \"a\\0b\"\ndate: 2020-01-01\n---\n\nBody.\n", id: "control-character", place: ":2:8:", builds: true),
        BadInput(
            "invalid-utf8", Array("---\ntitle: T\ndate: 2020-01-01\n---\n\n中文".utf8) + [0xFF] + Array(" tail\n".utf8),
            id: "invalid-utf8", place: ":6:3:", builds: false),
        BadInput("bom", [0xEF, 0xBB, 0xBF] + Array("---\ntitle: T\ndate: 2020-01-01\n---\n\nBody.\n".utf8), id: "byte-order-mark", place: ":1:1:", builds: true),
        BadInput("empty", "", id: "empty-file", place: "", builds: false),
        BadInput("binary", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], id: "binary-file", place: "", builds: false),
        BadInput("utf16", [0xFF, 0xFE] + Array("-\0-\0-\0".utf8), id: "unsupported-encoding", place: "", builds: false),
    ]
}

@Suite struct BadInputTests {
    @Test(arguments: BadInput.all)
    func badPostIsReportedAndOthersStillBuild(_ input: BadInput) throws {
        let folder = try temporaryFolder("herald-bad")
        let bad = try writeFile(folder, "\(input.name).md", Data(input.bytes))
        try writeFile(folder, "good.md", "---\ntitle: Good\ndate: 2020-02-02\n---\n\nFine.\n")
        let out = try temporaryFolder("herald-out")
        let run = herald("build", folder.path, "--out", out.path)

        let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("[\(input.id)]") }, "stderr: \(run.stderr)")
        #expect(line.hasPrefix(bad + input.place), "\(line)")
        #expect(line.contains(input.builds ? ": warning: " : ": error: "))
        #expect(filesUnder(out).contains("site/good/index.html"))
        #expect(filesUnder(out).contains("site/\(input.name)/index.html") == input.builds)
        #expect((run.status == 0) == input.builds, "\(run.stderr)")
        // Nothing half-written is left behind.
        #expect(!filesUnder(out, includingBuildState: true).contains { $0.contains(".herald-") })
    }

    @Test func crlfLineEndingsBuildWithTheEditorsLineNumbers() throws {
        let folder = try temporaryFolder("herald-crlf")
        let path = try writeFile(folder, "crlf.md", "---\r\ntitle: T\r\ndate: 2020-13-01\r\n---\r\n\r\nBody\r\n")
        let run = herald("render", path)
        #expect(run.stderr.contains(path + ":3:7: error:"), "\(run.stderr)")
        let fixed = try writeFile(folder, "ok.md", "---\r\ntitle: T\r\ndate: 2020-01-01\r\n---\r\n\r\nline one\r\nline two\r\n")
        let ok = herald("render", fixed)
        #expect(ok.status == 0)
        #expect(ok.stdout == "<p>line one\nline two</p>\n")
    }

    @Test func renderOfMissingFileIsAnError() {
        let run = herald("render", "/nonexistent.md")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("/nonexistent.md: error: cannot read: no such file or directory [read-failed]"))
    }

    @Test func hostileNestingDoesNotCrash() {
        let deep = String(repeating: "> ", count: 20_000) + "deep\n\n" + String(repeating: "- ", count: 5_000) + "x\n\n" + String(repeating: "[", count: 50_000) + "\n"
        let run = herald(["render", "--to", "html"], input: deep)
        #expect(run.status == 0)
        #expect(run.stdout.contains("deep"))
        #expect(herald(["render", "--to", "ast"], input: deep).status == 0)
    }
}

/// Large posts of the shapes that once took minutes (a wide table, thousands of footnotes, deep
/// lists, thousands of links on one line, near-miss reference labels) go through every command
/// with complete, correct output. Timing is `make bench`'s business; these runs only have to
/// end and be right.
@Suite struct LargePostTests {
    static let frontMatter = "---\ntitle: Large\ndate: 2020-01-01\n---\n\n"

    func post(_ body: String) throws -> String {
        try writeFile(try temporaryFolder("herald-large"), "large.md", Self.frontMatter + body)
    }

    @Test func aWideTableKeepsEveryCellAndAlignment() throws {
        let columns = 60, rows = 60
        let header = "|" + (0..<columns).map { "h\($0)|" }.joined()
        let rule = "|" + (0..<columns).map { $0 % 2 == 0 ? ":-|" : "-:|" }.joined()
        let body = (0..<rows).map { row in "|" + (0..<columns).map { "c\(row)x\($0)|" }.joined() }.joined(separator: "\n")
        let path = try post(header + "\n" + rule + "\n" + body + "\n")
        let html = herald("render", "--to", "html", path)
        #expect(html.status == 0)
        #expect(html.stdout.components(separatedBy: "<td").count - 1 == rows * columns)
        #expect(html.stdout.contains("<td align=\"right\">c59x59</td>") && html.stdout.contains("<td align=\"left\">c59x58</td>"))
        let po = try temporaryFolder("herald-large-po").appendingPathComponent("large.po").path
        #expect(herald("translate", path, "--to", "zh", "--format", "po", "-o", po).status == 0)
        #expect(try String(contentsOfFile: po, encoding: .utf8).components(separatedBy: "\nmsgid ").count - 1 >= rows * columns + columns)
    }

    @Test func thousandsOfFootnotesMakeABook() throws {
        let count = 1_500
        let path = try post((0..<count).map { "Text[^\($0)].\n\n" }.joined() + (0..<count).map { "[^\($0)]: Note \($0).\n\n" }.joined())
        let book = try temporaryFolder("herald-large-epub").appendingPathComponent("large.epub").path
        #expect(herald("epub", path, "-o", book).status == 0)
        let html = herald("render", "--to", "html", path).stdout
        #expect(html.components(separatedBy: "<li id=\"fn-").count - 1 == count)
    }

    @Test func deepListsTranslateAndMail() throws {
        let path = try post((0..<600).map { String(repeating: "  ", count: $0) + "- item \($0)\n" }.joined())
        let po = try temporaryFolder("herald-large-po").appendingPathComponent("large.po").path
        #expect(herald("translate", path, "--to", "zh", "--format", "po", "-o", po).status == 0)
        #expect(try String(contentsOfFile: po, encoding: .utf8).contains("msgid \"item 599\""))
        let text = herald("render", "--to", "text", path)
        #expect(text.status == 0 && text.stdout.contains("item 599"))
    }

    @Test func manyLinksAndNearMissLabelsAreCheckedEachInItsPlace() throws {
        let links = (0..<5_000).map { "[l\($0)](https://example.org/\($0))" }.joined(separator: " ")
        let repeated = String(repeating: "[a][b]", count: 2_000)
        let labels = (0..<2_000).map { "see [labelnumber\(String(format: "%05d", $0))x]\n" }.joined(separator: "\n")
        let definitions = (0..<2_000).map { "[labelnumber\(String(format: "%05d", $0))y]: https://example.org/\($0)\n" }.joined()
        let path = try post(links + "\n\n" + repeated + "\n\n" + labels + "\n" + definitions)
        let run = herald("check", path, "--format", "json", "--disable", "reference-unused")
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        // [a][b] 2,000 times on line 8, each at its own column; every near miss with its suggestion.
        let repeatedColumns = Set(findings.filter { $0["line"] as? Int == 8 }.compactMap { $0["column"] as? Int })
        #expect(repeatedColumns == Set((0..<2_000).map { 1 + 6 * $0 }))
        let nearMisses = findings.filter { ($0["message"] as? String)?.contains("did you mean [labelnumber") == true }
        #expect(nearMisses.count == 2_000)
    }
}

/// Output that cannot be written (a full disk, a reader that went away) is one error line and a
/// failing exit status, never a crash: run as a user runs `herald`, the real executable.
@Suite struct UnwritableOutputTests {
    func run(_ arguments: [String], output: FileHandle) async throws -> (status: Int32, stderr: String) {
        let binary = Paths.herald
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build herald first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return (process.terminationStatus, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test func aFullDiskIsAnErrorLine() async throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let post = Paths.examples.appendingPathComponent("2026-10-community-update.md").path
        for arguments in [["render", post], ["render", post, "--to", "text"], ["--help"]] {
            let run = try await run(arguments, output: full)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr == "herald: error: cannot write to standard output: no space left on device [write-failed]\n", "\(arguments): \(run.stderr)")
        }
    }

    @Test func aClosedPipeIsAnErrorLine() async throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let post = Paths.examples.appendingPathComponent("2026-10-community-update.md").path
        let run = try await run(["render", post], output: pipe.fileHandleForWriting)
        #expect(run.status == 1)
        #expect(run.stderr == "herald: error: cannot write to standard output: broken pipe [write-failed]\n", "\(run.stderr)")
    }
}

/// Control characters pasted into a post (a backspace, an escape sequence) are not allowed in
/// HTML or XML: no output carries them, and the editor is told where they are.
@Suite struct ControlCharacterTests {
    @Test func noOutputCarriesThem() throws {
        let root = try temporaryFolder("herald-control")
        defer { try? FileManager.default.removeItem(at: root) }
        let post = try writeFile(root, "posts/ctl.md", "---\ntitle: 容灾\u{8}能力\ndate: 2020-01-01\n---\n\n提升容灾能力\u{8} ；见\u{1B}[1m表格\u{7F}。\n\n| a\u{C} | b |\n|---|---|\n| \u{85} | ok |\n")
        let out = root.appendingPathComponent("dist")
        let run = herald(["build", post, "--out", out.path, "--base-url", "https://e.org/", "--from", "a@e.org", "--to", "b@e.org"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("ctl.md:2:10: warning: a character HTML and XML do not allow (U+0008"), "\(run.stderr)")
        #expect(run.stderr.contains("ctl.md:6:7: warning: 3 characters"), "\(run.stderr)")
        var texts: [String: String] = [:]
        for path in filesUnder(out) where !path.hasSuffix(".epub") {
            texts[path] = try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8)
        }
        let book = out.appendingPathComponent("epub/ctl.epub")
        for entry in ["EPUB/package.opf", "EPUB/nav.xhtml"] { texts[entry] = try EPUBFiles.entry(entry, in: book) }
        let chapters = try Archive(url: book, accessMode: .read).map(\.path).filter { $0.hasSuffix(".xhtml") }
        for chapter in chapters { texts[chapter] = try EPUBFiles.entry(chapter, in: book) }
        #expect(texts.count > 8)
        for (path, text) in texts {
            let forbidden = text.unicodeScalars.filter { ($0.value < 0x20 && ![0x09, 0x0A, 0x0D].contains($0.value)) || (0x7F...0x9F).contains($0.value) }
            #expect(forbidden.isEmpty, "\(path) has \(forbidden.map { String($0.value, radix: 16) })")
        }
        #expect(texts["site/ctl/index.html"]?.contains("提升容灾能力\u{FFFD} ；见\u{FFFD}[1m表格\u{FFFD}。") == true)
    }
}

/// The Chinese posts of ``ChineseCorpus``, built with the corpus: every control character is
/// pointed at, and no line of their mail starts with closing punctuation, spaced or not (their
/// pages and books go through html5lib and epubcheck with the rest of the shared build).
@Suite struct ChineseCorpusTests {
    @Test(.enabled(if: Paths.hasCorpus, "needs ../shared/corpus"))
    func controlCharactersAreReportedAndNoMailLineStartsWithClosingPunctuation() throws {
        let (out, run) = try #require(CorpusBuild.shared)
        #expect(run.status == 0, "\(run.stderr)")
        for slug in ChineseCorpus.slugs {
            #expect(run.stderr.contains("\(slug).md:2:"), "no warning for the title of \(slug)")
            #expect(run.stderr.components(separatedBy: "\n").filter { $0.contains("/\(slug).md:") && $0.contains("[control-character]") }.count >= 5)
            for format in ["txt", "eml"] {
                let mail = try String(contentsOf: out.appendingPathComponent("email/\(slug).\(format)"), encoding: .utf8)
                let lines = mail.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
                #expect(lines.count > 20)
                for line in lines {
                    let start = line.drop { $0 == " " || $0 == ">" || $0 == "-" || $0 == "|" }.first
                    #expect(!(start.map { ChineseCorpus.marks.contains(String($0)) } ?? false), "\(slug).\(format): \(line)")
                }
            }
        }
    }
}

/// A command that did nothing says so: no silent success.
@Suite struct NothingDoneTests {
    @Test func aBuildOfNoPostsIsAnError() throws {
        let root = try temporaryFolder("herald-no-posts")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("posts"), withIntermediateDirectories: true)
        let run = herald("build", root.appendingPathComponent("posts").path, "--out", root.appendingPathComponent("dist").path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: no posts to build: no *.md file in"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("dist/manifest.json").path))
    }

    @Test func onlyDraftsIsAWarning() throws {
        let root = try temporaryFolder("herald-drafts")
        defer { try? FileManager.default.removeItem(at: root) }
        let post = try writeFile(root, "d.md", "---\ntitle: D\ndate: 2020-01-01\ndraft: true\n---\n\nText.\n")
        let run = herald("build", post, "--out", root.appendingPathComponent("dist").path)
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: no post was published: drafts (draft: true) are left out unless --drafts is given"), "\(run.stderr)")
        #expect(!herald("build", post, "--drafts", "--out", root.appendingPathComponent("dist").path).stderr.contains("nothing-published"))
    }

    @Test func renderingAnEmptyFileIsAnErrorInHeraldsFlavor() throws {
        let root = try temporaryFolder("herald-empty")
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = try writeFile(root, "empty.md", "")
        let run = herald("render", empty)
        #expect(run.status == 1 && run.stdout.isEmpty)
        #expect(run.stderr.contains("empty.md:1:1: error: file is empty"), "\(run.stderr)")
        // The spec flavors render it as nothing, as the specs say.
        #expect(herald("render", empty, "--flavor", "gfm").status == 0)
    }

    @Test func theTableOfContentsComesWithAFragmentToo() {
        let run = herald(["render", "--toc"], input: "---\ntitle: T\ndate: 2020-01-01\n---\n\n## One\n\n## Two\n")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("<nav class=\"toc\">") && run.stdout.contains("<a href=\"#two\">Two</a>") && run.stdout.contains("<h2 id=\"one\">"))
    }
}
