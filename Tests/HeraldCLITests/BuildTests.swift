// `herald build`: pages, index, feed and manifest, from the examples and the real blog corpus.

import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
@testable import HeraldCLI
import HeraldCore
import Testing

struct ManifestFile: Decodable {
    struct Entry: Decodable {
        var source: String?
        var format: String
        var lang: String?
        var path: String
        var bytes: Int
        var sha256: String
    }
    var outputs: [Entry]
}

/// Checks that the manifest lists exactly the files in `folder` (besides itself), with the
/// right sizes and digests.
func checkManifest(_ folder: URL) throws -> ManifestFile {
    let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
    let manifest = try JSONDecoder().decode(ManifestFile.self, from: data)
    #expect(manifest.outputs.map(\.path).sorted() == filesUnder(folder).filter { $0 != "manifest.json" })
    for entry in manifest.outputs {
        let bytes = try Data(contentsOf: folder.appendingPathComponent(entry.path))
        #expect(entry.bytes == bytes.count, "\(entry.path)")
        #expect(entry.sha256 == sha256Hex(bytes), "\(entry.path)")
    }
    return manifest
}

/// Parses `url` as XML and returns the parser's error, if any.
func xmlError(_ url: URL) throws -> (any Error)? {
    let parser = XMLParser(data: try Data(contentsOf: url))
    return parser.parse() ? nil : parser.parserError ?? CocoaError(.fileReadCorruptFile)
}

@Suite struct BuildTests {
    @Test func buildsTheExamples() throws {
        let out = try temporaryFolder("herald-examples")
        let run = herald("build", Paths.examples.path, "--out", out.path, "--base-url", "https://news.example.org/")
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try checkManifest(out)
        let pages = manifest.outputs.filter { $0.source != nil && $0.path.hasSuffix("/index.html") }
        #expect(pages.count >= 2)
        #expect(pages.allSatisfy { $0.format == "html" && $0.path.hasPrefix("site/") })
        // The local image travels with the page that shows it.
        #expect(manifest.outputs.contains { $0.path == "site/2026-10-community-update/images/meetup.svg" })
        #expect(Set(pages.compactMap(\.lang)) == ["en", "zh"])
        #expect(manifest.outputs.contains { $0.path == "site/index.html" })
        #expect(manifest.outputs.contains { $0.path == "site/atom.xml" })
        #expect(try xmlError(out.appendingPathComponent("site/atom.xml")) == nil)
        let feed = try String(contentsOf: out.appendingPathComponent("site/atom.xml"), encoding: .utf8)
        #expect(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://news.example.org/atom.xml\"/>"))
        #expect(feed.contains("<id>https://news.example.org/"))
    }

    @Test func indexListsPostsNewestFirst() throws {
        let folder = try temporaryFolder("herald-posts")
        try writeFile(folder, "old.md", "---\ntitle: Old post\ndate: 2019-01-01\n---\n\nOld.\n")
        try writeFile(folder, "new.md", "---\ntitle: New post\ndate: 2020-01-01T10:00:00+08:00\n---\n\nNew.\n")
        try writeFile(folder, "nested/mid.md", "---\ntitle: Middle post\ndate: 2019-06-01\n---\n\nMid.\n")
        let out = try temporaryFolder("herald-out")
        let run = herald("build", folder.path, "--out", out.path)
        #expect(run.status == 0, "\(run.stderr)")
        let index = try String(contentsOf: out.appendingPathComponent("site/index.html"), encoding: .utf8)
        let positions = ["New post", "Middle post", "Old post"].map { index.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions[0]! < positions[1]! && positions[1]! < positions[2]!)
        #expect(filesUnder(out).contains("site/mid/index.html"))
    }

    @Test(.enabled(if: Paths.hasCorpus, "needs ../shared/corpus"))
    func buildsTheTiKVBlog() throws {
        // The shared build of the examples, the newsletter and the blog.
        let (out, run) = try #require(CorpusBuild.shared)
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try checkManifest(out)
        let blog = Paths.corpus.appendingPathComponent("tikv-blog").path + "/"
        #expect(manifest.outputs.filter { $0.source?.hasPrefix(blog) == true && $0.path.hasSuffix("/index.html") }.count == 50)
        #expect(try xmlError(out.appendingPathComponent("site/atom.xml")) == nil)
        // 50 blog posts, the newsletter, 2 examples, 6 Chinese posts and the index, whose 59
        // posts take 6 pages of 10; and the tag pages.
        let pages = filesUnder(out).filter { $0.hasPrefix("site/") && $0.hasSuffix("/index.html") }
        #expect(pages.filter { !$0.hasPrefix("site/tags/") && !$0.hasPrefix("site/page/") }.count == 54 + ChineseCorpus.count)
        #expect(pages.filter { $0.hasPrefix("site/page/") } == (2...6).map { "site/page/\($0)/index.html" })
        #expect(pages.contains("site/tags/index.html") && pages.contains("site/tags/community/index.html"))
        #expect(try xmlError(out.appendingPathComponent("site/sitemap.xml")) == nil)
    }

