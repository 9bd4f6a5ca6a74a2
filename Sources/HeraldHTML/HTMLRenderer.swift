// Document -> HTML fragment. Follows CommonMark's reference renderer exactly in the spec
// flavors, and adds Herald's heading ids and CJK soft-break rule in the herald flavor. What
// differs between readers (headings, footnotes, table alignment) comes from `HTMLMarkup`.

public import HeraldCore

/// A heading as the table of contents sees it.
public struct HeadingEntry: Hashable, Sendable {
    public var level: Int
    public var id: String
    public var text: String
}

/// The HTML of a post body and what was learnt while rendering it.
public struct RenderedBody: Sendable {
    public var html: String
    /// Headings in order, with their ids (empty ids in the spec flavors).
    public var headings: [HeadingEntry]
}

/// Renders a ``Document`` to an HTML fragment.
public struct HTMLRenderer: Sendable {
    public var options: HTMLOptions

    public init(options: HTMLOptions = HTMLOptions()) { self.options = options }

    /// The body fragment.
    public func render(_ document: Document) -> RenderedBody {
        var state = RenderState(document: document, options: options)
        // Room for the page at once (about 24 bytes of HTML a node), not grown step by step.
        state.out.bytes.reserveCapacity(document.nodes.count * 24)
        state.prepare()
        document.walk { event in state.visit(event) }
        state.finish()
        var html = String(wellFormedUTF8: state.out.bytes)
        if options.rawHTML == .sanitize && state.needsSanitizing {
            html = options.markup.sanitize(html)
            if !html.isEmpty && !html.hasSuffix("\n") { html += "\n" }
        }
        return RenderedBody(html: html, headings: state.headings)
    }
}

/// The walk's state: output buffer and bookkeeping, no recursion.
private struct RenderState {
    let document: Document
    let options: HTMLOptions
    let markup: any HTMLMarkup
    var out = Fragment()
    /// What a markup method wrote, before it joins `out` (markup methods write to a string).
    var piece = ""
    var headings: [HeadingEntry] = []
    var headingIDs: [NodeID: String] = [:]
    /// Whether raw HTML other than comments was written, which the sanitizer must clean.
    var needsSanitizing = false
    /// While inside an image, children render as plain alt text.
    var plainUntil: NodeID?
    var tableHeader = false
    var tableBodyOpen = false
    /// The alignment of each column of the table being written, and the column of the next cell.
    var tableAlignments: [TableAlignment] = []
    var tableColumn = 0
    // Footnotes.
    var footnoteNumbers: [String: Int] = [:]
    var footnoteRefCounts: [String: Int] = [:]
    var footnoteReferenceTotals: [String: Int] = [:]
    var footnotesRendered = 0
    var backrefWritten: Set<NodeID> = []

    init(document: Document, options: HTMLOptions) {
        self.document = document
        self.options = options
        self.markup = options.markup
    }

    var tagfilter: Bool { options.flavor != .commonmark }

    mutating func prepare() {
        var deduplicator = Slug.Deduplicator()
        var footnoteCount = 0
        for id in document.children(of: document.root) {
            if case .footnoteDefinition(let label) = document[id].kind {
                footnoteCount += 1
                footnoteNumbers[label.lowercased()] = footnoteCount
            }
        }
        // Heading ids never take an id a footnote, its references or the page around need.
        deduplicator.reserve(["top", "toc", "footnotes", "herald-chapter"])
        // One walk, each node's kind looked at once: headings and footnote references are all
        // this needs of the tree.
        let document = self.document
        document.walk { event in
            guard case .enter(let id) = event else { return .proceed }
            switch document[id].kind {
            case .footnoteReference(let label):
                let key = label.lowercased()
                let count = footnoteReferenceTotals[key, default: 0] + 1
                footnoteReferenceTotals[key] = count
                let escaped = Escape.href(label)
                deduplicator.reserve(["fn-\(escaped)", FootnoteReferenceIDs.id(label: escaped, occurrence: count)])
            case .heading(let level, _):
                let text = document.plainText(of: id)
                var anchor = ""
                if options.flavor.hasHeraldAdditions {
                    anchor = deduplicator.unique(Slug.headingID(text))
                    headingIDs[id] = anchor
                }
                headings.append(HeadingEntry(level: level, id: anchor, text: text))
            default:
                break
            }
            return .proceed
        }
    }

    mutating func finish() {
        if footnotesRendered > 0 {
            markup.closeFootnotes(into: &piece)
            flushPiece()
        }
    }

    /// Moves what a markup method wrote into the fragment.
    mutating func flushPiece() {
        out += piece
        piece = ""
    }

    mutating func cr() {
        if let last = out.bytes.last, last != 0x0A { out.bytes.append(0x0A) }
    }

