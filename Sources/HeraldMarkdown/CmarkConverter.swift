// The one file that sees libcmark-gfm: parses a Markdown body and converts cmark's tree into
// Herald's Document, freeing the C tree before returning.

import CCmarkGFM
import HeraldCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Which syntax the parser accepts.
public struct MarkdownSyntax: Hashable, Sendable {
    /// GFM extensions: tables, strikethrough, autolinks, task lists, footnotes.
    public var extensions: Bool
    /// Whether the tagfilter extension is on (it affects rendering only, kept here so renderers know).
    public var tagfilter: Bool

    /// Whether a bare web address (an extension autolink) ends where Chinese, Japanese or
    /// Korean text begins: `https://tikv.org/blog中文` links `https://tikv.org/blog`. GFM ends
    /// such an address only at a space or `<`, which swallows the sentence after it.
    public var autolinksEndAtCJK: Bool

    public init(extensions: Bool, tagfilter: Bool, autolinksEndAtCJK: Bool = false) {
        self.extensions = extensions
        self.tagfilter = tagfilter
        self.autolinksEndAtCJK = autolinksEndAtCJK
    }

    /// The syntax written out, for the parser's fingerprint (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("MarkdownSyntax")
        settings.add("extensions", extensions)
        settings.add("tagfilter", tagfilter)
        settings.add("autolinksEndAtCJK", autolinksEndAtCJK)
        return settings
    }

    /// Plain CommonMark: no extensions.
    public static let commonMark = MarkdownSyntax(extensions: false, tagfilter: false)
    /// GitHub Flavored Markdown with every extension Herald supports.
    public static let gfm = MarkdownSyntax(extensions: true, tagfilter: true)
    /// Herald's own flavor: GFM, with bare web addresses that end where CJK text begins.
    public static let herald = MarkdownSyntax(extensions: true, tagfilter: true, autolinksEndAtCJK: true)
}

/// Converts Markdown text to a Document with cmark-gfm.
struct CmarkConverter {
    let syntax: MarkdownSyntax
    /// Maps a body position (1-based line, 1-based byte column, as cmark reports it) to a
    /// position in the file.
    let locate: (Int, Int) -> SourceLocation

    private static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// libcmark-gfm keeps one process-wide table of the characters that start inlines, which
    /// `cmark_parser_finish` switches on and off for the attached extensions' characters while
    /// it parses a document's inlines. Only that phase of two parsers must not overlap: making a
    /// parser, feeding it (block parsing) and reading its tree run on every core at once.
    private static let inlinePhase = Mutex(())

    /// The extension registry, filled once for the process before any parser looks in it.
    private static let extensionsRegistered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    func convert(_ body: Substring, metadata: PostMetadata) -> Document {
        // Copied in one go from the source's storage (a substring's UTF-8 view is otherwise
        // copied byte by byte).
        let bytes = body.utf8.withContiguousStorageIfAvailable { Array($0) } ?? Array(body.utf8)
        let lines = LineTable(bytes)
        return Self.withTree(of: bytes, syntax: syntax, lines: lines, otherwise: Document(metadata: metadata)) { root, _, _ in
            var builder = Builder(lines: lines, locate: locate)
            return builder.build(root, metadata: metadata)
        }
    }

    /// Parses `bytes` and hands the tree, its parser and the options used to `body`; both are
    /// freed when it returns. `otherwise` if cmark fails. `lines` are the lines of `bytes`, if
    /// the caller has them already.
    fileprivate static func withTree<T: Sendable>(
        of bytes: [UInt8], syntax: MarkdownSyntax, lines: LineTable? = nil, otherwise: T, _ body: (_ root: OpaquePointer, _ parser: OpaquePointer, _ options: Int32) -> T
    ) -> T {
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_UNSAFE
        if syntax.extensions { options |= CMARK_OPT_FOOTNOTES }
        guard let parser = cmark_parser_new(options) else { return otherwise }
        defer { cmark_parser_free(parser) }
        if syntax.extensions && extensionsRegistered {
            for name in extensionNames where name != "tagfilter" || syntax.tagfilter {
                if let ext = cmark_find_syntax_extension(name) {
                    cmark_parser_attach_syntax_extension(parser, ext)
                }
            }
        }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        // The tree belongs to this parser alone; only the call that makes it is serialized.
        nonisolated(unsafe) var finished: OpaquePointer?
        inlinePhase.withLock { _ in finished = cmark_parser_finish(parser) }
        guard let root = finished else { return otherwise }
        defer { cmark_node_free(root) }
        if syntax.autolinksEndAtCJK { endAutolinksAtCJK(root, lines: lines ?? LineTable(bytes)) }
        return body(root, parser, options)
    }