    @Test func slugsNeverLeaveTheOutputFolder() throws {
        let folder = try temporaryFolder("herald-slugs")
        try writeFile(folder, "a.md", "---\ntitle: A\ndate: 2020-01-01\nslug: ../../escaped\n---\n\nA.\n")
        try writeFile(folder, "b.md", "---\ntitle: B\ndate: 2020-01-02\nslug: /etc/passwd\n---\n\nB.\n")
        try writeFile(folder, "c.md", "---\ntitle: C\ndate: 2020-01-03\nslug: \"..\"\n---\n\nC.\n")
        let parent = try temporaryFolder("herald-parent")
        let out = parent.appendingPathComponent("out")
        let run = herald("build", folder.path, "--out", out.path)
        #expect(run.stderr.contains("[slug-sanitized]"))
        #expect(filesUnder(parent).allSatisfy { $0.hasPrefix("out/") })
        #expect(filesUnder(out).contains("site/escaped/index.html"))
        #expect(filesUnder(out).contains("site/etc-passwd/index.html"))
        #expect(filesUnder(out).contains("site/c/index.html"))
    }

    @Test func duplicateSlugsAreAnErrorForTheSecondPostOnly() throws {
        let folder = try temporaryFolder("herald-dupes")
        try writeFile(folder, "a.md", "---\ntitle: A\ndate: 2020-01-01\nslug: same\n---\n\nA.\n")
        try writeFile(folder, "b.md", "---\ntitle: B\ndate: 2020-01-02\nslug: same\n---\n\nB.\n")
        let out = try temporaryFolder("herald-out")
        let run = herald("build", folder.path, "--out", out.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains("b.md: error: slug 'same' is already used by"))
        #expect(try String(contentsOf: out.appendingPathComponent("site/same/index.html"), encoding: .utf8).contains("<h1>A</h1>"))
    }

    @Test func draftsAreSkippedUnlessAsked() throws {
        let folder = try temporaryFolder("herald-drafts")
        try writeFile(folder, "d.md", "---\ntitle: D\ndate: 2020-01-01\ndraft: true\n---\n\nD.\n")
        let out = try temporaryFolder("herald-out")
        #expect(herald("build", folder.path, "--out", out.path).status == 0)
        #expect(!filesUnder(out).contains("site/d/index.html"))
        #expect(herald("build", folder.path, "--out", out.path, "--drafts").status == 0)
        #expect(filesUnder(out).contains("site/d/index.html"))
    }

