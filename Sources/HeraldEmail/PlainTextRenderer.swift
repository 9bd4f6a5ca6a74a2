// The plain-text body of the newsletter email: the post as a terminal or plain-text mail
// reader should see it, wrapped by display width, with every link's address kept.

public import HeraldCore

/// How the plain text is laid out.
public struct PlainTextOptions: Sendable {
    /// The widest a line may be, in display columns (a Chinese character takes two). Only a
    /// single unbreakable token (a URL, a code span) or a code block line goes past it.
    public var width: Int
    /// Writes RFC 3676 `format=flowed; delsp=yes` text: a line of a paragraph that goes on ends
    /// with a space the reader removes when joining (two where the break took a space between
    /// words, none lost between Chinese characters), and lines that begin with a space, `>` or
    /// `From ` are space-stuffed. Other lines (code, tables, headings) are fixed.
    public var flowed: Bool

    public init(width: Int = 72, flowed: Bool = false) {
        self.width = width
        self.flowed = flowed
    }

    /// The options written out, for the email backend's fingerprint (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("PlainTextOptions")
        settings.add("width", width)
        settings.add("flowed", flowed)
        return settings
    }
}

/// Renders a ``Document`` as plain text: the body, then its footnotes ("Notes"), then the
/// addresses of its links ("Links"), each numbered once.
public struct PlainTextRenderer: Sendable {
    public var options: PlainTextOptions
    /// The language of the post, for the section names (`Notes`, `注释`).
    public var lang: String

    public init(options: PlainTextOptions = PlainTextOptions(), lang: String = "en") {
        self.options = options
        self.lang = lang
    }

    /// The text, with LF line endings and a final newline; no line has trailing whitespace
    /// (except the continuation spaces of `format=flowed`) and no tabs.
    public func render(_ document: Document) -> String {
        var layout = TextLayout(document: document, options: options)
        layout.renderBody()
        let labels = SectionLabels(lang: lang)
        layout.renderFootnotes(title: labels.notes)
        layout.renderLinks(title: labels.links)
        return layout.finish()
    }

    /// Lays out one paragraph of text (with `\n` as hard breaks) as the renderer would: for
    /// headers and footers written by templates.
    public func wrap(_ text: String, indent: Int = 0) -> [String] {
        TextWrapper.wrap(text, width: max(options.width - indent, 8))
    }
}

/// Section names in the post's language.
struct SectionLabels {
    var notes: String
    var links: String

    init(lang: String) {
        if lang.hasPrefix("zh") {
            notes = "注释"
            links = "链接"
        } else {
            notes = "Notes"
            links = "Links"
        }
    }
}

/// The numbers given to link addresses: one per distinct address, in order of first use.
struct LinkTable {
    private(set) var addresses: [String] = []
    private var numbers: [String: Int] = [:]

    mutating func number(for address: String) -> Int {
        if let number = numbers[address] { return number }
        addresses.append(address)
        numbers[address] = addresses.count
        return addresses.count
    }

    func contains(_ address: String) -> Bool { numbers[address] != nil }
}

/// Text of one paragraph on its way to the wrapper: the characters, and the scalar ranges that
/// must not be broken (URLs, code spans, a link's number glued to its last word).
struct InlineText {
    var scalars: [Unicode.Scalar] = []
    var protected: [Range<Int>] = []

