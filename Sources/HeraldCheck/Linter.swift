// `herald check`: the rules run over a post's AST, each finding placed at the exact line and
// column of the text it is about.

import Foundation
public import HeraldCore
import Synchronization
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
        let results = Mutex<[[Diagnostic]]>(Array(repeating: [], count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let findings: [Diagnostic]
            if let data = FileManager.default.contents(atPath: files[index]) {
                findings = check([UInt8](data), path: files[index])
            } else {
                findings = [.error("read-failed", file: files[index], "cannot read file")]
            }
            results.withLock { $0[index] = findings }
        }
        return results.withLock { $0 }
    }

    /// The findings for the post at `path`, in source order.
    public func check(_ bytes: [UInt8], path: String) -> [Diagnostic] {
        let (decoded, sourceDiagnostics) = SourceText.decode(bytes, path: path)
        guard let source = decoded else { return sourceDiagnostics }
        let post: Post
        do {
            post = try MarkdownParser().parse(bytes, path: path)
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
        let suppressions = source.text.firstRange(of: "herald-check") == nil
            ? Suppressions(lines: [], path: path)
            : Suppressions(lines: source.text.split(separator: "\n", omittingEmptySubsequences: false), path: path)
        return (run.findings.filter { !suppressions.silences($0) } + suppressions.problems)
            .filter { !disabled.contains($0.id) }
            .sorted { ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0) }
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
        if let lang = metadata.lang, !Languages.isKnown(lang) {
            let key = metadata.keyLocations["lang"]
            let location = key.map { locate(lang, line: $0.line, from: $0.column + 5) }
            report("unknown-lang", location, "'\(lang)' is not a known language tag (use en, zh, zh-CN, …)")
        }
        if metadata.keyLocations["tags"] != nil, metadata.tags.isEmpty || metadata.tags.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            report("empty-tags", metadata.keyLocations["tags"], metadata.tags.isEmpty ? "tags is empty" : "a tag is empty")
        }
    }

    // MARK: Reference links

    /// A label as CommonMark matches it: case-folded, inner white space collapsed.
    static func normalized(_ label: String) -> String {
        label.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    mutating func checkReferences() {
        var defined: [String: LinkDefinition] = [:]
        for definition in document.linkDefinitions {
            let label = Self.normalized(definition.label)
            if let first = defined[label] {
                report("reference-duplicate", definition.range.start,
                    "[\(definition.label)] is already defined on line \(first.range.start.line); this definition is ignored")
            } else {
                defined[label] = definition
            }
        }
        var used: Set<String> = []
        for id in document.descendants() {
            switch document[id].kind {
            case .link(let link), .image(let link):
                if let label = link.label, link.form != .inline, link.form != .autolink { used.insert(Self.normalized(label)) }
            default:
                break
            }
        }
        // Brackets left as text: references whose label has no definition.
        let similar = SimilarLabels(document.linkDefinitions.map { Self.normalized($0.label) })
        for id in document.descendants() {
            guard case .text(let text) = document[id].kind, text.utf8.contains(UInt8(ascii: "[")), !document[id].range.isUnknown else { continue }
            // Each bracket is looked for after the one before, so repeated ones get their own columns.
            var from = document[id].range.start.column
            for (bracket, label, full) in Self.bracketed(text) {
                let key = Self.normalized(label)
                guard defined[key] == nil else { continue }
                let location = locate(bracket, line: document[id].range.start.line, from: from)
                from = location.column + bracket.unicodeScalars.count
                let near = similar.nearest(to: key)
                guard full || label.hasPrefix("@") || near != nil else { continue }
                var message = "[\(label)] is used as a reference link but no definition has that label; it shows as plain brackets"
                if let near, let definition = defined[near] { message += " (did you mean [\(definition.label)]?)" }
                report("reference-undefined", location, message)
            }
        }
        for definition in document.linkDefinitions where !used.contains(Self.normalized(definition.label)) {
            guard defined[Self.normalized(definition.label)] == definition else { continue }
            report("reference-unused", definition.range.start, "[\(definition.label)] is defined but no link uses it")
        }
    }

    /// `[label]` and `[text][label]` written in a text: the bracketed source, the label, and
    /// whether it is the full form.
    static func bracketed(_ text: String) -> [(String, String, Bool)] {
        var results: [(String, String, Bool)] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index] == "[", index == 0 || characters[index - 1] != "\\" else {
                index += 1
                continue
            }
            guard let close = characters[(index + 1)...].firstIndex(where: { $0 == "]" || $0 == "[" }), characters[close] == "]" else {
                index += 1
                continue
            }
            let first = String(characters[(index + 1)..<close])
            var end = close + 1
            var label = first
            var full = false
            if end < characters.count, characters[end] == "[", let second = characters[(end + 1)...].firstIndex(of: "]") {
                let inner = String(characters[(end + 1)..<second])
                label = inner.isEmpty ? first : inner
                full = true
                end = second + 1
            }
            let next = end < characters.count ? characters[end] : " "
            // `[x](…` would be an inline link, `[x]:` a definition, `[ ]`/`[x]` a task box.
            if !label.trimmingCharacters(in: .whitespaces).isEmpty, next != "(", next != ":",
                !(first == "x" || first == "X" || first == " "), !first.hasPrefix("^")
            {
                results.append((String(characters[index..<end]), label, full))
            }
            index = end
        }
        return results
    }

    /// Labels that differ only by an `@`, case, or one letter (added, dropped or changed), for
    /// labels of five letters or more.
    static func looksAlike(_ a: String, _ b: String) -> Bool {
        let x = a.hasPrefix("@") ? String(a.dropFirst()) : a
        let y = b.hasPrefix("@") ? String(b.dropFirst()) : b
        if x == y { return true }
        guard x.count >= 5, abs(x.count - y.count) <= 1 else { return false }
        return editDistance(Array(x), Array(y)) <= 1
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    // MARK: Links and images

    mutating func checkLinks() {
        let anchors = Self.anchors(of: document)
        // Addresses of reference links are checked once, at their definition.
        for definition in document.linkDefinitions {
            let location = locate(definition.destination, line: definition.range.start.line, from: definition.range.start.column)
            checkAddress(definition.destination, at: location, anchors: anchors)
            if definition.label.hasPrefix("@") {
                checkMention(String(definition.label.dropFirst()), definition.destination, at: definition.range.start)
            }
        }
        for id in document.descendants() {
            let node = document[id]
            guard !node.range.isUnknown else { continue }
            switch node.kind {
            case .link(let link):
                let text = document.plainText(of: id).trimmingCharacters(in: .whitespaces)
                if link.form == .inline {
                    let location = locate("(" + link.destination, line: node.range.start.line, from: node.range.start.column)
                    checkAddress(link.destination, at: SourceLocation(line: location.line, column: location.column + 1), anchors: anchors)
                    if text.hasPrefix("@") { checkMention(String(text.dropFirst()), link.destination, at: node.range.start) }
                }
                checkIssueReference(text, link.destination, at: node.range.start)
                if let next = node.next, case .text(let after) = document[next].kind, let first = after.unicodeScalars.first,
                    first.properties.isAlphabetic || ("0"..."9").contains(first), !first.isCJK
                {
                    report("link-glued", SourceLocation(line: node.range.end.line, column: node.range.end.column + 1),
                        "text runs on right after the link '\(text)': a space is missing")
                }
            case .image(let link):
                if document.plainText(of: id).trimmingCharacters(in: .whitespaces).isEmpty {
                    report("image-alt", node.range.start, "image '\(link.destination)' has no alt text")
                }
                if LocalAssets.isLocal(link.destination) {
                    let asset = LocalAssets.resolve(link.destination, postPath: post.sourcePath)
                    if asset.map({ !FileManager.default.fileExists(atPath: $0.file.path) }) ?? true {
                        report("image-missing", locate(link.destination, line: node.range.start.line, from: node.range.start.column),
                            "image '\(link.destination)' does not exist" + (asset == nil ? " inside the post's folder" : ""))
                    }
                }
            default:
                continue
            }
        }
    }

    mutating func checkAddress(_ destination: String, at location: SourceLocation, anchors: Set<String>) {
        let trimmed = destination.trimmingCharacters(in: .whitespaces)
        // Browsers ignore spaces and control characters in a scheme: `java\tscript:` counts.
        let compact = String(String.UnicodeScalarView(trimmed.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })).lowercased()
        if compact.hasPrefix("javascript:") {
            report("url-javascript", location, "javascript: link: it runs code, and every output removes it")
            return
        }
        if URLs.hasScheme(trimmed) || trimmed.hasPrefix("//") {
            if !URLs.isWellFormedWebAddress(trimmed.hasPrefix("//") ? "https:" + trimmed : trimmed) {
                report("url-malformed", location, "'\(trimmed)' is not a usable address (its host is empty or malformed)")
            }
            return
        }
        if trimmed.hasPrefix("#") {
            let fragment = String(trimmed.dropFirst())
            let decoded = fragment.removingPercentEncoding ?? fragment
            if !decoded.isEmpty, !anchors.contains(decoded) {
                report("link-missing-anchor", location, "no heading or element has the id '\(decoded)'")
            }
            return
        }
        guard LocalAssets.isLocal(trimmed) else { return }
        var path = trimmed
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = String(path[..<cut]) }
        guard !path.isEmpty else { return }
        let file = URL(fileURLWithPath: post.sourcePath).deletingLastPathComponent()
            .appendingPathComponent(path.removingPercentEncoding ?? path).standardizedFileURL
        if !FileManager.default.fileExists(atPath: file.path) {
            // `example.org/page` is a web address missing its scheme, not a file.
            let first = path.split(separator: "/").first.map(String.init) ?? ""
            let looksLikeHost = first.contains(".") && !first.hasPrefix(".") && first.split(separator: ".").last.map { $0.count >= 2 && $0.allSatisfy(\.isLetter) } == true
                && !["md", "markdown", "html", "htm", "pdf", "png", "jpg", "jpeg", "gif", "svg", "txt"].contains(String(first.split(separator: ".").last ?? "").lowercased())
            report("link-missing-file", location, looksLikeHost
                ? "'\(path)' does not exist beside the post; a web address needs https:// in front"
                : "'\(path)' does not exist beside the post")
            return
        }
        // `other.md#part`: the other post must have that heading.
        guard let hash = trimmed.firstIndex(of: "#"), file.pathExtension == "md" || file.pathExtension == "markdown" else { return }
        let fragment = String(trimmed[trimmed.index(after: hash)...])
        let decoded = fragment.removingPercentEncoding ?? fragment
        guard !decoded.isEmpty, let others = headingIDs(ofPostAt: file.path), !others.contains(decoded) else { return }
        report("link-missing-anchor", location, "\(path) has no heading or element with the id '\(decoded)'")
    }

    /// The anchors of another post, read once per check; nil when it cannot be parsed.
    mutating func headingIDs(ofPostAt path: String) -> Set<String>? {
        if let known = otherAnchors[path] { return known }
        let anchors = FileManager.default.contents(atPath: path)
            .flatMap { try? MarkdownParser().parse([UInt8]($0), path: path) }
            .map { Self.anchors(of: $0.document) }
        otherAnchors[path] = anchors
        return anchors
    }

    /// `[#123](…/pull/124)` and `[owner/repo#1](…/other/repo/…)`.
    mutating func checkIssueReference(_ text: String, _ destination: String, at location: SourceLocation) {
        guard let named = IssueReference(text: text), let target = GitHubIssueAddress(destination) else { return }
        if let (owner, repo) = named.repository,
            owner.lowercased() != target.owner.lowercased() || repo.lowercased() != target.repository.lowercased()
        {
            report("link-repo-mismatch", location, "the text names \(owner)/\(repo) but the address is in \(target.owner)/\(target.repository)")
        }
        if named.number != target.number {
            report("link-number-mismatch", location, "the text names #\(named.number) but the address points at #\(target.number)")
        }
    }

    /// `[@name]` pointing at another user's GitHub, GitLab or Twitter profile.
    mutating func checkMention(_ name: String, _ destination: String, at location: SourceLocation) {
        guard let profile = profileName(of: destination) else { return }
        if profile.lowercased() != name.lowercased() {
            report("mention-mismatch", location, "@\(name) links to the profile of '\(profile)'")
        }
    }

    /// The ids a fragment link may point at: headings (as rendered), footnotes, raw HTML ids.
    static func anchors(of document: Document) -> Set<String> {
        var ids: Set<String> = []
        var deduplicator = Slug.Deduplicator()
        var rawHTML: [String] = []
        for id in document.descendants() {
            switch document[id].kind {
            case .heading:
                ids.insert(deduplicator.unique(Slug.headingID(document.plainText(of: id))))
            case .footnoteDefinition(let label):
                ids.insert("fn-" + label)
                ids.insert("fnref-" + label)
            case .htmlBlock(let html), .inlineHTML(let html):
                if html.firstRange(of: "id") != nil || html.firstRange(of: "name") != nil { rawHTML.append(html) }
            default:
                continue
            }
        }
        if !rawHTML.isEmpty {
            // Built once per post, and only for posts with raw HTML that may carry ids.
            let attribute = /\b(?:id|name)\s*=\s*["']?([^"'\s>]+)/
            for html in rawHTML {
                for match in html.matches(of: attribute) { ids.insert(String(match.1)) }
            }
        }
        return ids
    }

    // MARK: Headings

    mutating func checkHeadings() {
        var previousLevel: Int?
        var seen: [String: Int] = [:]
        for id in document.descendants() {
            guard case .heading(let level, _) = document[id].kind, !document[id].range.isUnknown else { continue }
            let location = document[id].range.start
            let text = document.plainText(of: id).trimmingCharacters(in: .whitespaces)
            if let previous = previousLevel, level > previous + 1 {
                report("heading-skip", location, "level \(level) heading after a level \(previous) heading (level \(previous + 1) skipped)")
            }
            previousLevel = level
            if text.isEmpty {
                report("heading-empty", location, "heading has no text")
                continue
            }
            let slug = Slug.headingID(text)
            if let line = seen[slug] {
                report("heading-duplicate-id", location, "this heading gives the id '\(slug)' like the heading on line \(line)")
            } else {
                seen[slug] = location.line
            }
        }
    }

    // MARK: Translation stubs

    mutating func checkTranslation(_ bytes: [UInt8]) {
        let stub: Stub
        do {
            stub = try Translator.currentState(stubPath: post.sourcePath)
        } catch let error as DiagnosticError {
            findings += error.diagnostics
            return
        } catch {
            return
        }
        // Where each segment's id is written: `<!-- herald:ID` in the body, `id: ID` in the front matter.
        var places: [String: SourceLocation] = [:]
        let segmentID = /<!-- herald:([\w-]+)|^\s*id: ([\w-]+)/
        for (index, text) in String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n").enumerated() {
            for match in text.matches(of: segmentID) {
                guard let id = match.1 ?? match.2, places[String(id)] == nil else { continue }
                let start = text[match.range].firstIndex { !$0.isWhitespace } ?? match.range.lowerBound
                let column = text.distance(from: text.startIndex, to: start) + 1
                places[String(id)] = SourceLocation(line: index + 1, column: column)
            }
        }
        // A segment whose source changed has a new id; the stub as written still has the old one,
        // with the old source and the translation.
        let written = (try? Translator.readStub(post.sourcePath))?.segments ?? []
        func place(of segment: StubSegment) -> SourceLocation? {
            if let place = places[segment.id] { return place }
            let old = written.first { old in
                (segment.state.previous.map { $0 == old.source } ?? false)
                    || (!segment.state.translation.isEmpty && old.state.translation == segment.state.translation)
            }
            return old.flatMap { places[$0.id] }
        }
        let untranslated = stub.segments.filter { $0.state.status == .untranslated }
        if !untranslated.isEmpty {
            report("translation-untranslated", untranslated.lazy.compactMap { place(of: $0) }.first,
                "\(untranslated.count) of \(stub.segments.count) segments are not translated yet (the first is here); they are published in the source language")
        }
        for segment in stub.segments where segment.state.status == .stale {
            report("translation-stale", place(of: segment),
                "the source of this segment changed since it was translated: check the translation (`herald translate SOURCE --to LANG` marks it in the stub)")
        }
    }
}

