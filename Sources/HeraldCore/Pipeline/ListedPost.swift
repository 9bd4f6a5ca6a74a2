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

    /// Whether an output asked for the whole post (``post()``) since the build listed it: the
    /// posts a feed or a book shows, whose edits make them again.
    var wasAskedFor: Bool { whole.asked.load(ordering: .relaxed) }

    /// The whole post, with its translations; throws the diagnostics of a post that can no
    /// longer be read.
    public func post() throws(DiagnosticError) -> Post {
        whole.asked.store(true, ordering: .relaxed)
        return try loaded()
    }

    /// The whole post, as ``post()`` gives it, for the build itself: no output asked for it.
    func loaded() throws(DiagnosticError) -> Post {
        var post = try whole.get()
        post.translations = translations
        return post
    }

    /// The post, once loaded; shared by the copies of a listed post.
    private final class Whole: Sendable {
        private let state: Mutex<Result<Post, DiagnosticError>?>
        private let load: (@Sendable () throws(DiagnosticError) -> Post)?
        let asked = Atomic(false)

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

/// The posts of one language of a site, as its index and feeds list them.
public struct LanguageSection: Sendable {
    /// The site language; nil for a site in one language.
    public var language: SiteLanguage?
    /// Where the language's outputs go in each format's folder: `""` or `zh/`.
    public var prefix: String
    /// The language of the section's pages: the site language's tag, or for a site in one
    /// language the language most of its posts are in.
    public var lang: String
    /// The site's title in the language.
    public var title: String
    /// The language's posts, newest first.
    public var posts: [ListedPost]

    public init(language: SiteLanguage?, prefix: String, lang: String, title: String, posts: [ListedPost]) {
        self.language = language
        self.prefix = prefix
        self.lang = lang
        self.title = title
        self.posts = posts
    }
}

extension BuildContext {
    /// `posts` by site language, in the site's order (every language, even one with no posts
    /// yet); one section of every post for a site in one language.
    public func sections(of posts: [ListedPost]) -> [LanguageSection] {
        guard !languages.isEmpty else {
            return [LanguageSection(language: nil, prefix: "", lang: posts.mostCommonLanguage, title: siteTitle, posts: posts)]
        }
        let byLanguage = Dictionary(grouping: posts) { siteLanguage(of: $0.lang)?.tag ?? "" }
        return languages.map { language in
            LanguageSection(
                language: language, prefix: prefix(lang: language.tag), lang: language.tag,
                title: language.title ?? siteTitle, posts: byLanguage[language.tag] ?? [])
        }
    }

    /// The address of the site page `to` (relative to the site's root, like `zh/slug/`) as
    /// seen from the page `from`.
    public func relativeAddress(from: String, to: String) -> String {
        let here = from.split(separator: "/")
        var there = to.split(separator: "/", omittingEmptySubsequences: false)
        // `to` names a folder when it ends with `/`: its last, empty part stays.
        var shared = 0
        while shared < here.count, shared < there.count - 1, here[shared] == there[shared] { shared += 1 }
        there.removeFirst(shared)
        let address = String(repeating: "../", count: here.count - shared) + there.joined(separator: "/")
        return address.isEmpty ? "./" : address
    }
}