    mutating func append(_ text: String) {
        // Tabs and other controls have no width to wrap by; a space reads the same. The scalars
        // are written into a scratch buffer (a text has no more scalars than bytes) and appended
        // at once: ASCII text (most of it) in one pass over its bytes, other text decoded.
        withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: text.utf8.count) { scratch in
            var written = 0
            let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                for byte in bytes {
                    guard byte < 0x80 else { return false }
                    scratch.initializeElement(at: written, to: byte < 0x20 && byte != 0x0A ? " " : Unicode.Scalar(byte))
                    written += 1
                }
                return true
            }
            if ascii != true {
                written = 0
                for scalar in text.unicodeScalars {
                    scratch.initializeElement(at: written, to: scalar.value < 0x20 && scalar != "\n" ? " " : scalar)
                    written += 1
                }
            }
            scalars.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<written]))
        }
    }

    mutating func appendProtected(_ text: String) {
        let start = scalars.count
        append(text)
        if scalars.count > start { protected.append(start..<scalars.count) }
    }

    /// Appends ` [n]` (or `[^n]` without the space), kept on the line of the character before it.
    mutating func appendMark(_ mark: String, spaced: Bool = true) {
        let glueStart = scalars.last.map { $0 == " " || $0 == "\n" ? scalars.count : scalars.count - 1 } ?? 0
        if spaced, let last = scalars.last, last != " ", last != "\n" { scalars.append(" ") }
        append(mark)
        protected.append(glueStart..<scalars.count)
    }

    /// One line of the text between hard breaks, with its protected ranges.
    struct Piece {
        var scalars: [Unicode.Scalar]
        var protected: [Range<Int>]
        var text: String { String(scalars: scalars[...]) }
    }

    /// The text split at hard breaks, each piece with its protected ranges.
    func pieces() -> [Piece] {
        // Most texts have no hard break: one piece, the text itself (not copied).
        guard scalars.contains("\n") else { return [Piece(scalars: scalars, protected: protected)] }
        var result: [Piece] = []
        var start = 0
        var index = 0
        while index <= scalars.count {
            if index == scalars.count || scalars[index] == "\n" {
                let ranges = protected.compactMap { range -> Range<Int>? in
                    let lower = max(range.lowerBound, start), upper = min(range.upperBound, index)
                    return lower < upper ? (lower - start)..<(upper - start) : nil
                }
                result.append(Piece(scalars: Array(scalars[start..<index]), protected: ranges))
                start = index + 1
            }
            index += 1
        }
        return result
    }
}

/// A block that holds other blocks and puts something before each of their lines.
enum Container {
    /// A block quote; `started` once its first line is out.
    case quote(started: Bool)
    case list(tight: Bool)
    /// A list item or a footnote: `marker` goes before its first line, spaces of the same width
    /// before the others.
    case item(marker: String, printed: Bool)
}

/// The line-by-line writer behind ``PlainTextRenderer``.
struct TextLayout {
    let document: Document
    let options: PlainTextOptions
    /// The lines so far as UTF-8, each ended by a line feed: written in place, made into one
    /// string at the end.
    var out: [UInt8] = []
    /// Where the last line starts in `out`; nil before the first.
    var lastLineStart: Int?
    var containers: [Container] = []
    var links = LinkTable()
    /// Footnote labels (lowercased) in the order of their first reference, numbered from 1.
    var footnoteNumbers: [String: Int] = [:]
    var footnoteOrder: [String] = []
    /// Ordered-list counters, innermost last.
    var counters: [(next: Int, width: Int, delimiter: Character)] = []

    init(document: Document, options: PlainTextOptions) {
        self.document = document
        self.options = options
        for id in document.descendants() {
            if case .footnoteReference(let label) = document[id].kind, footnoteNumbers[label.lowercased()] == nil {
                footnoteOrder.append(label.lowercased())
                footnoteNumbers[label.lowercased()] = footnoteOrder.count
            }
        }
    }

    // MARK: Walking the blocks

    mutating func renderBody() {
        render(from: document.root, skippingFootnotes: true)
    }

    /// Renders the blocks under `start` (iteratively: nesting depth is unbounded).
    mutating func render(from start: NodeID, skippingFootnotes: Bool) {
        let document = self.document
        document.walk(from: start) { event in
            switch event {
            case .enter(let id):
                return enter(id, skippingFootnotes: skippingFootnotes)
            case .exit(let id):
                exit(id)
                return .proceed
            }
        }
    }

