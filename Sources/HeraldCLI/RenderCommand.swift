// `herald render`: one post to standard output, as an HTML fragment or page, or as the AST.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEmail
import HeraldHTML
import HeraldMarkdown
import HeraldTranslate

struct RenderCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render one post to standard output.",
        discussion: "Reads FILE, or standard input when FILE is '-' or missing.")

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case html
        case text
        case ast
    }

    @Argument(help: "The post to render ('-' for standard input).", completion: .file(extensions: ["md"]))
    var file: String = "-"

    @Option(help: "What to write: html (the body fragment; a whole page with --standalone), text (the plain-text email) or ast (JSON).")
    var to: Target = .html

    @Flag(name: [.customShort("s"), .long], help: "Write a whole HTML page through the page template.")
    var standalone = false

    @OptionGroup var html: HTMLOptionGroup

    @OptionGroup var text: TextOptionGroup

    @Option(name: .customLong("base-url"), help: "The site's address, for absolute links in text (default: links as written).")
    var baseURL: String?

    func execute(_ console: Console) throws -> Int32 {
        let path = file == "-" ? "<stdin>" : file
        let bytes: [UInt8]
        if file == "-" {
            bytes = [UInt8](console.input())
        } else {
            do {
                bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                console.report([.error("read-failed", file: file, "cannot read file: \(error.localizedDescription)")])
                return 1
            }
        }
        // The spec flavors read the input as their spec does: a block that is not clearly
        // front matter is Markdown.
        let parser = TranslationParser(base: MarkdownParser(
            syntax: html.flavor == .commonmark ? .commonMark : .gfm,
            frontMatter: html.flavor == .herald ? .required : .ifWellFormed))
        let post: Post
        do {
            post = try parser.parse(bytes, path: path)
        } catch let error as DiagnosticError {
            // An empty input renders as nothing: that is what the Markdown specs say of it.
            if error.diagnostics.allSatisfy({ $0.id == "empty-file" }) { return 0 }
            console.report(error.diagnostics)
            return 1
        }
        // Fragments need no title or date: those warnings are for `build`.
        console.report(post.diagnostics.filter { !["missing-title", "missing-date"].contains($0.id) })
        switch to {
        case .ast:
            console.out(post.document.jsonString(extra: [("slug", post.slug), ("lang", post.lang)]))
        case .text:
            var document = post.document
            if let baseURL { document.makeURLsAbsolute(base: BuildContext(baseURL: baseURL).baseURL + post.slug + "/") }
            console.out(PlainTextRenderer(options: text.options, lang: post.lang).render(document))
        case .html where standalone:
            let backend = HTMLBackend(options: html.options, templates: html.templates)
            console.out(try backend.renderPage(post, context: BuildContext()))
        case .html:
            console.out(HTMLRenderer(options: html.options).render(post.document).html)
        }
        return 0
    }
}
