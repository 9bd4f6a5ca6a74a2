// `herald check`: the rules run over a post's AST, each finding placed at the exact line and
// column of the text it is about.

import Foundation
public import HeraldCore
import HeraldMarkdown
import HeraldTranslate

/// Runs the rules on posts.
public struct Linter: Sendable {
    /// Rule ids not to report.
    public var disabled: Set<String>
    /// Whether the parser's own warnings (missing title, byte-order mark, …) are reported too;
    /// `herald build` reports those already.
    public var includeParserDiagnostics: Bool

    public init(disabled: Set<String> = [], includeParserDiagnostics: Bool = true) {
        self.disabled = disabled
        self.includeParserDiagnostics = includeParserDiagnostics
    }

    /// The findings for each file, in the order given, checked in parallel; a file that cannot
    /// be read gets a `read-failed` error and the others are still checked.
    public func check(files: [String]) -> [[Diagnostic]] {
        files.concurrentMap { file in
            guard let data = FileManager.default.contents(atPath: file) else {
                return [.error("read-failed", file: file, "cannot read file")]
            }
            return check([UInt8](data), path: file)
        }
    }

    /// The findings for the post at `path`, in source order.
    public func check(_ bytes: [UInt8], path: String) -> [Diagnostic] {
        let post: Post
        let source: SourceText
        do {
            (post, source) = try MarkdownParser().parseForChecking(bytes, path: path)
        } catch let error as DiagnosticError {
            return error.diagnostics.filter { !disabled.contains($0.id) }
        } catch {
            return [.error("check-failed", file: path, "\(error)")]
        }
        var run = LintRun(post: post, source: source)
        if includeParserDiagnostics {
            // A stub's title is a segment: untitled until translated, published with the source's.
            run.findings = post.diagnostics.filter { !(StubReader.isStub(post.metadata) && $0.id == "missing-title") }
        }
        run.checkFrontMatter()
        if StubReader.isStub(post.metadata) {
            run.checkTranslation(bytes)
        } else {
            run.checkReferences()
            run.checkLinks()
            run.checkHeadings()
        }
        let suppressions = Suppressions(text: source.text, path: path)
        return (run.findings.filter { !suppressions.silences($0) } + suppressions.problems)
            .filter { !disabled.contains($0.id) }
            .sortedByPlace()
    }
}

/// The state of one post's check.
struct LintRun {
    let post: Post
    let source: SourceText
    var findings: [Diagnostic] = []
    /// The anchors of the other posts this one links to, by path.
    var otherAnchors: [String: Set<String>?] = [:]
    var document: Document { post.document }

    init(post: Post, source: SourceText) {
        self.post = post
        self.source = source
    }

    mutating func report(_ rule: String, _ location: SourceLocation?, _ message: String) {
        let severity = CheckRules.rule(rule)?.severity ?? .warning
        findings.append(Diagnostic(severity, id: rule, file: post.sourcePath, at: location, message))
    }

    /// The last line `locate` looked at, as scalars (a long line with many findings is split once).
    private var cachedLine: (number: Int, scalars: [Unicode.Scalar]) = (0, [])

    /// Where `needle` is on `line`, searching from column `from`; `from` when it is not found.
    mutating func locate(_ needle: String, line: Int, from column: Int) -> SourceLocation {
        if cachedLine.number != line { cachedLine = (line, Array(source.line(line).unicodeScalars)) }
        let scalars = cachedLine.scalars
        let target = Array(needle.unicodeScalars)
        if !target.isEmpty, scalars.count >= target.count, max(column - 1, 0) <= scalars.count - target.count {
            for start in max(column - 1, 0)...(scalars.count - target.count)
            where scalars[start] == target[0] && scalars[start..<start + target.count].elementsEqual(target) {
                return SourceLocation(line: line, column: start + 1)
            }
        }
        return SourceLocation(line: line, column: max(column, 1))
    }

    // MARK: Front matter

    mutating func checkFrontMatter() {
        let metadata = post.metadata
        if let lang = metadata.lang, !LanguageTags.isKnown(lang) {
            let key = metadata.keyLocations["lang"]
            let location = key.map { locate(lang, line: $0.line, from: $0.column + 5) }
            report("unknown-lang", location, "'\(lang)' is not a known language tag (use en, zh, zh-CN, …)")
        }
        if metadata.keyLocations["tags"] != nil, metadata.tags.isEmpty || metadata.tags.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            report("empty-tags", metadata.keyLocations["tags"], metadata.tags.isEmpty ? "tags is empty" : "a tag is empty")
        }
    }
}

extension [Diagnostic] {
    /// The findings in line and column order; findings at one place keep their order.
    public func sortedByPlace() -> [Diagnostic] {
        enumerated().sorted { a, b in
            (a.element.location?.line ?? 0, a.element.location?.column ?? 0, a.offset)
                < (b.element.location?.line ?? 0, b.element.location?.column ?? 0, b.offset)
        }.map(\.element)
    }
}