    mutating func enter(_ id: NodeID, skippingFootnotes: Bool) -> Document.WalkAction {
        let node = document[id]
        switch node.kind {
        case .document:
            return .proceed
        case .blockQuote:
            separate()
            containers.append(.quote(started: false))
            return .proceed
        case .list(let style):
            separate()
            containers.append(.list(tight: style.isTight))
            let count = document.children(of: id).reduce(0) { count, _ in count + 1 }
            let start = style.start ?? 1
            let delimiter: Character
            if case .ordered(_, let given) = style.marker { delimiter = given } else { delimiter = "." }
            counters.append((start, String(max(start + count - 1, start)).count, delimiter))
            return .proceed
        case .item(let task):
            var marker = "* "
            if case .list(let style) = document[node.parent!].kind, style.isOrdered {
                let counter = counters[counters.count - 1]
                let number = String(counter.next) + String(counter.delimiter)
                marker = number + String(repeating: " ", count: counter.width + 2 - number.count)
                counters[counters.count - 1].next += 1
            }
            if let task { marker += task == .checked ? "[x] " : "[ ] " }
            separate()
            containers.append(.item(marker: marker, printed: false))
            return .proceed
        case .footnoteDefinition:
            return skippingFootnotes ? .skipChildren : .proceed
        case .paragraph:
            separate()
            emitParagraph(inlineText(of: id))
            return .skipChildren
        case .heading(let level, _):
            separate()
            emitHeading(inlineText(of: id), level: level)
            return .skipChildren
        case .codeBlock(_, let literal, _):
            separate()
            emitCode(literal)
            return .skipChildren
        case .htmlBlock(let literal):
            let text = HTMLText.lines(of: literal)
            guard !text.isEmpty else { return .skipChildren }
            separate()
            for line in text {
                var inline = InlineText()
                inline.append(line)
                emitParagraph(inline)
            }
            return .skipChildren
        case .thematicBreak:
            separate()
            emit([String(repeating: "-", count: min(available, 72))])
            return .skipChildren
        case .table:
            separate()
            emitTable(id)
            return .skipChildren
        default:
            return .skipChildren
        }
    }

    mutating func exit(_ id: NodeID) {
        switch document[id].kind {
        case .blockQuote, .item:
            containers.removeLast()
        case .list:
            containers.removeLast()
            counters.removeLast()
        default:
            break
        }
    }

    // MARK: Footnotes and links

    mutating func renderFootnotes(title: String) {
        var definitions: [String: NodeID] = [:]
        for id in document.children(of: document.root) {
            if case .footnoteDefinition(let label) = document[id].kind, definitions[label.lowercased()] == nil {
                definitions[label.lowercased()] = id
            }
        }
        let present = footnoteOrder.filter { definitions[$0] != nil }
        guard !present.isEmpty else { return }
        separate()
        emitHeading(plain(title), level: 2)
        for label in present {
            separate()
            containers.append(.item(marker: "[^\(footnoteNumbers[label]!)] ", printed: false))
            render(from: definitions[label]!, skippingFootnotes: false)
            containers.removeLast()
        }
    }

    mutating func renderLinks(title: String) {
        // Definitions no link uses still name addresses the author meant to share.
        for definition in document.linkDefinitions where !definition.destination.isEmpty {
            _ = links.number(for: definition.destination)
        }
        guard !links.addresses.isEmpty else { return }
        separate()
        emitHeading(plain(title), level: 2)
        separate()
        for (index, address) in links.addresses.enumerated() {
            emit(["[\(index + 1)] " + address])
        }
    }

    /// The finished text: lines joined with LF, flowed or not, with a final newline.
    mutating func finish() -> String {
        // Empty lines at the end go (a line holds no line feed of its own).
        while out.count >= 2 && out[out.count - 1] == 0x0A && out[out.count - 2] == 0x0A { out.removeLast() }
        guard out != [0x0A] else { return "" }
        return String(wellFormedUTF8: out)
    }

