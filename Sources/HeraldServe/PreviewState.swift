// What `herald serve` knows of the site it serves: which build the files are from, the
// problems that build found, and where each post's page, email and findings are.

public import HeraldCore
import Synchronization

/// One post of the served site, as the last build left it.
public struct PreviewPost: Sendable, Equatable {
    /// The post's address without slashes: `hello`, or `zh/hello` in another language.
    public var key: String
    public var source: String
    public var lang: String?
    /// The page's path under the site folder (`hello/index.html`), when HTML is built.
    public var page: String?
    /// The plain-text email's path under the output folder (`email/hello.txt`), when built.
    public var email: String?
    /// What the build's checks said of the post, in the compiler form.
    public var findings: [String]

    public init(key: String, source: String, lang: String?, page: String?, email: String?, findings: [String]) {
        self.key = key
        self.source = source
        self.lang = lang
        self.page = page
        self.email = email
        self.findings = findings
    }
}

/// The state of the served site after one build.
public struct PreviewSnapshot: Sendable, Equatable {
    /// Counts the builds: open pages reload when it changes.
    public var generation = 0
    /// Errors of the last build (a post that failed, settings that could not be read), each a line.
    public var errors: [String] = []
    public var posts: [PreviewPost] = []

    public init(generation: Int = 0, errors: [String] = [], posts: [PreviewPost] = []) {
        self.generation = generation
        self.errors = errors
        self.posts = posts
    }

    /// The posts of a build, found from its manifest; `findings` are its diagnostics.
    public static func posts(of manifest: Manifest, diagnostics: [Diagnostic]) -> [PreviewPost] {
        var posts: [String: PreviewPost] = [:]
        var order: [String] = []
        for entry in manifest.outputs {
            guard let source = entry.source else { continue }
            let page = entry.path.hasPrefix("site/") && entry.path.hasSuffix("/index.html") ? String(entry.path.dropFirst(5)) : nil
            let email = entry.path.hasPrefix("email/") && entry.path.hasSuffix(".txt") ? entry.path : nil
            guard let key = page.map({ String($0.dropLast("/index.html".count)) })
                ?? email.map({ String($0.dropFirst("email/".count).dropLast(".txt".count)) }) else { continue }
            if posts[key] == nil {
                order.append(key)
                let findings = diagnostics.filter { $0.file == source }.map(\.description)
                posts[key] = PreviewPost(key: key, source: source, lang: entry.lang, page: nil, email: nil, findings: findings)
            }
            if let page { posts[key]?.page = page }
            if let email { posts[key]?.email = email }
        }
        return order.compactMap { posts[$0] }
    }
}

/// The served site's state, shared by the thread that builds and the server's tasks.
public final class PreviewState: Sendable {
    private let current = Mutex(PreviewSnapshot())

    public init() {}

    public var snapshot: PreviewSnapshot { current.withLock { $0 } }

    /// Records a finished build; open pages reload.
    public func finishBuild(errors: [String], posts: [PreviewPost]) {
        current.withLock { state in
            state.generation += 1
            state.errors = errors
            state.posts = posts
        }
    }
}
