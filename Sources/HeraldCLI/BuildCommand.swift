// `herald build`: posts and folders of posts to a site, mail, books and feeds, with a manifest.

import ArgumentParser
import Foundation
import HeraldCheck
import HeraldCore
import HeraldEmail
import HeraldHTML
import HeraldTranslate

struct BuildCommand: ConsoleCommand, BuildingCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build posts into a folder of outputs with a manifest.",
        discussion: """
            Each INPUT is a post or a folder searched recursively for *.md files (default: \
            posts: in herald.yml). Writes DIR/site/<slug>/index.html per post, DIR/site/index.html, \
            DIR/site/atom.xml and DIR/site/feed.json (when the base URL is known), \
            DIR/email/<slug>.txt (and DIR/email/<slug>.eml when the sender and recipients are \
            known), DIR/epub/<slug>.epub and DIR/manifest.json. --formats (or formats: in \
            herald.yml) chooses the backends. A post with errors is reported and skipped; the \
            others are built.
            """)

    @OptionGroup var options: BuildOptions

    @OptionGroup var project: ProjectOptionGroup

    @OptionGroup var html: HTMLOptionGroup

    @OptionGroup(title: "Email") var text: TextOptionGroup

    @OptionGroup(title: "Email") var addresses: AddressOptionGroup

    func execute(_ console: Console) throws -> Int32 {
        let start = ContinuousClock.now
        guard let outcome = request.build(console) else { return 1 }
        defer { console.keepUntilExit(outcome) }
        console.report(outcome.diagnostics)
        if outcome.report.published == 0 && outcome.failed == 0 && !outcome.sources.isEmpty {
            console.report([.warning(
                "nothing-published", "no post was published: drafts (draft: true) are left out unless --drafts is given")])
        }
        if !options.quiet {
            console.out(Self.summary(
                outcome.report, posts: outcome.sources.count, failed: outcome.failed,
                warnings: outcome.diagnostics.filter { $0.severity == .warning }.count,
                into: outcome.out, seconds: (ContinuousClock.now - start) / .seconds(1)))
        }
        return outcome.status
    }

    /// `built 669 of 669 posts into dist in 1.2 s: 1967 files (12 written, 1955 unchanged, 0 removed), 3 warnings`.
    static func summary(_ report: Pipeline.Report, posts: Int, failed: Int, warnings: Int, into out: String, seconds: Double) -> String {
        let files = report.files
        var text = "built \(report.published) of \(posts) posts into \(out) in " + String(format: "%.1f s", seconds)
        text += ": \(report.manifest.outputs.count) files (\(files.written) written, \(files.unchanged) unchanged, \(files.removed) removed)"
        if warnings > 0 { text += ", \(warnings) warning" + (warnings == 1 ? "" : "s") }
        if failed > 0 { text += ", \(failed) failed" }
        return text + "\n"
    }

    /// The backends `formats` names, in the registry's order; all of them when it names none.
    static func chosen(_ registry: BackendRegistry, formats: [String]?, config: Config) throws(DiagnosticError) -> BackendRegistry {
        guard let formats else { return registry }
        let wanted = formats.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        for format in wanted where registry[format] == nil {
            throw DiagnosticError(.error(
                .optionInvalid, file: config.file, at: config.locations["formats"],
                "unknown format '\(format)'\(Suggestions.didYouMean(format, among: registry.formats)) (known: \(registry.formats.joined(separator: ", ")))"))
        }
        return BackendRegistry(registry.backends.filter { wanted.contains($0.format) })
    }

    /// `diagnostics` with repeats left out: a broken template is one error, not one per post.
    static func once(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Repeat>(minimumCapacity: diagnostics.count)
        return diagnostics.filter { seen.insert(Repeat(diagnostic: $0)).inserted }
    }

    /// A diagnostic told from others by the bytes of its file and message: a string hashed by
    /// its characters is normalized first, which for the Chinese of a bilingual archive's
    /// warnings took longer than the rest of a rebuild's bookkeeping. (Two texts alike as
    /// characters but not as bytes count as two here; a repeat is alike in its bytes.)
    private struct Repeat: Hashable {
        let diagnostic: Diagnostic

        static func == (lhs: Repeat, rhs: Repeat) -> Bool {
            let (one, other) = (lhs.diagnostic, rhs.diagnostic)
            func sameBytes(_ first: String?, _ second: String?) -> Bool {
                guard let first, let second else { return first == nil && second == nil }
                return first.utf8.elementsEqual(second.utf8)
            }
            return one.severity == other.severity && one.id == other.id && one.location == other.location
                && sameBytes(one.file, other.file) && sameBytes(one.message, other.message)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(diagnostic.severity)
            hasher.combine(diagnostic.location?.line ?? -1)
            hasher.combine(diagnostic.location?.column ?? -1)
            Self.combine(diagnostic.file ?? "", into: &hasher)
            Self.combine(diagnostic.message, into: &hasher)
        }

        /// Hashes `text` by its bytes, and its length to end it.
        private static func combine(_ text: String, into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(text.utf8.count)
        }
    }
}