    // MARK: Inline text

    func plain(_ text: String) -> InlineText {
        var inline = InlineText()
        inline.append(text)
        return inline
    }

    /// The text of a paragraph, heading or table cell: emphasis as `*x*`, strong as `**x**`,
    /// code in backticks, links followed by their number.
    mutating func inlineText(of id: NodeID) -> InlineText {
        var inline = InlineText()
        // The numbers of the links being walked, innermost last (links nest as the walk does).
        var pendingMarks: [(link: NodeID, mark: String)] = []
        let document = self.document
        document.walk(from: id) { event in
            switch event {
            case .enter(let child):
                guard child != id else { return .proceed }
                switch document[child].kind {
                case .text(let text):
                    inline.append(text)
                case .softBreak:
                    if !document.softBreakJoinsCJK(child) { inline.append(" ") }
                case .lineBreak:
                    inline.append("\n")
                case .code(let code):
                    inline.appendProtected("`" + code + "`")
                case .inlineHTML(let literal):
                    if HTMLText.isLineBreak(literal) { inline.append("\n") }
                case .emphasis:
                    inline.append("*")
                case .strong:
                    inline.append("**")
                case .strikethrough:
                    inline.append("~~")
                case .link(let link):
                    let text = document.plainText(of: child)
                    if let shown = Self.autolinkText(text: text, destination: link.destination) {
                        inline.appendProtected(shown)
                        // A mail reader finds addresses in plain text by itself and, like GFM,
                        // would run one on into the Chinese after it: a space ends it.
                        if let next = document[child].next, case .text(let after) = document[next].kind,
                            let first = after.unicodeScalars.first, first.isCJK
                        {
                            inline.append(" ")
                        }
                        return .skipChildren
                    }
                    if !link.destination.isEmpty {
                        pendingMarks.append((child, "[\(links.number(for: link.destination))]"))
                    }
                case .image(let link):
                    let alt = document.plainText(of: child)
                    inline.append(alt.isEmpty ? "[image]" : "[image: \(alt)]")
                    if !link.destination.isEmpty {
                        inline.appendMark("[\(links.number(for: link.destination))]")
                    }
                    return .skipChildren
                case .footnoteReference(let label):
                    if let number = footnoteNumbers[label.lowercased()] { inline.appendMark("[^\(number)]", spaced: false) }
                default:
                    break
                }
                return .proceed
            case .exit(let child):
                switch document[child].kind {
                case .emphasis: inline.append("*")
                case .strong: inline.append("**")
                case .strikethrough: inline.append("~~")
                case .link:
                    if pendingMarks.last?.link == child { inline.appendMark(pendingMarks.removeLast().mark) }
                default: break
                }
                return .proceed
            }
        }
        return inline
    }

    /// What to show for a link whose text is its own address (an autolink): the address, once,
    /// in place; nil for other links.
    static func autolinkText(text: String, destination: String) -> String? {
        if text == destination { return text }
        if destination == "mailto:" + text { return text }
        if destination == "http://" + text || destination == "https://" + text { return destination }
        return nil
    }

    // MARK: Emitting lines

    /// The width left for text inside the current containers.
    var available: Int {
        var used = 0
        for container in containers {
            switch container {
            case .quote: used += 2
            case .list: break
            case .item(let marker, _): used += DisplayWidth.of(marker)
            }
        }
        // Deep nesting keeps a usable column rather than squeezing text to nothing.
        return max(options.width - used, min(options.width, 20))
    }

    /// Puts a blank line before a new block, except as the first block of a list item and
    /// between the blocks of a tight list.
    mutating func separate() {
        guard let lastLineStart else { return }
        for container in containers.reversed() {
            switch container {
            case .item(_, let printed):
                if !printed { return }
                continue
            case .list(let tight):
                if tight { return }
            case .quote(let started):
                if !started { return }
            }
            break
        }
        let blank = prefix(consumingMarkers: false)
        if !out[lastLineStart..<(out.count - 1)].elementsEqual(blank.utf8) {
            self.lastLineStart = out.count
            out += blank.utf8
            out.append(0x0A)
        }
    }

