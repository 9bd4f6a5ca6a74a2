// The pages of a site that list posts: each language's index, paginated, its tag pages, and the
// sitemap of the whole site with every page's translations (sitemaps.org, with the `xhtml:link`
// alternates search engines read for pages in several languages).

import Foundation
import HeraldCore
import HeraldTemplates

/// The listing pages of one language of a site.
struct SiteListing {
    let section: LanguageSection
    let sections: [LanguageSection]
    let context: BuildContext
    let words: SiteWords
    /// What an entry of each post shows wherever it is listed (all but its address), made once:
    /// a post is listed on an index page and on a page per tag.
    private let entryValues: [[String: TemplateValue]]

    init(section: LanguageSection, sections: [LanguageSection], context: BuildContext) {
        self.section = section
        self.sections = sections
        self.context = context
        words = SiteWords(lang: section.lang)
        entryValues = section.posts.map(Self.entryValues)
    }

    /// A page to write: its folder relative to `site/` (`zh/page/2/`), and its template's values.
    /// One page of a listing. Its values are made once and only read afterwards, so pages are
    /// rendered on all cores at once.
    struct Page: Sendable {
        var path: String
        var values: [String: TemplateValue]

        /// How many posts and tags the page lists.
        var length: Int { (values["posts"]?.count ?? 0) + (values["tags"]?.count ?? 0) }
    }

    /// The index, `paginate` posts a page, newest first: `site/<prefix>` then
    /// `site/<prefix>page/2/`, … (one page, saying there are no posts yet, for a language with none).
    func indexPages() -> [Page] {
        let size = context.paginate
        let posts = section.posts
        let count = max(1, (posts.count + size - 1) / size)
        func path(_ number: Int) -> String { section.prefix + (number == 1 ? "" : "page/\(number)/") }
        return (1...count).map { number in
            let here = path(number)
            var values = common(at: here)
            values["posts"] = entries(Array(posts.indices.dropFirst((number - 1) * size).prefix(size)), from: here)
            values["hasPosts"] = .bool(!posts.isEmpty)
            if count > 1 {
                values["hasPages"] = true
                values["pageNumber"] = .number(number)
                values["pageCount"] = .number(count)
                if number > 1 { values["previous"] = .text(context.relativeAddress(from: here, to: path(number - 1))) }
                if number < count { values["next"] = .text(context.relativeAddress(from: here, to: path(number + 1))) }
            }
            if number == 1 {
                // The language's home and its versions in the site's other languages.
                let homes = sections.filter { $0.language != nil }.map { ($0.lang, $0.prefix) }
                if homes.count > 1 { values["alternates"] = .maps(Self.alternates(homes, from: here, context: context)) }
            }
            return Page(path: here, values: values)
        }
    }

    /// A page per tag of the language's posts (`site/<prefix>tags/<tag>/`) and the list of
    /// tags (`site/<prefix>tags/`); none when no post has a tag.
    func tagPages() -> [Page] {
        var order: [String] = []
        var byTag: [String: (name: String, posts: [Int])] = [:]
        // Many posts share a tag: each name's folder is made once.
        var slugs: [String: String] = [:]
        for (index, post) in section.posts.enumerated() {
            var seen: Set<String> = []
            for name in post.metadata.tags {
                let slug = slugs[name] ?? Self.tagSlug(name)
                slugs[name] = slug
                guard seen.insert(slug).inserted else { continue }
                if byTag[slug] == nil {
                    order.append(slug)
                    byTag[slug] = (name, [])
                }
                byTag[slug]!.posts.append(index)
            }
        }
        guard !order.isEmpty else { return [] }
        let overview = section.prefix + "tags/"
        var pages: [Page] = []
        var values = common(at: overview)
        values["heading"] = .text(words.tags)
        let sorted = order.sorted { byTag[$0]!.name.localizedStandardCompare(byTag[$1]!.name) == .orderedAscending }
        values["tags"] = .list(sorted.map { slug in .map(["name": .text(byTag[slug]!.name), "href": .text(slug + "/"), "count": .number(byTag[slug]!.posts.count)]) })
        values["hasTags"] = true
        pages.append(Page(path: overview, values: values))
        for slug in order {
            let here = overview + slug + "/"
            var values = common(at: here)
            values["heading"] = .text(words.tagged(byTag[slug]!.name))
            values["posts"] = entries(byTag[slug]!.posts, from: here)
            values["hasPosts"] = true
            pages.append(Page(path: here, values: values))
        }
        return pages
    }

    /// What every listing page of the language shows: the site, the language switch, the feed.
    private func common(at here: String) -> [String: TemplateValue] {
        var values: [String: TemplateValue] = [
            "siteTitle": .text(section.title), "generator": "Herald", "lang": .text(section.lang),
            "root": .text(context.relativeAddress(from: here, to: section.prefix)),
            "noPosts": .text(words.noPosts), "translationsLabel": .text(words.languages), "pagesLabel": .text(words.pages),
            "previousLabel": .text(words.newer), "nextLabel": .text(words.older), "tagsLabel": .text(words.tags),
        ]
        if section.posts.contains(where: { !$0.metadata.tags.isEmpty }) {
            values["tagsHref"] = .text(context.relativeAddress(from: here, to: section.prefix + "tags/"))
        }
        let others = sections.filter { $0.language != nil && $0.prefix != section.prefix }
        if !others.isEmpty {
            values["hasTranslations"] = true
            values["translations"] = .list(others.map { other in
                .map(["lang": .text(other.lang), "name": .text(other.language?.name ?? other.lang), "href": .text(context.relativeAddress(from: here, to: other.prefix))])
            })
        }
        if let baseURL = context.baseURL {
            values["baseURL"] = .text(baseURL)
            values["url"] = .text(baseURL + here)
            values["feedURL"] = .text(context.relativeAddress(from: here, to: section.prefix) + "atom.xml")
        }
        return values
    }

