// The EPUB writer on small posts: the package document, navigation, footnotes, links,
// images, raw HTML, and the archive itself.

import Foundation
import HeraldCore
@testable import HeraldEPUB
import HeraldMarkdown
import HeraldXHTML
import Testing
import ZIPFoundation

/// A book unpacked: its files by path, in archive order.
struct UnpackedBook {
    var order: [String] = []
    var files: [String: Data] = [:]
    var firstEntryStored = false

    init(_ data: Data) throws {
        let archive = try Archive(data: data, accessMode: .read)
        for entry in archive {
            var contents = Data()
            _ = try archive.extract(entry) { contents.append($0) }
            if order.isEmpty { firstEntryStored = entry.compressedSize == entry.uncompressedSize }
            order.append(entry.path)
            files[entry.path] = contents
        }
    }

    func text(_ path: String) -> String { String(decoding: files[path] ?? Data(), as: UTF8.self) }
}

func writePost(_ folder: URL, _ name: String, _ markdown: String) throws -> Post {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try markdown.write(to: url, atomically: true, encoding: .utf8)
    return try MarkdownParser().parse(Array(markdown.utf8), path: url.path)
}

func folder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct EPUBPackageTests {
    @Test func theContainerAndPackageDocumentCarryThePostsMetadata() throws {
        let dir = try folder("epub-meta")
        let post = try writePost(dir, "a.md", """
            ---
            title: Lantern & Friends
            date: 2026-10-30T18:00:00+02:00
            author: [Mira Okafor, 陈静]
            tags: [community, release]
            summary: A summary.
            lang: zh-CN
            ---

            正文。
            """)
        let book = try UnpackedBook(try EPUBWriter().book([post]).data)
        #expect(book.order.first == "mimetype")
        #expect(book.firstEntryStored)
        #expect(book.text("mimetype") == "application/epub+zip")
        #expect(book.text("META-INF/container.xml").contains("full-path=\"EPUB/package.opf\""))
        let opf = book.text("EPUB/package.opf")
        #expect(opf.contains("<dc:title>Lantern &amp; Friends</dc:title>"))
        #expect(opf.contains("<dc:language>zh-CN</dc:language>"))
        #expect(opf.contains("<dc:creator id=\"creator-1\">Mira Okafor</dc:creator>"))
        #expect(opf.contains("<dc:creator id=\"creator-2\">陈静</dc:creator>"))
        #expect(opf.contains("<dc:date>2026-10-30T16:00:00Z</dc:date>"))
        #expect(opf.contains("<meta property=\"dcterms:modified\">2026-10-30T16:00:00Z</meta>"))
        #expect(opf.contains("<dc:subject>community</dc:subject>") && opf.contains("<dc:subject>release</dc:subject>"))
        #expect(opf.contains("<dc:identifier id=\"book-id\">urn:uuid:"))
        let chapter = book.text("EPUB/chapter-1.xhtml")
        #expect(chapter.contains("xml:lang=\"zh-CN\" lang=\"zh-CN\""))
        #expect(XHTML.wellFormednessErrors(chapter).isEmpty)
    }

    @Test func theIdentifierIsStableAndTheArchiveByteIdentical() throws {
        let dir = try folder("epub-same")
        let post = try writePost(dir, "a.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nText.\n")
        let first = try EPUBWriter().book([post]).data
        #expect(first == (try EPUBWriter().book([post]).data))
        let edited = try writePost(dir, "a.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nText, edited.\n")
        let identifier = { (data: Data) in
            try UnpackedBook(data).text("EPUB/package.opf").split(separator: "\n").first { $0.contains("dc:identifier") }
        }
        #expect(try identifier(first) == identifier(try EPUBWriter().book([edited]).data))
        #expect(try identifier(first) != identifier(try EPUBWriter(options: EPUBOptions(title: "Other")).book([post]).data))
    }

    @Test func severalPostsMakeOneBookOrderedByDate() throws {
        let dir = try folder("epub-book")
        let new = try writePost(dir, "new.md", "---\ntitle: New\ndate: 2020-03-01\nlang: en\n---\n\nNew.\n")
        let old = try writePost(dir, "old.md", "---\ntitle: Old\ndate: 2019-01-01\nlang: en\n---\n\nOld.\n")
        let book = try UnpackedBook(try EPUBWriter(options: EPUBOptions(title: "Year")).book([new, old]).data)
        #expect(book.text("EPUB/chapter-1.xhtml").contains("<h1 class=\"title\">Old</h1>"))
        #expect(book.text("EPUB/chapter-2.xhtml").contains("<h1 class=\"title\">New</h1>"))
        let opf = book.text("EPUB/package.opf")
        #expect(opf.contains("<dc:title>Year</dc:title>"))
        // Modified is the newest post's date, not the clock.
        #expect(opf.contains("<meta property=\"dcterms:modified\">2020-03-01T00:00:00Z</meta>"))
        #expect(opf.contains("<itemref idref=\"chapter-1\"/>\n<itemref idref=\"chapter-2\"/>"))
    }
}

