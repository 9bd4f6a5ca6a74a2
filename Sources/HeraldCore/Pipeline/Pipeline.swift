// The pipeline every command runs: inputs -> posts (read and parsed once) -> checks -> transforms
// -> backends -> files and manifest. Commands differ only in how they configure it and what
// they do with what it gives back.

import Foundation
import Synchronization

/// Reads, parses, checks and transforms posts, and builds them through backends.
///
/// ``load(_:)`` is the one way a post is made from a file in Herald: `render`, `email`, `epub`,
/// `translate`, `check` and `build` all call it. ``build(_:into:)`` then renders every loaded
/// post through every backend, writes the outputs atomically and records them in
/// `manifest.json`. A post that fails at any stage is reported and left out; the others go on.
public struct Pipeline: Sendable {
    public var parser: any PostParser
    /// Run in order on every post, each over all posts before the next.
    public var transforms: [any Transform]
    /// Run on every parsed post, before the transforms: they see the post as its author wrote it.
    public var checks: [any PostCheck]
    public var backends: BackendRegistry
    public var context: BuildContext
    /// Whether posts marked `draft: true` are kept.
    public var includeDrafts: Bool

    public init(
        parser: any PostParser, transforms: [any Transform] = [], checks: [any PostCheck] = [],
        backends: BackendRegistry = BackendRegistry(), context: BuildContext = BuildContext(), includeDrafts: Bool = false
    ) {
        self.parser = parser
        self.transforms = transforms
        self.checks = checks
        self.backends = backends
        self.context = context
        self.includeDrafts = includeDrafts
    }

    /// Where a post comes from: a file, or bytes already read (standard input) with the name
    /// they are known by.
    public struct Input: Sendable {
        public var path: String
        public var bytes: [UInt8]?

        public init(path: String, bytes: [UInt8]? = nil) {
            self.path = path
            self.bytes = bytes
        }

        public static func file(_ path: String) -> Input { Input(path: path) }
    }

    /// What a run did.
    public struct Report: Sendable {
        /// The posts that came through, in the order of the inputs; for a build, the posts it read
        /// (not those unchanged since the last build), newest first.
        public var posts: [Post] = []
        public var manifest = Manifest()
        /// Every diagnostic of the run, each input's together, in the order of the inputs.
        public var diagnostics: [Diagnostic] = []
        /// Inputs that were left out because of an error.
        public var failedSources: [String] = []
        /// How many posts a build published: the ones it read and the unchanged ones it kept.
        public var published = 0
        /// What a build did to the files of its output folder.
        public var files = FileCounts()
        /// The last build's cache as this build read it, kept with the report rather than
        /// freed piece by piece as the build returns: a command that ends after the build lets
        /// it go with the rest of the process's memory.
        var lastCache: BuildCache?

        public var hasErrors: Bool { !failedSources.isEmpty || diagnostics.contains { $0.severity == .error } }
    }

    /// Reads and parses one input: the only place a post is made from a file.
    public func parse(_ input: Input) throws(DiagnosticError) -> Post {
        let bytes: [UInt8]
        if let given = input.bytes { bytes = given } else { bytes = try SourceFiles.read(input.path) }
        do {
            var post = try parser.parse(bytes, path: input.path)
            settleLanguage(of: &post)
            return post
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError(.error(.parseFailed, file: input.path, "\(error)"))
        }
    }

    /// Gives a post in a language's folder that language (unless its front matter names one),
    /// and gives every post its ``Post/translationKey``.
    func settleLanguage(of post: inout Post) {
        let path = SourcePaths.standardized(post.sourcePath)
        let home = context.languages.first { language in language.folder.map { path.hasPrefix($0 + "/") } ?? false }
        if post.metadata.lang == nil, let home { post.lang = home.tag }
        post.translationKey = Self.translationKey(of: post, folder: home?.folder)
    }

    /// What a post shares with its translations: the `translationKey` of its front matter;
    /// else, in a language's folder, its path in that folder (`2019/news` for
    /// `blog-cn/2019/news.md`, so that a post and its translation have the same name in two
    /// folders); else its path. A language suffix is left out of the name (`news.zh.md` is a
    /// translation of `news.md`).
    public static func translationKey(of post: Post, folder: String?) -> String {
        if case .string(let key)? = post.metadata.value(forExtraKey: "translationKey") ?? post.metadata.value(forExtraKey: "translation-key"),
            !key.isEmpty
        {
            return "key:" + key
        }
        let path = SourcePaths.standardized(post.sourcePath)
        var name = (path as NSString).deletingPathExtension
        let suffix = (name as NSString).pathExtension
        if !suffix.isEmpty, LanguageTags.canonical(suffix) != nil { name = (name as NSString).deletingPathExtension }
        if let folder { return "folder:" + name.dropFirst(folder.count + 1) }
        return "file:" + name
    }

