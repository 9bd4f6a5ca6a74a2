// The pipeline on its own: a parser, a transform and a backend written here, so what is tested
// is the pipeline's order of stages, its reports and its files, not any real format.

import Foundation
import HeraldCore
import Synchronization
import Testing

/// A post per file: its first line is the title, the rest its text.
private struct LineParser: PostParser {
    func parse(_ bytes: [UInt8], path: String) throws -> Post {
        let text = String(decoding: bytes, as: UTF8.self)
        guard !text.isEmpty else { throw DiagnosticError(.error(.emptyFile, file: path, "empty")) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var document = Document(metadata: PostMetadata())
        document.metadata.title = String(lines[0])
        let paragraph = document.append(.paragraph, to: document.root)
        _ = document.append(.text(lines.dropFirst().joined(separator: "\n")), to: paragraph)
        let slug = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return Post(sourcePath: path, document: document, slug: slug, lang: "en", source: SourceText(text, path: path))
    }
}

/// Upper-cases titles, refuses posts titled "refuse", and records what it saw of the others.
private struct Shout: Transform {
    let name = "shout"
    func apply(to post: inout Post, context: TransformContext) throws {
        if post.metadata.title == "refuse" { throw DiagnosticError(.error("refused", file: post.sourcePath, "no")) }
        post.document.metadata.title = post.metadata.title?.uppercased()
        post.diagnostics.append(.note("shouted", file: post.sourcePath, "shouted"))
    }
}

/// Appends to each post's text the title of the post named `other.txt` beside it, as the
/// transforms before this one left it.
private struct Neighbour: Transform {
    let name = "neighbour"
    func apply(to post: inout Post, context: TransformContext) throws {
        let folder = URL(fileURLWithPath: post.sourcePath).deletingLastPathComponent()
        let other = context.post(at: folder.appendingPathComponent("other.txt").path)
        post.document.metadata.summary = other?.metadata.title ?? "none"
    }
}

/// `<slug>.txt` holding the title and summary, and `all.txt` listing every slug.
private struct Listing: Backend {
    let format = "listing"
    func render(_ post: Post, context: BuildContext) throws -> [Output] {
        [Output(path: "\(post.slug).txt", text: "\(post.displayTitle)|\(post.metadata.summary ?? "")\n", format: format, source: post.sourcePath)]
    }
    func renderCollection(_ posts: [ListedPost], context: BuildContext) throws -> [Output] {
        [Output(path: "all.txt", text: posts.map(\.slug).joined(separator: ",") + "\n", format: format)]
    }
}

/// Counts the words of each post as its author wrote it.
private struct WordCheck: PostCheck {
    func check(_ post: Post) -> [Diagnostic] {
        [.note("words", file: post.sourcePath, "title \(post.metadata.title ?? "")")]
    }
}

/// A post of one text node per line: a file of many lines makes a long post.
private struct NodePerLineParser: PostParser {
    func parse(_ bytes: [UInt8], path: String) throws -> Post {
        let text = String(decoding: bytes, as: UTF8.self)
        var document = Document(metadata: PostMetadata())
        let paragraph = document.append(.paragraph, to: document.root)
        for line in text.split(separator: "\n") { _ = document.append(.text(String(line)), to: paragraph) }
        let slug = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return Post(sourcePath: path, document: document, slug: slug, lang: "en", source: SourceText(text, path: path))
    }
}

/// How many renderings of long posts run at once, and the most there ever were.
private final class Overlaps: Sendable {
    let counts = Mutex((now: 0, most: 0))
}

/// Writes `<slug>.<format>`; while it renders a post of more than 50,000 nodes, it counts
/// itself in `overlaps` and takes 20 ms.
private struct Timed: Backend {
    let format: String
    let overlaps: Overlaps
    func render(_ post: Post, context: BuildContext) throws -> [Output] {
        if post.document.nodes.count > 50_000 {
            overlaps.counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            usleep(20_000)
            overlaps.counts.withLock { $0.now -= 1 }
        }
        return [Output(path: "\(post.slug).\(format)", text: "\(post.document.nodes.count)\n", format: format, source: post.sourcePath)]
    }
    func renderCollection(_ posts: [ListedPost], context: BuildContext) throws -> [Output] {
        [Output(path: "all.\(format)", text: posts.map(\.slug).sorted().joined(separator: ",") + "\n", format: format)]
    }
}

/// A listing of many pages, written on every core; one of them goes under `blocked/`.
private struct PagedListing: Backend {
    let format = "paged"
    func render(_ post: Post, context: BuildContext) throws -> [Output] { [] }
    func renderListing(_ posts: [ListedPost], context: BuildContext) throws -> [Output] {
        (0..<12).map { Output(path: "page-\($0).txt", text: "\($0)\n", format: format) }
            + [Output(path: "blocked/page.txt", text: "x\n", format: format)]
            + (12..<20).map { Output(path: "page-\($0).txt", text: "\($0)\n", format: format) }
    }
}

@Suite struct PipelineTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("herald-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func transformsRunInOrderAndBackendsWriteWhatTheyMade() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("first\nhello".utf8).write(to: root.appendingPathComponent("a.txt"))
        try Data("second\nworld".utf8).write(to: root.appendingPathComponent("b.txt"))
        try Data("refuse\nno".utf8).write(to: root.appendingPathComponent("c.txt"))
        try Data("outside\n".utf8).write(to: root.appendingPathComponent("other.txt"))
        let pipeline = Pipeline(
            parser: LineParser(), transforms: [Shout(), Neighbour()], checks: [WordCheck()],
            backends: BackendRegistry([Listing()]))
        let out = root.appendingPathComponent("out")
        let report = pipeline.build(["a.txt", "b.txt", "c.txt", "missing.txt"].map { .file(root.appendingPathComponent($0).path) }, into: out)

        // The transform ran, and the one after it saw the post outside the run as the first left it.
        #expect(try String(contentsOf: out.appendingPathComponent("a.txt"), encoding: .utf8) == "FIRST|OUTSIDE\n")
        #expect(try String(contentsOf: out.appendingPathComponent("b.txt"), encoding: .utf8) == "SECOND|OUTSIDE\n")
        #expect(try String(contentsOf: out.appendingPathComponent("all.txt"), encoding: .utf8) == "a,b\n")
        #expect(report.posts.map(\.slug).sorted() == ["a", "b"])
        // The refused post and the missing file are reported and left out; the others built.
        #expect(Set(report.failedSources.map { URL(fileURLWithPath: $0).lastPathComponent }) == ["c.txt", "missing.txt"])
        #expect(report.diagnostics.contains { $0.id == "refused" })
        #expect(report.diagnostics.contains { $0.id == .readFailed && $0.message == "cannot read: no such file or directory" })
        // The check saw the posts as written, before the transforms.
        #expect(report.diagnostics.contains { $0.id == "words" && $0.message == "title first" })
        #expect(report.diagnostics.filter { $0.id == "shouted" }.count == 2)
        // The manifest lists exactly what was written.
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        #expect(manifest.outputs.map(\.path).sorted() == ["a.txt", "all.txt", "b.txt"])
    }