@Suite struct EPUBNavigationTests {
    @Test func navAndNCXNestHeadingsUnderTheirChapter() throws {
        let dir = try folder("epub-nav")
        let post = try writePost(dir, "a.md", "---\ntitle: Post\ndate: 2020-01-01\n---\n\n## One\n\n### One.A\n\n#### Deep\n\n## Two\n\n#### Skipped a level\n")
        let book = try UnpackedBook(try EPUBWriter().book([post]).data)
        let nav = book.text("EPUB/nav.xhtml")
        let expected = """
            <ol>
            <li><a href="chapter-1.xhtml">Post</a>
            <ol>
            <li><a href="chapter-1.xhtml#one">One</a>
            <ol>
            <li><a href="chapter-1.xhtml#onea">One.A</a>
            <ol>
            <li><a href="chapter-1.xhtml#deep">Deep</a></li>
            </ol>
            </li>
            </ol>
            </li>
            <li><a href="chapter-1.xhtml#two">Two</a>
            <ol>
            <li><a href="chapter-1.xhtml#skipped-a-level">Skipped a level</a></li>
            </ol>
            </li>
            </ol>
            </li>
            </ol>
            """
        #expect(nav.contains(expected), "\(nav)")
        #expect(XHTML.wellFormednessErrors(nav).isEmpty)
        let ncx = book.text("EPUB/toc.ncx")
        #expect(ncx.contains("<meta name=\"dtb:depth\" content=\"4\"/>"))
        #expect(ncx.components(separatedBy: "<navPoint ").count - 1 == 6)
        #expect(ncx.components(separatedBy: "</navPoint>").count - 1 == 6)
    }
}

@Suite struct EPUBContentTests {
    func chapter(_ markdown: String, name: String = "a.md", in dir: URL? = nil, options: EPUBOptions = EPUBOptions()) throws -> (String, [Diagnostic], UnpackedBook) {
        let dir = try dir ?? folder("epub-content")
        let post = try writePost(dir, name, "---\ntitle: Post\ndate: 2020-01-01\n---\n\n" + markdown)
        let book = try EPUBWriter(options: options).book([post])
        let unpacked = try UnpackedBook(book.data)
        let xhtml = unpacked.text("EPUB/chapter-1.xhtml")
        #expect(XHTML.wellFormednessErrors(xhtml).isEmpty, "\(xhtml)")
        return (xhtml, book.diagnostics, unpacked)
    }

    @Test func footnotesAreEPUBNotesWithLinksBack() throws {
        let (xhtml, _, _) = try chapter("Text[^n].\n\n[^n]: The note.\n")
        #expect(xhtml.contains("<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-n\" id=\"fnref-n\">1</a>"))
        #expect(xhtml.contains("<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-n\">"))
        #expect(xhtml.contains("<a href=\"#fnref-n\" class=\"footnote-backref\" role=\"doc-backlink\">↩</a>"))
    }

