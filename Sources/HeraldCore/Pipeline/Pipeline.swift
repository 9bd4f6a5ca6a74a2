// The pipeline every command runs: inputs -> posts (read and parsed once) -> checks -> transforms
// -> backends -> files and manifest. Commands differ only in how they configure it and what
// they do with what it gives back.

public import Foundation
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
        /// The posts that came through, in the order of the inputs (``build(_:into:)``: newest first).
        public var posts: [Post] = []
        public var manifest = Manifest()
        /// Every diagnostic of the run, each input's together, in the order of the inputs.
        public var diagnostics: [Diagnostic] = []
        /// Inputs that were left out because of an error.
        public var failedSources: [String] = []

        public var hasErrors: Bool { !failedSources.isEmpty || diagnostics.contains { $0.severity == .error } }
    }

    /// Reads and parses one input: the only place a post is made from a file.
    public func parse(_ input: Input) throws(DiagnosticError) -> Post {
        let bytes: [UInt8]
        if let given = input.bytes { bytes = given } else { bytes = try SourceFiles.read(input.path) }
        do {
            return try parser.parse(bytes, path: input.path)
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError(.error(.parseFailed, file: input.path, "\(error)"))
        }
    }

    /// Reads, parses, checks and transforms `inputs`. Drafts are left out (with a note) unless
    /// ``includeDrafts``.
    public func load(_ inputs: [Input]) -> Report {
        enum Slot: Sendable {
            case failed([Diagnostic])
            case draft([Diagnostic])
            case loaded(Post, findings: [Diagnostic])
        }
        // Read, parse and check, on every core.
        let slots = inputs.concurrentMap { input -> Slot in
            let post: Post
            do throws(DiagnosticError) {
                post = try parse(input)
            } catch {
                return .failed(error.diagnostics)
            }
            if post.metadata.draft && !includeDrafts {
                return .draft(post.diagnostics + [.note(.draftSkipped, file: post.sourcePath, "draft left out (use --drafts to include it)")])
            }
            return .loaded(post, findings: checks.flatMap { $0.check(post) })
        }
        // A post's own diagnostics travel with it through the transforms, which may add to them
        // or take back what no longer holds; the checks' findings wait here.
        var perInput = [[Diagnostic]](repeating: [], count: inputs.count)
        var findings = [[Diagnostic]](repeating: [], count: inputs.count)
        var failed = Set<Int>()
        var posts: [(index: Int, post: Post)] = []
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .failed(let diagnostics):
                perInput[index] = diagnostics
                failed.insert(index)
            case .draft(let diagnostics):
                perInput[index] = diagnostics
            case .loaded(let post, findings: let checked):
                findings[index] = checked
                posts.append((index, post))
            }
        }
        // Each transform over every post, then the next; each sees the others by their paths.
        let keys = transforms.isEmpty ? [] : inputs.map { SourcePaths.standardized($0.path) }
        for (step, transform) in transforms.enumerated() {
            let byPath = Dictionary(posts.map { (keys[$0.index], $0.post) }, uniquingKeysWith: { first, _ in first })
            let outside = OutsidePosts(pipeline: self, step: step)
            let context = TransformContext(build: context, parser: parser) { path in byPath[path] ?? outside.post(at: path) }
            let results = posts.concurrentMap { entry in
                Result { () throws(DiagnosticError) -> Post in try apply(transform, to: entry.post, context: context) }
            }
            var kept: [(index: Int, post: Post)] = []
            for (entry, result) in zip(posts, results) {
                switch result {
                case .success(let post):
                    kept.append((entry.index, post))
                case .failure(let error):
                    perInput[entry.index] = entry.post.diagnostics + findings[entry.index] + error.diagnostics
                    failed.insert(entry.index)
                }
            }
            posts = kept
        }
        for (index, post) in posts { perInput[index] = post.diagnostics + findings[index] }
        var report = Report()
        report.posts = posts.map(\.post)
        report.diagnostics = perInput.flatMap { $0 }
        report.failedSources = failed.sorted().map { inputs[$0].path }
        return report
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

    /// Builds `inputs` into `outputFolder`: every loaded post through every backend, then the
    /// outputs made from all posts (indexes, feeds), and `manifest.json` listing them all.
    public func build(_ inputs: [Input], into outputFolder: URL) -> Report {
        var report = load(inputs)
        // Backends render documents: the text each post was read from (for checks and stubs) is
        // let go before the outputs are made.
        for index in report.posts.indices { report.posts[index].source = nil }
        // Slugs name output files: two posts may not share one.
        var slugOwners: [String: String] = [:]
        report.posts = report.posts.filter { post in
            let key = post.slug.lowercased()
            if let owner = slugOwners[key] {
                report.diagnostics.append(.error(.duplicateSlug, file: post.sourcePath, "slug '\(post.slug)' is already used by \(owner)"))
                report.failedSources.append(post.sourcePath)
                return false
            }
            slugOwners[key] = post.sourcePath
            return true
        }
        report.posts.sort { lhs, rhs in
            let (l, r) = (lhs.metadata.date?.instant ?? .distantPast, rhs.metadata.date?.instant ?? .distantPast)
            return l != r ? l > r : lhs.slug < rhs.slug
        }

        let writer = OutputWriter(root: outputFolder)
        var entries: [ManifestEntry] = []
        func write(_ outputs: [Output], source: String?) -> Bool {
            for output in outputs {
                report.diagnostics += output.diagnostics
                do {
                    entries.append(try writer.write(output))
                } catch {
                    report.diagnostics.append(.error(
                        .writeFailed, file: writer.root.appendingPathComponent(output.path).path,
                        "cannot write: \(FileError.reason(of: error))"))
                    return false
                }
            }
            return true
        }

        // Per-post outputs, rendered in parallel, written in order.
        let posts = report.posts
        let rendered = posts.concurrentMap { post in
            backends.backends.map { backend in (backend.format, Result { try backend.render(post, context: context) }) }
        }
        var built: [Post] = []
        for (index, results) in rendered.enumerated() {
            let post = posts[index]
            var ok = true
            for (format, result) in results {
                switch result {
                case .success(let outputs):
                    ok = write(outputs, source: post.sourcePath) && ok
                case .failure(let error as DiagnosticError):
                    report.diagnostics += error.diagnostics
                    ok = false
                case .failure(let error):
                    report.diagnostics.append(.error(.renderFailed, file: post.sourcePath, "\(format): \(error)"))
                    ok = false
                }
            }
            if ok { built.append(post) } else { report.failedSources.append(post.sourcePath) }
        }

        // Outputs made from all posts.
        for backend in backends.backends {
            do {
                _ = write(try backend.renderCollection(built, context: context), source: nil)
            } catch let error as DiagnosticError {
                report.diagnostics += error.diagnostics
            } catch {
                report.diagnostics.append(.error(.renderFailed, file: outputFolder.path, "\(backend.format): \(error)"))
            }
        }

        report.manifest = Manifest(outputs: entries)
        do {
            try OutputWriter.writeFile(try report.manifest.encoded(), to: writer.root.appendingPathComponent("manifest.json").path)
        } catch let error as DiagnosticError {
            report.diagnostics += error.diagnostics
        } catch {
            report.diagnostics.append(.error(.writeFailed, file: writer.root.appendingPathComponent("manifest.json").path, "cannot encode the manifest: \(error)"))
        }
        report.posts = built
        return report
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
                let names: [String]
                do {
                    names = try fileManager.contentsOfDirectory(atPath: folder)
                } catch {
                    diagnostics.append(.error(.readFailed, file: folder, "cannot read: \(FileError.reason(of: error))"))
                    continue
                }
                for name in names where !name.hasPrefix(".") {
                    let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                    var childIsFolder: ObjCBool = false
                    guard fileManager.fileExists(atPath: path, isDirectory: &childIsFolder) else { continue }
                    if childIsFolder.boolValue {
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

/// A check run on every parsed post (``Pipeline/checks``): `herald check`'s rules, which
/// `herald build` runs on the posts it has parsed.
public protocol PostCheck: Sendable {
    /// The findings for `post`, as its author wrote it (before any transform).
    func check(_ post: Post) -> [Diagnostic]
}

/// Posts a transform asks about that are not among the run's: read from disk through the same
/// parser and the transforms before the asking one, once each.
private final class OutsidePosts: Sendable {
    let pipeline: Pipeline
    let step: Int
    private let cache = Mutex<[String: Post?]>([:])

    init(pipeline: Pipeline, step: Int) {
        self.pipeline = pipeline
        self.step = step
    }

    func post(at path: String) -> Post? {
        if let known = cache.withLock({ $0[path] }) { return known }
        var post = try? pipeline.parse(.file(path))
        // A draft left out of the run has no page to point at.
        if post?.metadata.draft == true && !pipeline.includeDrafts { post = nil }
        if var loaded = post {
            // Earlier transforms only: what a later one sees of a post must not depend on itself.
            let context = TransformContext(build: pipeline.context, parser: pipeline.parser)
            for transform in pipeline.transforms.prefix(step) {
                guard let next = try? pipeline.apply(transform, to: loaded, context: context) else {
                    post = nil
                    break
                }
                loaded = next
                post = loaded
            }
        }
        cache.withLock { $0[path] = post }
        return post
    }
}
