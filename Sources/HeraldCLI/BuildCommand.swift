// `herald build`: posts and folders of posts to a site (and later email, EPUB, translations).

import ArgumentParser
import Foundation
import HeraldCheck
import HeraldCore
import HeraldEmail
import HeraldHTML
import HeraldMarkdown
import HeraldTranslate

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

    @Option(name: .customLong("translate-to"), help: "Create or refresh translation stubs in these languages beside each source post (repeat or comma-separate: zh,en).")
    var translateTo: [String] = []

    @Option(name: .customLong("min-translated"), help: "Do not publish a translation stub with a smaller share of translated segments (percent).")
    var minTranslated: Double?

    @Flag(name: .customLong("no-check"), help: "Do not run the checks of `herald check` on the built posts.")
    var noCheck = false

    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

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
        guard let settings = Config.load(config, reportingTo: console) else { return 1 }
        let email: EmailOptions
        do {
            email = try addresses.emailOptions(text: text.options, fromFlag: "--email-from", toFlag: "--email-to")
        } catch let error as DiagnosticError {
            console.report(error.diagnostics)
            return 1
        }
        var (sources, inputDiagnostics) = Pipeline.collectSources(inputs)
        console.report(inputDiagnostics)
        let stubs = refreshStubs(sources, console: console)
        for stub in stubs where !sources.contains(stub.path) { sources.append(stub.path) }
        if !email.canWriteMessages {
            console.report([
                Diagnostic(
                    .note, id: "email-messages-skipped",
                    "writing email/<slug>.txt only: give --email-from and --email-to to also write ready-to-send .eml messages")
            ])
        }
        let pipeline = Pipeline(
            parser: TranslationParser(
                base: MarkdownParser(syntax: html.flavor == .commonmark ? .commonMark : .gfm), minTranslated: minTranslated),
            backends: Backends.registry(html: html.options, email: email, templates: html.templates),
            context: BuildContext(baseURL: baseURL, siteTitle: title),
            includeDrafts: drafts)
        var report = pipeline.build(sources: sources, into: URL(fileURLWithPath: out))
        if !stubs.isEmpty {
            // Stubs live beside their posts, not in DIR; the manifest lists them all the same.
            let root = URL(fileURLWithPath: out).standardizedFileURL.path
            for stub in stubs {
                guard let data = FileManager.default.contents(atPath: stub.path) else { continue }
                let absolute = URL(fileURLWithPath: stub.path).standardizedFileURL.path
                report.manifest.outputs.append(ManifestEntry(
                    source: stub.source, format: "translation", lang: stub.lang,
                    path: Translator.relativePath(from: root, to: absolute), bytes: data.count, sha256: SHA256.hex(data)))
            }
            try? OutputWriter.writeAtomically(try report.manifest.encoded(), to: URL(fileURLWithPath: out).appendingPathComponent("manifest.json"))
        }
        console.report(report.diagnostics)
        if !noCheck {
            // The checks of `herald check`, as warnings: they never stop a build.
            let linter = Linter(disabled: settings.disabledRules, includeParserDiagnostics: false)
            console.report(linter.check(files: report.posts.map(\.sourcePath)).joined().map { finding in
                var warning = finding
                warning.severity = min(warning.severity, .warning)
                return warning
            })
        }
        let failed = Set(report.failedSources).count
        console.out("built \(report.posts.count) of \(sources.count) posts into \(out): \(report.manifest.outputs.count) files")
        console.out(failed > 0 ? ", \(failed) failed\n" : "\n")
        return failed > 0 || !inputDiagnostics.isEmpty || report.hasErrors ? 1 : 0
    }

    /// Creates or refreshes the stubs `--translate-to` asks for; returns them.
    func refreshStubs(_ sources: [String], console: Console) -> [(path: String, source: String, lang: String)] {
        let languages = translateTo.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        guard !languages.isEmpty else { return [] }
        var stubs: [(String, String, String)] = []
        for source in sources {
            guard let data = FileManager.default.contents(atPath: source),
                let post = try? MarkdownParser().parse([UInt8](data), path: source),
                !String(decoding: data.prefix(4096), as: UTF8.self).contains("\ntranslation:")
            else { continue }
            for lang in languages where !post.lang.hasPrefix(lang) && !lang.hasPrefix(post.lang) {
                do {
                    let (path, _) = try Translator.update(sourcePath: source, lang: lang)
                    stubs.append((path, source, lang))
                } catch let error as DiagnosticError {
                    console.report(error.diagnostics)
                } catch {
                    console.report([.error("translate-failed", file: source, "\(error)")])
                }
            }
        }
        return stubs
    }
}