    @Test func chaptersHaveEPUBMarkupNotTheWebs() throws {
        let (xhtml, _, _) = try chapter("## Part\n\nA[^n] b[^n].\n\n| a | b |\n|:-:|--|\n| 1 | 2 |\n\n[^n]: The note.\n")
        #expect(xhtml.contains("<h2 id=\"part\">Part</h2>"))
        #expect(xhtml.contains("<th class=\"align-center\">a</th>\n<th>b</th>"))
        #expect(xhtml.contains("""
            <section class="footnotes">
            <aside epub:type="footnote" role="doc-footnote" id="fn-n">
            <p><span class="footnote-number">1.</span> The note. <a href="#fnref-n" class="footnote-backref" role="doc-backlink">↩</a> \
            <a href="#fnref-n-2" class="footnote-backref" role="doc-backlink">↩<sup class="footnote-ref">2</sup></a></p>
            </aside>
            </section>
            """))
        for web in ["data-footnote", "align=", "class=\"anchor\"", "<ol>"] {
            #expect(!xhtml.contains(web), "\(web) in \(xhtml)")
        }
    }

    @Test func linksPointIntoTheBookOnTheWebOrNowhere() throws {
        let dir = try folder("epub-links")
        let other = try writePost(dir, "other.md", "---\ntitle: Other\ndate: 2019-01-01\n---\n\n## Part\n")
        let post = try writePost(dir, "post.md", """
            ---
            title: Post
            date: 2020-01-01
            ---

            [in book](other.md#part) [missing anchor](other.md#nope) [not in book](third.md)
            [site path](/blog/other/) [relative page](../about/) [here](#sec) [nowhere](#missing)
            [web](https://example.org/x) [broken host](https://.example.org/x) [mail](mailto:a@b.org)

            ## Sec
            """)
        let book = try UnpackedBook(try EPUBWriter(options: EPUBOptions(baseURL: "https://news.example.org/blog/")).book([post, other]).data)
        let xhtml = book.text("EPUB/chapter-2.xhtml")
        #expect(xhtml.contains("<a href=\"chapter-1.xhtml#part\">in book</a>"))
        #expect(xhtml.contains("<a href=\"chapter-1.xhtml\">missing anchor</a>"))
        #expect(xhtml.contains("<a href=\"https://news.example.org/blog/third/\">not in book</a>"))
        #expect(xhtml.contains("<a href=\"chapter-1.xhtml\">site path</a>"))
        #expect(xhtml.contains("<a href=\"https://news.example.org/blog/about/\">relative page</a>"))
        #expect(xhtml.contains("<a href=\"#sec\">here</a>"))
        #expect(xhtml.contains("<a>nowhere</a>"))
        #expect(xhtml.contains("<a href=\"https://example.org/x\">web</a>"))
        #expect(xhtml.contains("<a>broken host</a>"))
        #expect(xhtml.contains("<a href=\"mailto:a@b.org\">mail</a>"))
        // Without a base URL, a post outside the book has no address to point at.
        let alone = try UnpackedBook(try EPUBWriter().book([post]).data).text("EPUB/chapter-1.xhtml")
        #expect(alone.contains("<a>in book</a>"))
    }

    @Test func localImagesAreEmbeddedOthersFallBack() throws {
        let dir = try folder("epub-images")
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 16))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("img"), withIntermediateDirectories: true)
        try png.write(to: dir.appendingPathComponent("img/photo.png"))
        let (xhtml, diagnostics, book) = try chapter(
            "![A photo](img/photo.png) ![Gone](img/gone.png) ![Remote](https://e.org/r.png) ![Secret](../../etc/passwd)\n", in: dir)
        let embedded = try #require(book.files.keys.first { $0.hasPrefix("EPUB/images/") && $0.hasSuffix(".png") })
        #expect(book.files[embedded] == png)
        #expect(book.text("EPUB/package.opf").contains("media-type=\"image/png\""))
        #expect(xhtml.contains("<img src=\"\(embedded.dropFirst(5))\" alt=\"A photo\" />"))
        #expect(xhtml.contains("[image: Gone]"))
        #expect(xhtml.contains("<a href=\"https://e.org/r.png\">Remote</a>"))
        #expect(xhtml.contains("[image: Secret]"))
        #expect(diagnostics.filter { $0.id == "image-missing" }.count == 2)
        #expect(!book.files.keys.contains { $0.contains("passwd") })
        #expect(book.files.count == 8)
    }

    @Test func aSymbolicLinkOutOfThePostsFolderIsNotFollowed() throws {
        let dir = try folder("epub-symlink")
        let outside = try folder("epub-outside")
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.png"))
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("link.png"), withDestinationURL: outside.appendingPathComponent("secret.png"))
        let (xhtml, diagnostics, book) = try chapter("![Link](link.png)\n", in: dir)
        #expect(xhtml.contains("[image: Link]"))
        #expect(!diagnostics.isEmpty)
        #expect(!book.files.values.contains(Data("secret".utf8)))
    }

    @Test func rawHTMLIsCleanedForEPUB() throws {
        let (xhtml, _, _) = try chapter("""
            <div onclick="x()"><script>alert(1)</script><p align="center">Kept <b>bold</b></p></div>

            <form><input name="a"></form><iframe src="https://e.org"></iframe>

            [a link <a href="https://e.org">nested</a> here](https://f.org) <img src="https://e.org/i.png" alt="raw image">

            <details><summary>More</summary>Inside</details>
            """)
        for banned in ["script", "onclick", "<form", "<input", "iframe", "align=", "<img"] {
            #expect(!xhtml.contains(banned), "\(banned)")
        }
        #expect(xhtml.contains("Kept <b>bold</b>"))
        #expect(xhtml.contains("raw image"))
        // No link inside a link (the HTML parser closes the outer one, or the inner one goes).
        var depth = 0
        var nested = false
        var rest = Substring(xhtml)
        while let tag = rest.range(of: #"</?a[ >]"#, options: .regularExpression) {
            if rest[tag].hasPrefix("</") { depth -= 1 } else { depth += 1 }
            nested = nested || depth > 1
            rest = rest[tag.upperBound...]
        }
        #expect(!nested, "a link inside a link: \(xhtml)")
        #expect(xhtml.contains("nested"))
        #expect(xhtml.contains("<details><summary>More</summary>"))
    }
}

@Suite struct EPUBCoverTests {
    @Test func aCoverIsEmbeddedAndShownFirst() throws {
        let dir = try folder("epub-cover")
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n"
        try svg.write(to: dir.appendingPathComponent("cover.svg"), atomically: true, encoding: .utf8)
        let post = try writePost(dir, "a.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nText.\n")
        let book = try UnpackedBook(try EPUBWriter(options: EPUBOptions(cover: dir.appendingPathComponent("cover.svg"))).book([post]).data)
        let opf = book.text("EPUB/package.opf")
        #expect(opf.contains("<item id=\"cover-image\" href=\"images/cover.svg\" media-type=\"image/svg+xml\" properties=\"cover-image\"/>"))
        #expect(opf.contains("<spine toc=\"ncx\">\n<itemref idref=\"cover\" linear=\"no\"/>"))
        #expect(book.text("EPUB/images/cover.svg") == svg)
    }

    @Test func siteImagesBecomeLinksWhenTheSiteIsKnown() throws {
        let dir = try folder("epub-site-image")
        let post = try writePost(dir, "a.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\n![Map](/blog/map.png)\n")
        let book = try EPUBWriter(options: EPUBOptions(baseURL: "https://e.org/blog/")).book([post])
        #expect(try UnpackedBook(book.data).text("EPUB/chapter-1.xhtml").contains("<a href=\"https://e.org/blog/map.png\">Map</a>"))
        #expect(book.diagnostics.isEmpty)
    }
}

@Suite struct EPUBContainerTests {
    /// Herald's ZIP writer, read by ZIPFoundation: entries of every size (empty, one byte,
    /// larger than a compressor's window, random bytes that do not compress), Chinese names,
    /// `mimetype` first and stored, text deflated, the random bytes stored, every entry with
    /// the fixed date and permissions, and the same bytes each time.
    @Test func theContainerReadsBackWithEveryEntryAsWritten() throws {
        var random = SystemRandomNumberGenerator()
        let words = ["tikv ", "raft ", "存储 ", "<p>", "</p>\n", "a", " ", "\n"]
        func text(_ count: Int) -> Data {
            Data((0..<count).map { _ in words.randomElement(using: &random)! }.joined().utf8)
        }
        let noise = Data((0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) })
        let files: [(path: String, data: Data)] = [
            ("META-INF/container.xml", text(30)), ("EPUB/empty.txt", Data()), ("EPUB/第一章.xhtml", text(20_000)),
            ("EPUB/images/noise.bin", noise), ("EPUB/one.txt", Data("x".utf8)),
        ]
        let ours = try EPUBArchive.zip(files)
        #expect(try EPUBArchive.zip(files) == ours)

        let read = try Archive(data: ours, accessMode: .read)
        let entries = [("mimetype", Data("application/epub+zip".utf8))] + files
        #expect(read.map(\.path) == entries.map(\.0))
        let date = try #require(Calendar.current.date(from: DateComponents(year: 2000, month: 1, day: 1)))
        for (path, data) in entries {
            let entry = try #require(read[path])
            var back = Data()
            _ = try read.extract(entry, consumer: { back.append($0) })
            #expect(back == data, "\(path)")
            #expect(entry.fileAttributes[.modificationDate] as? Date == date, "\(path)")
            #expect((entry.fileAttributes[.posixPermissions] as? NSNumber).map { $0.intValue & 0o777 } == 0o644, "\(path)")
            let stored = path == "mimetype" || path == "EPUB/images/noise.bin" || data.count < 2
            #expect(entry.isCompressed == !stored, "\(path)")
        }
        // Text is deflated to well under its size.
        let chapter = try #require(read["EPUB/第一章.xhtml"])
        #expect(chapter.compressedSize * 3 < chapter.uncompressedSize)
    }

    /// Books zipped on eight tasks with one shared compression (compressors passed from book to
    /// book, the container file and the style sheet deflated once, one style sheet stored as it
    /// is) are the bytes each makes with its own.
    @Test func booksSharingCompressionAreTheBytesEachMakesAlone() async throws {
        let styles = [Data("p { margin: 0 }\n".utf8), Data(repeating: 0x41, count: 3_000), Data([0x00, 0xFF, 0x7F])]
        func files(_ number: Int) -> [(path: String, data: Data)] {
            [
                ("META-INF/container.xml", Data("<container/>".utf8)), ("EPUB/style.css", styles[number % styles.count]),
                ("EPUB/chapter-1.xhtml", Data(String(repeating: "<p>book \(number) 存储</p>\n", count: 50 + number * 40).utf8)),
            ]
        }
        let alone = try (0..<24).map { try EPUBArchive.zip(files($0)) }
        let compression = ZipCompression()
        let shared = try await withThrowingTaskGroup(of: (Int, Data).self) { group in
            for number in 0..<24 { group.addTask { (number, try EPUBArchive.zip(files(number), compression: compression)) } }
            var result = [Data](repeating: Data(), count: 24)
            for try await (number, data) in group { result[number] = data }
            return result
        }
        #expect(shared == alone)
        // The tiny binary style sheet does not compress: stored, as a book of its own stores it.
        let read = try Archive(data: shared[2], accessMode: .read)
        #expect(try #require(read["EPUB/style.css"]).isCompressed == false)
    }
}