    /// The entries of the section's posts at `indices`, linked from the page at `here`.
    private func entries(_ indices: [Int], from here: String) -> TemplateValue {
        .list(indices.map { index in
            let post = section.posts[index]
            var entry = entryValues[index]
            entry["url"] = .text(context.relativeAddress(from: here, to: context.pagePath(slug: post.slug, lang: post.lang)))
            return .map(entry)
        })
    }

    private static func entryValues(_ post: ListedPost) -> [String: TemplateValue] {
        var entry: [String: TemplateValue] = [
            "title": .text(post.displayTitle), "slug": .text(post.slug), "lang": .text(post.lang),
            "author": .text(DateText.joinNames(post.metadata.authors, lang: post.lang)),
            "hasAuthors": .bool(!post.metadata.authors.isEmpty),
        ]
        if let summary = post.metadata.summary { entry["summary"] = .text(summary) }
        if let date = post.metadata.date {
            entry["date"] = .text(date.isoDate)
            entry["dateDisplay"] = .text(DateText.display(date, lang: post.lang))
        }
        return entry
    }

    /// A post's tags with the folder name of each tag's page (readable in every script:
    /// `性能` stays `性能`); tags whose names give the same folder are one tag.
    static func tags(of names: [String]) -> [(name: String, slug: String)] {
        var seen: Set<String> = []
        return names.compactMap { name in
            let slug = tagSlug(name)
            return seen.insert(slug).inserted ? (name, slug) : nil
        }
    }

    /// The folder of a tag's page.
    static func tagSlug(_ name: String) -> String {
        Slug.pathComponent(Slug.headingID(name)) ?? "tag"
    }

    /// `<link rel="alternate" hreflang>` values for the versions of a page (each language's
    /// page, relative to `site/`), seen from `here`: absolute addresses when the site's is
    /// known, and the default language's version as `x-default` in a site of several languages.
    static func alternates(_ versions: [(lang: String, path: String)], from here: String, context: BuildContext) -> [[String: String]] {
        func address(_ path: String) -> String {
            context.baseURL.map { $0 + path } ?? context.relativeAddress(from: here, to: path)
        }
        var links = versions.map { ["hreflang": $0.lang, "url": address($0.path)] }
        if !context.languages.isEmpty, let fallback = versions.first(where: { context.isDefault($0.lang) }) {
            links.append(["hreflang": "x-default", "url": address(fallback.path)])
        }
        return links
    }
}

extension CharacterSet {
    /// What may stand unencoded in a URL (RFC 3986's unreserved and reserved characters, and
    /// `%` of the escapes already there).
    static let urlAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
}

/// The few words of the listing pages, in the language of the page.
struct SiteWords {
    var languages = "Languages"
    var tags = "Tags"
    var pages = "Pages"
    var newer = "← Newer"
    var older = "Older →"
    var noPosts = "No posts yet."
    private var taggedFormat = "Posts tagged “%@”"

    init(lang: String) {
        if LanguageTags.primary(lang) == "zh" {
            languages = "语言"
            tags = "标签"
            pages = "分页"
            newer = "← 较新"
            older = "较早 →"
            noPosts = "还没有文章。"
            taggedFormat = "标签：%@"
        }
    }

    func tagged(_ name: String) -> String { taggedFormat.replacingOccurrences(of: "%@", with: name) }
}

/// `site/sitemap.xml`: every post's page, each language's home and tag pages, with the
/// `xhtml:link` alternates of pages that exist in several languages.
enum Sitemap {
    /// The sitemap of `sections`, whose tag pages are at `tagPages` (one list per section, as
    /// ``SiteListing/tagPages()`` made them).
    static func render(_ sections: [LanguageSection], tagPages: [[String]], context: BuildContext, baseURL: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        // A sitemap's addresses are URLs, not IRIs: a Chinese slug is percent-encoded.
        func encoded(_ address: String) -> String {
            address.addingPercentEncoding(withAllowedCharacters: .urlAllowed) ?? address
        }
        func url(_ path: String, lastmod: String? = nil, alternates: [[String: String]] = []) {
            out += "  <url>\n    <loc>\(Escape.xml(encoded(baseURL + path)))</loc>\n"
            if let lastmod { out += "    <lastmod>\(lastmod)</lastmod>\n" }
            for link in alternates {
                out += "    <xhtml:link rel=\"alternate\" hreflang=\"\(Escape.xml(link["hreflang"]!))\" href=\"\(Escape.xml(encoded(link["url"]!)))\"/>\n"
            }
            out += "  </url>\n"
        }
        let homes = sections.filter { $0.language != nil }.map { ($0.lang, $0.prefix) }
        for (section, tagPages) in zip(sections, tagPages) {
            let latest = section.posts.compactMap { $0.metadata.date }.max()?.isoDate
            url(section.prefix, lastmod: latest, alternates: homes.count > 1 ? SiteListing.alternates(homes, from: section.prefix, context: context) : [])
            for post in section.posts {
                let path = context.pagePath(slug: post.slug, lang: post.lang)
                var alternates: [[String: String]] = []
                if !post.translations.isEmpty {
                    let versions = [(post.lang, path)] + post.translations.map { ($0.lang, context.pagePath(slug: $0.slug, lang: $0.lang)) }
                    alternates = SiteListing.alternates(versions, from: path, context: context)
                }
                url(path, lastmod: post.metadata.date?.isoDate, alternates: alternates)
            }
            for path in tagPages { url(path) }
        }
        out += "</urlset>\n"
        return out
    }
}