    /// Cuts every bare web address where CJK text starts in it: the address keeps what comes
    /// before (and any punctuation at its end goes with the text, as GFM leaves it out of an
    /// address), and the rest becomes text after the link.
    private static func endAutolinksAtCJK(_ root: OpaquePointer, lines: LineTable) {
        // Bare addresses are the links the autolink extension made: without a position, or
        // with one where the source has neither `[` nor `<`.
        var links: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(root) else { return }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard let node = cmark_iter_get_node(iterator), cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
                cmark_node_get_type(node) == CMARK_NODE_LINK
            else { continue }
            let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
            let first = line > 0 ? lines.slice(line, column, line, column).first : nil
            if first != UInt8(ascii: "[") && first != UInt8(ascii: "<") { links.append(node) }
        }
        cmark_iter_free(iterator)
        for link in links {
            guard let text = cmark_node_first_child(link), cmark_node_get_type(text) == CMARK_NODE_TEXT, cmark_node_next(text) == nil,
                let literalPointer = cmark_node_get_literal(text), let urlPointer = cmark_node_get_url(link)
            else { continue }
            let literal = String(cString: literalPointer), url = String(cString: urlPointer)
            let scalars = Array(literal.unicodeScalars)
            guard let cut = scalars.firstIndex(where: \.isCJK), url.hasSuffix(literal) else { continue }
            var end = cut
            while end > 0, ".,:;!?*_~'\"".unicodeScalars.contains(scalars[end - 1]) { end -= 1 }
            let kept = String(String.UnicodeScalarView(scalars[..<end]))
            let rest = String(String.UnicodeScalarView(scalars[end...]))
            // The address must keep a whole host (`www` alone, or a scheme, is not one): a
            // host written in Chinese (`https://中文.org`) stays as GFM reads it.
            let afterScheme = kept.range(of: "://").map { kept[$0.upperBound...] } ?? kept[...]
            let host = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard host.contains("."), host.last != "." else { continue }
            let address = String(url.dropLast(literal.count)) + kept
            guard let after = cmark_node_new(CMARK_NODE_TEXT) else { continue }
            cmark_node_set_literal(text, kept)
            cmark_node_set_url(link, address)
            cmark_node_set_literal(after, rest)
            cmark_node_insert_after(link, after)
        }
    }
}

/// Byte offsets of line starts in the body, to read link sources back.
private struct LineTable {
    let bytes: [UInt8]
    let starts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.starts = ByteText.lineStarts(of: bytes)
    }

    /// The bytes from (line, column) through (endLine, endColumn), 1-based and inclusive.
    func slice(_ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int) -> ArraySlice<UInt8> {
        guard line >= 1, endLine >= line, endLine <= starts.count else { return [] }
        let from = starts[line - 1] + column - 1
        let to = min(starts[endLine - 1] + endColumn, bytes.count)
        guard from >= 0, from < to else { return [] }
        return bytes[from..<to]
    }
}

private struct Builder {
    let lines: LineTable
    let locate: (Int, Int) -> SourceLocation

