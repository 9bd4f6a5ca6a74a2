// The stub file: the source post, line for line, with each segment's source text in a comment
// and a place for its translation below; reading it back; and turning it into the translated
// post (untranslated segments fall back to the source text).
//
//     <!-- herald:p-1a2b3c4d
//     The source paragraph.
//     -->
//     The translation (nothing yet: untranslated).
//     <!-- /herald -->
//
// Headings and table cells carry the comment inline: `## <!-- herald:h-… Source --> 译文`.

import Foundation
public import HeraldCore
import HeraldMarkdown

/// What the stub holds for one segment.
public struct SegmentState: Sendable, Equatable {
    /// The translation as the translator wrote it (Markdown, no container prefixes); empty when
    /// untranslated.
    public var translation: String
    /// The source text the translation was made from, when the source has changed since.
    public var previous: String?

    public init(translation: String = "", previous: String? = nil) {
        self.translation = translation
        self.previous = previous
    }

    public var status: SegmentStatus {
        if translation.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .untranslated }
        return previous == nil ? .translated : .stale
    }
}

public enum SegmentStatus: String, Sendable, Codable {
    case translated, stale, untranslated
}

/// A segment as a stub holds it.
public struct StubSegment: Sendable {
    public var id: String
    public var source: String
    public var state: SegmentState
}

/// A stub read back.
public struct Stub: Sendable {
    public var sourcePath: String?
    public var sourceDigest: String?
    public var lang: String?
    /// Segments in the order of the stub, title and summary first.
    public var segments: [StubSegment] = []
    /// Translations not in use: of text the source no longer has, or replaced by a PO import.
    public var obsolete: [StubSegment] = []
    /// Front matter lines the translator added (keys Herald does not manage), as written.
    var extraFrontMatter: [String] = []
    /// Lines the translator added to the body, each run after the id of the segment before it.
    var additions: [(after: String?, lines: [String])] = []
    /// The translated post as Markdown: comments gone, untranslated text filled from the source.
    public var resolvedMarkdown: String = ""
    public var resolvedTitle: String?
    public var resolvedSummary: String?

    public var counts: (translated: Int, stale: Int, untranslated: Int) {
        var result = (0, 0, 0)
        for segment in segments {
            switch segment.state.status {
            case .translated: result.0 += 1
            case .stale: result.1 += 1
            case .untranslated: result.2 += 1
            }
        }
        return result
    }

    /// The share of segments translated and current, 0 to 100.
    public var percentTranslated: Double {
        segments.isEmpty ? 100 : Double(counts.translated) * 100 / Double(segments.count)
    }
}

/// The comment syntax, in one place.
enum StubSyntax {
    static let open = "<!-- herald:"
    static let close = "-->"
    static let end = "<!-- /herald -->"
    static let obsolete = "<!-- herald:obsolete"
    static let previousMarker = "# previous source:"
    static let inlinePrevious = " ⟸ previous: "

    /// Text inside a comment must not close it.
    static func escape(_ text: String) -> String { text.replacingOccurrences(of: "-->", with: "--\\>") }
    static func unescape(_ text: String) -> String { text.replacingOccurrences(of: "--\\>", with: "-->") }

    /// A line without its container prefix (spaces and `>`).
    static func stripped(_ line: Substring) -> Substring {
        line.drop { $0 == " " || $0 == ">" || $0 == "\t" }
    }

    /// Whether a line, at the start of a container's content, could open a block of its own
    /// (a list item, a heading, a quote, a fence, HTML, a table row, a rule or an underline)
    /// rather than go on with the paragraph before it.
    static func couldStartABlock(_ line: String) -> Bool {
        guard let first = line.first else { return false }
        if "*-+#>`~<|=_".contains(first) { return true }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        return !digits.isEmpty && line.dropFirst(digits.count).first.map { $0 == "." || $0 == ")" } == true
    }

    /// A line of a paragraph after its first, under its container prefix, indented so that
    /// it goes on with the paragraph even when it reads as the start of a block: four spaces
    /// past where the container's content starts. Under a quote, one more: a `>` takes the
    /// space after it for itself, and the content of a list item that starts right after the
    /// `>` (`>*   text`) starts a column further in than the stub's prefix (`>    `) says.
    static func continuation(_ content: String, prefix: String) -> String {
        guard couldStartABlock(content) else { return prefix + content }
        return prefix + (prefix.contains(">") ? "     " : "    ") + content
    }

