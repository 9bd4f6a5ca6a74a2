// The Backend protocol: a module that turns posts into files.

public import Foundation

/// A file a backend produced, with a path relative to the build's output folder.
public struct Output: Sendable, Hashable {
    /// Relative path with `/` separators, e.g. `site/my-post/index.html`.
    public var path: String
    public var contents: Data
    /// The backend format (`html`, `email`, `epub`, …).
    public var format: String
    public var lang: String?
    /// The source post, or nil for an output made from all posts (an index or a feed).
    public var source: String?
    /// Warnings and notes about this output (a missing image, say), reported by the build.
    public var diagnostics: [Diagnostic]

    public init(
        path: String, contents: Data, format: String, lang: String? = nil, source: String? = nil,
        diagnostics: [Diagnostic] = []
    ) {
        self.path = path
        self.contents = contents
        self.format = format
        self.lang = lang
        self.source = source
        self.diagnostics = diagnostics
    }

    public init(path: String, text: String, format: String, lang: String? = nil, source: String? = nil) {
        self.init(path: path, contents: Data(text.utf8), format: format, lang: lang, source: source)
    }
}

/// What every backend may know about the build as a whole.
public struct BuildContext: Sendable {
    /// The absolute base URL of the published site (`https://example.org/blog/`), ending with
    /// `/`; nil when none is configured. Outputs that need an absolute address (feeds, the web
    /// link of a mail) leave it out rather than invent one.
    public var baseURL: String?
    /// The site's title, for indexes, feeds and the mail's footer.
    public var siteTitle: String
    /// The site's languages, the default first. Empty for a site in one language, where every
    /// post's outputs share one folder whatever its language.
    public var languages: [SiteLanguage]
    /// Posts on each page of an index.
    public var paginate: Int

    public init(baseURL: String? = nil, siteTitle: String = "Herald", languages: [SiteLanguage] = [], paginate: Int = 10) {
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.siteTitle = siteTitle
        self.languages = languages
        self.paginate = max(1, paginate)
    }

    /// The site language a post in `lang` belongs to: the one whose tag matches, else the
    /// default; nil for a site in one language.
    public func siteLanguage(of lang: String) -> SiteLanguage? {
        languages.first { LanguageTags.matches(lang, $0.tag) } ?? languages.first
    }

    /// Whether `lang` is the site's default language (always, for a site in one language).
    public func isDefault(_ lang: String) -> Bool {
        guard let language = siteLanguage(of: lang) else { return true }
        return language == languages.first
    }

    /// Where the outputs in `lang` go, relative to each format's folder: `""` for the default
    /// language, `zh/` for another (Hugo's layout).
    public func prefix(lang: String) -> String {
        guard let language = siteLanguage(of: lang), language != languages.first else { return "" }
        return language.tag + "/"
    }

    /// The name of a post's outputs, relative to each format's folder: `slug` in the default
    /// language, `zh/slug` in another (`site/zh/slug/index.html`, `email/zh/slug.eml`).
    public func outputName(slug: String, lang: String) -> String { prefix(lang: lang) + slug }

    /// The address of a post's page relative to the site's root: `slug/` or `zh/slug/`.
    public func pagePath(slug: String, lang: String) -> String { outputName(slug: slug, lang: lang) + "/" }

    /// The absolute address of the page of the post with `slug` in `lang`, when the base URL is known.
    public func pageURL(slug: String, lang: String) -> String? { baseURL.map { $0 + pagePath(slug: slug, lang: lang) } }

    /// The site's title in `lang`.
    public func title(lang: String) -> String { siteLanguage(of: lang)?.title ?? siteTitle }
}

/// One language of a bilingual (or larger) site.
public struct SiteLanguage: Sendable, Hashable {
    /// The language tag (`en`, `zh`).
    public var tag: String
    /// The language's name in its own language, for the language switch (`中文`).
    public var name: String
    /// The site's title in this language; nil for the site's own.
    public var title: String?
    /// The folder whose posts are in this language (absolute and standardized); nil when the
    /// language's posts are found by their front matter or their text.
    public var folder: String?

    public init(tag: String, name: String? = nil, title: String? = nil, folder: String? = nil) {
        self.tag = tag
        self.name = name ?? LanguageTags.displayName(tag)
        self.title = title
        self.folder = folder.map { SourcePaths.standardized($0) }
    }
}

/// A backend turns posts into files.
///
/// A backend is a value configured when it is made (the command line builds each one from
/// `herald.yml` and its flags) and registered in one place, a ``BackendRegistry``. The pipeline
/// calls ``render(_:context:)`` for every post, on several threads at once, and then
/// ``renderCollection(_:context:)`` once with every post that was built; the files are written
/// by the pipeline, atomically, and listed in `manifest.json`. A backend never writes files
/// itself and keeps no state between calls.
///
/// ```swift
/// struct WordCount: Backend {
///     let format = "words"
///     func render(_ post: Post, context: BuildContext) throws -> [Output] {
///         let words = post.document.plainText(of: post.document.root).split(separator: " ").count
///         return [Output(path: "words/\(post.slug).txt", text: "\(words)\n", format: format, source: post.sourcePath)]
///     }
/// }
/// ```
///
/// Throw a ``DiagnosticError`` to report why a post cannot be rendered; the post is then left
/// out of the build and the other posts go on.
public protocol Backend: Sendable {
    /// The format name used in the manifest and on the command line (`html`).
    var format: String { get }

    /// The files for one post.
    func render(_ post: Post, context: BuildContext) throws -> [Output]

    /// Files made from all posts together (an index, a feed, a book). Posts come newest first,
    /// each with its front matter at hand and the whole post loaded on demand
    /// (``ListedPost/post()``): ask only for the posts the output shows in full. The default
    /// makes none.
    func renderCollection(_ posts: [ListedPost], context: BuildContext) throws -> [Output]

    /// Files made only from what the posts say of themselves (their front matter, addresses and
    /// translations), never from their text: an index, tag pages, a sitemap. A build makes them
    /// again only when that changes (a post added, removed, retitled, retagged), not when a
    /// post's text does, so they must not call ``ListedPost/post()``; what does belongs in
    /// ``renderCollection(_:context:)``. The default makes none.
    func renderListing(_ posts: [ListedPost], context: BuildContext) throws -> [Output]

    /// Everything this backend's outputs depend on besides the posts (its options, its
    /// templates), as text: a build whose backends give the same fingerprints as the last one
    /// can reuse what that build wrote for unchanged posts. The default describes the value's
    /// stored properties by reflection; a backend holding something that does not describe
    /// itself the same way twice (a class, a dictionary) gives its own, and ``SettingsText``
    /// writes one field by field in a fraction of reflection's time.
    var fingerprint: String { get }
}

extension Backend {
    public func renderCollection(_ posts: [ListedPost], context: BuildContext) throws -> [Output] { [] }

    public func renderListing(_ posts: [ListedPost], context: BuildContext) throws -> [Output] { [] }

    public var fingerprint: String { String(reflecting: self) }
}

/// The backends a build may use, by format name, in the order they run.
public struct BackendRegistry: Sendable {
    public private(set) var backends: [any Backend] = []

    public init(_ backends: [any Backend] = []) {
        for backend in backends { register(backend) }
    }

    /// Adds a backend, replacing one of the same format.
    public mutating func register(_ backend: any Backend) {
        backends.removeAll { $0.format == backend.format }
        backends.append(backend)
    }

    public subscript(format: String) -> (any Backend)? {
        backends.first { $0.format == format }
    }

    public var formats: [String] { backends.map(\.format) }
}
