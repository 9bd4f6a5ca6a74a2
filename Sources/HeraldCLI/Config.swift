// The project's configuration file, `herald.yml` (or `--config FILE`): every setting a flag can
// give, so that a project's commands need none. Flags given on the command line win over it.
// docs/configuration.md documents each key; `Config.keys` below is the list the file is checked
// against: an unknown key is a warning with the closest known key suggested, a value of the
// wrong type an error, both at the key's line and column.

import Foundation
import HeraldCheck
import HeraldCore
import Yams

/// The settings read from `herald.yml`; nil where the file says nothing.
struct Config {
    /// The file the settings came from, and the folder relative paths in it start from.
    var file: String?
    var folder: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

    var siteTitle: String?
    var baseURL: String?
    /// The site's author or authors: what `herald new` puts in a new post's front matter.
    var siteAuthors: [String]?
    /// The IANA time zone the site's dates are in (`Asia/Shanghai`); the machine's when absent.
    var timeZone: String?
    /// Posts on each page of an index.
    var paginate: Int?
    /// The site's languages, the default first; empty for a site in one language.
    var languages: [LanguageSettings] = []
    var posts: [String]?
    var out: String?
    var drafts: Bool?
    var formats: [String]?
    var emailFrom: String?
    var emailTo: [String]?
    var replyTo: String?
    var listUnsubscribe: String?
    var sendmail: String?
    var width: Int?
    var flowed: Bool?
    var flavor: String?
    var rawHTML: String?
    var toc: Bool?
    var templates: String?
    var translateTo: [String]?
    var minTranslated: Double?
    var filters: [String]?
    /// Seconds a filter may take for one post.
    var filterTimeout: Double?
    var disabledRules: Set<String> = []
    /// Rules whose findings are errors, and rules whose findings are warnings, whatever their
    /// own severity.
    var errorRules: Set<String> = []
    var warningRules: Set<String> = []
    /// Where each key was written (`email.from` → 4:3), for messages about its value.
    var locations: [String: SourceLocation] = [:]
    /// Unknown keys and other things worth saying that do not stop a command.
    var warnings: [Diagnostic] = []
    /// The tags under `languages:`, in the file's order.
    private var languageOrder: [String] = []