    mutating func visit(_ event: Document.WalkEvent) -> Document.WalkAction {
        switch event {
        case .enter(let id):
            if plainUntil != nil {
                renderPlain(document[id].kind)
                return .proceed
            }
            return enter(id)
        case .exit(let id):
            if let plain = plainUntil {
                guard plain == id else { return .proceed }
                plainUntil = nil
            }
            exit(id)
            return .proceed
        }
    }

    mutating func renderPlain(_ kind: NodeKind) {
        switch kind {
        case .text(let text), .code(let text), .inlineHTML(let text): out.escaping(text)
        case .softBreak, .lineBreak: out += " "
        default: break
        }
    }

    mutating func enter(_ id: NodeID) -> Document.WalkAction {
        // The node's kind is read where it is, not copied with the rest of the node.
        switch document[id].kind {
        case .document:
            break
        case .blockQuote:
            cr()
            out += "<blockquote>\n"
        case .list(let style):
            cr()
            if let start = style.start {
                out += start == 1 ? "<ol>\n" : "<ol start=\"\(start)\">\n"
            } else {
                out += "<ul>\n"
            }
        case .item(let task):
            cr()
            out += "<li>"
            if let task {
                out += task == .checked ? "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> " : "<input type=\"checkbox\" disabled=\"\" /> "
            }
        case .heading(let level, _):
            cr()
            markup.openHeading(level: level, id: headingIDs[id], into: &piece)
            flushPiece()
        case .codeBlock(let info, let literal, _):
            cr()
            let language = info.prefix { !$0.isWhitespace }
            if language.isEmpty {
                out += "<pre><code>"
            } else {
                out += "<pre><code class=\"language-\(Escape.html(String(language)))\">"
            }
            out.escaping(literal)
            out += "</code></pre>\n"
        case .htmlBlock(let literal):
            cr()
            out += raw(literal)
            cr()
        case .thematicBreak:
            cr()
            out += "<hr />\n"
        case .paragraph:
            if !isTight(id) {
                cr()
                out += "<p>"
            }
            if document[id].previous == nil, let parent = document[id].parent, case .footnoteDefinition(let label) = document[parent].kind {
                markup.footnoteLead(number: footnoteNumbers[label.lowercased()] ?? 0, into: &piece)
                flushPiece()
            }
        case .table(let alignments):
            cr()
            out += "<table>"
            tableBodyOpen = false
            tableAlignments = alignments
        case .tableRow(let isHeader):
            cr()
            if isHeader {
                tableHeader = true
                out += "<thead>"
                cr()
            } else if !tableBodyOpen {
                out += "<tbody>"
                cr()
                tableBodyOpen = true
            }
            out += "<tr>"
            tableColumn = 0
        case .tableCell:
            cr()
            out += tableHeader ? "<th" : "<td"
            let column = tableColumn
            tableColumn += 1
            if column < tableAlignments.count, tableAlignments[column] != .none {
                markup.tableCellAlignment(tableAlignments[column], into: &piece)
                flushPiece()
            }
            out += ">"
        case .footnoteDefinition(let label):
            if footnotesRendered == 0 {
                markup.openFootnotes(into: &piece)
                flushPiece()
            }
            footnotesRendered += 1
            markup.openFootnote(id: "fn-\(Escape.href(label))", into: &piece)
            flushPiece()
        case .text(let text):
            out.escaping(text)
        case .softBreak:
            if options.flavor.hasHeraldAdditions && document.softBreakJoinsCJK(id) { break }
            out += "\n"
        case .lineBreak:
            out += "<br />\n"
        case .code(let text):
            out += "<code>"
            out.escaping(text)
            out += "</code>"
        case .inlineHTML(let literal):
            out += raw(literal)
        case .emphasis:
            out += "<em>"
        case .strong:
            out += "<strong>"
        case .strikethrough:
            out += "<del>"
        case .link(let link):
            out += "<a href=\""
            out += Escape.href(safeURL(link.destination, image: false))
            out += "\""
            if !link.title.isEmpty {
                out += " title=\""
                out.escaping(link.title)
                out += "\""
            }
            out += ">"
        case .image(let link):
            out += "<img src=\""
            out += Escape.href(safeURL(link.destination, image: true))
            out += "\" alt=\""
            plainUntil = id
        case .footnoteReference(let label):
            let key = label.lowercased()
            let number = footnoteNumbers[key] ?? 0
            let count = footnoteRefCounts[key, default: 0] + 1
            footnoteRefCounts[key] = count
            let escaped = Escape.href(label)
            let refID = FootnoteReferenceIDs.id(label: escaped, occurrence: count)
            markup.footnoteReference(number: number, footnoteID: "fn-\(escaped)", id: refID, into: &piece)
            flushPiece()
        }
        return .proceed
    }

