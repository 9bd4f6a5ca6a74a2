// The HTML backend: a page per post, the site index and the Atom feed.

import Foundation
public import HeraldCore
import HeraldTemplates

/// Writes `site/<slug>/index.html` for each post, and `site/index.html` and `site/atom.xml` for
/// the whole build.
public struct HTMLBackend: Backend {
    public let format = "html"
    public let options: HTMLOptions
    public let templates: TemplateSource
    /// The templates, parsed once for the whole build.
    private let library: Result<TemplateLibrary, DiagnosticError>

    public init(options: HTMLOptions = HTMLOptions(), templates: TemplateSource = TemplateSource()) {
        self.options = options
        self.templates = templates
        self.library = Result { () throws(DiagnosticError) in try templates.library("html", escaping: .html) }
    }

    public var fingerprint: String { settings.text }

    /// The backend's settings written out (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("HTMLBackend")
        settings.add("format", format)
        settings.add("options", raw: options.settings.text)
        settings.add("templates", raw: templates.fingerprint)
        settings.derived("library")
        return settings
    }

    public func render(_ post: Post, context: BuildContext) throws -> [Output] {
        let html = try renderPage(post, context: context)
        let folder = "site/" + context.outputName(slug: post.slug, lang: post.lang)
        var outputs = [Output(path: "\(folder)/index.html", text: html, format: format, lang: post.lang, source: post.sourcePath)]
        // Local images beside the post are copied next to its page, so relative links work.
        for asset in LocalAssets.images(of: post) where asset.relativePath != "index.html" {
            guard let data = try? Data(contentsOf: asset.file) else { continue }
            outputs.append(Output(path: "\(folder)/\(asset.relativePath)", contents: data, format: format, lang: post.lang, source: post.sourcePath))
        }
        return outputs
    }

    /// For each language of the site: its index, paginated (`site/index.html`,
    /// `site/page/2/index.html`; `site/zh/…` for another language), its tag pages
    /// (`site/tags/<tag>/index.html` and the list of tags), and with the site's address its Atom
    /// feed; and for the whole site `site/sitemap.xml`, with each page's translations.
    /// Each language's index pages and tag pages, and the sitemap of the whole site.
    public func renderListing(_ posts: [ListedPost], context: BuildContext) throws -> [Output] {
        let library = try library.get()
        let sections = context.sections(of: posts)
        // Every language's pages, made and rendered on all cores: each language's index pages
        // and its tag pages, then the pages and the sitemap.
        let listings = sections.concurrentMap { SiteListing(section: $0, sections: sections, context: context) }
        let made = Array(0..<(listings.count * 2)).concurrentMap { job in
            job % 2 == 0 ? listings[job / 2].indexPages() : listings[job / 2].tagPages()
        }
        let pages = made.indices.flatMap { job in made[job].map { (lang: sections[job / 2].lang, page: $0) } }
        let format = self.format
        // The longest pages first, so that no long one is left for one core at the end; the
        // sitemap (its own job, `nil`) first of all.
        let lengths = pages.map(\.page.length)
        let order = pages.indices.sorted { lengths[$0] > lengths[$1] }
        let tagPages = made.indices.filter { $0 % 2 == 1 }.map { made[$0].map(\.path) }
        let baseURL = context.baseURL
        let jobs: [Int?] = (baseURL == nil ? [] : [nil]) + order
        let rendered = jobs.concurrentMap { job -> Result<Output, DiagnosticError> in
            Result { () throws(DiagnosticError) -> Output in
                guard let job else {
                    let sitemap = Sitemap.render(sections, tagPages: tagPages, context: context, baseURL: baseURL ?? "")
                    return Output(path: "site/sitemap.xml", text: sitemap, format: format)
                }
                let (lang, page) = pages[job]
                return Output(path: "site/" + page.path + "index.html", text: try library.render(page.values, withTemplate: "index") ?? "", format: format, lang: lang)
            }
        }
        var inOrder = [Result<Output, DiagnosticError>?](repeating: nil, count: pages.count)
        for (job, output) in zip(jobs, rendered) {
            if let job { inOrder[job] = output }
        }
        var outputs = try inOrder.map { try $0!.get() }
        if baseURL != nil { outputs.append(try rendered[0].get()) }
        return outputs
    }

    /// Each language's Atom feed, with the newest posts in full. A feed is read away from the
    /// site: without the site's address it cannot link back, and is not made.
    public func renderCollection(_ posts: [ListedPost], context: BuildContext) throws -> [Output] {
        guard let baseURL = context.baseURL else { return [] }
        return try context.sections(of: posts).map { section in
            let feed = try AtomFeed(renderer: HTMLRenderer(options: options)).render(section, context: context, baseURL: baseURL)
            return Output(path: "site/\(section.prefix)atom.xml", text: feed, format: format, lang: section.lang)
        }
    }

    /// A full HTML page for one post, through the `page` template.
    public func renderPage(_ post: Post, context: BuildContext) throws -> String {
        let body = HTMLRenderer(options: options).render(post.document)
        let wantsTOC = options.tableOfContents || post.metadata.value(forExtraKey: "toc") == .bool(true)
        let toc = wantsTOC ? TableOfContents.html(body.headings) : ""
        let library = try library.get()
        let values = PageContext.make(post, body: body.html, toc: toc, context: context)
        guard let page = try library.render(values, withTemplate: "page") else {
            throw DiagnosticError(.error("template-missing", file: "html/page.mustache", "no 'page' template"))
        }
        return page
    }
}

