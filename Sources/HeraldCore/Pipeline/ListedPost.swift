// A post as the outputs made from all posts see it (an index, a feed): what a listing shows is
// at hand, the whole post is loaded when an output needs it. A rebuild then lists the posts it
// did not read again from what its cache kept of them.

import Synchronization

/// One post of a build, as ``Backend/renderCollection(_:context:)`` receives it.
///
/// The slug, language and front matter are always at hand. ``post()`` gives the whole post, as
/// the build's transforms left it: at once for a post the build has just read, and for a post
/// whose source has not changed since the last build (which a rebuild does not read again)
/// read, parsed and transformed on first use, once. An index touches only the front matter;
/// a feed loads the few newest posts it shows.
public struct ListedPost: Sendable {
    /// The path of the source file as the user named it.
    public let sourcePath: String
    public let slug: String
    public let lang: String
    public let metadata: PostMetadata
    /// What the post's translations share (``Post/translationKey``).
    public let translationKey: String?
    /// The post's translations in the build (``Post/translations``).
    public internal(set) var translations: [Translation] = []
    private let whole: Whole

    /// A post at hand.
    public init(_ post: Post) {
        sourcePath = post.sourcePath
        slug = post.slug
        lang = post.lang
        metadata = post.metadata
        translationKey = post.translationKey
        translations = post.translations
        whole = Whole(.success(post))
    }

    /// A post known by what a listing needs, loaded by `load` when the whole of it is wanted.
    public init(
        sourcePath: String, slug: String, lang: String, metadata: PostMetadata, translationKey: String? = nil,
        load: @escaping @Sendable () throws(DiagnosticError) -> Post
    ) {
        self.sourcePath = sourcePath
        self.slug = slug
        self.lang = lang
        self.metadata = metadata
        self.translationKey = translationKey
        whole = Whole(load: load)
    }

    /// The title to show: the front matter title, else the slug.
    public var displayTitle: String { metadata.title ?? slug }

    /// The whole post, with its translations; throws the diagnostics of a post that can no
    /// longer be read.
    public func post() throws(DiagnosticError) -> Post {
        var post = try whole.get()
        post.translations = translations
        return post
    }

    /// The post, once loaded; shared by the copies of a listed post.
    private final class Whole: Sendable {
        private let state: Mutex<Result<Post, DiagnosticError>?>
        private let load: (@Sendable () throws(DiagnosticError) -> Post)?

        init(_ result: Result<Post, DiagnosticError>) {
            state = Mutex(result)
            load = nil
        }

        init(load: @escaping @Sendable () throws(DiagnosticError) -> Post) {
            state = Mutex(nil)
            self.load = load
        }

        /// The post, loaded by the first caller; the others wait for it rather than load it too.
        func get() throws(DiagnosticError) -> Post {
            try state.withLock { (state) throws(DiagnosticError) -> Post in
                if let known = state { return try known.get() }
                let result: Result<Post, DiagnosticError>
                do throws(DiagnosticError) {
                    result = .success(try load!())
                } catch {
                    result = .failure(error)
                }
                state = result
                return try result.get()
            }
        }
    }
}

extension Collection<ListedPost> {
    /// The language most of these posts are in (see ``Swift/Collection/mostCommonLanguage``).
    public var mostCommonLanguage: String { Languages.mostCommon(map(\.lang)) }
}

/// The language of a set of posts, one rule for every output that has one.
enum Languages {
    /// The most common of `languages`; of two as common, the first in alphabetical order, so
    /// that two builds of the same posts agree; `en` for none.
    static func mostCommon(_ languages: [String]) -> String {
        let counts = Dictionary(grouping: languages, by: { $0 }).mapValues(\.count)
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? "en"
    }
}