/// What one build did, for the command's summary and exit status (and `herald serve`).
struct BuildOutcome {
    var report: Pipeline.Report
    /// The build's diagnostics, each once (those of the inputs and settings were reported already).
    var diagnostics: [Diagnostic]
    var sources: [String]
    var failed: Int
    var out: String
    var status: Int32
}

/// The options only a build has (`herald build`'s, and `herald serve`'s too); the groups it
/// shares with other commands sit beside it in each command (see ``BuildRequest``).
struct BuildOptions: ParsableArguments {
    @Argument(help: "Posts or folders of posts (default: posts: in herald.yml).", completion: .file(extensions: ["md"]))
    var inputs: [String] = []

    @Option(name: [.customShort("o"), .customLong("out")], help: "The output folder (herald.yml: out; default: dist).", completion: .directory)
    var out: String?

    @Option(help: "The backends to run, comma-separated (herald.yml: formats; default: all).")
    var formats: [String] = []

    @Flag(inversion: .prefixedNo, help: "Also build posts marked draft: true (herald.yml: drafts).")
    var drafts: Bool?

    @Option(name: .customLong("translate-to"), help: "Create or refresh translation stubs in these languages beside each source post (repeat or comma-separate: zh,en; herald.yml: translate.to).")
    var translateTo: [String] = []

    @Option(name: .customLong("min-translated"), help: "Do not publish a translation stub with a smaller share of translated segments (percent; herald.yml: translate.min-translated).")
    var minTranslated: Double?

    @Flag(name: .customLong("no-check"), help: "Do not run the checks of `herald check` on the built posts.")
    var noCheck = false

    @Flag(help: "Read and write every post, even those unchanged since the last build into DIR.")
    var force = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print no progress and no summary; only warnings and errors.")
    var quiet = false
}

/// A command that builds: it holds ``BuildOptions`` and the shared groups side by side.
protocol BuildingCommand {
    var options: BuildOptions { get }
    var project: ProjectOptionGroup { get }
    var html: HTMLOptionGroup { get }
    var text: TextOptionGroup { get }
    var addresses: AddressOptionGroup { get }
}

extension BuildingCommand {
    /// What the command was told, as one build request.
    var request: BuildRequest { BuildRequest(options: options, project: project, html: html, text: text, addresses: addresses) }
}

/// What `herald build` and `herald serve` are told: the build's own options and the groups of
/// options they share with other commands. Each command holds the groups beside its
/// ``BuildOptions``, not inside them: the argument parser's checks of a debug build repeat for
/// every level of nested groups, and one more level made each parse of a command cost a second.
struct BuildRequest {
    var options: BuildOptions
    var project: ProjectOptionGroup
    var html: HTMLOptionGroup
    var text: TextOptionGroup
    var addresses: AddressOptionGroup

