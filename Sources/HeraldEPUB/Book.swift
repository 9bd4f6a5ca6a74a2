// An EPUB 3 book of one or more posts: the package document, the navigation document, an NCX
// for EPUB 2 readers, the chapters and their images, zipped the same way every time.

import Foundation
public import HeraldCore
import HeraldHTML
import HeraldTemplates

/// What a book is made with besides its posts.
public struct EPUBOptions: Sendable {
    /// The book's title; default: the post's title, or "<first post title> and N more".
    public var title: String?
    /// A cover image (PNG, JPEG, GIF or SVG) to embed.
    public var cover: URL?
    /// The book's identifier; default: a UUID derived from the posts' slugs and the title.
    public var identifier: String?
    /// The site's address, for links to posts that are not in the book; nil to unlink them.
    public var baseURL: String?

    public init(title: String? = nil, cover: URL? = nil, identifier: String? = nil, baseURL: String? = nil) {
        self.title = title
        self.cover = cover
        self.identifier = identifier
        self.baseURL = baseURL
    }
}

/// A finished book and what was noticed while making it.
public struct EPUBBook: Sendable {
    public var data: Data
    public var diagnostics: [Diagnostic]
}

public struct EPUBWriter: Sendable {
    public var options: EPUBOptions
    public var templates: TemplateSource
    /// Compressors and shared entries, kept across the books made with the same one.
    public var compression: ZipCompression

    public init(options: EPUBOptions = EPUBOptions(), templates: TemplateSource = TemplateSource(), compression: ZipCompression = ZipCompression()) {
        self.options = options
        self.templates = templates
        self.compression = compression
    }

