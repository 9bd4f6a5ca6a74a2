// `herald build`: posts and folders of posts to a site (and later email, EPUB, translations).

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEmail
import HeraldHTML
import HeraldMarkdown

struct BuildCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build posts into a folder of outputs with a manifest.",
        discussion: """
            Each INPUT is a post or a folder searched recursively for *.md files. Writes \
            DIR/site/<slug>/index.html per post, DIR/site/index.html, DIR/site/atom.xml, \
            DIR/email/<slug>.txt (and DIR/email/<slug>.eml when --email-from and --email-to \
            are given), DIR/epub/<slug>.epub and DIR/manifest.json. A post with errors is reported and skipped; the \
            others are built.
            """)

    @Argument(help: "Posts or folders of posts.", completion: .file(extensions: ["md"]))
    var inputs: [String]

    @Option(name: .long, help: "The output folder.", completion: .directory)
    var out: String

    @Option(name: .customLong("base-url"), help: "The absolute URL the site is published at (for the feed and canonical links).")
    var baseURL: String = "http://localhost:8000/"

    @Option(name: .long, help: "The site's title, for the index and the feed.")
    var title: String = "Herald"

    @Flag(help: "Also build posts marked draft: true.")
    var drafts = false

    @OptionGroup var html: HTMLOptionGroup

    @OptionGroup(title: "Email") var text: TextOptionGroup

    @OptionGroup(title: "Email") var addresses: AddressOptionGroup

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name at least one post or folder") }
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil else {
            throw ValidationError("--base-url must be an absolute http(s) URL, e.g. https://example.org/blog/")
        }
    }

    func execute(_ console: Console) throws -> Int32 {
        let email: EmailOptions
        do {
            email = try addresses.emailOptions(text: text.options, fromFlag: "--email-from", toFlag: "--email-to")
        } catch let error as DiagnosticError {
            console.report(error.diagnostics)
            return 1
        }
        let (sources, inputDiagnostics) = Pipeline.collectSources(inputs)
        console.report(inputDiagnostics)
        if !email.canWriteMessages {
            console.report([
                Diagnostic(
                    .note, id: "email-messages-skipped",
                    "writing email/<slug>.txt only: give --email-from and --email-to to also write ready-to-send .eml messages")
            ])
        }
        let pipeline = Pipeline(
            parser: MarkdownParser(syntax: html.flavor == .commonmark ? .commonMark : .gfm),
            backends: Backends.registry(html: html.options, email: email, templates: html.templates),
            context: BuildContext(baseURL: baseURL, siteTitle: title),
            includeDrafts: drafts)
        let report = pipeline.build(sources: sources, into: URL(fileURLWithPath: out))
        console.report(report.diagnostics)
        let failed = Set(report.failedSources).count
        console.out("built \(report.posts.count) of \(sources.count) posts into \(out): \(report.manifest.outputs.count) files")
        console.out(failed > 0 ? ", \(failed) failed\n" : "\n")
        return failed > 0 || !inputDiagnostics.isEmpty || report.hasErrors ? 1 : 0
    }
}
