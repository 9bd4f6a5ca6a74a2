// `herald check`: a post's mistakes before it goes out, in the form compilers use.

import ArgumentParser
import Foundation
import HeraldCheck
import HeraldCore
import Synchronization

struct CheckCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Find mistakes in posts before they are published.",
        discussion: """
            Reports FILE:LINE:COL: warning|error: message [rule-id] for each finding (with the \
            line and a caret under the place when standard error is a terminal). Exits with 1 \
            when there are errors, or warnings with --strict. Rules can be turned off with \
            --disable or in herald.yml (check: disable: [rule, …]); --explain RULE says what a \
            rule is about, --list-rules lists them.
            """)

    @Argument(help: "Posts or folders of posts; - reads one post from standard input.", completion: .file(extensions: ["md"]))
    var posts: [String] = []

    @Option(name: .customLong("stdin-name"), help: "With -: the file name the post on standard input has (for messages and relative links).")
    var stdinName: String = "<stdin>"

    @Option(help: "text (compiler form), json, or github (annotations for GitHub Actions).")
    var format: Format = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @Option(help: "Turn a rule off (repeatable).")
    var disable: [String] = []

    @Option(help: "Explain one rule and exit.")
    var explain: String?

    @Flag(name: .customLong("list-rules"), help: "List the rules and exit.")
    var listRules = false

    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

    @OptionGroup(title: "Online") var online: OnlineOptionGroup

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    func execute(_ console: Console) throws -> Int32 {
        if let explain {
            guard let rule = CheckRules.rule(explain) else {
                console.report([.error("unknown-rule", "no rule '\(explain)'; --list-rules lists them")])
                return 1
            }
            console.out("\(rule.id) (\(rule.severity.rawValue)): \(rule.explanation)\n")
            return 0
        }
        if listRules {
            for rule in CheckRules.all { console.out("\(rule.id) (\(rule.severity.rawValue)): \(rule.explanation)\n") }
            return 0
        }
        guard let settings = Project.load(Flags(config: config), console: console) else { return 1 }
        let config = settings.config
        // Without posts named, the project's (posts: and the languages' folders in herald.yml).
        let posts = self.posts.isEmpty ? config.defaultInputs : self.posts
        guard !posts.isEmpty else {
            console.report([.error("input-missing", "name at least one post or folder (or posts: in herald.yml)")])
            return 1
        }
        let unknown = Set(disable).union(config.namedRules).filter { CheckRules.rule($0) == nil }
        if !unknown.isEmpty {
            console.report([.warning("unknown-rule", "no rule named \(unknown.sorted().joined(separator: ", ")); --list-rules lists them")])
        }
        let linter = Linter(disabled: config.disabledRules.union(disable), load: settings.loader(), site: settings.context)
        // The posts as their authors wrote them: no transforms, drafts too, and a post whose
        // front matter has errors still read so its body is checked.
        let pipeline = settings.pipeline(parser: settings.parser(forChecking: true), transforming: false, includeDrafts: true)
        let inputs: [Pipeline.Input]
        var inputDiagnostics: [Diagnostic] = []
        var texts: [String: String] = [:]
        if posts == ["-"] {
            // An editor checking the buffer it has not saved yet.
            let input = console.input()
            texts[stdinName] = String(decoding: input, as: UTF8.self)
            inputs = [Pipeline.Input(path: stdinName, bytes: [UInt8](input))]
        } else {
            let (sources, diagnostics) = Pipeline.collectSources(posts)
            inputDiagnostics = diagnostics
            inputs = sources.map(Pipeline.Input.file)
        }
        let report = pipeline.load(inputs)
        let loaded = Dictionary(report.posts.map { ($0.sourcePath, $0) }, uniquingKeysWith: { first, _ in first })
        let failed = Set(report.failedSources)
        // The posts are checked on every core, as the build checks them.
        var perFile = inputs.concurrentMap { input -> [Diagnostic] in
            if let post = loaded[input.path] { return linter.check(post) }
            guard failed.contains(input.path) else { return [] }
            return report.diagnostics.filter { $0.file == input.path && !linter.disabled.contains($0.id.rawValue) }
        }
        if online.online && !linter.disabled.contains("url-unreachable") {
            // Each post's findings stay together, in line order, the online ones included.
            let order = Dictionary(inputs.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
            for finding in try online.check(posts: report.posts, console: console) {
                guard let index = finding.file.flatMap({ order[$0] }) else { continue }
                perFile[index].append(finding)
            }
            perFile = perFile.map { $0.sortedByPlace() }
        }
        return try self.report(
            inputDiagnostics + perFile.joined().map(config.applySeverity), sources: inputs.map(\.path), texts: texts, console: console)
    }

    /// Writes `findings` in the chosen format; the exit status.
    func report(_ findings: [Diagnostic], sources: [String], texts known: [String: String], console: Console) throws -> Int32 {
        switch format {
        case .json:
            console.out(try StableJSON.text(findings.map { JSONFinding($0) }))
        case .github:
            // Workflow commands: each finding becomes an annotation on the file and line.
            for finding in findings {
                var properties: [String] = []
                if let file = finding.file { properties.append("file=" + Self.annotationProperty(file)) }
                if let location = finding.location { properties.append("line=\(location.line),col=\(location.column)") }
                properties.append("title=" + Self.annotationProperty(finding.id.rawValue))
                let level = finding.severity == .error ? "error" : finding.severity == .warning ? "warning" : "notice"
                console.out("::\(level) \(properties.joined(separator: ","))::\(Self.annotationData(finding.message))\n")
            }
        case .text:
            var texts = known.mapValues { Self.lines(of: $0) }
            for finding in findings {
                console.err(finding.description + "\n")
                if console.errorIsTerminal, let file = finding.file, let location = finding.location,
                    let line = Self.sourceLine(location.line, of: file, cache: &texts)
                {
                    console.err(Self.caret(line: line, column: location.column))
                }
            }
            let errors = findings.filter { $0.severity == .error }.count
            let warnings = findings.filter { $0.severity == .warning }.count
            console.err("\(sources.count) post\(sources.count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n")
        }
        let failing = findings.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        return failing ? 1 : 0
    }

    /// A workflow command's message, with the characters that would end or change it escaped.
    static func annotationData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A workflow command's property value: as its message, and `:` and `,` too.
    static func annotationProperty(_ text: String) -> String {
        annotationData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// The lines of a post as the editor numbers them (CRLF or LF).
    static func lines(of text: String) -> [Substring] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Line `number` of `file` (read once per file), for the caret display.
    static func sourceLine(_ number: Int, of file: String, cache: inout [String: [Substring]]) -> String? {
        if cache[file] == nil {
            guard let data = FileManager.default.contents(atPath: file) else { return nil }
            cache[file] = lines(of: String(decoding: data, as: UTF8.self))
        }
        guard let lines = cache[file], number >= 1, number <= lines.count else { return nil }
        return String(lines[number - 1])
    }

    /// The source line and a caret under `column` (tabs kept so the caret lines up).
    static func caret(line: String, column: Int) -> String {
        var marker = ""
        for (index, character) in line.enumerated() where index < column - 1 {
            marker += character == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.of(String(character)))
        }
        return "    " + line + "\n    " + marker + "^\n"
    }
}