    /// A book with one chapter per post, oldest first (posts without a date last, by title).
    public func book(_ posts: [Post]) throws -> EPUBBook {
        guard !posts.isEmpty else { throw DiagnosticError(.error("epub-empty", "a book needs at least one post")) }
        let ordered = posts.enumerated().sorted { a, b in
            switch (a.element.metadata.date, b.element.metadata.date) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
        var chapters = ordered.enumerated().map { index, post in
            ChapterBuilder.build(post, fileName: "chapter-\(index + 1).xhtml", imageFolder: "images/\(index + 1)", baseURL: options.baseURL)
        }
        let resolver = LinkResolver(chapters: chapters, baseURL: options.baseURL)
        for index in chapters.indices {
            chapters[index].body = resolver.settleLinks(in: chapters[index].body, chapter: chapters[index])
        }
        var diagnostics = chapters.flatMap(\.diagnostics)

        let title = options.title ?? (ordered.count == 1 ? ordered[0].displayTitle : Self.defaultTitle(ordered))
        let lang = Self.bookLanguage(ordered)
        var files: [(path: String, data: Data)] = []
        var manifest: [ManifestItem] = []
        guard let stylesheet = try templates.text("epub/style.css") else {
            throw DiagnosticError(.error("template-missing", file: "epub/style.css", "no EPUB style sheet"))
        }
        files.append(("EPUB/style.css", Data(stylesheet.utf8)))
        manifest.append(ManifestItem(id: "style", href: "style.css", mediaType: "text/css"))

        var spine: [String] = []
        if let cover = options.cover {
            let ext = cover.pathExtension.lowercased()
            if let mediaType = ChapterBuilder.imageTypes[ext], let data = FileManager.default.contents(atPath: cover.path) {
                files.append(("EPUB/images/cover.\(ext)", data))
                manifest.append(ManifestItem(id: "cover-image", href: "images/cover.\(ext)", mediaType: mediaType, properties: "cover-image"))
                files.append(("EPUB/cover.xhtml", Data(Self.coverPage(image: "images/cover.\(ext)", title: title, lang: lang).utf8)))
                manifest.append(ManifestItem(id: "cover", href: "cover.xhtml", mediaType: "application/xhtml+xml"))
                spine.append("cover")
            } else {
                diagnostics.append(.warning("cover-invalid", file: cover.path, "cover must be an existing PNG, JPEG, GIF or SVG file; the book has no cover"))
            }
        }
        for (index, chapter) in chapters.enumerated() {
            let id = "chapter-\(index + 1)"
            files.append(("EPUB/" + chapter.fileName, Data(Self.chapterPage(chapter).utf8)))
            manifest.append(ManifestItem(id: id, href: chapter.fileName, mediaType: "application/xhtml+xml"))
            spine.append(id)
            for (number, resource) in chapter.resources.enumerated() {
                files.append(("EPUB/" + resource.path, resource.data))
                manifest.append(ManifestItem(id: "\(id)-image-\(number + 1)", href: resource.path, mediaType: resource.mediaType))
            }
        }
        let toc = Self.tableOfContents(chapters)
        files.append(("EPUB/nav.xhtml", Data(Self.navigation(toc, title: title, lang: lang).utf8)))
        manifest.append(ManifestItem(id: "nav", href: "nav.xhtml", mediaType: "application/xhtml+xml", properties: "nav"))
        let identifier = options.identifier ?? Self.derivedIdentifier(ordered, title: title)
        files.append(("EPUB/toc.ncx", Data(Self.ncx(toc, title: title, identifier: identifier).utf8)))
        manifest.append(ManifestItem(id: "ncx", href: "toc.ncx", mediaType: "application/x-dtbncx+xml"))

        let package = Self.packageDocument(
            posts: ordered, title: title, lang: lang, identifier: identifier, manifest: manifest, spine: spine,
            hasCover: spine.first == "cover")
        files.insert(("EPUB/package.opf", Data(package.utf8)), at: 0)
        files.insert(("META-INF/container.xml", Data(Self.container.utf8)), at: 0)
        return EPUBBook(data: try EPUBArchive.zip(files, compression: compression), diagnostics: diagnostics)
    }

    // MARK: Metadata

    static func defaultTitle(_ posts: [Post]) -> String {
        let years = Set(posts.compactMap { $0.metadata.date?.year }).sorted()
        if let first = years.first, let last = years.last {
            return first == last ? "Posts of \(first)" : "Posts of \(first)–\(last)"
        }
        return "\(posts[0].displayTitle) and \(posts.count - 1) more"
    }

    /// The language most of the posts are in (ties: the first post's).
    static func bookLanguage(_ posts: [Post]) -> String {
        var counts: [String: Int] = [:]
        for post in posts { counts[post.lang, default: 0] += 1 }
        let best = counts.values.max() ?? 0
        return posts.first { counts[$0.lang] == best }?.lang ?? "en"
    }

    /// `urn:uuid:` from a SHA-256 of the book's posts and title: the same book keeps its
    /// identifier through edits of its text.
    static func derivedIdentifier(_ posts: [Post], title: String) -> String {
        let seed = ([title] + posts.map(\.slug)).joined(separator: "\u{0}")
        var hex = Array(sha256Hex(Data(seed.utf8)).utf8.prefix(32))
        // Marked as a name-based (version 5) UUID of the RFC 4122 variant.
        hex[12] = UInt8(ascii: "5")
        let variant = Int(hex[16] <= UInt8(ascii: "9") ? hex[16] - UInt8(ascii: "0") : hex[16] - UInt8(ascii: "a") + 10)
        hex[16] = Array("89ab".utf8)[variant % 4]
        var uuid = Array("urn:uuid:".utf8)
        for (index, digit) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { uuid.append(UInt8(ascii: "-")) }
            uuid.append(digit)
        }
        return String(decoding: uuid, as: UTF8.self)
    }

    struct ManifestItem {
        var id: String
        var href: String
        var mediaType: String
        var properties: String?
    }