/// The values a page template sees.
enum PageContext {
    static func make(_ post: Post, body: String, toc: String, context: BuildContext) -> [String: TemplateValue] {
        let metadata = post.metadata
        let path = context.pagePath(slug: post.slug, lang: post.lang)
        let words = SiteWords(lang: post.lang)
        var values: [String: TemplateValue] = [
            "lang": .text(post.lang),
            "title": .text(post.displayTitle),
            "slug": .text(post.slug),
            "content": .text(body),
            "siteTitle": .text(context.title(lang: post.lang)),
            // The home of the post's language (`site/` or `site/zh/`).
            "root": "../",
            "siteRoot": .text(context.relativeAddress(from: path, to: "")),
            "generator": "Herald",
            "authors": .texts(metadata.authors),
            "author": .text(DateText.joinNames(metadata.authors, lang: post.lang)),
            "hasAuthors": .bool(!metadata.authors.isEmpty),
            "tags": .texts(metadata.tags),
            "tagLinks": .list(SiteListing.tags(of: metadata.tags).map { tag in .map(["name": .text(tag.name), "href": .text("../tags/\(tag.slug)/")]) }),
            "hasTags": .bool(!metadata.tags.isEmpty),
            "toc": .text(toc),
            "hasTOC": .bool(!toc.isEmpty),
            "translationsLabel": .text(words.languages),
        ]
        if let baseURL = context.baseURL {
            values["baseURL"] = .text(baseURL)
            if let url = context.pageURL(slug: post.slug, lang: post.lang) { values["url"] = .text(url) }
        }
        // The post in its other languages: a visible switch, and `hreflang` links (with every
        // version, this one included, and the default language's as `x-default`).
        if !post.translations.isEmpty {
            values["hasTranslations"] = true
            values["translations"] = .list(post.translations.map { translation in
                let other = context.pagePath(slug: translation.slug, lang: translation.lang)
                return .map([
                    "lang": .text(translation.lang), "name": .text(LanguageTags.displayName(translation.lang)), "title": .text(translation.title),
                    "href": .text(context.relativeAddress(from: path, to: other)),
                ])
            })
            let versions = [Translation(lang: post.lang, slug: post.slug, title: post.displayTitle)] + post.translations
            values["alternates"] = .maps(SiteListing.alternates(versions.map { ($0.lang, context.pagePath(slug: $0.slug, lang: $0.lang)) }, from: path, context: context))
        }
        if let summary = metadata.summary { values["summary"] = .text(summary) }
        if let date = metadata.date {
            values["date"] = .text(date.isoDate)
            values["datetime"] = .text(date.description)
            values["dateDisplay"] = .text(DateText.display(date, lang: post.lang))
        }
        for (key, value) in metadata.extra where values[key] == nil { values[key] = value.templateValue }
        return values
    }
}

/// A nested table of contents from a page's headings.
public enum TableOfContents {
    /// `<nav class="toc"><ol>…</ol></nav>`, nesting by heading level (skipped levels do not
    /// create empty items). Headings without an id are left out.
    public static func html(_ headings: [HeadingEntry]) -> String {
        let entries = headings.filter { !$0.id.isEmpty }
        guard !entries.isEmpty else { return "" }
        var out = "<nav class=\"toc\">\n"
        var levels: [Int] = []
        for entry in entries {
            if levels.isEmpty {
                out += "<ol>\n"
                levels.append(entry.level)
            } else if entry.level > levels.last! {
                out += "\n<ol>\n"
                levels.append(entry.level)
            } else {
                out += "</li>\n"
                while levels.count > 1 && entry.level < levels.last! && entry.level <= levels[levels.count - 2] {
                    levels.removeLast()
                    out += "</ol>\n</li>\n"
                }
            }
            out += "<li><a href=\"#\(Escape.href(entry.id))\">\(Escape.html(entry.text))</a>"
        }
        out += "</li>\n"
        for _ in 1..<levels.count { out += "</ol>\n</li>\n" }
        out += "</ol>\n</nav>\n"
        return out
    }
}