    /// Reads, parses, checks and transforms `inputs`. Drafts are left out (with a note) unless
    /// ``includeDrafts``.
    public func load(_ inputs: [Input]) -> Report {
        let loaded = loadRecording(inputs, progress: nil)
        var report = Report()
        report.posts = loaded.posts.map(\.post)
        report.diagnostics = loaded.diagnostics.flatMap { $0 }
        report.failedSources = loaded.failed.sorted().map { inputs[$0].path }
        return report
    }

    /// What ``load(_:)`` makes, input by input.
    struct Loaded {
        /// The posts that came through, with the index of their input, in the order of the inputs.
        var posts: [(index: Int, post: Post)] = []
        /// Each input's diagnostics.
        var diagnostics: [[Diagnostic]]
        /// The inputs left out because of an error.
        var failed = Set<Int>()
        /// The files each input's post was made from so far (besides the source it was given).
        var recorders: [FileDependencies.Recorder]
    }

    /// ``load(_:)``, recording the files every post is made from.
    func loadRecording(_ inputs: [Input], progress: ProgressCounter?) -> Loaded {
        enum Slot: Sendable {
            case failed([Diagnostic])
            case draft([Diagnostic])
            case loaded(Post, findings: [Diagnostic])
        }
        let recorders = inputs.map { _ in FileDependencies.Recorder() }
        // Read, parse and check, on every core.
        let slots = Array(inputs.indices).concurrentMap { index -> Slot in
            defer { progress?.step() }
            return FileDependencies.recording(into: recorders[index]) {
                let post: Post
                do throws(DiagnosticError) {
                    post = try parse(inputs[index])
                } catch {
                    return .failed(error.diagnostics)
                }
                if post.metadata.draft && !includeDrafts {
                    return .draft(post.diagnostics + [.note(.draftSkipped, file: post.sourcePath, "draft left out (use --drafts to include it)")])
                }
                return .loaded(post, findings: checks.flatMap { $0.check(post) })
            }
        }
        // A post's own diagnostics travel with it through the transforms, which may add to them
        // or take back what no longer holds; the checks' findings wait here.
        var loaded = Loaded(diagnostics: [[Diagnostic]](repeating: [], count: inputs.count), recorders: recorders)
        var findings = [[Diagnostic]](repeating: [], count: inputs.count)
        var posts: [(index: Int, post: Post)] = []
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .failed(let diagnostics):
                loaded.diagnostics[index] = diagnostics
                loaded.failed.insert(index)
            case .draft(let diagnostics):
                loaded.diagnostics[index] = diagnostics
            case .loaded(let post, findings: let checked):
                findings[index] = checked
                posts.append((index, post))
            }
        }
        // Each transform over every post, then the next; each sees the others by their paths.
        let outside = OutsidePosts(pipeline: self)
        let keys = transforms.isEmpty ? [] : inputs.concurrentMap { SourcePaths.standardized($0.path) }
        for (step, transform) in transforms.enumerated() {
            let byPath = Dictionary(posts.map { (keys[$0.index], $0.post) }, uniquingKeysWith: { first, _ in first })
            let context = TransformContext(build: context, parser: parser) { path in byPath[path] ?? outside.post(at: path, step: step) }
            let results = posts.concurrentMap { entry in
                FileDependencies.recording(into: recorders[entry.index]) {
                    Result { () throws(DiagnosticError) -> Post in try apply(transform, to: entry.post, context: context) }
                }
            }
            var kept: [(index: Int, post: Post)] = []
            for (entry, result) in zip(posts, results) {
                switch result {
                case .success(let post):
                    kept.append((entry.index, post))
                case .failure(let error):
                    loaded.diagnostics[entry.index] = entry.post.diagnostics + findings[entry.index] + error.diagnostics
                    loaded.failed.insert(entry.index)
                }
            }
            posts = kept
        }
        for (index, post) in posts { loaded.diagnostics[index] = post.diagnostics + findings[index] }
        loaded.posts = posts
        return loaded
    }

    /// `post` after `transform`, or the diagnostics explaining why it cannot go on.
    func apply(_ transform: any Transform, to post: Post, context: TransformContext) throws(DiagnosticError) -> Post {
        var post = post
        do {
            try transform.apply(to: &post, context: context)
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError(.error(.transformFailed, file: post.sourcePath, "\(transform.name): \(error)"))
        }
        return post
    }

    /// A digest of everything besides the posts that the outputs depend on: the parser, the
    /// checks, the transforms and the backends with their settings, the site, whether drafts
    /// are built. Builds with the same fingerprint can share a cache.
    public var fingerprint: String {
        var text = "parser: \(parser.fingerprint)\ndrafts: \(includeDrafts)\n"
        text += "site: \(context.baseURL ?? "-") \(context.siteTitle)\n"
        text += "layout: \(context.languages.map { "\($0.tag) \($0.name) \($0.title ?? "-") \($0.folder ?? "-")" }) \(context.paginate)\n"
        for check in checks { text += "check: \(check.fingerprint)\n" }
        for transform in transforms { text += "transform: \(transform.fingerprint)\n" }
        for backend in backends.backends { text += "backend: \(backend.fingerprint)\n" }
        return sha256Hex(Array(text.utf8))
    }

    /// The Markdown files named by `inputs`: files as given, folders searched recursively for
    /// `*.md` (hidden entries skipped), in a stable order.
    public static func collectSources(_ inputs: [String]) -> (sources: [String], diagnostics: [Diagnostic]) {
        var sources: [String] = []
        var diagnostics: [Diagnostic] = []
        let fileManager = FileManager.default
        for input in inputs {
            var isFolder: ObjCBool = false
            guard fileManager.fileExists(atPath: input, isDirectory: &isFolder) else {
                diagnostics.append(.error(.readFailed, file: input, "cannot read: " + FileError.reason(errno: ENOENT)))
                continue
            }
            guard isFolder.boolValue else {
                sources.append(input)
                continue
            }
            var found: [String] = []
            var pending = [input]
            while let folder = pending.popLast() {
                let entries: [(name: String, isFolder: Bool)]
                do {
                    entries = try Self.entries(ofFolder: folder)
                } catch {
                    diagnostics.append(.error(.readFailed, file: folder, "cannot read: " + FileError.reason(errno: error.code)))
                    continue
                }
                for (name, isFolder) in entries where !name.hasPrefix(".") {
                    let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                    if isFolder {
                        pending.append(path)
                    } else if name.lowercased().hasSuffix(".md") || name.lowercased().hasSuffix(".markdown") {
                        found.append(path)
                    }
                }
            }
            sources += found.sorted()
        }
        return (sources, diagnostics)
    }
}