    static func packageDocument(
        posts: [Post], title: String, lang: String, identifier: String, manifest: [ManifestItem], spine: [String],
        hasCover: Bool
    ) -> String {
        let dates = posts.compactMap { $0.metadata.date }
        let newest = dates.max()
        var authors: [String] = []
        for author in posts.flatMap(\.metadata.authors) where !authors.contains(author) { authors.append(author) }
        var tags: [String] = []
        for tag in posts.flatMap(\.metadata.tags) where !tags.contains(tag) { tags.append(tag) }

        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="\(Escape.xml(lang))">
            <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:identifier id="book-id">\(Escape.xml(identifier))</dc:identifier>
            <dc:title>\(Escape.xml(title))</dc:title>
            <dc:language>\(Escape.xml(lang))</dc:language>

            """
        for (index, author) in authors.enumerated() {
            out += "<dc:creator id=\"creator-\(index + 1)\">\(Escape.xml(author))</dc:creator>\n"
        }
        let stamp = newest?.rfc3339UTC
        if let stamp { out += "<dc:date>\(stamp)</dc:date>\n" }
        for tag in tags { out += "<dc:subject>\(Escape.xml(tag))</dc:subject>\n" }
        if posts.count == 1, let summary = posts[0].metadata.summary {
            out += "<dc:description>\(Escape.xml(summary))</dc:description>\n"
        }
        // The newest post's date, never the clock: the same posts give the same book.
        let modified = stamp ?? "2000-01-01T00:00:00Z"
        out += "<meta property=\"dcterms:modified\">\(modified)</meta>\n"
        if hasCover { out += "<meta name=\"cover\" content=\"cover-image\"/>\n" }
        out += "</metadata>\n<manifest>\n"
        for item in manifest {
            out += "<item id=\"\(item.id)\" href=\"\(Escape.xml(item.href))\" media-type=\"\(item.mediaType)\""
            if let properties = item.properties { out += " properties=\"\(properties)\"" }
            out += "/>\n"
        }
        out += "</manifest>\n<spine toc=\"ncx\">\n"
        for id in spine { out += "<itemref idref=\"\(id)\"" + (id == "cover" ? " linear=\"no\"" : "") + "/>\n" }
        out += "</spine>\n</package>\n"
        return out
    }

    static let container = """
        <?xml version="1.0" encoding="UTF-8"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
        <rootfiles>
        <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
        </rootfiles>
        </container>

        """

    // MARK: Pages

    static func xhtmlHead(title: String, lang: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="\(Escape.xml(lang))" lang="\(Escape.xml(lang))">
        <head>
        <meta charset="UTF-8"/>
        <title>\(Escape.xml(title))</title>
        <link rel="stylesheet" type="text/css" href="style.css"/>
        </head>

        """
    }

    static func chapterPage(_ chapter: Chapter) -> String {
        let post = chapter.post
        var out = xhtmlHead(title: post.displayTitle, lang: post.lang)
        out += "<body>\n<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"herald-chapter\">\n"
        out += "<h1 class=\"title\">\(Escape.xml(post.displayTitle))</h1>\n"
        var meta: [String] = []
        if let date = post.metadata.date {
            meta.append("<time datetime=\"\(Escape.xml(date.description))\">\(Escape.xml(DateText.display(date, lang: post.lang)))</time>")
        }
        if !post.metadata.authors.isEmpty { meta.append(Escape.xml(DateText.joinNames(post.metadata.authors, lang: post.lang))) }
        if !meta.isEmpty { out += "<p class=\"meta\">" + meta.joined(separator: " · ") + "</p>\n" }
        out += chapter.body
        out += "</section>\n</body>\n</html>\n"
        return out
    }

    static func coverPage(image: String, title: String, lang: String) -> String {
        xhtmlHead(title: title, lang: lang)
            + "<body>\n<section epub:type=\"cover\" class=\"cover\">\n<img src=\"\(image)\" alt=\"\(Escape.xml(title))\"/>\n</section>\n</body>\n</html>\n"
    }

    // MARK: Navigation

    /// One entry of the table of contents, with the entries nested under it.
    struct TOCEntry {
        var title: String
        var href: String
        var children: [TOCEntry] = []
    }

    /// The chapters, each with its headings nested by level.
    static func tableOfContents(_ chapters: [Chapter]) -> [TOCEntry] {
        chapters.map { chapter in
            var entry = TOCEntry(title: chapter.post.displayTitle, href: chapter.fileName)
            entry.children = nest(chapter.headings.filter { !$0.id.isEmpty }.map {
                (level: $0.level, entry: TOCEntry(title: $0.text, href: chapter.fileName + "#" + $0.id))
            })
            return entry
        }
    }

    /// Builds a tree from a flat list of leveled entries: an entry goes under the nearest
    /// earlier entry of a smaller level. Iterative, for any depth.
    static func nest(_ flat: [(level: Int, entry: TOCEntry)]) -> [TOCEntry] {
        var roots: [TOCEntry] = []
        // The open path: levels and entries not yet attached to their parent.
        var stack: [(level: Int, entry: TOCEntry)] = []
        func closeTop() {
            let top = stack.removeLast()
            if stack.isEmpty { roots.append(top.entry) } else { stack[stack.count - 1].entry.children.append(top.entry) }
        }
        for item in flat {
            while let last = stack.last, last.level >= item.level { _ = last; closeTop() }
            stack.append(item)
        }
        while !stack.isEmpty { closeTop() }
        return roots
    }

