// Links from one post to another by file name: `[the launch](launch.md#numbers)` is how an
// editor links posts while writing, and it must become the address of that post's page in every
// output. A build knows all of its posts, so before any backend runs each such link is rewritten
// to the page's address relative to the linking post's page (`../launch/#numbers`), which every
// backend already handles as a relative web path (pages keep it, mail and books resolve it
// against the post's address).

import Foundation

/// The built posts by source file, for rewriting links between them.
public struct PostLinks: Sendable {
    /// Standardized source path → slug.
    private var slugs: [String: String] = [:]

    public init(_ posts: [Post]) {
        for post in posts { slugs[Self.standardized(post.sourcePath)] = post.slug }
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The page address, relative to the page of `post`, of the post that `destination` (as
    /// written in `post`) names; nil when it names no built post. A translation of the target in
    /// the linking post's language (`launch.zh.md` beside `launch.md`) is preferred.
    public func pageAddress(of destination: String, in post: Post) -> String? {
        guard LocalAssets.isLocal(destination) else { return nil }
        var path = destination
        var suffix = ""
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(path[cut...])
            path = String(path[..<cut])
        }
        let decoded = path.removingPercentEncoding ?? path
        guard decoded.hasSuffix(".md") || decoded.hasSuffix(".markdown"), !decoded.contains("\0") else { return nil }
        let folder = URL(fileURLWithPath: post.sourcePath).deletingLastPathComponent()
        let target = Self.standardized(folder.appendingPathComponent(decoded).path)
        guard var slug = slugs[target] else { return nil }
        let translated = URL(fileURLWithPath: target).deletingPathExtension().path + "." + post.lang + ".md"
        if let translation = slugs[translated], !Self.standardized(post.sourcePath).hasSuffix("/" + (translated as NSString).lastPathComponent) {
            slug = translation
        }
        if slug == post.slug, suffix.hasPrefix("#") { return suffix }
        return "../" + slug + "/" + suffix
    }

    /// `post` with its links to other built posts rewritten to their pages.
    public func rewritingLinks(in post: Post) -> Post {
        var post = post
        var document = post.document
        for id in document.descendants() {
            guard case .link(var link) = document[id].kind, let address = pageAddress(of: link.destination, in: post) else { continue }
            link.destination = address
            document.setKind(.link(link), of: id)
        }
        for index in document.linkDefinitions.indices {
            if let address = pageAddress(of: document.linkDefinitions[index].destination, in: post) {
                document.linkDefinitions[index].destination = address
            }
        }
        post.document = document
        return post
    }
}
