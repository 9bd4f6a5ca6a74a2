// One post as an EPUB chapter: its images embedded or replaced, its body rendered as XHTML by
// the HTML renderer, its links pointed at chapters, web addresses or nothing, never at a
// resource the book does not hold.

import Foundation
import HeraldCore
import HeraldHTML

/// A file inside the book, besides the chapters.
struct BookResource: Hashable, Sendable {
    /// Path inside `EPUB/` (`images/1/3f2a9c0b7d1e.png`).
    var path: String
    var mediaType: String
    var data: Data
}

/// A post made ready for the book.
struct Chapter: Sendable {
    var post: Post
    /// The file name inside `EPUB/` (`chapter-1.xhtml`).
    var fileName: String
    /// The XHTML of the post's body (before links are settled).
    var body: String
    var headings: [HeadingEntry]
    var resources: [BookResource]
    var diagnostics: [Diagnostic]
}

enum ChapterBuilder {
    /// Media types EPUB 3.2 reading systems must support (core media types).
    static let imageTypes: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml",
    ]

    /// Embeds the post's local images, turns remote ones into links and missing ones into their
    /// alt text, and renders the body as EPUB XHTML.
    static func build(_ post: Post, fileName: String, imageFolder: String, baseURL: String?) -> Chapter {
        var document = post.document
        var resources: [String: BookResource] = [:]
        var diagnostics: [Diagnostic] = []
        for id in document.descendants() {
            guard case .image(let link) = document[id].kind else { continue }
            let alt = document.plainText(of: id)
            // A site path (`/blog/a.png`) is an image on the web when the site's address is known.
            let remote = URLs.hasScheme(link.destination) || link.destination.hasPrefix("//")
                ? link.destination
                : (link.destination.hasPrefix("/") ? baseURL.map { URLs.absolute(link.destination, base: $0) } : nil)
            if let remote {
                // Books carry their images: a remote one is not fetched but linked, by its alt text.
                document.setKind(.link(Link(destination: remote, title: link.title)), of: id)
                if document[id].firstChild == nil {
                    document.append(.text(alt.isEmpty ? remote : alt), to: id)
                }
                continue
            }
            let location = document[id].range.isUnknown ? nil : document[id].range.start
            let asset = LocalAssets.resolve(link.destination, postPath: post.sourcePath)
            let ext = asset.map { ($0.relativePath as NSString).pathExtension.lowercased() } ?? ""
            guard let asset, let mediaType = imageTypes[ext], let data = FileManager.default.contents(atPath: asset.file.path) else {
                let reason: String
                if asset == nil {
                    reason = "is outside the post's folder or not a file path"
                } else if imageTypes[ext] == nil {
                    reason = "is not an image type every EPUB reader shows (PNG, JPEG, GIF, SVG)"
                } else {
                    reason = "does not exist"
                }
                diagnostics.append(
                    .warning("image-missing", file: post.sourcePath, at: location,
                        "image '\(link.destination)' \(reason); the book shows its alt text instead"))
                replaceWithText(&document, id, alt.isEmpty ? "[image]" : "[image: \(alt)]")
                continue
            }
            // ASCII names derived from the path: the same image once, whatever its file name.
            let path = imageFolder + "/" + sha256Hex(Data(asset.relativePath.utf8)).prefix(12) + "." + ext
            resources[path] = BookResource(path: path, mediaType: mediaType, data: data)
            var embedded = link
            embedded.destination = path
            document.setKind(.image(embedded), of: id)
        }
        let rendered = HTMLRenderer(options: .epubChapter).render(document)
        return Chapter(
            post: post, fileName: fileName, body: rendered.html, headings: rendered.headings,
            resources: resources.values.sorted { $0.path < $1.path }, diagnostics: diagnostics)
    }

    /// Makes node `id` a text node, dropping its children.
    static func replaceWithText(_ document: inout Document, _ id: NodeID, _ text: String) {
        while let child = document[id].firstChild { document.unlink(child) }
        document.setKind(.text(text), of: id)
    }
}

/// Settles every `href` of the book's XHTML, after all chapters are known.
struct LinkResolver {
    /// Chapter file names by the standardized path of their source file.
    let chaptersBySource: [String: String]
    /// Chapter file names by their web address (`https://site/slug/`).
    let chaptersByURL: [String: String]
    /// The ids in each chapter file.
    let ids: [String: Set<String>]
    /// The site's address, for links to posts that are not chapters; nil to unlink them.
    let baseURL: String?

    /// Where chapters are placed when the site has no address, so that relative links between
    /// posts still find them.
    static let bookBase = "https://book.invalid/"

    init(chapters: [Chapter], baseURL: String?) {
        var bySource: [String: String] = [:]
        var byURL: [String: String] = [:]
        var ids: [String: Set<String>] = [:]
        for chapter in chapters {
            bySource[SourcePaths.standardized(chapter.post.sourcePath)] = chapter.fileName
            byURL[Self.normalized((baseURL ?? Self.bookBase) + chapter.post.slug + "/")] = chapter.fileName
            ids[chapter.fileName] = Self.ids(in: chapter.body).union(["herald-chapter"])
        }
        self.chaptersBySource = bySource
        self.chaptersByURL = byURL
        self.ids = ids
        self.baseURL = baseURL
    }