    mutating func exit(_ id: NodeID) {
        switch document[id].kind {
        case .blockQuote:
            cr()
            out += "</blockquote>\n"
        case .list(let style):
            cr()
            out += style.isOrdered ? "</ol>\n" : "</ul>\n"
        case .item:
            out += "</li>\n"
        case .heading(let level, _):
            markup.closeHeading(level: level, id: headingIDs[id], into: &piece)
            flushPiece()
        case .paragraph:
            if let parent = document[id].parent, case .footnoteDefinition = document[parent].kind, document[id].next == nil {
                out += " "
                writeBackrefs(parent)
            }
            if !isTight(id) { out += "</p>\n" }
        case .table:
            if tableBodyOpen {
                cr()
                out += "</tbody>"
                cr()
            }
            tableBodyOpen = false
            cr()
            out += "</table>"
            cr()
        case .tableRow(let isHeader):
            cr()
            out += "</tr>"
            if isHeader {
                cr()
                out += "</thead>"
                tableHeader = false
            }
        case .tableCell:
            out += tableHeader ? "</th>" : "</td>"
        case .footnoteDefinition:
            if writeBackrefs(id) { out += "\n" }
            markup.closeFootnote(into: &piece)
            flushPiece()
        case .emphasis:
            out += "</em>"
        case .strong:
            out += "</strong>"
        case .strikethrough:
            out += "</del>"
        case .link:
            out += "</a>"
        case .image(let link):
            if !link.title.isEmpty { out += "\" title=\"" + Escape.html(link.title) }
            out += "\" />"
        default:
            break
        }
    }

    /// Writes the links back from a footnote to its references, once.
    @discardableResult
    mutating func writeBackrefs(_ definition: NodeID) -> Bool {
        guard !backrefWritten.contains(definition), case .footnoteDefinition(let label) = document[definition].kind else { return false }
        backrefWritten.insert(definition)
        let count = max(footnoteReferenceTotal(label), 1)
        markup.footnoteBackLinks(to: FootnoteReferenceIDs(label: Escape.href(label), count: count), into: &piece)
        flushPiece()
        return true
    }

    func footnoteReferenceTotal(_ label: String) -> Int {
        footnoteReferenceTotals[label.lowercased(), default: 0]
    }

    /// A paragraph directly in an item of a tight list renders without `<p>`.
    func isTight(_ id: NodeID) -> Bool {
        guard let parent = document[id].parent, let grandparent = document[parent].parent,
            case .list(let style) = document[grandparent].kind
        else { return false }
        return style.isTight
    }

    mutating func raw(_ literal: String) -> String {
        switch options.rawHTML {
        case .escape: return Escape.html(literal)
        // The sanitizer removes what the tag filter would escape, and more: escaping first
        // would leave the text of a script on the page.
        case .sanitize:
            // Comments alone (`<!--more-->`) are what the sanitizer would remove: they go here,
            // and a post with no other HTML is not parsed again by libxml2.
            if HTMLText.isOnlyComments(literal) { return "" }
            needsSanitizing = true
            return literal
        case .keep: return tagfilter ? TagFilter.apply(literal) : literal
        }
    }

    func safeURL(_ url: String, image: Bool) -> String {
        guard options.rawHTML != .keep else { return url }
        return Escape.isDangerousURL(url, allowDataImages: false) ? "" : url
    }

    /// Whether a soft break sits between two CJK characters.
}

/// GFM's tag filter: disables the tags that could change how the rest of a page is parsed.
enum TagFilter {
    static let names = ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"]

    static func apply(_ html: String) -> String {
        guard html.utf8.contains(UInt8(ascii: "<")) else { return html }
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "<") && isFiltered(bytes, at: index) {
                out += Array("&lt;".utf8)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isFiltered(_ bytes: [UInt8], at index: Int) -> Bool {
        var position = index + 1
        if position < bytes.count && bytes[position] == UInt8(ascii: "/") { position += 1 }
        for name in names {
            let nameBytes = Array(name.utf8)
            guard position + nameBytes.count <= bytes.count else { continue }
            var matches = true
            for (offset, expected) in nameBytes.enumerated() where bytes[position + offset] | 0x20 != expected {
                matches = false
                break
            }
            guard matches else { continue }
            let after = position + nameBytes.count
            guard after < bytes.count else { return false }
            switch bytes[after] {
            case UInt8(ascii: ">"), 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B: return true
            case UInt8(ascii: "/"): return after + 1 < bytes.count && bytes[after + 1] == UInt8(ascii: ">")
            default: return false
            }
        }
        return false
    }
}

/// The fragment being written, as UTF-8: appending bytes to an array is a copy, where a
/// string's append also keeps its counts and flags.
private struct Fragment {
    var bytes: [UInt8] = []

    static func += (fragment: inout Fragment, text: String) {
        var text = text
        text.withUTF8 { fragment.bytes.append(contentsOf: $0) }
    }

    /// `text` escaped as ``Escape/html(_:)`` escapes it.
    mutating func escaping(_ text: String) {
        Escape.appendHTML(text, to: &bytes)
    }
}
