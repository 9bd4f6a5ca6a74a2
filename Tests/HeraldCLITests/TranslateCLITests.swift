// `herald translate` on the real newsletter: a segment for every piece of prose, code and
// addresses untouched, and a stub that builds to a page, an email and a clean EPUB.

import Foundation
import HeraldCore
import Testing

@Suite struct TranslateCLITests {
    /// The newsletter's Chinese stub, made once for the test run, and the build of the stub as
    /// it is: its folder, the `translate` and `build` runs.
    static let newsletterStub: Result<(dir: URL, translated: Run, built: Run), any Error> = Result {
        let dir = try temporaryFolder("herald-translate")
        let post = dir.appendingPathComponent("this-month-in-tikv-2019-08.md")
        try FileManager.default.copyItem(at: Paths.corpus.appendingPathComponent("this-month-in-tikv-2019-08.md"), to: post)
        let translated = herald("translate", post.path, "--to", "zh")
        let stub = dir.appendingPathComponent("this-month-in-tikv-2019-08.zh.md")
        let built = herald("build", stub.path, "--out", dir.appendingPathComponent("out").path, "--email-from", "news@tikv.org", "--email-to", "list@tikv.org")
        return (dir, translated, built)
    }

    /// The book of the untranslated stub, which the epubcheck test checks with the others.
    static func newsletterStubBook() throws -> URL {
        try newsletterStub.get().dir.appendingPathComponent("out/epub/this-month-in-tikv-2019-08-zh.epub")
    }