    /// What goes before a line: quote markers and list indentation (the item markers the first
    /// time). Blank lines get no markers and no trailing spaces.
    mutating func prefix(consumingMarkers: Bool) -> String {
        var text = ""
        for index in containers.indices {
            switch containers[index] {
            case .quote:
                text += "> "
                if consumingMarkers { containers[index] = .quote(started: true) }
            case .list:
                break
            case .item(let marker, let printed):
                if consumingMarkers && !printed {
                    text += marker
                    containers[index] = .item(marker: marker, printed: true)
                } else {
                    text += String(repeating: " ", count: DisplayWidth.of(marker))
                }
            }
        }
        if !consumingMarkers {
            while text.last == " " { text.removeLast() }
        }
        if options.flowed {
            // RFC 3676 counts quote depth by consecutive '>' at the start of the line.
            var collapsed = text
            while let range = collapsed.range(of: "> >") { collapsed.replaceSubrange(range, with: ">>") }
            text = collapsed
        }
        return text
    }

    /// Adds `content` lines under the current containers. In flowed text, `flowMarks[i]` ends
    /// line `i` when the paragraph goes on after it: one space (removed when the reader joins the
    /// lines, `DelSp=yes`), or two where the break took a space between words.
    mutating func emit(_ content: [String], flowMarks: [String] = []) {
        var continuation: String?
        for (index, line) in content.enumerated() {
            let start = beginLine(index, continuation: &continuation)
            out += line.utf8
            endLine(from: start, flowMark: index < flowMarks.count ? flowMarks[index] : nil)
        }
    }

    /// Writes the prefix of the `index`-th line of a block and returns where the line starts.
    /// The first line takes the markers; the prefix of the second is that of all the rest, kept
    /// in `continuation`.
    mutating func beginLine(_ index: Int, continuation: inout String?) -> Int {
        let start = out.count
        if let continuation {
            out += continuation.utf8
        } else {
            let prefix = self.prefix(consumingMarkers: true)
            if index > 0 { continuation = prefix }
            out += prefix.utf8
        }
        return start
    }

    /// Ends the line written from `start`: without spaces at its end, space-stuffed and with
    /// its flow mark in flowed text (an empty line gets neither), and a line feed.
    mutating func endLine(from start: Int, flowMark: String?) {
        while out.count > start && out[out.count - 1] == 0x20 { out.removeLast() }
        if out.count > start && options.flowed {
            let first = out[start]
            let from = out.count - start >= 5 && out[start..<(start + 5)].elementsEqual("From ".utf8)
            if first == 0x20 || from || (first == UInt8(ascii: ">") && !startsWithQuotePrefix) { out.insert(0x20, at: start) }
            if let flowMark { out += flowMark.utf8 }
        }
        out.append(0x0A)
        lastLineStart = start
    }

    /// Whether the current line prefix begins with quote markers (they are not stuffed).
    var startsWithQuotePrefix: Bool {
        if case .quote = containers.first { return true }
        return false
    }

    mutating func emitParagraph(_ inline: InlineText) {
        for piece in inline.pieces() {
            let wrapped = TextWrapper.wrapRanges(scalars: piece.scalars, width: available, protected: piece.protected)
            guard !wrapped.isEmpty else {
                emit([""])
                continue
            }
            // Each line's scalars written as UTF-8 after its prefix, with no string between.
            var continuation: String?
            for (index, line) in wrapped.enumerated() {
                let start = beginLine(index, continuation: &continuation)
                out.appendUTF8(of: piece.scalars[line.range])
                let mark = index < wrapped.count - 1 ? (line.brokeAtSpace ? "  " : " ") : nil
                endLine(from: start, flowMark: mark)
            }
        }
    }

