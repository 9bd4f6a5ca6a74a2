// The pipeline on its own: a parser, a transform and a backend written here, so what is tested
// is the pipeline's order of stages, its reports and its files, not any real format.

import Foundation
import HeraldCore
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
}