    /// The posts a command reads when it is given none: `posts:`, and the folders of the
    /// languages that are not inside one of them.
    var defaultInputs: [String] {
        let posts = self.posts ?? []
        let folders = languages.compactMap(\.folder).filter { folder in
            !posts.contains { folder == $0 || folder.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        }
        return posts + folders
    }

    /// Every rule id the file names.
    var namedRules: Set<String> { disabledRules.union(errorRules).union(warningRules) }

    /// `finding` with the severity the configuration gives its rule.
    func applySeverity(to finding: Diagnostic) -> Diagnostic {
        guard CheckRules.rule(finding.id.rawValue) != nil else { return finding }
        var finding = finding
        if errorRules.contains(finding.id.rawValue) { finding.severity = .error }
        if warningRules.contains(finding.id.rawValue) { finding.severity = .warning }
        return finding
    }

    /// A path written in the file, made relative to the current folder's view of it: absolute
    /// paths stay, others start from the file's folder.
    func path(_ value: String) -> String {
        value.hasPrefix("/") ? value : folder.appendingPathComponent(value).standardizedFileURL.path
    }

    /// A diagnostic about the value of `key`, placed at the key in the file.
    func problem(_ key: String, _ message: String) -> DiagnosticError {
        DiagnosticError(.error(.configInvalid, file: file, at: locations[key], message))
    }

    // MARK: Reading

    /// What a key holds.
    enum Value {
        case string, bool, integer, number
        /// One string or a list of them (`to: a@b` or `to: [a@b, c@d]`).
        case strings
        /// One of these words.
        case choice([String])
        case section([String: Value])
        /// A mapping whose keys are the user's (language tags), each a section of these keys.
        case entries([String: Value])
    }

    /// What `languages:` says of one language.
    struct LanguageSettings: Equatable {
        /// The language tag, as written (`en`, `zh`, `zh-Hant`).
        var tag: String
        /// Where the language's posts are: an absolute, standardized path.
        var folder: String?
        /// The site's title in this language.
        var title: String?
        /// The language's name in its own language, for the language switch (`中文`).
        var name: String?
        /// The recipients of this language's mail.
        var emailTo: [String]?
    }

    /// The settings of one language under `languages:`.
    static let languageKeys: [String: Value] = [
        "folder": .string, "title": .string, "name": .string, "email": .section(["to": .strings]),
    ]

    /// Every key `herald.yml` knows.
    static let keys: [String: Value] = [
        "site": .section([
            "title": .string, "base-url": .string, "author": .strings, "timezone": .string, "paginate": .integer,
        ]),
        "languages": .entries(languageKeys),
        "posts": .strings,
        "out": .string,
        "drafts": .bool,
        "formats": .strings,
        "email": .section([
            "from": .string, "to": .strings, "reply-to": .string, "list-unsubscribe": .string, "sendmail": .string,
        ]),
        "width": .integer,
        "flowed": .bool,
        "flavor": .choice(["commonmark", "gfm", "herald"]),
        "raw-html": .choice(["escape", "sanitize", "keep"]),
        "toc": .bool,
        "templates": .string,
        "translate": .section(["to": .strings, "min-translated": .number]),
        "filters": .strings,
        "filter-timeout": .number,
        "check": .section(["disable": .strings, "errors": .strings, "warnings": .strings]),
    ]

    /// The path of the nearest `herald.yml` from `start` (the current folder) up.
    static func nearest(from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> String? {
        var folder = start.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent("herald.yml").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The configuration, or nil after reporting why it cannot be read. Its warnings (unknown
    /// keys) are reported here, once.
    static func load(_ path: String?, reportingTo console: Console) -> Config? {
        do {
            let config = try load(path)
            console.report(config.warnings)
            return config
        } catch {
            console.report(error.diagnostics)
            return nil
        }
    }

    /// The file at `path`, or the nearest `herald.yml` in the current folder or a folder above
    /// it (as tools find their project's settings from any subfolder), or defaults.
    static func load(_ path: String?) throws(DiagnosticError) -> Config {
        guard let file = path ?? nearest() else { return Config() }
        let bytes = try SourceFiles.read(file)
        var config = Config()
        config.file = file
        config.folder = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL
        // An empty file sets nothing (and needs no YAML parser made ready for it).
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return config }
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw DiagnosticError(yamlError(error, file: file))
        }
        guard let root else { return config }
        guard case .mapping(let mapping) = root else {
            throw DiagnosticError(.error(.configInvalid, file: file, at: location(root), "herald.yml must be a mapping of settings (site:, email:, …)"))
        }
        var values: [String: Yams.Node] = [:]
        try config.read(mapping, schema: keys, prefix: "", into: &values)

        func string(_ key: String) -> String? { values[key]?.string }
        func strings(_ key: String) -> [String]? {
            guard let node = values[key] else { return nil }
            if case .sequence(let items) = node { return items.compactMap(\.string) }
            return node.string.map { [$0] }
        }
        config.siteTitle = string("site.title")
        config.baseURL = string("site.base-url")
        config.siteAuthors = strings("site.author")
        config.timeZone = string("site.timezone")
        config.paginate = values["site.paginate"]?.int
        if let paginate = config.paginate, paginate < 1 { throw config.problem("site.paginate", "site.paginate must be 1 or more") }
        if let zone = config.timeZone, TimeZone(identifier: zone) == nil {
            throw config.problem("site.timezone", "unknown time zone '\(zone)' (an IANA name, e.g. Asia/Shanghai or Europe/Berlin)")
        }
        for written in config.languageOrder {
            let key = "languages." + written
            guard let tag = LanguageTags.canonical(written) else {
                throw config.problem(key, "'\(written)' is not a language tag Herald knows (en, zh, zh-Hant, pt-BR)")
            }
            var language = LanguageSettings(
                tag: tag, folder: string(key + ".folder").map(config.path), title: string(key + ".title"),
                name: string(key + ".name"), emailTo: strings(key + ".email.to"))
            if config.languages.contains(where: { $0.tag == tag }) {
                throw config.problem(key, "language '\(tag)' is given twice")
            }
            language.name = language.name ?? LanguageTags.displayName(tag)
            if let folder = language.folder, let other = config.languages.first(where: { $0.folder == folder }) {
                throw config.problem(key + ".folder", "languages \(other.tag) and \(tag) have the same folder")
            }
            config.languages.append(language)
        }
        config.posts = strings("posts")?.map(config.path)
        config.out = string("out").map(config.path)
        config.drafts = values["drafts"]?.bool
        config.formats = strings("formats")
        config.emailFrom = string("email.from")
        config.emailTo = strings("email.to")
        config.replyTo = string("email.reply-to")
        config.listUnsubscribe = string("email.list-unsubscribe")
        config.sendmail = string("email.sendmail")
        config.width = values["width"]?.int
        config.flowed = values["flowed"]?.bool
        config.flavor = string("flavor")
        config.rawHTML = string("raw-html")
        config.toc = values["toc"]?.bool
        config.templates = string("templates").map(config.path)
        config.translateTo = strings("translate.to")
        config.minTranslated = values["translate.min-translated"]?.float
        config.filters = strings("filters")
        config.filterTimeout = values["filter-timeout"]?.float
        config.disabledRules = Set(strings("check.disable") ?? [])
        config.errorRules = Set(strings("check.errors") ?? [])
        config.warningRules = Set(strings("check.warnings") ?? [])
        if let both = config.errorRules.intersection(config.warningRules).sorted().first {
            throw config.problem("check.warnings", "\(both) is in both check.errors and check.warnings")
        }
        return config
    }

    /// Checks `mapping` against `schema`, noting each value under its dotted key.
    private mutating func read(_ mapping: Yams.Node.Mapping, schema: [String: Value], prefix: String, into values: inout [String: Yams.Node]) throws(DiagnosticError) {
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { continue }
            let dotted = prefix + key
            locations[dotted] = Self.location(keyNode)
            guard let expected = schema[key] else {
                let known = schema.keys.sorted()
                let hint = Suggestions.closest(to: key, among: known).map { "; did you mean '\(prefix)\($0)'?" }
                    ?? " (known: \(known.map { prefix + $0 }.joined(separator: ", ")))"
                warnings.append(.warning(.configUnknownKey, file: file, at: Self.location(keyNode), "unknown key '\(dotted)'\(hint)"))
                continue
            }
            let at = Self.location(value)
            func wrong(_ what: String) -> DiagnosticError {
                DiagnosticError(.error(.configInvalid, file: file, at: at, "\(dotted) must be \(what)"))
            }
            switch expected {
            case .section(let inner):
                guard case .mapping(let nested) = value else { throw wrong("a mapping (\(inner.keys.sorted().joined(separator: ", ")))") }
                try read(nested, schema: inner, prefix: dotted + ".", into: &values)
                continue
            case .entries(let inner):
                guard case .mapping(let nested) = value else { throw wrong("a mapping of language tags to their settings (en: { folder: posts-en })") }
                for (entryKey, entryValue) in nested {
                    guard let name = entryKey.string else { continue }
                    locations[dotted + "." + name] = Self.location(entryKey)
                    languageOrder.append(name)
                    // `zh: {}` and `zh:` alone are a language with no settings of its own.
                    if entryValue.null != nil { continue }
                    guard case .mapping(let settings) = entryValue else {
                        throw DiagnosticError(.error(
                            .configInvalid, file: file, at: Self.location(entryValue),
                            "\(dotted).\(name) must be a mapping (\(inner.keys.sorted().joined(separator: ", ")))"))
                    }
                    try read(settings, schema: inner, prefix: dotted + "." + name + ".", into: &values)
                }
                continue
            case .string:
                guard case .scalar = value, value.string != nil, value.null == nil else { throw wrong("a string") }
            case .bool:
                guard value.bool != nil else { throw wrong("true or false") }
            case .integer:
                guard value.int != nil else { throw wrong("a whole number") }
            case .number:
                guard value.float != nil else { throw wrong("a number") }
            case .strings:
                switch value {
                case .scalar where value.null == nil: break
                case .sequence(let items):
                    for item in items {
                        guard case .scalar = item, item.null == nil else {
                            throw DiagnosticError(.error(.configInvalid, file: file, at: Self.location(item), "\(dotted) must be a list of strings"))
                        }
                    }
                default: throw wrong("a string or a list of strings")
                }
            case .choice(let words):
                guard let word = value.string, words.contains(word) else {
                    throw wrong("one of \(words.joined(separator: ", "))" + Suggestions.didYouMean(value.string ?? "", among: words))
                }
            }
            values[dotted] = value
        }
    }

    static func location(_ node: Yams.Node) -> SourceLocation? {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    /// A YAML syntax error at its place.
    static func yamlError(_ error: any Error, file: String) -> Diagnostic {
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .error(.configInvalid, file: file, at: SourceLocation(line: mark.line, column: mark.column), "invalid YAML: \(problem)")
        default:
            return .error(.configInvalid, file: file, "invalid YAML: \(error)")
        }
    }
}