    @Test func loadingIsTheSameWithoutBackends() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let pipeline = Pipeline(parser: LineParser(), transforms: [Shout()])
        let report = pipeline.load([Pipeline.Input(path: root.appendingPathComponent("x.txt").path, bytes: Array("given\ntext".utf8))])
        #expect(report.posts.map(\.displayTitle) == ["GIVEN"])
        #expect(report.posts.first?.diagnostics.map(\.id) == ["shouted"])
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("x.txt").path))
    }

    @Test func aFileThatCannotBeWrittenIsReportedInPlainWords() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("a\nb".utf8).write(to: root.appendingPathComponent("a.txt"))
        // The output folder is a file: nothing can be written under it, whoever runs the test.
        let blocked = root.appendingPathComponent("out")
        try Data().write(to: blocked)
        let report = Pipeline(parser: LineParser(), backends: BackendRegistry([Listing()]))
            .build([.file(root.appendingPathComponent("a.txt").path)], into: blocked)
        let failure = try #require(report.diagnostics.first { $0.id == .writeFailed })
        #expect(failure.message == "cannot write: a file is where a folder is needed", "\(failure)")
        #expect(!failure.description.contains("Domain"))
    }

    /// A listing's many pages are written on every core: one that cannot be written is an
    /// error, and every other page is written and in the manifest, those after it too.
    @Test func aListingPageThatCannotBeWrittenStopsNoOther() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("a\nb".utf8).write(to: root.appendingPathComponent("a.txt"))
        let out = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // A file where the page's folder should be.
        try Data().write(to: out.appendingPathComponent("blocked"))
        let report = Pipeline(parser: LineParser(), backends: BackendRegistry([PagedListing()]))
            .build([.file(root.appendingPathComponent("a.txt").path)], into: out)
        let failures = report.diagnostics.filter { $0.id == .writeFailed }
        #expect(failures.count == 1 && failures[0].file?.hasSuffix("blocked/page.txt") == true, "\(report.diagnostics)")
        let pages = (0..<20).map { "page-\($0).txt" }
        for page in pages {
            #expect(try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8) == page.dropFirst(5).dropLast(4) + "\n")
        }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        #expect(manifest.outputs.map(\.path).sorted() == pages.sorted())
    }

    /// A long post's outputs are rendered one at a time (their memory would add up), while
    /// the short posts' go on beside them; every output is still written.
    @Test func aLongPostsOutputsAreRenderedOneAtATime() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let long = (0..<60_000).map { "line \($0)" }.joined(separator: "\n")
        for name in ["long-a", "long-b"] { try Data(long.utf8).write(to: root.appendingPathComponent("\(name).txt")) }
        for number in 0..<6 { try Data("short \(number)".utf8).write(to: root.appendingPathComponent("short-\(number).txt")) }
        let overlaps = Overlaps()
        let backends = BackendRegistry(["one", "two", "three"].map { Timed(format: $0, overlaps: overlaps) })
        let inputs = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().map { Pipeline.Input.file(root.appendingPathComponent($0).path) }
        let out = root.appendingPathComponent("out")
        let report = Pipeline(parser: NodePerLineParser(), backends: backends).build(inputs, into: out)
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty, "\(report.diagnostics)")
        #expect(overlaps.counts.withLock { $0.most } == 1)
        for format in ["one", "two", "three"] {
            #expect(try String(contentsOf: out.appendingPathComponent("long-a.\(format)"), encoding: .utf8) == "60002\n")
            #expect(try String(contentsOf: out.appendingPathComponent("short-5.\(format)"), encoding: .utf8) == "3\n")
            #expect(try String(contentsOf: out.appendingPathComponent("all.\(format)"), encoding: .utf8).hasPrefix("long-a,long-b,short-0"))
        }
    }

    @Test(arguments: [false, true])
    func concurrentMapKeepsTheOrderAndRunsTheChosenInTurn(spreading: Bool) {
        let after = Mutex(0)
        let running = Mutex((now: 0, most: 0))
        let results = Array(0..<40).concurrentMap(inTurn: { $0 % 4 == 0 }, after: { after.withLock { $0 += 1 } }, spreading: spreading) { number in
            if number % 4 == 0 {
                running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                usleep(2_000)
                running.withLock { $0.now -= 1 }
            }
            return number * 2
        }
        #expect(results == (0..<40).map { $0 * 2 })
        #expect(after.withLock { $0 } == 10)
        #expect(running.withLock { $0.most } == 1)
    }
}
