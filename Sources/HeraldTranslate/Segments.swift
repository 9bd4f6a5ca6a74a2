// The translatable units of a post: title, summary, headings, paragraphs, list items, table
// cells, quoted paragraphs, image alt texts and footnotes, each with a stable id and the exact
// place in the source file it comes from.

public import HeraldCore
import Foundation
import HeraldMarkdown

/// What a segment is, which gives the first part of its id.
public enum SegmentKind: String, Sendable, CaseIterable {
    case title, summary
    case heading = "h"
    case paragraph = "p"
    case item = "li"
    case quote = "q"
    case cell = "td"
    case alt
    case footnote = "fn"
}

/// Where a segment's text sits in the source file and how the stub writes it.
enum SegmentPlace: Sendable {
    /// Whole lines (`first...last`, 1-based): paragraphs, items, quotes, footnotes. `firstPrefix`
    /// is what precedes the text on the first line (`- [ ] `, `> `), `prefix` what precedes the
    /// comment lines the stub adds and the lines of a multi-line text (`  `, `> `).
    case lines(first: Int, last: Int, firstPrefix: String, prefix: String)
    /// Part of one line (scalar offsets, 0-based, end exclusive): heading text, table cell.
    case inline(line: Int, start: Int, end: Int)
    /// The alt text of the image that is a paragraph's only content, on `line` (scalar offsets
    /// of the text between `![` and `]`); `prefix` as for `.lines`.
    case alt(line: Int, start: Int, end: Int, prefix: String)
    /// A front matter field.
    case frontMatter
}

/// A segment of the source post.
public struct SourceSegment: Sendable {
    public var id: String
    public var kind: SegmentKind
    /// The source text, as Markdown (inline markup kept), lines joined with `\n`.
    public var text: String
    /// The 1-based file line where it starts.
    public var line: Int
    var place: SegmentPlace

    /// A short digest of a segment's text: the stable part of its id.
    public static func digest(_ text: String) -> String {
        String(sha256Hex(Data(text.utf8)).prefix(8))
    }
}

/// A source post with its segments, ready to be written as a stub.
public struct SourcePost: Sendable {
    public var post: Post
    public var source: SourceText
    public var segments: [SourceSegment]
    /// The SHA-256 of the source file's bytes.
    public var digest: String
    /// The 1-based file line where the body starts (after the front matter).
    public var bodyFirstLine: Int
}

