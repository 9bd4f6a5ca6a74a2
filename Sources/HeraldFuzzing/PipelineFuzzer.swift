// The invariants every post must keep, whatever its bytes: run through parse and every backend
// (the HTML page and the index, the plain-text email and its message, the EPUB, the JSON Feed
// and the Atom feed, the checks, the AST's JSON for filters, a translation stub and its PO
// file), each output is checked as a reader's program would read it. The fuzzer of Fuzz/
// (`HERALD_FUZZ=pipeline`) calls ``PipelineFuzzer/problems(_:)`` on every input it makes;
// the tests call it on the examples, the corpus and every input kept under
// Tests/HeraldFuzzingTests/Regressions/.

import Foundation
import HeraldCheck
import HeraldCore
import HeraldEmail
import HeraldEPUB
import HeraldHTML
import HeraldJSONFeed
import HeraldMarkdown
import HeraldTranslate
import HeraldXHTML
import ZIPFoundation

public enum PipelineFuzzer {
    static let context = BuildContext(baseURL: "https://news.example.org/", siteTitle: "Fuzz")
    static let html = HTMLBackend()
    static let email: EmailBackend = {
        let from = try! MailAddress(parsing: "Lantern News <news@example.org>", field: "from")
        let to = try! MailAddress(parsing: "users@lists.example.org", field: "to")
        return EmailBackend(options: EmailOptions(from: from, to: [to], listUnsubscribe: "https://example.org/unsubscribe"))
    }()
    static let epub = EPUBBackend()
    static let feed = JSONFeedBackend()
    static let width = PlainTextOptions().width

    /// What is wrong with what Herald makes of `bytes` as a post; empty when all is well.
    public static func problems(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        let scratch = Scratch.folder()
        defer { Scratch.remove(scratch) }
        let path = scratch.appendingPathComponent("post.md").path
        // A post with front matter as a build reads it; without, as `render` reads any Markdown.
        var post: Post?
        var diagnostics: [Diagnostic] = []
        for mode in [MarkdownParser.FrontMatterMode.required, .ifWellFormed] where post == nil {
            let pipeline = Pipeline(parser: MarkdownParser(syntax: .herald, frontMatter: mode), transforms: [StubResolution(), PostLinks()], context: context)
            let report = pipeline.load([Pipeline.Input(path: path, bytes: bytes)])
            post = report.posts.first
            diagnostics = report.diagnostics
        }
        guard let post else {
            if !diagnostics.contains(where: { $0.severity == .error }) { problems.append("no post and no error to say why") }
            return problems
        }
        // The source as Herald read it (control characters already replaced): code is copied
        // from it line for line.
        let sourceLines = Set((post.source?.text ?? String(decoding: bytes, as: UTF8.self)).split(whereSeparator: \.isNewline).map { String($0.withoutSurroundingSpaces) })

        func render(_ name: String, _ work: () throws -> [Output]) -> [Output] {
            do { return try work() } catch let error as DiagnosticError {
                if !error.diagnostics.contains(where: { $0.severity == .error }) { problems.append("\(name) failed without an error") }
            } catch { problems.append("\(name) failed with \(error)") }
            return []
        }
        // What the plain-text wrapper keeps whole: code spans and link addresses.
        let tokens = post.document.descendants().compactMap { id -> String? in
            switch post.document[id].kind {
            case .code(let literal): literal
            case .link(let link): link.destination
            default: nil
            }
        }
        let listed = [ListedPost(post)]
        var outputs = render("html") { try html.render(post, context: context) }
        outputs += render("html collection") { try html.renderCollection(listed, context: context) + html.renderListing(listed, context: context) }
        outputs += render("email") { try email.render(post, context: context) }
        outputs += render("epub") { try epub.render(post, context: context) }
        outputs += render("json feed") { try feed.renderCollection(listed, context: context) }
        for output in outputs {
            let place = output.path
            switch (output.path as NSString).pathExtension {
            case "html":
                problems += HTMLStructure.problems(String(decoding: output.contents, as: UTF8.self)).map { "\(place): \($0)" }
            case "txt":
                problems += PlainTextLines.problems(String(decoding: output.contents, as: UTF8.self), width: width, sourceLines: sourceLines, tokens: tokens)
                    .map { "\(place): \($0)" }
            case "eml":
                problems += MailStructure.problems([UInt8](output.contents)).map { "\(place): \($0)" }
            case "epub":
                problems += epubProblems(output.contents).map { "\(place): \($0)" }
            case "xml":
                problems += XHTML.wellFormednessErrors(String(decoding: output.contents, as: UTF8.self)).map { "\(place): \($0.line):\($0.column): \($0.message)" }
            case "json":
                if (try? JSONSerialization.jsonObject(with: output.contents)) == nil { problems.append("\(place): not JSON") }
            default:
                break
            }
        }

        // The checks find what they find; they must not fail.
        _ = Linter().check(post)

        // The AST's JSON, as filters read and write it, reads back as the same tree.
        let json = post.document.jsonString()
        do {
            let decoded = try Document(json: Data(json.utf8))
            if decoded.jsonString() != json { problems.append("the AST's JSON does not read back as the same tree") }
        } catch {
            problems.append("the AST's JSON does not read back: \(error)")
        }

        problems += translationProblems(bytes, path: path, post: post)
        return problems
    }

