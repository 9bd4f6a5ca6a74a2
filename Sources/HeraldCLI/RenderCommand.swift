// `herald render`: one post to standard output, as an HTML fragment or page, plain text or the AST.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEmail
import HeraldHTML

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

    @OptionGroup var project: ProjectOptionGroup

    @OptionGroup var html: HTMLOptionGroup

    @OptionGroup var text: TextOptionGroup

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Project.load(flags, console: console) else { return 1 }
        let input = file == "-" ? Pipeline.Input(path: "<stdin>", bytes: [UInt8](console.input())) : .file(file)
        let pipeline = settings.pipeline(parser: settings.parser(lenientFrontMatter: settings.html.flavor != .herald), includeDrafts: true)
        let report = pipeline.load([input])
        // Fragments need no title or date: those warnings are for `build`.
        var diagnostics = report.diagnostics.filter { $0.id != .missingTitle && $0.id != .missingDate }
        // In the spec flavors an empty input renders as nothing, as the Markdown specs say;
        // Herald's own calls it an error, as build and check do.
        if settings.html.flavor != .herald, report.posts.isEmpty, !report.diagnostics.isEmpty,
            report.diagnostics.allSatisfy({ $0.id == .emptyFile })
        {
            return 0
        }
        guard let post = report.posts.first else {
            console.report(diagnostics)
            return 1
        }
        switch to {
        case .ast:
            console.out(post.document.jsonString(extra: [("slug", post.slug), ("lang", post.lang)]))
        case .text:
            let backend = EmailBackend(options: EmailOptions(text: settings.text), templates: settings.templates)
            console.out(backend.body(post, context: settings.context))
        case .html where standalone:
            let backend = HTMLBackend(options: settings.html, templates: settings.templates)
            do {
                console.out(try backend.renderPage(post, context: settings.context))
            } catch let error as DiagnosticError {
                diagnostics += error.diagnostics
            }
        case .html:
            let body = HTMLRenderer(options: settings.html).render(post.document)
            // --toc (or toc: true in the post): the table of contents before the fragment.
            if settings.html.tableOfContents || post.metadata.value(forExtraKey: "toc") == .bool(true) {
                console.out(TableOfContents.html(body.headings))
            }
            console.out(body.html)
        }
        console.report(diagnostics)
        return diagnostics.contains { $0.severity == .error } ? 1 : 0
    }
}

extension RenderCommand {
    var flags: Flags {
        var flags = Flags()
        project.apply(to: &flags)
        html.apply(to: &flags)
        text.apply(to: &flags)
        return flags
    }
}
