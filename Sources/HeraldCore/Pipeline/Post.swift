// A post on its way through the pipeline: where it came from, its AST, its slug and language.

/// One parsed post, with what the pipeline decided about it.
public struct Post: Sendable {
    /// The path of the source file as the user named it (used in diagnostics and the manifest).
    public var sourcePath: String
    public var document: Document
    /// The URL-safe name of the post's outputs: from the front matter, else the file name.
    public var slug: String
    /// The post's language: from the front matter, else detected from its text.
    public var lang: String
    /// Warnings and notes found while loading and transforming the post.
    public var diagnostics: [Diagnostic]

    public init(sourcePath: String, document: Document, slug: String, lang: String, diagnostics: [Diagnostic] = []) {
        self.sourcePath = sourcePath
        self.document = document
        self.slug = slug
        self.lang = lang
        self.diagnostics = diagnostics
    }

    public var metadata: PostMetadata { document.metadata }

    /// The title to show: the front matter title, else the slug.
    public var displayTitle: String { metadata.title ?? slug }
}

/// Turns a source file into a ``Post``. HeraldMarkdown provides the Markdown one.
public protocol PostParser: Sendable {
    /// Parses `bytes`, the contents of the file at `path`. Throws a ``DiagnosticError`` when the
    /// post cannot be built; returns warnings in ``Post/diagnostics``.
    func parse(_ bytes: [UInt8], path: String) throws -> Post
}

/// An AST-to-AST pass run on every post before the backends see it.
public protocol Transform: Sendable {
    /// A short name, for diagnostics.
    var name: String { get }
    func apply(to post: inout Post) throws
}