    /// Builds the posts into the output folder: `out` and the base URL given here win over the
    /// flags and herald.yml (as `herald serve` builds into its own folder, for its own address).
    /// Reports problems with the inputs and the settings; returns nil when the build could not start.
    func build(_ console: Console, out chosenOut: String? = nil, baseURL: String? = nil) -> BuildOutcome? {
        var flags = Flags()
        project.apply(to: &flags)
        html.apply(to: &flags)
        text.apply(to: &flags)
        if let baseURL { flags.baseURL = baseURL }
        guard let settings = Project.load(flags, console: console) else { return nil }
        let config = settings.config
        let backends: BackendRegistry
        let email: EmailOptions
        let languages: [String]
        do {
            email = try settings.email(addresses)
            languages = try (options.translateTo.isEmpty ? config.translateTo ?? [] : options.translateTo)
                .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                .filter { !$0.isEmpty }.map(LanguageTags.parse)
            backends = try BuildCommand.chosen(
                Registry.backends(html: settings.html, email: email, templates: settings.templates),
                formats: options.formats.isEmpty ? config.formats : options.formats, config: config)
        } catch {
            console.report(error.diagnostics)
            return nil
        }
        let named = namedInputs(config)
        guard !named.isEmpty else {
            console.report([.error(.inputMissing, "name the posts to build: herald build POSTS… or posts: in herald.yml")])
            return nil
        }
        let out = chosenOut ?? options.out ?? config.out ?? config.path("dist")
        var (sources, inputDiagnostics) = Pipeline.collectSources(named)
        console.report(inputDiagnostics)
        guard !sources.isEmpty || !inputDiagnostics.isEmpty else {
            // A build of nothing is not a success: the folder is probably the wrong one.
            console.report([.error(
                "no-posts", "no posts to build: no *.md file in \(named.joined(separator: ", ")) (herald new \"Title\" starts one)")])
            return nil
        }
        let stubs = refreshStubs(sources, languages: languages, settings: settings, console: console)
        for stub in stubs where !sources.contains(stub.path) { sources.append(stub.path) }
        if backends["email"] != nil && !email.canWriteMessages {
            console.report([Diagnostic(
                .note, id: "email-messages-skipped",
                "writing email/<slug>.txt only: give email.from and email.to in herald.yml (or --from and --to) to also write ready-to-send .eml messages")])
        }
        settings.noteMissingBaseURL(console, what: "feeds are not written, and mail and books do not link to the posts' pages")
        // The checks of `herald check` on the posts as parsed, as warnings: they never stop a build.
        let checks: [any PostCheck] = options.noCheck ? [] : [BuildChecks(linter: Linter(
            disabled: config.disabledRules, includeParserDiagnostics: false, load: settings.loader(), site: settings.context))]
        let pipeline = settings.pipeline(
            minTranslated: options.minTranslated ?? config.minTranslated, checks: checks, backends: backends,
            includeDrafts: options.drafts ?? config.drafts ?? false)
        // Stubs live beside their posts, not in DIR; the manifest lists them all the same.
        let root = URL(fileURLWithPath: out).standardizedFileURL.path
        let stubEntries = stubs.compactMap { stub -> ManifestEntry? in
            guard let data = FileManager.default.contents(atPath: stub.path) else { return nil }
            let absolute = URL(fileURLWithPath: stub.path).standardizedFileURL.path
            return ManifestEntry(
                source: stub.source, format: "translation", lang: stub.lang,
                path: Translator.relativePath(from: root, to: absolute), bytes: data.count, sha256: sha256Hex(data))
        }
        let progress = ProgressLine(console: console, enabled: !options.quiet)
        let report = pipeline.build(
            sources.map(Pipeline.Input.file), into: URL(fileURLWithPath: out), force: options.force, listing: stubEntries,
            progress: { progress.update($0) })
        progress.finish()
        let diagnostics = BuildCommand.once(report.diagnostics)
        let failed = Set(report.failedSources).count
        return BuildOutcome(
            report: report, diagnostics: diagnostics, sources: sources, failed: failed, out: out,
            status: failed > 0 || !inputDiagnostics.isEmpty || report.hasErrors ? 1 : 0)
    }

    /// The posts and folders a build reads: the ones named, else herald.yml's.
    func namedInputs(_ config: Config) -> [String] { options.inputs.isEmpty ? config.defaultInputs : options.inputs }

    /// Creates or refreshes the stubs in `languages`; returns them.
    func refreshStubs(_ sources: [String], languages: [String], settings: Project, console: Console) -> [(path: String, source: String, lang: String)] {
        guard !languages.isEmpty else { return [] }
        let load = settings.loader()
        var stubs: [(String, String, String)] = []
        for source in sources {
            guard let post = try? load(source), !StubReader.isStub(post.metadata) else { continue }
            // The source is read once for all its languages.
            let loaded: Translator.Loader = { path in path == source ? post : try load(path) }
            for lang in languages where !post.lang.hasPrefix(lang) && !lang.hasPrefix(post.lang) {
                do {
                    let (path, _) = try Translator.update(sourcePath: source, lang: lang, load: loaded)
                    stubs.append((path, source, lang))
                } catch {
                    console.report(error.diagnostics)
                }
            }
        }
        return stubs
    }
}

/// `herald check`'s rules as a build runs them: on the posts it parsed, as warnings.
struct BuildChecks: PostCheck {
    let linter: Linter

    var fingerprint: String { "build " + linter.fingerprint }

    func check(_ post: Post) -> [Diagnostic] {
        linter.check(post).map { finding in
            var warning = finding
            warning.severity = min(warning.severity, .warning)
            return warning
        }
    }
}
