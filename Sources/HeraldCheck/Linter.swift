// `herald check`: the rules run over a post's AST, each finding placed at the exact line and
// column of the text it is about.

import Foundation
public import HeraldCore
public import HeraldTranslate

/// Runs the rules on posts. A ``PostCheck``: `herald build` runs it on the posts it parses.
public struct Linter: PostCheck {
    /// Rule ids not to report.
    public var disabled: Set<String>
    /// Whether the parser's own warnings (missing title, byte-order mark, …) are reported too,
    /// placed among the findings and silenced by the same comments; `herald build` reports
    /// those already.
    public var includeParserDiagnostics: Bool
    /// How other posts are read: a post this one links to (`other.md#part`), the source of a
    /// translation stub. The command's pipeline.
    public var load: Translator.Loader
    /// The site's layout, when the post is one of a site's: a link to a post not written in
    /// the linking post's language yet goes to the same name in another language's folder.
    public var site: BuildContext?

    public init(
        disabled: Set<String> = [], includeParserDiagnostics: Bool = true, load: @escaping Translator.Loader = Translator.defaultLoader,
        site: BuildContext? = nil
    ) {
        self.disabled = disabled
        self.includeParserDiagnostics = includeParserDiagnostics
        self.load = load
        self.site = site
    }

    public var fingerprint: String { "checks, disabled: \(disabled.sorted()), parser's: \(includeParserDiagnostics)" }

    /// The findings for `post` (read with its text, ``Post/source``), in source order.
    public func check(_ post: Post) -> [Diagnostic] {
        guard let source = post.source else { return [] }
        var run = LintRun(post: post, source: source, load: load, site: site)
        if includeParserDiagnostics {
            // A stub's title is a segment: untitled until translated, published with the source's.
            run.findings = post.diagnostics.filter { !(StubReader.isStub(post.metadata) && $0.id == .missingTitle) }
        }
        run.checkFrontMatter()
        if StubReader.isStub(post.metadata) {
            run.checkTranslation(source.text)
        } else {
            run.checkReferences()
            run.checkLinks()
            run.checkHeadings()
        }
        let suppressions = Suppressions(text: source.text, path: post.sourcePath)
        return (run.findings.filter { !suppressions.silences($0) } + suppressions.problems)
            .filter { !disabled.contains($0.id.rawValue) }
            .sortedByPlace()
    }
}

/// The state of one post's check.
struct LintRun {
    let post: Post
    let source: SourceText
    let load: Translator.Loader
    let site: BuildContext?
    var findings: [Diagnostic] = []
    /// The anchors of the other posts this one links to, by path.
    var otherAnchors: [String: Set<String>?] = [:]
    /// The post's own anchors, found when a link first points at one.
    private var ownAnchors: Set<String>?
    /// The post's document, held once: read through `post` at every node, it would be copied
    /// (every one of its arrays retained and released) at every read.
    let document: Document

    init(post: Post, source: SourceText, load: @escaping Translator.Loader, site: BuildContext? = nil) {
        self.post = post
        self.document = post.document
        self.source = source
        self.load = load
        self.site = site
    }

    mutating func report(_ rule: String, _ location: SourceLocation?, _ message: String) {
        let severity = CheckRules.rule(rule)?.severity ?? .warning
        findings.append(Diagnostic(severity, id: DiagnosticID(rule), file: post.sourcePath, at: location, message))
    }

    /// The ids a `#fragment` link of this post may point at (``anchors(of:)``), found once.
    mutating func anchors() -> Set<String> {
        if let ownAnchors { return ownAnchors }
        let anchors = Self.anchors(of: document)
        ownAnchors = anchors
        return anchors
    }

    /// ``locate(_:line:from:)`` of a place noted before there was anything to report there.
    mutating func locate(_ place: TextPlace) -> SourceLocation {
        let location = locate(place.needle, line: place.line, from: place.column)
        return SourceLocation(line: location.line, column: location.column + place.shift)
    }

    /// The last line `locate` looked at, as bytes (a long line with many findings is copied once).
    private var cachedLine: (number: Int, text: ByteText) = (0, ByteText(""))

    /// Where `needle` is on `line`, searching from column `from`; `from` when it is not found.
    /// Columns count Unicode scalars; the search compares UTF-8 bytes (a match of valid UTF-8
    /// starts and ends on scalars).
    mutating func locate(_ needle: String, line: Int, from column: Int) -> SourceLocation {
        if cachedLine.number != line { cachedLine = (line, ByteText(String(source.line(line)))) }
        let bytes = cachedLine.text.bytes
        let notFound = SourceLocation(line: line, column: max(column, 1))
        func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
        // The byte where the column starts.
        var start = 0
        var skipped = 0
        while skipped < column - 1 {
            guard start < bytes.count else { return notFound }
            start += 1
            while start < bytes.count, isContinuation(bytes[start]) { start += 1 }
            skipped += 1
        }
        guard !needle.isEmpty, let found = cachedLine.text.firstIndex(of: Array(needle.utf8), from: start) else { return notFound }
        let scalarsBetween = bytes[start..<found].reduce(0) { $0 + (isContinuation($1) ? 0 : 1) }
        return SourceLocation(line: line, column: skipped + scalarsBetween + 1)
    }

    // MARK: Front matter

    mutating func checkFrontMatter() {
        let metadata = post.metadata
        if let lang = metadata.lang, !LanguageTags.isKnown(lang) {
            let key = metadata.keyLocations["lang"]
            let location = key.map { locate(lang, line: $0.line, from: $0.column + 5) }
            report("unknown-lang", location, "'\(lang)' is not a known language tag (use en, zh, zh-CN, …)")
        }
        if metadata.keyLocations["tags"] != nil, metadata.tags.isEmpty || metadata.tags.contains(where: { $0.withoutSurroundingSpaces.isEmpty }) {
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

/// Text to find on a line of the source, from a column on, when a finding must be placed: most
/// addresses are fine, and finding each one's column would cost more than checking it.
struct TextPlace {
    var needle: String
    var line: Int
    var column: Int
    /// Added to the column found: where the finding starts inside the needle.
    var shift: Int

    init(_ needle: String, line: Int, from column: Int, shift: Int = 0) {
        self.needle = needle
        self.line = line
        self.column = column
        self.shift = shift
    }
}