    /// `[text](other.md#part)` between posts becomes the other post's page in every output.
    @Test func linksBetweenPostsPointAtTheirPages() throws {
        let folder = try temporaryFolder("herald-links")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("2019"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("2020"), withIntermediateDirectories: true)
        try writeFile(folder.appendingPathComponent("2020"), "b.md", "---\ntitle: B\ndate: 2020-01-02\nslug: bee\n---\n\n## Part\n\nBack to [A](../2019/a.md).\n")
        try writeFile(folder.appendingPathComponent("2019"), "notes.md", "Not a post of this build.\n")
        try writeFile(folder.appendingPathComponent("2019"), "a.md", """
            ---
            title: A
            date: 2020-01-01
            ---

            See [B](../2020/b.md#part), [this](a.md#top), [by reference][b], [notes](notes.txt) and [a
            draft](../2020/draft.md).

            [b]: <../2020/b.md>

            """)
        try writeFile(folder.appendingPathComponent("2020"), "draft.md", "---\ntitle: D\ndate: 2020-01-03\ndraft: true\n---\n\nD.\n")
        let out = try temporaryFolder("herald-out")
        let run = herald("build", folder.path, "--out", out.path, "--base-url", "https://example.org/blog/", "--email-from", "a@example.org", "--email-to", "b@example.org", "--no-check")
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("site/a/index.html"), encoding: .utf8)
        let body = try #require(page.firstRange(of: "<p>See ").map { page[$0.lowerBound...] })
        let hrefs = body.matches(of: /href="([^"]*)"/).map { String($0.1) }
        // A post not in the build (a draft) and files that are not posts keep their links.
        #expect(Array(hrefs.prefix(5)) == ["../bee/#part", "#top", "../bee/", "notes.txt", "../2020/draft.md"])
        #expect(try String(contentsOf: out.appendingPathComponent("site/bee/index.html"), encoding: .utf8).contains("<a href=\"../a/\">A</a>"))
        let text = try String(contentsOf: out.appendingPathComponent("email/a.txt"), encoding: .utf8)
        #expect(text.contains("https://example.org/blog/bee/#part") && text.contains("https://example.org/blog/a/#top"))
        #expect(!text.contains("b.md"))
    }

    /// `herald email` and `herald epub` take one post or a few: the posts they link to are read
    /// from disk for their slugs, so links point at the same pages as in a build.
    @Test func emailAndBookOfOnePostLinkToTheOtherPostsPages() throws {
        let folder = try temporaryFolder("herald-links-one")
        try writeFile(folder, "b.md", "---\ntitle: B\ndate: 2020-01-02\nslug: bee\n---\n\n## Part\n")
        let a = try writeFile(folder, "a.md", "---\ntitle: A\ndate: 2020-01-01\n---\n\nSee [B](b.md#part) and [me](a.md#top).\n\n## Top\n")
        let mail = herald("email", a, "--from", "a@example.org", "--to", "b@example.org", "--base-url", "https://example.org/blog/")
        #expect(mail.status == 0, "\(mail.stderr)")
        #expect(mail.stdout.contains("https://example.org/blog/bee/#part") && mail.stdout.contains("https://example.org/blog/a/#top"))
        #expect(!mail.stdout.contains("b.md"))
        let book = folder.appendingPathComponent("a.epub")
        #expect(herald("epub", a, "-o", book.path, "--base-url", "https://example.org/blog/").status == 0)
        let chapter = try EPUBFiles.entry("EPUB/chapter-1.xhtml", in: book)
        #expect(chapter.contains("href=\"https://example.org/blog/bee/#part\""), "\(chapter)")
    }

    /// A translation links to the translation of the post it links to, when there is one.
    @Test func translationsLinkToTranslations() throws {
        let folder = try temporaryFolder("herald-links-zh")
        try writeFile(folder, "a.md", "---\ntitle: A\ndate: 2020-01-01\n---\n\nSee [B](b.md).\n")
        try writeFile(folder, "b.md", "---\ntitle: B\ndate: 2020-01-02\n---\n\nB.\n")
        let out = try temporaryFolder("herald-out")
        let run = herald("build", folder.path, "--out", out.path, "--translate-to", "zh", "--no-check")
        #expect(run.status == 0, "\(run.stderr)")
        let pages = filesUnder(out).filter { $0.hasPrefix("site/") && $0.hasSuffix("/index.html") }.sorted()
        #expect(pages == ["site/a-zh/index.html", "site/a/index.html", "site/b-zh/index.html", "site/b/index.html", "site/index.html"])
        #expect(try String(contentsOf: out.appendingPathComponent("site/a/index.html"), encoding: .utf8).contains("<a href=\"../b/\">B</a>"))
        #expect(try String(contentsOf: out.appendingPathComponent("site/a-zh/index.html"), encoding: .utf8).contains("<a href=\"../b-zh/\">B</a>"))
    }

    @Test func missingInputIsReported() throws {
        let out = try temporaryFolder("herald-out")
        let run = herald("build", "/nonexistent/post.md", "--out", out.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains("/nonexistent/post.md: error: cannot read: no such file or directory [read-failed]"))
    }
}

@Suite struct CmarkParityTests {
    /// The body of a post, without its front matter.
    func body(_ text: String) -> String {
        let text = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard text.hasPrefix("---\n") else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let close = lines.dropFirst().firstIndex(where: { $0 == "---" }) else { return text }
        return lines[(close + 1)...].joined(separator: "\n")
    }

    static let cmark = "/usr/bin/cmark-gfm"

    /// In the gfm flavor, Herald's renderer writes byte for byte what cmark-gfm's own renderer
    /// writes, on every real post of the corpus.
    @Test(.enabled(if: Paths.hasCorpus && FileManager.default.fileExists(atPath: cmark), "needs ../shared/corpus and cmark-gfm"))
    func gfmFlavorMatchesCmarkGFMOnTheCorpus() throws {
        var files = try FileManager.default.contentsOfDirectory(atPath: Paths.corpus.appendingPathComponent("tikv-blog").path)
            .map { Paths.corpus.appendingPathComponent("tikv-blog/\($0)") }
        files.append(Paths.corpus.appendingPathComponent("this-month-in-tikv-2019-08.md"))
        for file in files {
            let markdown = body(try String(contentsOf: file, encoding: .utf8))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.cmark)
            process.arguments = ["--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist", "-e", "footnotes"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data(markdown.utf8))
            try input.fileHandleForWriting.close()
            let expected = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            // `herald render --flavor gfm --raw-html keep`, its arguments read once.
            let console = Console.capturing(input: Data(markdown.utf8))
            #expect(try SpecTests.commands["gfm"]!.execute(console) == 0)
            #expect(console.stdout == expected, "\(file.lastPathComponent)")
        }
    }
}
