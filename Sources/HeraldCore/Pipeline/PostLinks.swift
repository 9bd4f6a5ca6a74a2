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

    public static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The page address, relative to the page of `post`, of the post that `destination` (as
    /// written in `post`) names; nil when it names no built post. A translation of the target in
    /// the linking post's language (`launch.zh.md` beside `launch.md`) is preferred.
    public func pageAddress(of destination: String, in post: Post) -> String? {
        guard let (target, suffix) = Self.target(of: destination, in: post), var slug = slugs[target] else { return nil }
        let translated = Self.translation(of: target, lang: post.lang)
        if let translation = slugs[translated], Self.standardized(post.sourcePath) != translated {
            slug = translation
        }
        if slug == post.slug, suffix.hasPrefix("#") { return suffix }
        return "../" + slug + "/" + suffix
    }

    /// The post file (standardized path) a link destination written in `post` names, if it names
    /// a Markdown file, and what follows the path (`#part`).
    public static func target(of destination: String, in post: Post) -> (file: String, suffix: String)? {
        guard LocalAssets.isLocal(destination) else { return nil }
        let (path, suffix) = LocalAssets.splitSuffix(destination)
        let decoded = path.removingPercentEncoding ?? path
        guard decoded.hasSuffix(".md") || decoded.hasSuffix(".markdown"), !decoded.contains("\0") else { return nil }
        let folder = URL(fileURLWithPath: post.sourcePath).deletingLastPathComponent()
        return (standardized(folder.appendingPathComponent(decoded).path), suffix)
    }

    /// Where the translation of the post at `file` into `lang` is written (`launch.zh.md`).
    public static func translation(of file: String, lang: String) -> String {
        URL(fileURLWithPath: file).deletingPathExtension().path + "." + lang + ".md"
    }

    /// Every link destination of `post`: links and link definitions.
    public static func destinations(in post: Post) -> [String] {
        let document = post.document
        var result = document.linkDefinitions.map(\.destination)
        for id in document.descendants() {
            if case .link(let link) = document[id].kind { result.append(link.destination) }
        }
        return result
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
