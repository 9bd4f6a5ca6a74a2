// Links from one post to another by file name: `[the launch](launch.md#numbers)` is how an
// editor links posts while writing, and it must become the address of that post's page in every
// output. The `links` transform rewrites each such link to the page's address relative to the
// linking post's page (`../launch/#numbers`), which every backend already handles as a relative
// web path (pages keep it, mail and books resolve it against the post's address). The linked
// post is one of the run's posts, or is read from disk: `herald email post.md` and `herald build`
// give the same links.

import Foundation

/// The transform that points links to other posts' files at those posts' pages.
public struct PostLinks: Transform {
    public let name = "links"

    public init() {}

    public var fingerprint: String { settings.text }

    /// The transform's settings written out (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("PostLinks")
        settings.add("name", name)
        return settings
    }

    public func apply(to post: inout Post, context: TransformContext) throws {
        // Most posts link to no other post's file: one look over every node (linked or not)
        // says so before the tree is walked.
        var linksAFile = false
        let nodes = post.document.nodes
        for index in nodes.indices {
            // The node's kind is read where it is, not copied with the rest of the node.
            if case .link(let link) = nodes[index].kind, Self.mayNamePost(link.destination) {
                linksAFile = true
                break
            }
        }
        guard linksAFile || post.document.linkDefinitions.contains(where: { Self.mayNamePost($0.destination) }) else { return }
        var document = post.document
        var changed = false
        for id in document.descendants() {
            guard case .link(var link) = document[id].kind,
                let address = Self.pageAddress(of: link.destination, in: post, context: context)
            else { continue }
            link.destination = address
            document.setKind(.link(link), of: id)
            changed = true
        }
        for index in document.linkDefinitions.indices {
            if let address = Self.pageAddress(of: document.linkDefinitions[index].destination, in: post, context: context) {
                document.linkDefinitions[index].destination = address
                changed = true
            }
        }
        if changed { post.document = document }
    }

    /// The page address, relative to the page of `post`, of the post that `destination` (as
    /// written in `post`) names; nil when it names no post that can be read. A translation of
    /// the target in the linking post's language (`launch.zh.md` beside `launch.md`) is preferred.
    public static func pageAddress(of destination: String, in post: Post, context: TransformContext) -> String? {
        guard let (written, suffix) = Self.target(of: destination, in: post) else { return nil }
        // A post not written in this language yet is linked in another (the default first).
        var found: (path: String, post: Post)?
        for path in [written] + Self.counterparts(of: written, build: context.build) {
            if let post = context.post(at: path) {
                found = (path, post)
                break
            }
        }
        guard let (target, first) = found else { return nil }
        var linked = first
        // The version in the linking post's language, when there is one.
        let here = SourcePaths.standardized(post.sourcePath)
        for candidate in Self.translations(of: target, lang: post.lang, build: context.build) where candidate != here {
            if let translation = context.post(at: candidate), LanguageTags.matches(translation.lang, post.lang) {
                linked = translation
                break
            }
        }
        let layout = context.build
        let from = layout.pagePath(slug: post.slug, lang: post.lang)
        let to = layout.pagePath(slug: linked.slug, lang: linked.lang)
        if from == to, suffix.hasPrefix("#") { return suffix }
        return layout.relativeAddress(from: from, to: to) + suffix
    }

    /// The same name as `file` in the folders of the site's other languages, in the site's
    /// order (`blog-en/launch.md` for `blog-cn/launch.md`); none outside those folders.
    public static func counterparts(of file: String, build: BuildContext) -> [String] {
        guard let home = languageFolder(holding: file, build: build) else { return [] }
        return build.languages.compactMap(\.folder).filter { $0 != home }.map { $0 + file.dropFirst(home.count) }
    }

    /// The folder of the site language whose posts `file` is among, if any.
    static func languageFolder(holding file: String, build: BuildContext) -> String? {
        build.languages.lazy.compactMap(\.folder).first { file.hasPrefix($0 + "/") }
    }

    /// Where a translation into `lang` of the post at `file` may be: beside it
    /// (`launch.zh.md`), and under the same name in the folder of `lang` when the site's
    /// languages have folders (`blog-cn/launch.md` for `blog-en/launch.md`).
    static func translations(of file: String, lang: String, build: BuildContext) -> [String] {
        var candidates = [translation(of: file, lang: lang)]
        if let home = languageFolder(holding: file, build: build),
            let folder = build.languages.first(where: { LanguageTags.matches(lang, $0.tag) })?.folder, folder != home
        {
            candidates.append(folder + file.dropFirst(home.count))
        }
        return candidates
    }

    /// Whether `destination` may name a post's file: it is local and has a `.` or a percent
    /// escape (which may write one) in its path.
    static func mayNamePost(_ destination: String) -> Bool {
        guard LocalAssets.isLocal(destination) else { return false }
        for byte in destination.utf8 {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "%"): return true
            case UInt8(ascii: "?"), UInt8(ascii: "#"): return false
            default: continue
            }
        }
        return false
    }

    /// The post file (standardized path) a link destination written in `post` names, if it names
    /// a Markdown file, and what follows the path (`#part`).
    public static func target(of destination: String, in post: Post) -> (file: String, suffix: String)? {
        guard LocalAssets.isLocal(destination) else { return nil }
        let (path, suffix) = LocalAssets.splitSuffix(destination)
        let decoded = path.removingPercentEncoding ?? path
        guard decoded.hasSuffix(".md") || decoded.hasSuffix(".markdown"), !decoded.contains("\0") else { return nil }
        return (SourcePaths.beside(post: post.sourcePath, decoded), suffix)
    }

    /// Where the translation of the post at `file` into `lang` is written (`launch.zh.md`).
    public static func translation(of file: String, lang: String) -> String {
        URL(fileURLWithPath: file).deletingPathExtension().path + "." + lang + ".md"
    }
}
