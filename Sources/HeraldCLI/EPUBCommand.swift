// `herald epub`: one post, several, or folders of them as one EPUB book.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEPUB
import HeraldMarkdown
import HeraldTranslate
import HeraldTemplates

struct EPUBCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "epub",
        abstract: "Make an EPUB book of one post or many.",
        discussion: """
            Each POST is a post or a folder searched recursively for *.md files. One post \
            gives a one-chapter book; several give one book with a chapter per post, oldest \
            first. A post with errors is reported and left out.
            """)

    @Argument(help: "Posts or folders of posts.", completion: .file(extensions: ["md"]))
    var posts: [String]

    @Option(name: .shortAndLong, help: "The book to write.", completion: .file(extensions: ["epub"]))
    var output: String

    @Option(help: "The book's title (default: the post's title, or one made from the posts' years).")
    var title: String?

    @Option(help: "A cover image: PNG, JPEG, GIF or SVG.", completion: .file())
    var cover: String?

    @Option(help: "The book's identifier (default: a UUID derived from its posts and title).")
    var identifier: String?

    @Option(name: .customLong("base-url"), help: "The site's address, for links to posts that are not in the book.")
    var baseURL: String?

    @Flag(help: "Also include posts marked draft: true.")
    var drafts = false

    @Option(name: .customLong("templates"), help: "A folder of templates (epub/style.css, …) used instead of the built-in ones.", completion: .directory)
    var templatesFolder: String?

    func validate() throws {
        guard !posts.isEmpty else { throw ValidationError("name at least one post or folder") }
    }

    func execute(_ console: Console) throws -> Int32 {
        let (sources, inputDiagnostics) = Pipeline.collectSources(posts)
        console.report(inputDiagnostics)
        let parser = TranslationParser()
        var parsed: [Post] = []
        var failed = !inputDiagnostics.isEmpty
        for source in sources {
            guard let data = FileManager.default.contents(atPath: source) else {
                console.report([.error("read-failed", file: source, "cannot read file")])
                failed = true
                continue
            }
            do {
                let post = try parser.parse([UInt8](data), path: source)
                console.report(post.diagnostics)
                if post.metadata.draft && !drafts {
                    console.report([.note("draft-skipped", file: source, "draft not included (use --drafts to include it)")])
                    continue
                }
                parsed.append(post)
            } catch let error as DiagnosticError {
                console.report(error.diagnostics)
                failed = true
            }
        }
        guard !parsed.isEmpty else {
            console.report([.error("epub-empty", "no post to put in the book")])
            return 1
        }
        let options = EPUBOptions(
            title: title, cover: cover.map { URL(fileURLWithPath: $0) }, identifier: identifier,
            baseURL: baseURL.map { BuildContext(baseURL: $0).baseURL })
        let writer = EPUBWriter(options: options, templates: TemplateSource(userFolder: templatesFolder.map { URL(fileURLWithPath: $0) }))
        do {
            let book = try writer.book(LinkedPosts.rewrite(parsed, parser: parser, includingGiven: false))
            console.report(book.diagnostics)
            try OutputWriter.writeAtomically(book.data, to: URL(fileURLWithPath: output))
            console.out("wrote \(output): \(parsed.count) chapter\(parsed.count == 1 ? "" : "s"), \(book.data.count) bytes\n")
        } catch let error as DiagnosticError {
            console.report(error.diagnostics)
            return 1
        } catch {
            console.report([.error("write-failed", file: output, "cannot write the book: \(error)")])
            return 1
        }
        return failed ? 1 : 0
    }
}
