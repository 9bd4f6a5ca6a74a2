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

    public init(baseURL: String? = nil, siteTitle: String = "Herald") {
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.siteTitle = siteTitle
    }

    /// The absolute address of the page of the post with `slug`, when the base URL is known.
    public func pageURL(slug: String) -> String? { baseURL.map { $0 + slug + "/" } }
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

    /// Everything this backend's outputs depend on besides the posts (its options, its
    /// templates), as text: a build whose backends give the same fingerprints as the last one
    /// can reuse what that build wrote for unchanged posts. The default describes the value's
    /// stored properties; a backend holding something that does not describe itself the same
    /// way twice (a class, a dictionary) gives its own.
    var fingerprint: String { get }
}

extension Backend {
    public func renderCollection(_ posts: [ListedPost], context: BuildContext) throws -> [Output] { [] }

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
