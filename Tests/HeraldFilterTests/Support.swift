// Helpers for the filter tests: repository paths, the posts to try, and python3.

import Foundation
import HeraldCore
import HeraldMarkdown

enum Paths {
    /// The repository's root folder.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = repository.appendingPathComponent("examples")
    static let schema = repository.appendingPathComponent("docs/filters/document.schema.json")
    /// `../shared` beside the repository: present in CI, absent in a user's fresh clone.
    static let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("tikv-blog").path) }

    /// The Markdown posts directly in examples/.
    static let examplePosts: [String] = markdownFiles(under: examples, recursive: false)
    /// Every Markdown post of the corpus; none without it.
    static let corpusPosts: [String] = hasCorpus ? markdownFiles(under: corpus, recursive: true) : []

    private static func markdownFiles(under folder: URL, recursive: Bool) -> [String] {
        let manager = FileManager.default
        let names = (recursive ? manager.subpaths(atPath: folder.path) : try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().map { folder.appendingPathComponent($0).path }
    }
}

/// Parses the post at `path` as the pipeline does.
func parsePost(_ path: String) throws -> Post {
    try MarkdownParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))), path: path)
}

/// The JSON a filter is given for `post`.
func filterInput(_ post: Post) -> String {
    post.document.jsonString(extra: [("slug", post.slug), ("lang", post.lang), ("source_path", post.sourcePath)])
}

func temporaryFolder(_ name: String = "herald-filter") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

enum Python {
    static let path = "/usr/bin/python3"
    static var present: Bool { FileManager.default.isExecutableFile(atPath: path) }
    /// Whether python3 can validate JSON Schema (`make setup` installs python3-jsonschema).
    static let hasJSONSchema: Bool = present && ((try? run(["-c", "import jsonschema"]))?.status == 0)

    /// Runs python3 with `arguments`; returns its status and its standard output and error.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Runs `body` on a thread of its own and waits for it without holding a thread of Swift's
/// cooperative pool, on which Swift Testing runs tests: running a filter or sendmail blocks its
/// thread, and the child-process machinery needs a thread of that pool. The test goes on when
/// the pool has a thread for it, so time what `body` does within `body`.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result(catching: body)) }.start()
    }
}