    /// An untranslated stub reads as its source; a PO file whose every translation is its
    /// source text gives back the post.
    static func translationProblems(_ bytes: [UInt8], path: String, post: Post) -> [String] {
        guard !StubReader.isStub(post.metadata), FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return [] }
        // As `herald translate` reads posts: front matter required.
        let load: Translator.Loader = { path in try Pipeline(parser: MarkdownParser(syntax: .herald)).parse(.file(path)) }
        var problems: [String] = []
        let stubPath = Translator.stubPath(for: path, lang: "zh")
        try? FileManager.default.removeItem(atPath: stubPath)
        let source: Post
        do {
            source = try load(path)
            try Translator.update(sourcePath: path, lang: "zh", load: load)
        } catch {
            return []  // a source the translator refuses, with its diagnostic
        }
        let expected = source.document.plainText(of: source.document.root)
        func resolved() -> String? {
            let pipeline = Pipeline(parser: MarkdownParser(syntax: .herald), transforms: [StubResolution()])
            guard let stub = pipeline.load([.file(stubPath)]).posts.first else { return nil }
            return stub.document.plainText(of: stub.document.root)
        }
        guard let untranslated = resolved() else { return ["the new stub does not read as a post"] }
        if untranslated != expected { problems.append("the untranslated stub does not read as its source") }

        do {
            // A PO file whose every translation is its source text (written by Herald's PO
            // writer from the stub so filled), imported back.
            let poPath = stubPath + ".po"
            let sourcePost = try Translator.readSource(path, load: load)
            var stub = try Translator.readStub(stubPath, source: sourcePost)
            for index in stub.segments.indices { stub.segments[index].state = SegmentState(translation: stub.segments[index].source) }
            try Data(PO.export(stub, source: sourcePost, lang: "zh").utf8).write(to: URL(fileURLWithPath: poPath))
            try FileManager.default.removeItem(atPath: stubPath)
            try Translator.importPO(poPath, sourceOverride: path, load: load)
            guard let translated = resolved() else { return problems + ["the stub filled from a PO file does not read as a post"] }
            if translated != expected { problems.append("the PO round trip does not give back the post") }
        } catch {
            problems.append("the PO round trip failed: \(error)")
        }
        return problems
    }

    /// Every XML file of a book is well-formed, and its pages are HTML without parse errors too.
    static func epubProblems(_ data: Data) -> [String] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { return ["not a ZIP archive: \(error)"] }
        var problems: [String] = []
        for entry in archive where [".xhtml", ".opf", ".ncx", ".xml"].contains(where: entry.path.hasSuffix) {
            var bytes = Data()
            do { _ = try archive.extract(entry, skipCRC32: false) { bytes.append($0) } } catch { problems.append("\(entry.path): \(error)"); continue }
            problems += XHTML.wellFormednessErrors(String(decoding: bytes, as: UTF8.self)).map { "\(entry.path): \($0.line):\($0.column): \($0.message)" }
        }
        return problems
    }
}

/// A new folder for the files the translator reads and writes for one input (in memory where
/// the system offers it), so that no file of another input is read; removed when it is done.
enum Scratch {
    static func folder() -> URL {
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base).appendingPathComponent("herald-fuzz-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ folder: URL) { try? FileManager.default.removeItem(at: folder) }
}