/// A finding as `--format json` writes it.
struct JSONFinding: Encodable {
    var file: String?
    var line: Int?
    var column: Int?
    var severity: String
    var rule: String
    var message: String

    init(_ diagnostic: Diagnostic) {
        file = diagnostic.file
        line = diagnostic.location?.line
        column = diagnostic.location?.column
        severity = diagnostic.severity.rawValue
        rule = diagnostic.id.rawValue
        message = diagnostic.message
    }
}

/// `--online` and how it behaves.
struct OnlineOptionGroup: ParsableArguments {
    @Flag(help: "Also follow external links over HTTP.")
    var online = false

    @Option(help: "With --online: requests in flight at once.")
    var concurrency: Int = 8

    @Option(name: .customLong("per-host-delay"), help: "With --online: milliseconds between two requests to the same host.")
    var perHostDelay: Int = 250

    @Option(help: "With --online: seconds one request may take.")
    var timeout: Double = 10

    @Option(help: "With --online: further attempts after a network error, a 429 or a 5xx answer.")
    var retries: Int = 2

    @Option(help: "With --online: the cache of results kept between runs.", completion: .file())
    var cache: String = ".herald-links.json"

    @Option(name: .customLong("cache-days"), help: "With --online: how many days a cached result stays good.")
    var cacheDays: Double = 7

    func check(posts: [Post], console: Console) throws -> [Diagnostic] {
        let uses = posts.flatMap(Linter.externalLinks(of:))
        if !uses.isEmpty, let reason = LinkChecker.unavailable {
            throw DiagnosticError(.error("online-unavailable", "cannot check links online: \(reason)"))
        }
        let checker = LinkChecker(options: LinkCheckOptions(
            concurrency: concurrency, perHostInterval: .milliseconds(perHostDelay), timeout: timeout, retries: retries,
            cacheFile: URL(fileURLWithPath: cache), cacheMaxAge: cacheDays * 24 * 3600))
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.set(await checker.check(uses))
            done.signal()
        }
        done.wait()
        let (findings, requests, fromCache) = box.get()
        let cached = fromCache > 0 ? ", \(fromCache) answered by \(cache)" : ""
        console.err("checked \(Set(uses.map(\.url)).count) addresses online (\(requests) requests\(cached))\n")
        return findings
    }
}

/// Hands an async result to the synchronous command.
private final class ResultBox: Sendable {
    private let value = Mutex<([Diagnostic], Int, Int)>(([], 0, 0))
    func set(_ result: ([Diagnostic], Int, Int)) { value.withLock { $0 = result } }
    func get() -> ([Diagnostic], Int, Int) { value.withLock { $0 } }
}
