// The pipeline: sources -> posts (parser) -> transforms -> backends -> files and manifest.

public import Foundation

/// Runs a build: parses every source, applies the transforms, renders through every backend,
/// writes the outputs atomically and records them in `manifest.json`. A post that fails is
/// reported and skipped; the others are still built.
public struct Pipeline: Sendable {
    public var parser: any PostParser
    public var transforms: [any Transform]
    public var backends: BackendRegistry
    public var context: BuildContext
    /// Whether posts marked `draft: true` are built.
    public var includeDrafts: Bool

    public init(
        parser: any PostParser, transforms: [any Transform] = [], backends: BackendRegistry,
        context: BuildContext = BuildContext(), includeDrafts: Bool = false
    ) {
        self.parser = parser
        self.transforms = transforms
        self.backends = backends
        self.context = context
        self.includeDrafts = includeDrafts
    }

    /// What a build did.
    public struct Report: Sendable {
        public var posts: [Post] = []
        public var manifest = Manifest()
        public var diagnostics: [Diagnostic] = []
        /// Sources that produced no output because of an error.
        public var failedSources: [String] = []

        public var hasErrors: Bool { !failedSources.isEmpty || diagnostics.contains { $0.severity == .error } }
    }

    /// Parses one source file and runs the transforms on it.
    public func load(path: String) throws -> Post {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DiagnosticError(.error("read-failed", file: path, "cannot read file: \(error.localizedDescription)"))
        }
        var post = try parser.parse([UInt8](data), path: path)
        for transform in transforms {
            do {
                try transform.apply(to: &post)
            } catch let error as DiagnosticError {
                throw error
            } catch {
                throw DiagnosticError(.error("transform-failed", file: path, "\(transform.name): \(error)"))
            }
        }
        return post
    }

    /// Builds `sources` (post files) into `outputFolder`.
    public func build(sources: [String], into outputFolder: URL) -> Report {
        var report = Report()
        let slots = sources.concurrentMap { source -> Result<Post, DiagnosticError> in
            do {
                return .success(try load(path: source))
            } catch let error as DiagnosticError {
                return .failure(error)
            } catch {
                return .failure(DiagnosticError(.error("parse-failed", file: source, "\(error)")))
            }
        }

        // Collect posts in source order; reject drafts and slug clashes.
        var slugOwners: [String: String] = [:]
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .failure(let error):
                report.diagnostics += error.diagnostics
                report.failedSources.append(sources[index])
            case .success(let post):
                report.diagnostics += post.diagnostics
                if post.metadata.draft && !includeDrafts {
                    report.diagnostics.append(.note("draft-skipped", file: post.sourcePath, "draft not built (use --drafts to include it)"))
                    continue
                }
                let key = post.slug.lowercased()
                if let owner = slugOwners[key] {
                    report.diagnostics.append(.error("duplicate-slug", file: post.sourcePath, "slug '\(post.slug)' is already used by \(owner)"))
                    report.failedSources.append(post.sourcePath)
                    continue
                }
                slugOwners[key] = post.sourcePath
                report.posts.append(post)
            }
        }
        report.posts.sort { lhs, rhs in
            let (l, r) = (lhs.metadata.date?.instant ?? .distantPast, rhs.metadata.date?.instant ?? .distantPast)
            return l != r ? l > r : lhs.slug < rhs.slug
        }
        // Links to other posts' files point at their pages from here on.
        let postLinks = PostLinks(report.posts)
        report.posts = report.posts.map { postLinks.rewritingLinks(in: $0) }

        let writer = OutputWriter(root: outputFolder)
        var entries: [ManifestEntry] = []
        func write(_ outputs: [Output], source: String?) -> Bool {
            for output in outputs {
                report.diagnostics += output.diagnostics
                do {
                    entries.append(try writer.write(output))
                } catch {
                    report.diagnostics.append(.error("write-failed", file: source ?? output.path, "cannot write \(output.path): \(error)"))
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
                    report.diagnostics.append(.error("render-failed", file: post.sourcePath, "\(format): \(error)"))
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
                report.diagnostics.append(.error("render-failed", file: outputFolder.path, "\(backend.format): \(error)"))
            }
        }

        report.manifest = Manifest(outputs: entries)
        do {
            try OutputWriter.writeAtomically(try report.manifest.encoded(), to: writer.root.appendingPathComponent("manifest.json"))
        } catch {
            report.diagnostics.append(.error("write-failed", file: "manifest.json", "cannot write manifest: \(error)"))
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
                diagnostics.append(.error("input-missing", file: input, "no such file or folder"))
                continue
            }
            guard isFolder.boolValue else {
                sources.append(input)
                continue
            }
            var found: [String] = []
            var pending = [input]
            while let folder = pending.popLast() {
                guard let names = try? fileManager.contentsOfDirectory(atPath: folder) else {
                    diagnostics.append(.error("read-failed", file: folder, "cannot list folder"))
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