    mutating func emitHeading(_ inline: InlineText, level: Int) {
        let width = available
        let pieces = inline.pieces()
        var text = ""
        for piece in pieces { text += (text.isEmpty ? "" : " ") + piece.text }
        let protected = pieces.count == 1 ? pieces[0].protected : []
        switch level {
        case 1, 2:
            let wrapped = TextWrapper.wrap(text, width: width, protected: protected)
            let rule = wrapped.map { DisplayWidth.of($0) }.max() ?? 0
            emit(wrapped)
            emit([String(repeating: level == 1 ? "=" : "-", count: max(rule, 3))])
        default:
            let marks = String(repeating: "#", count: level) + " "
            let wrapped = TextWrapper.wrap(text, width: width - marks.count, protected: protected)
            let hang = String(repeating: " ", count: marks.count)
            emit(wrapped.enumerated().map { ($0.offset == 0 ? marks : hang) + $0.element })
        }
    }

    mutating func emitCode(_ literal: String) {
        // Split at the line feeds' bytes: the code is laid out line by line, never by characters.
        var codeLines = literal.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(Substring($0)) }
        if codeLines.last == "" { codeLines.removeLast() }
        emit(codeLines.map { line in line.isEmpty ? "" : "    " + Self.expandingTabs(line) })
    }

    /// `line` with tabs replaced by spaces up to the next multiple of 8 columns.
    static func expandingTabs(_ line: String) -> String {
        guard line.utf8.contains(0x09) else { return line }
        var result = ""
        var column = 0
        for character in line {
            if character == "\t" {
                let spaces = 8 - column % 8
                result += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                result.append(character)
                column += DisplayWidth.of(String(character))
            }
        }
        return result
    }

    mutating func emitTable(_ id: NodeID) {
        guard case .table(let alignments) = document[id].kind else { return }
        var rows: [[String]] = []
        for row in document.children(of: id) {
            rows.append(document.children(of: row).map { cell in
                inlineText(of: cell).pieces().map(\.text).joined(separator: " ")
            })
        }
        guard let header = rows.first else { return }
        let columns = alignments.count
        let cells = rows.map { row in (0..<columns).map { $0 < row.count ? row[$0] : "" } }
        var widths = [Int](repeating: 0, count: columns)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        let total = widths.reduce(0, +) + 3 * (columns - 1)
        if total <= available {
            func line(_ row: [String]) -> String {
                row.enumerated().map { index, cell in
                    Self.pad(cell, to: widths[index], alignment: alignments[index], last: index == columns - 1)
                }.joined(separator: " | ")
            }
            var tableLines = [line(cells[0])]
            tableLines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-"))
            tableLines += cells.dropFirst().map(line)
            emit(tableLines)
            return
        }
        // Too wide for columns: one record per row, as a list of "header: value" pairs.
        containers.append(.list(tight: true))
        for row in cells.dropFirst() {
            containers.append(.item(marker: "* ", printed: false))
            let fields = row.enumerated().map { index, cell in
                (header.indices.contains(index) && !header[index].isEmpty ? header[index] + ": " : "") + cell
            }
            var inline = InlineText()
            inline.append(fields.joined(separator: "; "))
            emitParagraph(inline)
            containers.removeLast()
        }
        containers.removeLast()
    }

    /// `text` padded with spaces to `width` display columns, as the column is aligned. The last
    /// column gets no padding after its text, so lines end without spaces.
    static func pad(_ text: String, to width: Int, alignment: TableAlignment, last: Bool) -> String {
        let room = max(width - DisplayWidth.of(text), 0)
        switch alignment {
        case .right:
            return String(repeating: " ", count: room) + text
        case .center:
            let before = room / 2
            return String(repeating: " ", count: before) + text + (last ? "" : String(repeating: " ", count: room - before))
        case .left, .none:
            return last ? text : text + String(repeating: " ", count: room)
        }
    }
}