/// The defined labels, indexed so that the one a misspelt label was meant to be is found
/// without comparing it with every definition: two labels one edit apart share a string made by
/// deleting at most one letter from each.
struct SimilarLabels {
    /// Labels longer than this are only matched exactly (without `@`).
    static let longest = 64
    private var labels: [String] = []
    private var variants: [String: [Int]] = [:]

    init(_ normalizedLabels: [String]) {
        for label in normalizedLabels {
            let index = labels.count
            labels.append(label)
            for variant in Self.variants(of: label) { variants[variant, default: []].append(index) }
        }
    }

    /// The label without `@`, and each string made by deleting one letter from it.
    static func variants(of label: String) -> Set<String> {
        let bare = Array(label.hasPrefix("@") ? label.dropFirst() : Substring(label))
        var result: Set<String> = [String(bare)]
        if bare.count <= longest {
            for index in bare.indices { result.insert(String(bare[..<index] + bare[(index + 1)...])) }
        }
        return result
    }

    /// The first defined label that `label` looks like a misspelling of, if any.
    func nearest(to label: String) -> String? {
        var candidates: Set<Int> = []
        for variant in Self.variants(of: label) { candidates.formUnion(variants[variant] ?? []) }
        return candidates.sorted().lazy.map { labels[$0] }.first { LintRun.looksAlike($0, label) }
    }
}

/// Language tags Herald knows: ISO 639-1 languages, with optional region or script subtags.
enum Languages {
    static let codes: Set<String> = Set("""
        aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en \
        eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv \
        ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne \
        ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st \
        su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu yue cmn fil haw
        """.split(separator: " ").map(String.init))

    static func isKnown(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, codes.contains(primary.lowercased()) else { return false }
        return parts.dropFirst().allSatisfy { (2...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}