    static func navigation(_ toc: [TOCEntry], title: String, lang: String) -> String {
        var out = xhtmlHead(title: title, lang: lang)
        out += "<body>\n<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">\n<h1>\(Escape.xml(title))</h1>\n"
        // Written with an explicit stack: one frame per open list.
        var frames: [(entries: [TOCEntry], index: Int)] = [(toc, 0)]
        out += "<ol>\n"
        while !frames.isEmpty {
            let top = frames.count - 1
            guard frames[top].index < frames[top].entries.count else {
                frames.removeLast()
                out += "</ol>\n"
                if !frames.isEmpty { out += "</li>\n" }
                continue
            }
            let entry = frames[top].entries[frames[top].index]
            frames[top].index += 1
            out += "<li><a href=\"\(Escape.xml(entry.href))\">\(Escape.xml(entry.title.isEmpty ? "—" : entry.title))</a>"
            if entry.children.isEmpty {
                out += "</li>\n"
            } else {
                out += "\n<ol>\n"
                frames.append((entry.children, 0))
            }
        }
        out += "</nav>\n</body>\n</html>\n"
        return out
    }

    static func ncx(_ toc: [TOCEntry], title: String, identifier: String) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
            <head>
            <meta name="dtb:uid" content="\(Escape.xml(identifier))"/>