enum SegmentExtractor {
    /// Finds the segments of a parsed post.
    static func read(_ post: Post) throws -> SourcePost {
        guard let source = post.source else {
            throw DiagnosticError(.error(.readFailed, file: post.sourcePath, "the post's text is not known"))
        }
        let bodyFirstLine = FrontMatter.parse(source).bodyFirstLine
        var segments: [SourceSegment] = []
        var occurrences: [String: Int] = [:]
        func add(_ kind: SegmentKind, _ text: String, line: Int, _ place: SegmentPlace) {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            var id = kind.rawValue + "-" + SourceSegment.digest(text)
            let count = occurrences[id, default: 0] + 1
            occurrences[id] = count
            if count > 1 { id += "-\(count)" }
            segments.append(SourceSegment(id: id, kind: kind, text: text, line: line, place: place))
        }
        if let title = post.metadata.title { add(.title, title, line: post.metadata.keyLocations["title"]?.line ?? 1, .frontMatter) }
        if let summary = post.metadata.summary { add(.summary, summary, line: post.metadata.keyLocations["summary"]?.line ?? 1, .frontMatter) }

        let document = post.document
        document.walk { event in
            guard case .enter(let id) = event else { return .proceed }
            let node = document[id]
            guard !node.range.isUnknown else { return .proceed }
            switch node.kind {
            case .heading(_, let setext):
                let line = node.range.start.line
                let scalars = Array(source.line(line).unicodeScalars)
                var (start, end) = setext ? (0, scalars.count) : atxContent(scalars)
                while start < end, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
                while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
                add(.heading, String(String.UnicodeScalarView(scalars[start..<end])), line: line, .inline(line: line, start: start, end: end))
                return .skipChildren
            case .paragraph:
                addParagraph(id)
                return .skipChildren
            case .tableCell:
                let line = node.range.start.line
                let scalars = Array(source.line(line).unicodeScalars)
                var start = node.range.start.column - 1, end = min(node.range.end.column, scalars.count)
                guard start >= 0, start <= end else { return .skipChildren }
                while start < end, scalars[start] == " " || scalars[start] == "|" { start += 1 }
                while end > start, scalars[end - 1] == " " || (scalars[end - 1] == "|" && (end < 2 || scalars[end - 2] != "\\")) { end -= 1 }
                add(.cell, String(String.UnicodeScalarView(scalars[start..<end])), line: line, .inline(line: line, start: start, end: end))
                return .skipChildren
            case .codeBlock, .htmlBlock, .thematicBreak:
                return .skipChildren
            default:
                return .proceed
            }
        }
        // Every line of the body goes into the stub, as it is (code, HTML, the lines of a
        // heading after its first) or in a segment's comment: one that reads as a stub's marker
        // would be taken for one, and the stub would no longer read. That is a line that starts
        // like one, or one that holds a whole inline marker anywhere (a code line such as
        // `| <!-- herald:td-… -->`), which would be read as a heading's or a table cell's
        // segments, or the start of one with its id (where a translation would end).
        for number in stride(from: bodyFirstLine, through: source.lineCount, by: 1) {
            let line = source.line(number)
            if StubSyntax.isMarker(StubSyntax.stripped(line)) {
                throw DiagnosticError(.error(
                    "source-has-stub-marker", file: post.sourcePath, at: SourceLocation(line: number, column: 1),
                    "this line starts like a stub's marker ('\(StubSyntax.open)' or '\(StubSyntax.end)'), which a stub could not tell from its own; change it to translate the post"))
            }
            if let column = StubSyntax.inlineMarkerColumn(line) {
                throw DiagnosticError(.error(
                    "source-has-stub-marker", file: post.sourcePath, at: SourceLocation(line: number, column: column),
                    "this line holds a stub's inline marker ('\(StubSyntax.open)… \(StubSyntax.close)', as a stub writes a heading or a table cell), which a stub could not tell from its own; change it to translate the post"))
            }
        }
        return SourcePost(post: post, source: source, segments: segments, digest: sha256Hex(Data(source.text.utf8)), bodyFirstLine: bodyFirstLine)

        func addParagraph(_ id: NodeID) {
            let node = document[id]
            // Link reference definitions may open a paragraph: its text starts at its first inline.
            let firstInline = document.children(of: id).lazy.map { document[$0].range }.first { !$0.isUnknown }
            let first = max(firstInline?.start.line ?? node.range.start.line, node.range.start.line)
            let last = max(node.range.end.line, first)
            let firstLine = Array(source.line(first).unicodeScalars)
            var kind = SegmentKind.paragraph
            var quotes = 0
            var ancestor = node.parent
            while let current = ancestor {
                switch document[current].kind {
                case .footnoteDefinition: kind = .footnote
                case .item where kind == .paragraph: kind = .item
                case .blockQuote:
                    quotes += 1
                    if kind == .paragraph { kind = .quote }
                default: break
                }
                ancestor = document[current].parent
            }
            let startColumn = first == node.range.start.line ? node.range.start.column - 1 : leadingPrefixLength(firstLine, quotes: quotes)
            guard startColumn >= 0, startColumn <= firstLine.count else { return }
            let firstPrefix = String(String.UnicodeScalarView(firstLine[..<startColumn]))
            let prefix = continuationPrefix(firstPrefix, footnote: kind == .footnote)
            var lines = [String(String.UnicodeScalarView(firstLine[startColumn...]))]
            if last > first {
                for number in (first + 1)...last {
                    let scalars = Array(source.line(number).unicodeScalars)
                    lines.append(String(String.UnicodeScalarView(scalars[leadingPrefixLength(scalars, quotes: quotes)...])))
                }
            }
            let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
            let text = trimmed.joined(separator: "\n")
            // A paragraph that is one image: its alt text is the segment.
            let children = Array(document.children(of: id))
            if children.count == 1, case .image = document[children[0]].kind, first == last,
                let (altStart, altEnd) = altRange(firstLine, from: startColumn)
            {
                let alt = String(String.UnicodeScalarView(firstLine[altStart..<altEnd]))
                add(.alt, alt, line: first, .alt(line: first, start: altStart, end: altEnd, prefix: prefix))
                return
            }
            add(kind, text, line: first, .lines(first: first, last: last, firstPrefix: firstPrefix, prefix: prefix))
        }
    }

    /// The text of an ATX heading line, without the opening and closing `#` runs.
    static func atxContent(_ scalars: [Unicode.Scalar]) -> (Int, Int) {
        var start = 0
        while start < scalars.count, scalars[start] == " " { start += 1 }
        while start < scalars.count, scalars[start] == "#" { start += 1 }
        var end = scalars.count
        while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        var closing = end
        while closing > start, scalars[closing - 1] == "#" { closing -= 1 }
        if closing < end, closing == start || scalars[closing - 1] == " " || scalars[closing - 1] == "\t" { end = closing }
        return (start, end)
    }

    /// The length of the container prefix at the start of a continuation line: spaces and at
    /// most `quotes` quote markers (as many as the quotes the paragraph is in; a `>` past them
    /// is the paragraph's text, as in a line indented past a list's content).
    static func leadingPrefixLength(_ scalars: [Unicode.Scalar], quotes: Int) -> Int {
        var index = 0
        var markers = 0
        while index < scalars.count {
            if scalars[index] == ">", markers < quotes {
                markers += 1
            } else if scalars[index] != " " && scalars[index] != "\t" {
                break
            }
            index += 1
        }
        return index
    }

    /// What continues a container on the lines after its first: quote markers stay, a list
    /// marker or task box becomes spaces of its width, a footnote label becomes four spaces.
    static func continuationPrefix(_ firstPrefix: String, footnote: Bool) -> String {
        if footnote, let close = firstPrefix.range(of: "]:") {
            let before = firstPrefix[..<close.lowerBound]
            if let open = before.range(of: "[^", options: .backwards) {
                return continuationPrefix(String(firstPrefix[..<open.lowerBound]), footnote: false) + "    "
            }
        }
        return String(firstPrefix.map { $0 == ">" ? ">" : " " })
    }

    /// The scalar range of the alt text of the image starting at `from` (`![alt](…)`).
    static func altRange(_ scalars: [Unicode.Scalar], from: Int) -> (Int, Int)? {
        guard from + 1 < scalars.count, scalars[from] == "!", scalars[from + 1] == "[" else { return nil }
        var depth = 0
        var index = from + 1
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1
            case "[": depth += 1
            case "]":
                depth -= 1
                if depth == 0 { return (from + 2, index) }
            default: break
            }
            index += 1
        }
        return nil
    }
}