    /// A line of a block segment after its first without the container prefix of the
    /// segment's header line, and without the spaces after it. A line that does not start with
    /// that prefix (a translator's line written without it) loses all its spaces and quote
    /// markers instead.
    static func content(_ line: String, under prefix: String) -> String {
        guard line.hasPrefix(prefix) else { return String(stripped(Substring(line))) }
        return String(line.dropFirst(prefix.count).drop { $0 == " " || $0 == "\t" })
    }

    /// Whether a line (without its container prefix) starts a segment, ends one or opens the
    /// obsolete section.
    static func isMarker(_ content: Substring) -> Bool {
        content.hasPrefix(open) || content.hasPrefix(end)
    }

    /// Where (1-based scalar column) a line holds what the stub reader takes for an inline
    /// segment: `<!-- herald:` with ` -->` after it, or `<!-- herald:` and a segment id (where
    /// a translation ends); nil when it holds none.
    static func inlineMarkerColumn(_ line: Substring) -> Int? {
        guard let first = line.firstRange(of: open) else { return nil }
        let found = line[first.upperBound...].firstRange(of: " " + close) != nil
            ? first.lowerBound : line.ranges(of: open).first { startsWithMarker(line[$0.lowerBound...]) }?.lowerBound
        return found.map { line.unicodeScalars.distance(from: line.startIndex, to: $0) + 1 }
    }

    /// Whether `text` starts with an inline segment's marker as the stub writes it:
    /// `<!-- herald:`, a segment id (`h-0123abcd`, `td-0123abcd-2`) and a space.
    static func startsWithMarker(_ text: Substring) -> Bool {
        guard text.hasPrefix(open) else { return false }
        var rest = text.dropFirst(open.count).utf8[...]
        let kind = rest.prefix { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        rest = rest.dropFirst(kind.count)
        guard !kind.isEmpty, rest.first == UInt8(ascii: "-") else { return false }
        rest = rest.dropFirst()
        let isHex = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) }
        guard rest.prefix(8).count == 8, rest.prefix(8).allSatisfy(isHex) else { return false }
        rest = rest.dropFirst(8)
        if rest.first == UInt8(ascii: "-") {
            let count = rest.dropFirst().prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !count.isEmpty else { return false }
            rest = rest.dropFirst(1 + count.count)
        }
        return rest.first == UInt8(ascii: " ")
    }

    /// A line without what opens a container on it: quote markers, a list marker, a task box,
    /// a footnote label.
    static func strippedOpening(_ line: String) -> String {
        var rest = Substring(line)
        while true {
            let before = rest
            rest = rest.drop { $0 == " " || $0 == ">" || $0 == "\t" }
            if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " { rest = rest.dropFirst(2) }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count < 10 {
                let after = rest.dropFirst(digits.count)
                if let mark = after.first, mark == "." || mark == ")", after.dropFirst().first == " " { rest = after.dropFirst(2) }
            }
            for box in ["[ ] ", "[x] ", "[X] "] where rest.hasPrefix(box) { rest = rest.dropFirst(box.count) }
            // A footnote's label, with or without a space after it.
            if rest.hasPrefix("[^"), let close = rest.firstRange(of: "]:"), rest[close.upperBound...].first.map({ $0 == " " || $0 == "\t" }) ?? true {
                rest = rest[close.upperBound...]
            }
            if rest == before { return String(rest) }
        }
    }
}