    /// Where `href`, written in `chapter`, points in the book: a chapter (with a fragment that
    /// exists), an absolute web address, or nil when it can point nowhere that exists.
    func resolve(_ href: String, in chapter: Chapter) -> String? {
        let (path, fragment) = Self.split(href)
        if path.isEmpty {
            guard let fragment else { return href }
            return ids[chapter.fileName]?.contains(fragment) == true ? "#" + fragment : nil
        }
        if URLs.hasScheme(path) {
            if let target = chaptersByURL[Self.normalized(path)] { return target + anchor(fragment, in: target) }
            // A web address whose host cannot be read (`https://.example.org`) leads nowhere.
            return URLs.isWellFormedWebAddress(href) ? href : nil
        }
        // A relative file path: another post's source?
        let lowered = path.lowercased()
        if lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") {
            let decoded = path.removingPercentEncoding ?? path
            let file = SourcePaths.beside(post: chapter.post.sourcePath, decoded)
            if let target = chaptersBySource[file] { return target + anchor(fragment, in: target) }
            // Not in the book: the post's page on the web, named as the build names it.
            guard let baseURL else { return nil }
            var name = (decoded as NSString).lastPathComponent
            name = (name as NSString).deletingPathExtension
            if let dot = name.lastIndex(of: "."), name[name.index(after: dot)...].count <= 5 { name = String(name[..<dot]) }
            return baseURL + (Slug.pathComponent(name) ?? name) + "/"
        }
        // A site path or a relative web address (`../other-post/`, as links between posts are
        // written by then): a chapter when it names one, else absolute on the site.
        let absolute = URLs.absolute(path, base: (baseURL ?? Self.bookBase) + chapter.post.slug + "/")
        if let target = chaptersByURL[Self.normalized(absolute)] { return target + anchor(fragment, in: target) }
        guard baseURL != nil else { return nil }
        return absolute + (fragment.map { "#" + $0 } ?? "")
    }

    private func anchor(_ fragment: String?, in file: String) -> String {
        guard let fragment, ids[file]?.contains(fragment) == true else { return "" }
        return "#" + fragment
    }

    static func split(_ href: String) -> (path: String, fragment: String?) {
        // Looked for among the bytes (`#` is one byte and never part of another character).
        guard let hash = href.utf8.firstIndex(of: UInt8(ascii: "#")) else { return (href, nil) }
        let fragment = String(href[href.utf8.index(after: hash)...])
        // Only a fragment with a `%` can change (Foundation's decoding is slow even without one).
        let decoded = fragment.utf8.contains(UInt8(ascii: "%")) ? fragment.removingPercentEncoding ?? fragment : fragment
        return (String(href[..<hash]), decoded)
    }

    static func normalized(_ url: String) -> String {
        var url = url.lowercased()
        if url.hasPrefix("http://") { url = "https://" + url.dropFirst(7) }
        if !url.hasSuffix("/") { url += "/" }
        return url
    }

    /// The values of the `id` attributes in `xhtml`.
    static func ids(in xhtml: String) -> Set<String> {
        var ids: Set<String> = []
        let text = ByteText(xhtml)
        let marker = Array(" id=\"".utf8)
        var position = 0
        while let found = text.firstIndex(of: marker, from: position) {
            let start = found + marker.count
            guard let end = text.firstIndex(of: UInt8(ascii: "\""), from: start) else { break }
            ids.insert(HTMLText.decodingReferences(text.text(start..<end)))
            position = end
        }
        return ids
    }

    /// `xhtml` with every `<a href>` settled: kept, rewritten, or removed (the text stays).
    func settleLinks(in xhtml: String, chapter: Chapter) -> String {
        let text = ByteText(xhtml)
        let opening = Array("<a ".utf8)
        let hrefMarker = Array(" href=\"".utf8)
        // Put together from the runs between the addresses, copied as they are (the cuts are at
        // ASCII bytes), and the addresses settled; made at the first address that changes.
        var out: SplicedText?
        var position = 0
        var searched = 0
        while let start = text.firstIndex(of: opening, from: searched),
            let close = text.firstIndex(of: UInt8(ascii: ">"), from: start + opening.count)
        {
            if let hrefStart = text.firstIndex(of: hrefMarker, from: start, before: close),
                let hrefEnd = text.firstIndex(of: UInt8(ascii: "\""), from: hrefStart + hrefMarker.count), hrefEnd < close
            {
                let valueRange = (hrefStart + hrefMarker.count)..<hrefEnd
                let raw = text.text(valueRange)
                let href = HTMLText.decodingReferences(raw)
                let target = resolve(href, in: chapter)
                // Most addresses (links out of the book) stay as they are: their bytes are kept
                // when escaping would write them back the same.
                if target != raw || !text.bytes[valueRange].withUnsafeBufferPointer(Escape.xmlKeeps) {
                    if out == nil { out = SplicedText(source: xhtml, capacity: text.count + 64) }
                    out!.copy(position..<hrefStart)
                    if let target { out!.append(#" href=""# + Escape.xml(target) + "\"") }
                    position = hrefEnd + 1
                }
            }
            searched = close + 1
        }
        // Nothing changed: the chapter as it is, not a copy.
        guard var out else { return xhtml }
        out.copy(position..<text.count)
        return out.text
    }
}