    @Test(.enabled(if: Paths.hasCorpus, "needs ../shared/corpus"))
    func theNewsletterStubCoversAllProseAndBuildsEverywhere() throws {
        let (dir, run, built) = try Self.newsletterStub.get()
        let post = dir.appendingPathComponent("this-month-in-tikv-2019-08.md")
        #expect(run.status == 0, "\(run.stderr)")
        let stubURL = dir.appendingPathComponent("this-month-in-tikv-2019-08.zh.md")
        let stub = try String(contentsOf: stubURL, encoding: .utf8)
        let source = try String(contentsOf: post, encoding: .utf8)

        // A segment for every heading, paragraph, list item and table cell.
        let ast = herald("render", "--to", "ast", post.path).stdout
        let prose = ["\"type\": \"heading\"", "\"type\": \"paragraph\"", "\"type\": \"table_cell\""].reduce(0) {
            $0 + ast.components(separatedBy: $1).count - 1
        }
        let segments = stub.components(separatedBy: "<!-- herald:").count - 1
        #expect(segments == prose, "\(segments) segments for \(prose) pieces of prose")
        #expect(stub.contains("  title:\n    id: title-"))

        // Reference definitions, URLs and code as they were.
        let sourceLines = source.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
        for line in sourceLines where line.hasPrefix("[") && line.contains("]: ") {
            #expect(stub.contains("\n" + line + "\n"), "definition changed: \(line)")
        }
        let urls = try NSRegularExpression(pattern: #"https?://[^\s)>\]"'`]+"#)
        for match in urls.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
            let url = String(source[Range(match.range, in: source)!])
            #expect(stub.contains(url), "address lost: \(url)")
        }
        for span in source.matches(of: /`[^`\n]+`/) {
            #expect(stub.contains(String(span.output)), "code changed: \(span.output)")
        }

        // The stub, untranslated, builds to a Chinese page, email and book (which epubcheck
        // reads with the other books, in EPUBCheckTests).
        let out = dir.appendingPathComponent("out")
        #expect(built.status == 0, "\(built.stderr)")
        let files = filesUnder(out)
        #expect(files.contains("site/this-month-in-tikv-2019-08-zh/index.html"))
        #expect(files.contains("email/this-month-in-tikv-2019-08-zh.eml"))
        let book = out.appendingPathComponent("epub/this-month-in-tikv-2019-08-zh.epub")
        #expect(try EPUBFiles.entry("EPUB/package.opf", in: book).contains("<dc:language>zh</dc:language>"))
        let page = try String(contentsOf: out.appendingPathComponent("site/this-month-in-tikv-2019-08-zh/index.html"), encoding: .utf8)
        #expect(page.contains("<html lang=\"zh\">"))
        #expect(!page.contains("herald:"))
    }

    @Test func statusReportsAndEnforcesAThreshold() throws {
        let dir = try temporaryFolder("herald-status")
        let post = try writeFile(dir, "post.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nOne.\n\nTwo.\n")
        #expect(herald("translate", post, "--to", "zh").status == 0)
        let status = herald("translate", "status", dir.path, "--json")
        #expect(status.status == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.first?["untranslated"] as? Int == 3)
        #expect(rows?.first?["percent"] as? Double == 0)
        let strict = herald("translate", "status", dir.path, "--min-translated", "50")
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("[translation-incomplete]"))
        // And the build refuses to publish it.
        let out = try temporaryFolder("herald-status-out")
        let build = herald("build", dir.path, "--out", out.path, "--min-translated", "50")
        #expect(build.status != 0)
        #expect(build.stderr.contains("[translation-incomplete]"))
        #expect(filesUnder(out).contains("site/t/index.html") || filesUnder(out).contains("site/post/index.html"))
    }

    @Test func buildRefreshesStubsAndListsThem() throws {
        let dir = try temporaryFolder("herald-build-stubs")
        try writeFile(dir, "post.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nOne.\n")
        let out = dir.appendingPathComponent("out")
        let run = herald("build", dir.appendingPathComponent("post.md").path, "--out", out.path, "--translate-to", "zh")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("post.zh.md").path))
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"format\" : \"translation\""))
        #expect(manifest.contains("../post.zh.md"))
        #expect(filesUnder(out).contains("site/post-zh/index.html"))
    }

    /// A stub whose structure a translator broke (a comment's `-->` or an end marker deleted) is
    /// refused by every command, at the segment's line, and an update leaves it as it is: reading
    /// on would have taken the translation for source text and dropped it.
    @Test(arguments: [
        ("Two.\n-->\n\n<!-- /herald -->", "Two.\n--\n第二段，译者的。\n<!-- /herald -->", "is not closed", "Two."),
        ("Two.\n-->\n\n<!-- /herald -->", "Two.\n-->\n第二段，译者的。\n", "has no end marker", "Two."),
        // The translation typed inside the comment, before its `-->`.
        ("One paragraph.\n-->", "One paragraph.\n第一段，译者的。\n-->", "was changed", "One paragraph."),
    ])
    func aBrokenStubIsRefusedAndKept(_ original: String, _ broken: String, _ message: String, _ segmentText: String) throws {
        let dir = try temporaryFolder("herald-broken-stub")
        let post = try writeFile(dir, "post.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nOne paragraph.\n\nTwo.\n\nThree.\n")
        #expect(herald("translate", post, "--to", "zh").status == 0)
        let stubPath = dir.appendingPathComponent("post.zh.md").path
        let stub = try String(contentsOfFile: stubPath, encoding: .utf8)
        #expect(stub.contains(original))
        let damaged = stub.replacingOccurrences(of: original, with: broken)
        try damaged.write(toFile: stubPath, atomically: true, encoding: .utf8)
        let lines = damaged.components(separatedBy: "\n")
        let place = try #require(lines.indices.first { lines[$0].hasPrefix("<!-- herald:p-") && lines[$0 + 1] == segmentText }) + 1
        for arguments in [["translate", post, "--to", "zh"], ["check", stubPath], ["translate", "status", stubPath], ["build", stubPath, "--out", dir.appendingPathComponent("out").path]] {
            let run = herald(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains("post.zh.md:\(place):1: error: ") && run.stderr.contains(message) && run.stderr.contains("[stub-invalid]"), "\(arguments): \(run.stderr)")
        }
        #expect(try String(contentsOfFile: stubPath, encoding: .utf8) == damaged)
    }
}