enum StubWriter {
    /// Writes the stub of `source` in `lang` with these translations.
    static func write(
        _ source: SourcePost, lang: String, sourceReference: String, states: [String: SegmentState],
        obsolete: [StubSegment], extraFrontMatter: [String], additions: [(after: String?, lines: [String])]
    ) -> String {
        var lines = (1...max(source.source.lineCount, 1)).map { String(source.source.line($0)) }
        var inserted: [Int: [String]] = [:]  // lines to put before line n (1-based)
        var replaced: [Int: [String]] = [:]  // line n replaced by these
        var removed: Set<Int> = []
        // Inline segments: edit lines in place, right to left.
        var inlineEdits: [Int: [(start: Int, end: Int, text: String)]] = [:]
        var additionsAfter: [String: [[String]]] = [:]
        var unanchored: [[String]] = []
        for addition in additions {
            if let after = addition.after, source.segments.contains(where: { $0.id == after }) {
                additionsAfter[after, default: []].append(addition.lines)
            } else {
                unanchored.append(addition.lines)
            }
        }

        for segment in source.segments {
            let state = states[segment.id] ?? SegmentState()
            let header = StubSyntax.open + segment.id + (state.previous != nil ? " stale" : "")
            switch segment.place {
            case .frontMatter:
                continue
            case .lines(let first, let last, let firstPrefix, let prefix):
                var block = [prefix + header]
                block += segment.text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + StubSyntax.escape(String($0)) }
                if let previous = state.previous {
                    block.append(prefix + StubSyntax.previousMarker)
                    block += previous.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + StubSyntax.escape(String($0)) }
                }
                block.append(prefix + StubSyntax.close)
                let translation = state.translation.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                block.append(firstPrefix + (translation.first ?? ""))
                block += translation.dropFirst().map { StubSyntax.continuation($0, prefix: prefix) }
                block.append(prefix + StubSyntax.end)
                for extra in additionsAfter[segment.id] ?? [] { block += [""] + extra }
                replaced[first] = block
                if last > first { removed.formUnion((first + 1)...last) }
            case .inline(let line, let start, let end):
                var comment = header + " " + StubSyntax.escape(segment.text)
                if let previous = state.previous { comment += StubSyntax.inlinePrevious + StubSyntax.escape(previous) }
                comment += " " + StubSyntax.close + (state.translation.isEmpty ? "" : " " + state.translation)
                inlineEdits[line, default: []].append((start, end, comment))
                if let extra = additionsAfter[segment.id] { inserted[line + 1, default: []] += extra.flatMap { [""] + $0 } }
            case .alt(let line, let start, let end, let prefix):
                var block = [prefix + header, prefix + StubSyntax.escape(segment.text)]
                if let previous = state.previous { block += [prefix + StubSyntax.previousMarker, prefix + StubSyntax.escape(previous)] }
                block.append(prefix + StubSyntax.close)
                inserted[line, default: []] += block
                inlineEdits[line, default: []].append((start, end, state.translation))
                if let extra = additionsAfter[segment.id] { inserted[line + 1, default: []] += extra.flatMap { [""] + $0 } }
            }
        }
        for (line, edits) in inlineEdits {
            var scalars = Array(lines[line - 1].unicodeScalars)
            for edit in edits.sorted(by: { $0.start > $1.start }) {
                scalars.replaceSubrange(edit.start..<edit.end, with: Array(edit.text.unicodeScalars))
            }
            lines[line - 1] = String(String.UnicodeScalarView(scalars))
        }

        var body: [String] = []
        for number in source.bodyFirstLine...max(source.source.lineCount, source.bodyFirstLine) where number <= lines.count {
            body += inserted[number] ?? []
            if removed.contains(number) { continue }
            body += replaced[number] ?? [lines[number - 1]]
        }
        while body.last?.isEmpty == true { body.removeLast() }
        for extra in unanchored { body += [""] + extra }
        if !obsolete.isEmpty {
            body += ["", StubSyntax.obsolete, "Translations not in use: of text the source no longer has, or replaced by an import. They are kept here and not published."]
            for entry in obsolete {
                body += ["@@ id " + entry.id, "@@ source"] + StubSyntax.escape(entry.source).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                body += ["@@ translation"] + StubSyntax.escape(entry.state.translation).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
            body.append(StubSyntax.close)
        }
        return frontMatter(source, lang: lang, sourceReference: sourceReference, states: states, extra: extraFrontMatter)
            + "\n" + body.joined(separator: "\n") + "\n"
    }

    static func frontMatter(_ source: SourcePost, lang: String, sourceReference: String, states: [String: SegmentState], extra: [String]) -> String {
        let metadata = source.post.metadata
        let title = source.segments.first { $0.kind == .title }
        let summary = source.segments.first { $0.kind == .summary }
        var out = "---\n"
        out += "title: " + YAMLText.quoted(title.map { states[$0.id]?.translation ?? "" } ?? "") + "\n"
        if let summary { out += "summary: " + YAMLText.quoted(states[summary.id]?.translation ?? "") + "\n" }
        if let date = metadata.date { out += "date: " + date.description + "\n" }
        if !metadata.authors.isEmpty { out += "author: [" + metadata.authors.map(YAMLText.quoted).joined(separator: ", ") + "]\n" }
        if !metadata.tags.isEmpty { out += "tags: [" + metadata.tags.map(YAMLText.quoted).joined(separator: ", ") + "]\n" }
        out += "slug: " + YAMLText.quoted(source.post.slug) + "\n"
        out += "lang: " + YAMLText.quoted(lang) + "\n"
        if metadata.draft { out += "draft: true\n" }
        out += extra.map { $0 + "\n" }.joined()
        out += "translation:\n"
        out += "  source: " + YAMLText.quoted(sourceReference) + "\n"
        out += "  source-sha256: " + source.digest + "\n"
        for segment in [title, summary].compactMap({ $0 }) {
            let state = states[segment.id] ?? SegmentState()
            out += "  \(segment.kind.rawValue):\n"
            out += "    id: " + segment.id + "\n"
            out += "    source: " + YAMLText.quoted(segment.text) + "\n"
            if let previous = state.previous { out += "    previous: " + YAMLText.quoted(previous) + "\n" }
        }
        out += "---\n"
        return out
    }
}

