// The site's JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), with absolute links from the
// base URL. It uses only Herald's public API: the posts, the build context and the HTML renderer.

public import Foundation
public import HeraldCore
public import HeraldHTML

/// Writes `site/feed.json` for the whole build: the newest dated posts, newest first, as the
/// Atom feed lists them. A feed is read away from the site, so without a base URL to make its
/// links absolute no feed is written.
public struct JSONFeedBackend: Backend {
    public let format = "jsonfeed"
    /// How `content_html` is rendered (the HTML backend's options, so both agree).
    public var options: HTMLOptions
    /// At most this many items.
    public var limit: Int

    public init(options: HTMLOptions = HTMLOptions(), limit: Int = 50) {
        self.options = options
        self.limit = limit
    }

    public var fingerprint: String { settings.text }

    /// The backend's settings written out (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("JSONFeedBackend")
        settings.add("format", format)
        settings.add("options", raw: options.settings.text)
        settings.add("limit", limit)
        return settings
    }

    /// No file per post: the feed is made from all posts together.
    public func render(_ post: Post, context: BuildContext) throws -> [Output] { [] }

    public func renderCollection(_ posts: [ListedPost], context: BuildContext) throws -> [Output] {
        guard let baseURL = context.baseURL else { return [] }
        // One feed per language of the site.
        return try context.sections(of: posts).map { section in
            // Only the posts the feed shows are loaded in full.
            let shown = try Array(section.posts.filter { $0.metadata.date != nil }.prefix(limit))
                .concurrentMap { listed in Result { () throws(DiagnosticError) -> Post in try listed.post() } }
                .map { (result) throws(DiagnosticError) in try result.get() }
            var feed = self.feed(shown, baseURL: baseURL, siteTitle: section.title, prefix: section.prefix, context: context)
            feed.language = section.lang
            return Output(path: "site/\(section.prefix)feed.json", contents: try feed.encoded(), format: format, lang: section.lang)
        }
    }

    /// The feed for `posts` (newest first) of the site at `baseURL`, which ends with `/`: the
    /// feed of the language whose pages are under `prefix` (`zh/`), its posts' addresses as
    /// `context` lays them out.
    public func feed(
        _ posts: [Post], baseURL: String, siteTitle: String, prefix: String = "", context: BuildContext? = nil
    ) -> JSONFeed {
        let renderer = HTMLRenderer(options: options)
        let layout = context ?? BuildContext(baseURL: baseURL)
        let items = Array(posts.filter { $0.metadata.date != nil }.prefix(limit)).concurrentMap { post in
            let url = baseURL + layout.pagePath(slug: post.slug, lang: post.lang)
            var document = post.document
            document.makeURLsAbsolute(base: url)
            let metadata = post.metadata
            return JSONFeed.Item(
                id: url, url: url, title: post.displayTitle,
                contentHTML: renderer.render(document).html,
                summary: metadata.summary, datePublished: metadata.date?.rfc3339,
                tags: metadata.tags.isEmpty ? nil : metadata.tags,
                authors: metadata.authors.isEmpty ? nil : metadata.authors.map { JSONFeed.Author(name: $0) },
                language: post.lang)
        }
        return JSONFeed(
            title: siteTitle, homePageURL: baseURL + prefix, feedURL: baseURL + prefix + "feed.json",
            language: posts.mostCommonLanguage, items: Array(items))
    }

}

/// A JSON Feed 1.1 document: the fields Herald writes, named as the specification names them.
public struct JSONFeed: Codable, Hashable, Sendable {
    public static let version11 = "https://jsonfeed.org/version/1.1"

    public var version: String
    public var title: String
    public var homePageURL: String?
    public var feedURL: String?
    public var language: String?
    public var items: [Item]

    public init(
        version: String = JSONFeed.version11, title: String, homePageURL: String? = nil, feedURL: String? = nil,
        language: String? = nil, items: [Item]
    ) {
        self.version = version
        self.title = title
        self.homePageURL = homePageURL
        self.feedURL = feedURL
        self.language = language
        self.items = items
    }

    /// One post in the feed.
    public struct Item: Codable, Hashable, Sendable {
        public var id: String
        public var url: String?
        public var title: String?
        public var contentHTML: String?
        public var contentText: String?
        public var summary: String?
        /// RFC 3339.
        public var datePublished: String?
        public var tags: [String]?
        public var authors: [Author]?
        public var language: String?

        public init(
            id: String, url: String? = nil, title: String? = nil, contentHTML: String? = nil, contentText: String? = nil,
            summary: String? = nil, datePublished: String? = nil, tags: [String]? = nil, authors: [Author]? = nil,
            language: String? = nil
        ) {
            self.id = id
            self.url = url
            self.title = title
            self.contentHTML = contentHTML
            self.contentText = contentText
            self.summary = summary
            self.datePublished = datePublished
            self.tags = tags
            self.authors = authors
            self.language = language
        }

        enum CodingKeys: String, CodingKey {
            case id, url, title, summary, tags, authors, language
            case contentHTML = "content_html"
            case contentText = "content_text"
            case datePublished = "date_published"
        }
    }

    public struct Author: Codable, Hashable, Sendable {
        public var name: String

        public init(name: String) { self.name = name }
    }

    enum CodingKeys: String, CodingKey {
        case version, title, language, items
        case homePageURL = "home_page_url"
        case feedURL = "feed_url"
    }

    /// UTF-8 JSON with sorted keys and unescaped slashes: the same feed gives the same bytes.
    public func encoded() throws -> Data { try StableJSON.encode(self) }
}
