// A command's settings, settled once: the flags it was given, else `herald.yml`, else Herald's
// defaults. Every command that reads posts makes its pipeline here, so they all read, parse and
// transform posts the same way.

import Foundation
import HeraldCheck
import HeraldCore
import HeraldEmail
import HeraldHTML
import HeraldMarkdown
import HeraldTemplates

struct Project {
    let config: Config
    let context: BuildContext
    let html: HTMLOptions
    let text: PlainTextOptions
    let templates: TemplateSource
    let filters: [String]
    /// Where filters run: herald.yml's folder for its own, the current folder for --filter's.
    let filterFolder: URL

    /// Settles the flags against the configuration.
    init(config: Config, flags: Flags) throws(DiagnosticError) {
        self.config = config
        let baseURL = flags.baseURL ?? config.baseURL
        if let baseURL {
            guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil else {
                // Said at the key when the address came from herald.yml.
                let key = flags.baseURL == nil ? config.locations["site.base-url"] : nil
                throw DiagnosticError(.error(
                    .optionInvalid, file: key == nil ? nil : config.file, at: key,
                    "base URL '\(baseURL)' is not an absolute http(s) address, e.g. https://example.org/blog/"))
            }
        }
        context = BuildContext(
            baseURL: baseURL, siteTitle: flags.title ?? config.siteTitle ?? "Herald",
            languages: config.languages.map { SiteLanguage(tag: $0.tag, name: $0.name, title: $0.title, folder: $0.folder) },
            paginate: config.paginate ?? 10)
        // herald.yml's words were checked against their choices when it was read.
        html = HTMLOptions(
            flavor: flags.flavor ?? config.flavor.flatMap(HTMLFlavor.init(rawValue:)) ?? .herald,
            rawHTML: flags.rawHTML ?? config.rawHTML.flatMap(RawHTMLPolicy.init(rawValue:)) ?? .sanitize,
            tableOfContents: flags.tableOfContents ?? config.toc ?? false)
        let width = flags.width ?? config.width ?? 72
        guard (20...998).contains(width) else { throw config.problem("width", "width must be between 20 and 998") }
        text = PlainTextOptions(width: width, flowed: flags.flowed ?? config.flowed ?? false)
        let templatesFolder = flags.templates ?? config.templates
        if let templatesFolder {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: templatesFolder, isDirectory: &isFolder), isFolder.boolValue else {
                throw DiagnosticError(.error(.optionInvalid, file: templatesFolder, "templates folder: " + FileError.reason(errno: ENOENT)))
            }
        }
        templates = TemplateSource(userFolder: templatesFolder.map { URL(fileURLWithPath: $0) })
        // Filters named in herald.yml run from its folder, so their paths are the file's.
        filters = flags.filters.isEmpty ? config.filters ?? [] : flags.filters
        filterFolder = flags.filters.isEmpty ? config.folder : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// Reads the configuration the flags name (or the nearest) and settles the settings; nil
    /// after reporting why they cannot be.
    static func load(_ flags: Flags, console: Console) -> Project? {
        guard let config = Config.load(flags.config, reportingTo: console) else { return nil }
        do {
            return try Project(config: config, flags: flags)
        } catch {
            console.report(error.diagnostics)
            return nil
        }
    }

    /// The parser every command reads posts with. The spec flavors read the input as their
    /// spec does: a block that is not clearly front matter is Markdown.
    func parser(forChecking: Bool = false, lenientFrontMatter: Bool = false) -> MarkdownParser {
        let syntax: MarkdownSyntax = switch html.flavor {
        case .commonmark: .commonMark
        case .gfm: .gfm
        case .herald: .herald
        }
        return MarkdownParser(
            syntax: syntax,
            frontMatter: lenientFrontMatter ? .ifWellFormed : .required,
            readsBodyAfterFrontMatterErrors: forChecking)
    }

    /// The email settings: the flags given, else the configuration's.
    func email(_ flags: AddressOptionGroup) throws(DiagnosticError) -> EmailOptions {
        // Messages name the setting as the user gave it: the flag, or the key in herald.yml.
        var options = try EmailOptions.parsing(
            text: text, from: flags.from ?? config.emailFrom, to: flags.to.isEmpty ? config.emailTo ?? [] : flags.to,
            replyTo: flags.replyTo ?? config.replyTo, listUnsubscribe: flags.listUnsubscribe ?? config.listUnsubscribe,
            fromFlag: flags.from != nil ? "--from" : "email.from in herald.yml",
            toFlag: !flags.to.isEmpty ? "--to" : "email.to in herald.yml")
        // Each language's own list, unless --to names the recipients of every message.
        if flags.to.isEmpty {
            for language in config.languages {
                guard let lists = language.emailTo else { continue }
                var recipients: [MailAddress] = []
                for list in lists {
                    recipients += try MailAddress.list(parsing: list, field: "languages.\(language.tag).email.to in herald.yml")
                }
                options.toByLanguage[language.tag] = recipients
            }
        }
        return options
    }

    /// The one pipeline, configured for a command.
    func pipeline(
        parser: MarkdownParser? = nil, transforming: Bool = true, minTranslated: Double? = nil, checks: [any PostCheck] = [],
        backends: BackendRegistry = BackendRegistry(), includeDrafts: Bool = false
    ) -> Pipeline {
        Pipeline(
            parser: parser ?? self.parser(),
            transforms: transforming ? Registry.transforms(minTranslated: minTranslated, filters: filters, folder: filterFolder, filterTimeout: config.filterTimeout) : [],
            checks: checks, backends: backends, context: context, includeDrafts: includeDrafts)
    }

    /// How the translator and the checks read a post they are pointed at: this pipeline's
    /// parser, nothing else.
    func loader() -> @Sendable (String) throws -> Post {
        let pipeline = pipeline(transforming: false)
        return { path in try pipeline.parse(.file(path)) }
    }

    /// Says once that outputs needing the site's address are made without it.
    func noteMissingBaseURL(_ console: Console, what: String) {
        guard context.baseURL == nil else { return }
        console.report([Diagnostic(
            .note, id: .noBaseURL,
            "no base URL (site.base-url in herald.yml, or --base-url): \(what)")])
    }
}