enum YAMLText {
    /// A double-quoted YAML scalar (JSON's string syntax, which YAML reads the same).
    static func quoted(_ text: String) -> String { Escape.quotedString(text) }
}

public enum StubReader {
    /// Front matter keys Herald writes in a stub; others are the translator's and are kept.
    static let managedKeys: Set<String> = ["title", "summary", "date", "author", "authors", "tags", "slug", "lang", "draft", "translation"]

    /// Whether a post's metadata marks it as a translation stub.
    public static func isStub(_ metadata: PostMetadata) -> Bool {
        if case .map = metadata.value(forExtraKey: "translation") { return true }
        return false
    }

    /// Reads a stub. `sourceLines` (the current source's lines) tell the translator's additions
    /// from copied text.
    static func read(_ bytes: [UInt8], path: String, sourceLines: Set<String> = []) throws -> Stub {
        let (decoded, diagnostics) = SourceText.decode(bytes, path: path)
        guard let text = decoded else { throw DiagnosticError(diagnostics) }
        return try read(text, sourceLines: sourceLines)
    }

    /// Reads a stub whose text is decoded already (a post's ``Post/source``).
    static func read(_ text: SourceText, sourceLines: Set<String> = []) throws -> Stub {
        let path = text.path
        let front = FrontMatter.parse(text)
        if front.failed { throw DiagnosticError(front.diagnostics) }
        var stub = Stub()
        let metadata = front.metadata
        stub.lang = metadata.lang
        guard case .map(let info) = metadata.value(forExtraKey: "translation") else {
            throw DiagnosticError(.error(.notAStub, file: path, "this post has no 'translation' block: it is not a translation stub"))
        }
        if case .string(let source) = info["source"] { stub.sourcePath = source }
        if case .string(let digest) = info["source-sha256"] { stub.sourceDigest = digest }
        for (key, value) in [("title", metadata.title), ("summary", metadata.summary)] {
            guard case .map(let segment) = info[key], case .string(let id) = segment["id"], case .string(let source) = segment["source"] else { continue }
            var previous: String?
            if case .string(let text) = segment["previous"] { previous = text }
            let translation = value ?? ""
            stub.segments.append(StubSegment(id: id, source: source, state: SegmentState(translation: translation, previous: previous)))
            if key == "title" { stub.resolvedTitle = translation.isEmpty ? source : translation }
            if key == "summary" { stub.resolvedSummary = translation.isEmpty ? source : translation }
        }
        // A key given twice is read from its last place; the earlier ones are no one's lines.
        let ignored = front.diagnostics.filter { $0.id == .frontMatterDuplicateKey }.compactMap(\.location)
        stub.extraFrontMatter = extraFrontMatterLines(text, bodyFirstLine: front.bodyFirstLine, keys: metadata.keyLocations, ignored: ignored)

        let lines = (front.bodyFirstLine...max(text.lineCount, front.bodyFirstLine)).map { String(text.line($0)) }
        var resolved: [String] = []
        var index = 0
        var lastSegment: String?
        var addition: [String] = []
        var fence: String?
        func flushAddition() {
            while addition.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { addition.removeLast() }
            if !addition.isEmpty { stub.additions.append((lastSegment, addition)) }
            addition = []
        }
        while index < lines.count {
            let line = lines[index]
            let content = StubSyntax.stripped(Substring(line))
            if content.hasPrefix(StubSyntax.obsolete) {
                index += 1
                var block: [String] = []
                while index < lines.count, StubSyntax.stripped(Substring(lines[index])) != StubSyntax.close {
                    block.append(lines[index])
                    index += 1
                }
                stub.obsolete += parseObsolete(block)
                index += 1
                continue
            }
            if content.hasPrefix(StubSyntax.open), !content.dropFirst(StubSyntax.open.count).contains(StubSyntax.close) {
                flushAddition()
                let (segment, consumed, output) = try readBlockSegment(lines, from: index, path: path, firstLine: front.bodyFirstLine)
                stub.segments.append(segment)
                lastSegment = segment.id
                resolved += output
                index += consumed
                continue
            }
            if line.contains(StubSyntax.open) {
                flushAddition()
                let (segments, output) = readInlineSegments(line)
                if let edited = segments.first(where: { !sourceMatchesID($0.id, $0.source) }) {
                    let column = line.distance(from: line.startIndex, to: line.range(of: StubSyntax.open + edited.id)?.lowerBound ?? line.startIndex) + 1
                    throw editedSource(edited.id, path: path, at: SourceLocation(line: front.bodyFirstLine + index, column: column))
                }
                stub.segments += segments
                lastSegment = segments.last?.id ?? lastSegment
                resolved.append(output)
                index += 1
                continue
            }
            // Copied lines, and whatever the translator added between segments.
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
            } else if !trimmed.isEmpty, !sourceLines.isEmpty, !sourceLines.contains(line), !looksCopied(trimmed) {
                addition.append(line)
            } else if trimmed.isEmpty, !addition.isEmpty {
                addition.append(line)
            } else {
                flushAddition()
            }
            resolved.append(line)
            index += 1
        }
        flushAddition()
        stub.resolvedMarkdown = resolved.joined(separator: "\n") + "\n"
        return stub
    }

    /// Lines that are structure rather than prose: definitions, HTML, rules, code, table rules.
    static func looksCopied(_ trimmed: String) -> Bool {
        if trimmed.hasPrefix("<") || trimmed.hasPrefix("    ") || trimmed.hasPrefix("|") { return true }
        if trimmed.first == "[", trimmed.contains("]:") { return true }
        let rule = trimmed.filter { $0 != " " }
        return rule.count >= 3 && (Set(rule) == ["-"] || Set(rule) == ["*"] || Set(rule) == ["_"])
    }

    /// Whether `source` is the text segment `id` was made from (an id is its kind, the digest of
    /// its text, and a count when the same text comes again): a translation typed inside the
    /// comment instead of after it changes the text, and an update would drop it.
    static func sourceMatchesID(_ id: String, _ source: String) -> Bool {
        let parts = id.split(separator: "-")
        guard parts.count >= 2 else { return false }
        return parts[1] == SourceSegment.digest(source)
    }

    /// The error for a segment whose source text was edited inside its comment.
    static func editedSource(_ id: String, path: String, at place: SourceLocation) -> DiagnosticError {
        DiagnosticError(.error("stub-invalid", file: path, at: place,
            "the source text in the comment of segment \(id) was changed; put it back as it was and write the translation after '-->'"))
    }

    /// A block segment from its comment line: the segment, the lines it takes, and the
    /// Markdown it resolves to. Throws when the segment's comment or its end marker is missing:
    /// reading on would take the translation for source text (or the next segment for
    /// translation) and lose it on update.
    static func readBlockSegment(_ lines: [String], from start: Int, path: String, firstLine: Int) throws(DiagnosticError) -> (StubSegment, Int, [String]) {
        let headerLine = lines[start]
        let prefix = String(headerLine[..<headerLine.range(of: StubSyntax.open)!.lowerBound])
        let header = StubSyntax.stripped(Substring(headerLine)).dropFirst(StubSyntax.open.count).split(separator: " ")
        let id = header.first.map(String.init) ?? ""
        let stale = header.dropFirst().contains("stale")
        let place = SourceLocation(line: firstLine + start, column: prefix.count + 1)
        /// Whether line `index` starts another segment or ends one: the structure goes on there.
        func isMarker(_ index: Int) -> Bool { StubSyntax.isMarker(StubSyntax.stripped(Substring(lines[index]))) }
        var index = start + 1
        var source: [String] = []
        var previous: [String]?
        while true {
            guard index < lines.count, !isMarker(index) else {
                throw DiagnosticError(.error("stub-invalid", file: path, at: place,
                    "the comment of segment \(id) is not closed: a line '-->' must end its source text, and the translation goes between it and '\(StubSyntax.end)'"))
            }
            if StubSyntax.stripped(Substring(lines[index])).trimmingCharacters(in: .whitespaces) == StubSyntax.close { break }
            let text = StubSyntax.unescape(StubSyntax.content(lines[index], under: prefix))
            if text == StubSyntax.previousMarker {
                previous = []
            } else if previous != nil {
                previous!.append(text)
            } else {
                source.append(text)
            }
            index += 1
        }
        index += 1  // the closing "-->"
        let sourceText = source.joined(separator: "\n")
        guard sourceMatchesID(id, sourceText) else { throw editedSource(id, path: path, at: place) }
        var state = SegmentState(previous: stale ? (previous ?? []).joined(separator: "\n") : nil)
        var output: [String] = []
        if id.hasPrefix(SegmentKind.alt.rawValue + "-") {
            // The next line is the image: its alt text is the translation.
            guard index < lines.count else { return (StubSegment(id: id, source: sourceText, state: state), index - start, []) }
            var image = Array(lines[index].unicodeScalars)
            let opening = lines[index].unicodeScalars.count - StubSyntax.stripped(Substring(lines[index])).unicodeScalars.count
            if let (altStart, altEnd) = SegmentExtractor.altRange(image, from: max(opening, 0)) {
                state.translation = String(String.UnicodeScalarView(image[altStart..<altEnd]))
                if state.translation.trimmingCharacters(in: .whitespaces).isEmpty {
                    image.replaceSubrange(altStart..<altEnd, with: Array(sourceText.unicodeScalars))
                }
            }
            output.append(String(String.UnicodeScalarView(image)))
            return (StubSegment(id: id, source: sourceText, state: state), index + 1 - start, output)
        }
        var slot: [String] = []
        // The translation runs to the end marker; another segment's start means it was deleted.
        while index < lines.count, !isMarker(index) {
            slot.append(lines[index])
            index += 1
        }
        guard index < lines.count, StubSyntax.stripped(Substring(lines[index])).trimmingCharacters(in: .whitespaces) == StubSyntax.end else {
            throw DiagnosticError(.error("stub-invalid", file: path, at: place,
                "segment \(id) has no end marker '\(StubSyntax.end)' after its translation"))
        }
        index += 1  // the end marker
        var translation: [String] = []
        for (number, line) in slot.enumerated() {
            let text = number == 0 ? StubSyntax.strippedOpening(line) : StubSyntax.content(line, under: prefix)
            translation.append(text.trimmingCharacters(in: .whitespaces))
        }
        while translation.last?.isEmpty == true { translation.removeLast() }
        while translation.first?.isEmpty == true { translation.removeFirst() }
        state.translation = translation.joined(separator: "\n")
        if state.translation.isEmpty {
            // Untranslated: the source text, under the same container markers, with the spaces
            // the stub has after them (`*   ` sets where the item's content starts, and its
            // nested lines are indented from there); one space when there are none.
            let first = slot.first ?? ""
            let opening = first.trimmingCharacters(in: .whitespaces).isEmpty
                ? prefix : first.last.map { $0 == " " || $0 == "\t" } == true ? first : first + " "
            let sourceLines = source.isEmpty ? [""] : source
            output.append(opening + sourceLines[0])
            // The segment's lines were continuation lines of one paragraph in the source, some
            // of them (indented there) looking like the start of a block (`* item`, `# title`):
            // indented here too, they stay in the paragraph instead of opening a list.
            output += sourceLines.dropFirst().map { StubSyntax.continuation($0, prefix: prefix) }
        } else {
            // A translation is one block, as its source is: a line of it that looks like the
            // start of a list or a heading goes on with the paragraph, as in the source.
            output += slot.enumerated().map { number, line in
                let content = StubSyntax.content(line, under: prefix)
                guard number > 0, StubSyntax.couldStartABlock(content) else { return line }
                return StubSyntax.continuation(content, prefix: prefix)
            }
        }
        return (StubSegment(id: id, source: sourceText, state: state), index - start, output)
    }

    /// The inline segments of one line (a heading, a table row) and the line as resolved.
    static func readInlineSegments(_ line: String) -> ([StubSegment], String) {
        var segments: [StubSegment] = []
        var output = ""
        var rest = Substring(line)
        let isATXHeading = line.drop { $0 == " " || $0 == "\t" }.hasPrefix("#")
        // `firstRange` searches the substring itself; Foundation's `range(of:)` would copy the
        // rest of the line for every cell.
        while let open = rest.firstRange(of: StubSyntax.open), let close = rest[open.upperBound...].firstRange(of: " " + StubSyntax.close) {
            output += rest[..<open.lowerBound]
            let inside = rest[open.upperBound..<close.lowerBound]
            let id = String(inside.prefix { $0 != " " })
            var body = inside.dropFirst(id.count).drop { $0 == " " }
            var stale = false
            if body.hasPrefix("stale ") {
                stale = true
                body = body.dropFirst(6)
            }
            var source = String(body)
            var previous: String?
            if let marker = source.firstRange(of: StubSyntax.inlinePrevious) {
                previous = StubSyntax.unescape(String(source[marker.upperBound...]))
                source = String(source[..<marker.lowerBound])
            }
            source = StubSyntax.unescape(source)
            // A heading's translation runs to the end of the line (a setext heading's text may
            // hold `|` as any other character); a cell's to the next cell boundary. Either stops
            // at another segment's marker, but not at text copied from a source that only
            // starts like one (`<!-- herald:` without an id).
            let isHeading = id.hasPrefix(SegmentKind.heading.rawValue + "-")
            var after = rest[close.upperBound...]
            var translation = ""
            var previousCharacter: Character = " "
            while let character = after.first, isHeading || !(character == "|" && previousCharacter != "\\"),
                !StubSyntax.startsWithMarker(after)
            {
                translation.append(character)
                previousCharacter = character
                after = after.dropFirst()
            }
            var trimmed = translation.trimmingCharacters(in: .whitespaces)
            if isATXHeading {
                // The closing run of an ATX heading is not part of the text.
                trimmed = String(trimmed.withoutClosingHashes)
            }
            segments.append(StubSegment(id: id, source: source, state: SegmentState(translation: trimmed, previous: stale ? (previous ?? "") : nil)))
            output += trimmed.isEmpty ? source : trimmed
            if translation.hasSuffix(" ") { output += " " }
            rest = after
        }
        output += rest
        return (segments, output)
    }

    static func parseObsolete(_ lines: [String]) -> [StubSegment] {
        var entries: [StubSegment] = []
        var id: String?
        var source: [String] = []
        var translation: [String] = []
        var section = ""
        func finish() {
            if let id {
                entries.append(StubSegment(
                    id: id, source: StubSyntax.unescape(source.joined(separator: "\n")),
                    state: SegmentState(translation: StubSyntax.unescape(translation.joined(separator: "\n")))))
            }
            source = []
            translation = []
        }
        for line in lines {
            if line.hasPrefix("@@ id ") {
                finish()
                id = String(line.dropFirst(6))
                section = ""
            } else if line == "@@ source" {
                section = "source"
            } else if line == "@@ translation" {
                section = "translation"
            } else if section == "source" {
                source.append(line)
            } else if section == "translation" {
                translation.append(line)
            }
        }
        finish()
        return entries
    }

    /// The front matter lines of keys Herald does not manage (with their indented lines).
    /// `ignored` are where keys start that are given again later: their lines are dropped (the
    /// stub written keeps the value Herald reads, and an earlier `title` kept after the one
    /// Herald writes would replace the translation).
    static func extraFrontMatterLines(_ text: SourceText, bodyFirstLine: Int, keys: [String: SourceLocation], ignored: [SourceLocation] = []) -> [String] {
        guard bodyFirstLine > 3 else { return [] }
        // Each key's lines run from its own to the next key's, as the YAML reader found them:
        // a quoted value may go on over lines that start at the margin, and those lines are
        // the key's, not keys of their own.
        let margin = keys.values.map(\.column).min() ?? 1
        let repeated = ignored.filter { $0.column == margin }.map { (line: $0.line, key: String?.none) }
        let starts = (keys.map { (line: $0.value.line, key: Optional($0.key)) } + repeated)
            .filter { $0.line >= 2 && $0.line < bodyFirstLine - 1 }.sorted { $0.line < $1.line }
        var extra: [String] = []
        for (index, start) in starts.enumerated() {
            guard let key = start.key, !managedKeys.contains(key) else { continue }
            let end = index + 1 < starts.count ? starts[index + 1].line : bodyFirstLine - 1
            for number in start.line..<end { extra.append(String(text.line(number))) }
        }
        return extra
    }
}