    mutating func build(_ root: OpaquePointer, metadata: PostMetadata) -> Document {
        var document = Document(metadata: metadata, range: range(of: root))
        // About one node for every 32 bytes of Markdown (23 to 54 in English and Chinese posts):
        // most documents are made without their nodes moved to bigger storage on the way.
        document.reserveCapacity(lines.bytes.count / 32 + 8)
        let tableType = herald_cmark_node_table()
        let rowType = herald_cmark_node_table_row()
        let cellType = herald_cmark_node_table_cell()
        let strikeType = herald_cmark_node_strikethrough()

        guard let iterator = cmark_iter_new(root) else { return document }
        defer { cmark_iter_free(iterator) }
        // Open containers: cmark's node and the Herald node made from it.
        var parents: [(cmark: OpaquePointer, id: NodeID)] = []

        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            if event == CMARK_EVENT_EXIT {
                if parents.last?.cmark == node { parents.removeLast() }
                continue
            }
            if node == root {
                parents.append((root, document.root))
                continue
            }
            let type = cmark_node_get_type(node)
            let kind: NodeKind
            switch type {
            case CMARK_NODE_PARAGRAPH: kind = .paragraph
            case CMARK_NODE_HEADING:
                kind = .heading(level: Int(cmark_node_get_heading_level(node)), setext: isSetext(node))
            case CMARK_NODE_BLOCK_QUOTE: kind = .blockQuote
            case CMARK_NODE_LIST:
                let marker: ListStyle.Marker
                if cmark_node_get_list_type(node) == CMARK_ORDERED_LIST {
                    let delimiter: Character = cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ")" : "."
                    marker = .ordered(start: Int(cmark_node_get_list_start(node)), delimiter: delimiter)
                } else {
                    marker = .bullet(bulletCharacter(node))
                }
                kind = .list(ListStyle(marker: marker, isTight: cmark_node_get_list_tight(node) != 0))
            case CMARK_NODE_ITEM:
                var task: TaskState?
                if typeString(node) == "tasklist" {
                    task = cmark_gfm_extensions_get_tasklist_item_checked(node) ? .checked : .unchecked
                }
                kind = .item(task: task)
            case CMARK_NODE_CODE_BLOCK:
                var length: Int32 = 0, offset: Int32 = 0
                var character: CChar = 0
                kind = .codeBlock(
                    info: string(cmark_node_get_fence_info(node)), literal: literal(node),
                    fenced: cmark_node_get_fenced(node, &length, &offset, &character) != 0)
            case CMARK_NODE_HTML_BLOCK: kind = .htmlBlock(literal(node))
            case CMARK_NODE_THEMATIC_BREAK: kind = .thematicBreak
            case CMARK_NODE_FOOTNOTE_DEFINITION: kind = .footnoteDefinition(label: footnoteDefinitionLabel(node) ?? "")
            case CMARK_NODE_TEXT: kind = .text(literal(node))
            case CMARK_NODE_SOFTBREAK: kind = .softBreak
            case CMARK_NODE_LINEBREAK: kind = .lineBreak
            case CMARK_NODE_CODE: kind = .code(literal(node))
            case CMARK_NODE_HTML_INLINE: kind = .inlineHTML(literal(node))
            case CMARK_NODE_EMPH: kind = .emphasis
            case CMARK_NODE_STRONG: kind = .strong
            case CMARK_NODE_LINK: kind = .link(link(node, image: false))
            case CMARK_NODE_IMAGE: kind = .image(link(node, image: true))
            case CMARK_NODE_FOOTNOTE_REFERENCE: kind = .footnoteReference(label: footnoteReferenceLabel(node) ?? literal(node))
            case tableType:
                let columns = Int(cmark_gfm_extensions_get_table_columns(node))
                var alignments: [TableAlignment] = []
                if let raw = cmark_gfm_extensions_get_table_alignments(node) {
                    for column in 0..<columns {
                        switch raw[column] {
                        case UInt8(ascii: "l"): alignments.append(.left)
                        case UInt8(ascii: "c"): alignments.append(.center)
                        case UInt8(ascii: "r"): alignments.append(.right)
                        default: alignments.append(.none)
                        }
                    }
                }
                kind = .table(alignments: alignments)
            case rowType: kind = .tableRow(isHeader: cmark_gfm_extensions_get_table_row_is_header(node) != 0)
            case cellType: kind = .tableCell
            case strikeType: kind = .strikethrough
            default:
                // An unknown extension node: keep its text, lose its meaning.
                kind = .text(literal(node))
            }
            guard let parent = parents.last?.id else { continue }
            var nodeRange = range(of: node)
            if type == CMARK_NODE_FOOTNOTE_DEFINITION, let start = footnoteDefinitionStart(node) {
                nodeRange.start = locate(start.line, start.column)
            } else if type == CMARK_NODE_CODE {
                nodeRange = codeSpanRange(node) ?? nodeRange
            }
            // Merge runs of text that cmark splits (brackets, entities) into one text node.
            if case .text(let string) = kind, let previous = document[parent].lastChild,
                case .text(let before) = document[previous].kind
            {
                document.setKind(.text(before + string), of: previous)
                if !document[previous].range.isUnknown && !nodeRange.isUnknown {
                    document.setRange(SourceRange(start: document[previous].range.start, end: nodeRange.end), of: previous)
                }
                continue
            }
            if nodeRange.isUnknown {
                nodeRange = estimatedRange(for: kind, after: document[parent].lastChild, in: parent, document: document)
            }
            let id = document.append(kind, range: nodeRange, to: parent)
            if !isLeaf(node) {
                parents.append((node, id))
            }
        }
        return document
    }

    /// Whether cmark's iterator sends no exit event for the node (its list of leaf types).
    private func isLeaf(_ node: OpaquePointer) -> Bool {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_CODE,
            CMARK_NODE_HTML_INLINE, CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK:
            true
        default:
            false
        }
    }

    private func range(of node: OpaquePointer) -> SourceRange {
        let startLine = Int(cmark_node_get_start_line(node))
        let startColumn = Int(cmark_node_get_start_column(node))
        guard startLine > 0, startColumn > 0 else { return .unknown }
        var endLine = Int(cmark_node_get_end_line(node))
        var endColumn = Int(cmark_node_get_end_column(node))
        if endLine < startLine || (endLine == startLine && endColumn < startColumn) {
            endLine = startLine
            endColumn = startColumn
        }
        if endColumn < 1 { endColumn = 1 }
        return SourceRange(start: locate(startLine, startColumn), end: locate(endLine, endColumn))
    }

    /// A best guess for inline nodes cmark leaves without a position (extension autolinks):
    /// just after the previous sibling, on the same line.
    private func estimatedRange(for kind: NodeKind, after previous: NodeID?, in parent: NodeID, document: Document) -> SourceRange {
        guard let previous, !document[previous].range.isUnknown else {
            return document[parent].range.isUnknown ? .unknown : SourceRange(start: document[parent].range.start, end: document[parent].range.start)
        }
        let end = document[previous].range.end
        let start = SourceLocation(line: end.line, column: end.column + 1)
        var length = 1
        if case .link(let link) = kind { length = link.destination.unicodeScalars.count }
        return SourceRange(start: start, end: SourceLocation(line: end.line, column: end.column + length))
    }

    private func link(_ node: OpaquePointer, image: Bool) -> Link {
        let destination = string(cmark_node_get_url(node))
        let title = string(cmark_node_get_title(node))
        let startLine = Int(cmark_node_get_start_line(node))
        guard startLine > 0 else { return Link(destination: destination, title: title, form: .autolink) }
        var source = lines.slice(
            startLine, Int(cmark_node_get_start_column(node)),
            Int(cmark_node_get_end_line(node)), Int(cmark_node_get_end_column(node)))
        if image, source.first == UInt8(ascii: "!") { source = source.dropFirst() }
        let (form, label) = Self.classify(source)
        return Link(destination: destination, title: title, form: form, label: label)
    }

    /// Tells from a link's source text how it was written and, for references, its label.
    static func classify(_ source: ArraySlice<UInt8>) -> (Link.Form, String?) {
        let open = UInt8(ascii: "["), close = UInt8(ascii: "]"), backslash = UInt8(ascii: "\\")
        guard let first = source.first, let last = source.last else { return (.inline, nil) }
        if first == UInt8(ascii: "<") { return (.autolink, nil) }
        guard first == open else { return (.autolink, nil) }
        guard last == close else { return (.inline, nil) }
        // Find the '[' that opens the final bracket group (labels hold no unescaped brackets).
        var index = source.index(before: source.endIndex)
        var opening: Int?
        while index > source.startIndex {
            index -= 1
            let byte = source[index]
            let escaped = index > source.startIndex && source[index - 1] == backslash
            if byte == open && !escaped {
                opening = index
                break
            }
            if byte == close && !escaped && index != source.index(before: source.endIndex) { break }
        }
        let inner = { (from: Int, to: Int) in String(decoding: source[from..<to], as: UTF8.self) }
        guard let opening, opening > source.startIndex, source[opening - 1] == close else {
            return (.shortcut, inner(source.startIndex + 1, source.endIndex - 1))
        }
        if opening + 1 == source.endIndex - 1 {
            return (.collapsed, inner(source.startIndex + 1, opening - 1))
        }
        return (.full, inner(opening + 1, source.endIndex - 1))
    }

    // MARK: Footnote labels
    // libcmark-gfm replaces a footnote reference's literal by its number and gives no access to
    // a definition's label, so both are read back from the source.

    /// `[^label]` -> `label`.
    private func footnoteReferenceLabel(_ node: OpaquePointer) -> String? {
        let line = Int(cmark_node_get_start_line(node))
        let source = lines.slice(line, Int(cmark_node_get_start_column(node)), Int(cmark_node_get_end_line(node)), Int(cmark_node_get_end_column(node)))
        guard source.count > 3, source.starts(with: Array("[^".utf8)), source.last == UInt8(ascii: "]") else { return nil }
        return String(decoding: source.dropFirst(2).dropLast(), as: UTF8.self)
    }

    /// Where a definition's `[^label]:` marker is: on the line its content starts, or the
    /// nearest line above that begins with one.
    private func footnoteDefinitionStart(_ node: OpaquePointer) -> (line: Int, column: Int, label: String)? {
        let contentLine = Int(cmark_node_get_start_line(node))
        let contentColumn = Int(cmark_node_get_start_column(node))
        guard contentLine > 0 else { return nil }
        var line = contentLine
        while line >= max(1, contentLine - 100) {
            let limit = line == contentLine ? contentColumn - 1 : Int.max / 2
            let text = Array(lines.slice(line, 1, line, limit))
            if let found = Self.findDefinitionMarker(text) { return (line, found.column, found.label) }
            line -= 1
        }
        return nil
    }

    private func footnoteDefinitionLabel(_ node: OpaquePointer) -> String? {
        footnoteDefinitionStart(node)?.label
    }

    /// The last `[^label]:` in a line (its 1-based byte column and label).
    static func findDefinitionMarker(_ text: [UInt8]) -> (column: Int, label: String)? {
        var index = text.count - 1
        while index >= 1 {
            if text[index] == UInt8(ascii: ":"), text[index - 1] == UInt8(ascii: "]") {
                var open = index - 2
                while open >= 1, !(text[open - 1] == UInt8(ascii: "[") && text[open] == UInt8(ascii: "^")) { open -= 1 }
                if open >= 1, open + 1 <= index - 2 {
                    return (open, String(decoding: text[(open + 1)..<(index - 1)], as: UTF8.self))
                }
            }
            index -= 1
        }
        return nil
    }

    /// cmark places a code span at its content; widen it to the backticks around it.
    private func codeSpanRange(_ node: OpaquePointer) -> SourceRange? {
        let line = Int(cmark_node_get_start_line(node)), endLine = Int(cmark_node_get_end_line(node))
        var start = Int(cmark_node_get_start_column(node)), end = Int(cmark_node_get_end_column(node))
        guard line > 0, endLine >= line else { return nil }
        // Read in the source's bytes, not copied out of them.
        let before = lines.slice(line, 1, line, start - 1)
        var index = before.endIndex - 1
        if index >= before.startIndex + 1, before[index] == 0x20, before[index - 1] == UInt8(ascii: "`") { index -= 1 }
        while index >= before.startIndex, before[index] == UInt8(ascii: "`") { index -= 1 }
        start = index - before.startIndex + 2
        let after = lines.slice(endLine, end + 1, endLine, end + 200)
        let base = after.startIndex
        var offset = 0
        if after.count >= 2, after[base] == 0x20, after[base + 1] == UInt8(ascii: "`") { offset = 1 }
        while offset < after.count, after[base + offset] == UInt8(ascii: "`") { offset += 1 }
        end += offset
        return SourceRange(start: locate(line, start), end: locate(endLine, end))
    }

    private func isSetext(_ node: OpaquePointer) -> Bool {
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        let text = lines.slice(line, column, line, column)
        return text.first != UInt8(ascii: "#")
    }

    private func bulletCharacter(_ node: OpaquePointer) -> Character {
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        let marker = lines.slice(line, column, line, column + 3).first { $0 != 0x20 }
        switch marker {
        case UInt8(ascii: "*"): return "*"
        case UInt8(ascii: "+"): return "+"
        default: return "-"
        }
    }

    private func typeString(_ node: OpaquePointer) -> String {
        string(cmark_node_get_type_string(node))
    }

    private func literal(_ node: OpaquePointer) -> String {
        string(cmark_node_get_literal(node))
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}

/// cmark-gfm on its own: Markdown to HTML by libcmark-gfm's renderer, with the same options and
/// extensions Herald parses with. The reference `make bench` measures Herald against.
public enum CmarkReference {
    /// The HTML cmark-gfm makes of `markdown`.
    public static func html(_ markdown: [UInt8], syntax: MarkdownSyntax = .gfm) -> [UInt8] {
        CmarkConverter.withTree(of: markdown, syntax: syntax, otherwise: []) { root, parser, options in
            guard let html = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) else { return [] }
            defer { free(html) }
            return Array(UnsafeBufferPointer(start: UnsafeRawPointer(html).assumingMemoryBound(to: UInt8.self), count: strlen(html)))
        }
    }
}