extension Pipeline {
    struct FolderError: Error {
        var code: Int32
    }

    /// The entries of `folder` (not `.` and `..`), and whether each is a folder, following
    /// symbolic links; an entry that leads nowhere is left out. The kind comes with the listing
    /// where the file system gives it: an archive's folder of posts is read without a `stat`
    /// of each.
    static func entries(ofFolder folder: String) throws(FolderError) -> [(name: String, isFolder: Bool)] {
        guard let stream = opendir(folder) else { throw FolderError(code: errno) }
        defer { closedir(stream) }
        var entries: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): entries.append((name, true))
            case Int32(DT_REG): entries.append((name, false))
            default:
                // A link, or a file system that does not say: asked, following links.
                var info = stat()
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                guard stat(path, &info) == 0 else { continue }
                entries.append((name, (info.st_mode & S_IFMT) == S_IFDIR))
            }
        }
        return entries
    }
}

/// A check run on every parsed post (``Pipeline/checks``): `herald check`'s rules, which
/// `herald build` runs on the posts it has parsed.
public protocol PostCheck: Sendable {
    /// The findings for `post`, as its author wrote it (before any transform).
    func check(_ post: Post) -> [Diagnostic]

    /// The check's settings as text, for the build cache (see ``Backend/fingerprint``).
    var fingerprint: String { get }
}

extension PostCheck {
    public var fingerprint: String { String(reflecting: self) }
}

/// Posts a transform asks about that are not among the run's: read from disk through the same
/// parser and the transforms before the asking one, once each. The transforms they go through
/// see other posts the same way, as the transforms before each one left them.
final class OutsidePosts: Sendable {
    let pipeline: Pipeline
    /// By the number of transforms applied, then by standardized path.
    private let cache = Mutex<[Int: [String: Post?]]>([:])

    init(pipeline: Pipeline) {
        self.pipeline = pipeline
    }

    /// The post at `path` after the first `step` transforms.
    func post(at path: String, step: Int) -> Post? {
        if let known = cache.withLock({ $0[step]?[path] }) { return known }
        var post = try? pipeline.parse(.file(path))
        // A draft left out of the run has no page to point at.
        if post?.metadata.draft == true && !pipeline.includeDrafts { post = nil }
        if var loaded = post {
            // Earlier transforms only: what a later one sees of a post must not depend on itself.
            for (index, transform) in pipeline.transforms.prefix(step).enumerated() {
                let context = TransformContext(build: pipeline.context, parser: pipeline.parser) { other in
                    self.post(at: other, step: index)
                }
                guard let next = try? pipeline.apply(transform, to: loaded, context: context) else {
                    post = nil
                    break
                }
                loaded = next
                post = loaded
            }
        }
        cache.withLock { $0[step, default: [:]][path] = post }
        return post
    }
}
