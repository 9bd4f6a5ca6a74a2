// A post on its way through the pipeline: where it came from, its AST, its slug and language,
// and the two kinds of stage a pipeline is made of besides its backends: the parser that makes
// a post from a file, and the transforms that change posts before any backend sees them.

/// One parsed post, with what the pipeline decided about it.
///
/// A value like any other: a copy changed leaves the original as it was. Its parts are held
/// in one box, copied only when a copy is changed, so that a post (a document, its source
/// text, metadata: a few dozen references) is passed, filtered and sorted as one reference.
public struct Post: Sendable {
    /// The path of the source file as the user named it (used in diagnostics and the manifest).
    public var sourcePath: String {
        _read { yield storage.sourcePath }
        _modify { makeUnique(); yield &storage.sourcePath }
    }
    public var document: Document {
        _read { yield storage.document }
        _modify { makeUnique(); yield &storage.document }
    }
    /// The URL-safe name of the post's outputs: from the front matter, else the file name.
    public var slug: String {
        _read { yield storage.slug }
        _modify { makeUnique(); yield &storage.slug }
    }
    /// The post's language: from the front matter, else detected from its text.
    public var lang: String {
        _read { yield storage.lang }
        _modify { makeUnique(); yield &storage.lang }
    }
    /// Warnings and notes found while loading and transforming the post.
    public var diagnostics: [Diagnostic] {
        _read { yield storage.diagnostics }
        _modify { makeUnique(); yield &storage.diagnostics }
    }
    /// The decoded text of the file the post was read from, which checks and translation stubs
    /// place their findings and segments in; nil for a post made in code.
    public var source: SourceText? {
        _read { yield storage.source }
        _modify { makeUnique(); yield &storage.source }
    }
    /// What the post's translations share: posts with the same key are translations of each
    /// other (see ``Pipeline/translationKey(of:)``). Nil for a post made in code.
    public var translationKey: String? {
        _read { yield storage.translationKey }
        _modify { makeUnique(); yield &storage.translationKey }
    }
    /// The post's translations in the same build, in the site's language order; filled by
    /// ``Pipeline/build(_:into:force:listing:progress:)``.
    public var translations: [Translation] {
        _read { yield storage.translations }
        _modify { makeUnique(); yield &storage.translations }
    }

    public init(
        sourcePath: String, document: Document, slug: String, lang: String, diagnostics: [Diagnostic] = [],
        source: SourceText? = nil
    ) {
        storage = Storage(
            sourcePath: sourcePath, document: document, slug: slug, lang: lang, diagnostics: diagnostics, source: source,
            translationKey: nil, translations: [])
    }

    private var storage: Storage

    /// The parts of a post. Changed only through a post that holds the one reference to it
    /// (``makeUnique()`` copies it first otherwise), so posts on several threads never share
    /// a box that changes.
    private final class Storage: @unchecked Sendable {
        var sourcePath: String
        var document: Document
        var slug: String
        var lang: String
        var diagnostics: [Diagnostic]
        var source: SourceText?
        var translationKey: String?
        var translations: [Translation]

        init(
            sourcePath: String, document: Document, slug: String, lang: String, diagnostics: [Diagnostic], source: SourceText?,
            translationKey: String?, translations: [Translation]
        ) {
            self.sourcePath = sourcePath
            self.document = document
            self.slug = slug
            self.lang = lang
            self.diagnostics = diagnostics
            self.source = source
            self.translationKey = translationKey
            self.translations = translations
        }

        func copy() -> Storage {
            Storage(
                sourcePath: sourcePath, document: document, slug: slug, lang: lang, diagnostics: diagnostics, source: source,
                translationKey: translationKey, translations: translations)
        }
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public var metadata: PostMetadata { document.metadata }

    /// The title to show: the front matter title, else the slug.
    public var displayTitle: String { metadata.title ?? slug }
}

/// Another language's version of a post, as its pages link to it.
public struct Translation: Sendable, Hashable {
    public var lang: String
    public var slug: String
    public var title: String

    public init(lang: String, slug: String, title: String) {
        self.lang = lang
        self.slug = slug
        self.title = title
    }
}

extension Collection<Post> {
    /// The language most of these posts are in; of two as common, the first in alphabetical
    /// order, so that two builds of the same posts agree; `en` for none. The language of a
    /// site's index and feeds.
    public var mostCommonLanguage: String { Languages.mostCommon(map(\.lang)) }
}

/// Turns a source file into a ``Post``. HeraldMarkdown provides the Markdown one.
public protocol PostParser: Sendable {
    /// Parses `bytes`, the contents of the file at `path`. Throws a ``DiagnosticError`` when the
    /// post cannot be built; returns warnings in ``Post/diagnostics``.
    func parse(_ bytes: [UInt8], path: String) throws -> Post

    /// The parser's settings as text, for the build cache (see ``Backend/fingerprint``).
    var fingerprint: String { get }
}

extension PostParser {
    public var fingerprint: String { String(reflecting: self) }
}

/// An AST-to-AST pass run on every post after parsing and before the backends.
///
/// A pipeline runs its transforms in order, each over every post of the run before the next
/// begins, so a transform sees the other posts as the transforms before it left them (through
/// ``TransformContext/post(at:)``). Throwing drops the post from the run with the error's
/// diagnostics (a ``DiagnosticError``) or with a `transform-failed` error naming the transform;
/// the other posts go on. A transform is a value: whatever it is configured with is given when
/// it is made, and it keeps no state between posts.
///
/// ```swift
/// struct Shout: Transform {
///     let name = "shout"
///     func apply(to post: inout Post, context: TransformContext) throws {
///         post.document.metadata.title = post.metadata.title?.uppercased()
///     }
/// }
/// ```
public protocol Transform: Sendable {
    /// A short name, for diagnostics (`links`, `filter 'tidy.py'`).
    var name: String { get }
    /// Changes `post`; the diagnostics it wants reported go into `post.diagnostics`.
    func apply(to post: inout Post, context: TransformContext) throws

    /// The transform's settings as text, for the build cache (see ``Backend/fingerprint``). A
    /// transform that reads files of its own (not posts, which the build tracks) names them
    /// here by digest, so that a change to them rebuilds every post.
    var fingerprint: String { get }
}

extension Transform {
    public var fingerprint: String { String(reflecting: self) }
}

/// What a transform may know besides the post it changes.
public struct TransformContext: Sendable {
    /// The build's settings: the site's address and title.
    public var build: BuildContext
    /// The parser of the run, for a transform that makes a post anew from text (a translation
    /// stub resolved into the translated post).
    public var parser: any PostParser
    private let lookup: @Sendable (String) -> Post?

    /// A context whose other posts are found by `lookup` (a standardized path to the post, as
    /// the transforms before this one left it).
    public init(build: BuildContext, parser: any PostParser, lookup: @escaping @Sendable (String) -> Post? = { _ in nil }) {
        self.build = build
        self.parser = parser
        self.lookup = lookup
    }

    /// The post whose source file is at `path` (made absolute and standardized): one of the
    /// run's posts, or else the file read from disk through the same parser and the transforms
    /// before this one; nil when there is no such post or it cannot be read.
    public func post(at path: String) -> Post? {
        let key = SourcePaths.standardized(path)
        FileDependencies.record(key)
        return lookup(key)
    }
}
