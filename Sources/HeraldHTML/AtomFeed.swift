// The site's Atom 1.0 feed (RFC 4287), with absolute links from the base URL.

public import HeraldCore

/// Writes `atom.xml` for a list of posts, newest first.
public struct AtomFeed: Sendable {
    public var renderer: HTMLRenderer
    /// At most this many entries.
    public var limit: Int

    public init(renderer: HTMLRenderer, limit: Int = 50) {
        self.renderer = renderer
        self.limit = limit
    }

    /// The feed of `posts`, its links made absolute against `baseURL` (the site's address).
    /// Only the posts the feed shows are loaded in full.
    public func render(_ posts: [ListedPost], context: BuildContext, baseURL base: String) throws(DiagnosticError) -> String {
        try render(LanguageSection(language: nil, prefix: "", lang: posts.mostCommonLanguage, title: context.siteTitle, posts: posts), context: context, baseURL: base)
    }

    /// The feed of one language of the site: `atom.xml` in the language's home, with its title.
    public func render(_ section: LanguageSection, context: BuildContext, baseURL site: String) throws(DiagnosticError) -> String {
        let posts = section.posts
        let base = site + section.prefix
        let dated = Array(posts.filter { $0.metadata.date != nil }.prefix(limit))
        // The entries' content, on every core (loading the posts a rebuild did not read).
        let renderer = self.renderer
        let bodies = try dated.concurrentMap { post in
            Result { () throws(DiagnosticError) -> String in renderer.render(try post.post().document).html }
        }.map { (result) throws(DiagnosticError) in try result.get() }
        let updated = dated.compactMap { $0.metadata.date }.max()?.rfc3339 ?? "1970-01-01T00:00:00Z"
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        out += "  <title>\(Escape.xml(section.title))</title>\n"
        out += "  <id>\(Escape.xml(base))</id>\n"
        out += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(Escape.xml(base))\"/>\n"
        out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(Escape.xml(base + "atom.xml"))\"/>\n"
        out += "  <updated>\(updated)</updated>\n"
        out += "  <generator>Herald</generator>\n"
        if dated.contains(where: { $0.metadata.authors.isEmpty }) {
            out += "  <author><name>\(Escape.xml(section.title))</name></author>\n"
        }
        for (post, body) in zip(dated, bodies) {
            let url = site + context.pagePath(slug: post.slug, lang: post.lang)
            let date = post.metadata.date!.rfc3339
            out += "  <entry xml:lang=\"\(Escape.xml(post.lang))\">\n"
            out += "    <title>\(Escape.xml(post.displayTitle))</title>\n"
            out += "    <id>\(Escape.xml(url))</id>\n"
            out += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(Escape.xml(url))\"/>\n"
            out += "    <published>\(date)</published>\n    <updated>\(date)</updated>\n"
            for author in post.metadata.authors {
                out += "    <author><name>\(Escape.xml(author))</name></author>\n"
            }
            for tag in post.metadata.tags {
                out += "    <category term=\"\(Escape.xml(tag))\"/>\n"
            }
            if let summary = post.metadata.summary {
                out += "    <summary>\(Escape.xml(summary))</summary>\n"
            }
            out += "    <content type=\"html\" xml:base=\"\(Escape.xml(url))\">\(Escape.xml(body))</content>\n"
            out += "  </entry>\n"
        }
        out += "</feed>\n"
        return out
    }
}