            """
        var depth = 0
        var order = 0
        var body = ""
        var frames: [(entries: [TOCEntry], index: Int)] = [(toc, 0)]
        while !frames.isEmpty {
            let top = frames.count - 1
            guard frames[top].index < frames[top].entries.count else {
                frames.removeLast()
                if !frames.isEmpty { body += "</navPoint>\n" }
                continue
            }
            let entry = frames[top].entries[frames[top].index]
            frames[top].index += 1
            order += 1
            depth = max(depth, frames.count)
            body += "<navPoint id=\"nav-\(order)\" playOrder=\"\(order)\">\n"
            body += "<navLabel><text>\(Escape.xml(entry.title.isEmpty ? "—" : entry.title))</text></navLabel>\n"
            body += "<content src=\"\(Escape.xml(entry.href))\"/>\n"
            if entry.children.isEmpty { body += "</navPoint>\n" } else { frames.append((entry.children, 0)) }
        }
        out += "<meta name=\"dtb:depth\" content=\"\(max(depth, 1))\"/>\n"
        out += "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n"
        out += "</head>\n<docTitle><text>\(Escape.xml(title))</text></docTitle>\n<navMap>\n" + body + "</navMap>\n</ncx>\n"
        return out
    }
}

extension PostDate {
    /// The instant in UTC as EPUB's `dcterms:modified` wants it: `2019-09-18T02:00:00Z`.
    var rfc3339UTC: String {
        let parts = utc
        return parts.year.zeroPadded(4) + "-" + parts.month.zeroPadded(2) + "-" + parts.day.zeroPadded(2)
            + "T" + parts.hour.zeroPadded(2) + ":" + parts.minute.zeroPadded(2) + ":" + parts.second.zeroPadded(2) + "Z"
    }
}

/// The ZIP container, written identically every time: `mimetype` first and stored, then every
/// file deflated (or stored, when deflating does not make it smaller: an image compressed
/// already), each dated 1 January 2000 at midnight, readable and writable by its owner (0644),
/// its name marked as UTF-8. No ZIP64: a book of 4 GiB or 65,535 files is refused.
enum EPUBArchive {
    /// The files every book holds alike, deflated once for all the books of a build.
    static let sharedFiles: Set<String> = ["META-INF/container.xml", "EPUB/style.css"]

    static func zip(_ files: [(path: String, data: Data)], compression: ZipCompression = ZipCompression()) throws -> Data {
        let tooLarge = DiagnosticError(.error("epub-failed", "cannot write the archive: the book is too large for a ZIP container (4 GiB or 65,535 files)"))
        let zipped = try compression.withDeflater { deflater -> Data in
            var container = ZipContainer()
            let entries = [("mimetype", Data("application/epub+zip".utf8))] + files
            for (index, file) in entries.enumerated() {
                let added = file.data.withUnsafeBytes { bytes in
                    // `mimetype` stored; the rest deflated unless that would not make them smaller.
                    let entry = index > 0 && sharedFiles.contains(file.path)
                        ? compression.sharedEntry(file.data, deflater: deflater)
                        : ZipCompression.Entry(bytes, deflater: index > 0 ? deflater : nil)
                    return container.add(file.path, entry.deflated ?? Array(bytes), crc: entry.crc, size: bytes.count, deflated: entry.deflated != nil)
                }
                guard added else { throw tooLarge }
            }
            guard let data = container.finish() else { throw tooLarge }
            return data
        }
        guard let zipped else { throw DiagnosticError(.error("epub-failed", "cannot create the archive: no memory to compress it")) }
        return zipped
    }
}

/// The bytes of a ZIP file (PKWARE's APPNOTE): each entry's local header and data, then the
/// central directory and its end record.
struct ZipContainer {
    private var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// MS-DOS time and date of 2000-01-01 00:00.
    private static let time: UInt16 = 0, date: UInt16 = (2000 - 1980) << 9 | 1 << 5 | 1
    /// Version 2.0 of the format is needed to read the entries; made by version 2.1 on Unix.
    private static let versionNeeded: UInt16 = 20, versionMadeBy: UInt16 = 3 << 8 | 21
    /// General purpose flag 11: names are UTF-8.
    private static let flags: UInt16 = 1 << 11
    /// A regular file, mode 0644, in the high half of the external attributes.
    private static let attributes: UInt32 = 0o100644 << 16

    /// Adds a file whose `size` bytes are `data` (as they are, or deflated), with their CRC-32.
    /// False when the container would need ZIP64.
    mutating func add(_ path: String, _ data: [UInt8], crc: UInt32, size: Int, deflated: Bool) -> Bool {
        let name = Array(path.utf8)
        guard count < Int(UInt16.max), name.count <= Int(UInt16.max), size <= Int(UInt32.max), data.count <= Int(UInt32.max),
            bytes.count <= Int(UInt32.max)
        else { return false }
        let offset = UInt32(bytes.count)
        let method: UInt16 = deflated ? 8 : 0
        func fields(into out: inout [UInt8]) {
            out.append(le: Self.versionNeeded)
            out.append(le: Self.flags)
            out.append(le: method)
            out.append(le: Self.time)
            out.append(le: Self.date)
            out.append(le: crc)
            out.append(le: UInt32(data.count))
            out.append(le: UInt32(size))
            out.append(le: UInt16(name.count))
            out.append(le: UInt16(0))
        }
        bytes.append(le: UInt32(0x0403_4B50))
        fields(into: &bytes)
        bytes += name
        bytes += data
        directory.append(le: UInt32(0x0201_4B50))
        directory.append(le: Self.versionMadeBy)
        fields(into: &directory)
        directory.append(le: UInt16(0))  // comment length
        directory.append(le: UInt16(0))  // disk number
        directory.append(le: UInt16(0))  // internal attributes
        directory.append(le: Self.attributes)
        directory.append(le: offset)
        directory += name
        count += 1
        return true
    }

    /// The whole file, the directory appended in place (a book is copied once, into the
    /// `Data`); nil when the container would need ZIP64. Nothing can be added after it.
    mutating func finish() -> Data? {
        guard bytes.count <= Int(UInt32.max), directory.count <= Int(UInt32.max) else { return nil }
        let directoryOffset = UInt32(bytes.count)
        bytes.reserveCapacity(bytes.count + directory.count + 22)
        bytes += directory
        bytes.append(le: UInt32(0x0605_4B50))
        bytes.append(le: UInt16(0))  // this disk
        bytes.append(le: UInt16(0))  // the disk where the directory starts
        bytes.append(le: UInt16(count))
        bytes.append(le: UInt16(count))
        bytes.append(le: UInt32(directory.count))
        bytes.append(le: directoryOffset)
        bytes.append(le: UInt16(0))  // comment length
        directory = []
        return Data(bytes)
    }
}

extension [UInt8] {
    /// Appends `value` in little-endian byte order, as ZIP writes numbers.
    mutating func append<T: FixedWidthInteger>(le value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
