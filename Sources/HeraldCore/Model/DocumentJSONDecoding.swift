// Reads the JSON form of Herald's AST back into a Document (what an external filter returns),
// without recursion, with errors that name the place in the JSON.

public import Foundation

/// Why a JSON text is not a document Herald can read, and where.
public struct DocumentJSONError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The text is not JSON at all.
        case notJSON
        /// The document is of a version of the format this Herald does not read (or names none).
        case unsupportedVersion
        /// The JSON does not describe a document: an unknown type, a missing field, a node
        /// where it cannot stand.
        case invalidDocument
    }

    public var reason: Reason
    /// Where the problem is: a path in the document (`root.children[3].children[0]`,
    /// `metadata.date`), or for text that is not JSON, `line 3, column 7`.
    public var place: String
    public var message: String

    public init(_ reason: Reason, place: String, _ message: String) {
        self.reason = reason
        self.place = place
        self.message = message
    }

    /// `root.children[3].children[0]: unknown type 'foo'`.
    public var description: String { "\(place): \(message)" }
}

extension Document {
    /// Reads a document from its JSON form, exactly as ``jsonString(extra:)`` writes it. Ranges
    /// are optional (nodes without one get ``SourceRange/unknown``); the read-only top-level
    /// fields (``jsonReadOnlyKeys``) are skipped. The tree is rebuilt with a work stack, so any
    /// depth reads. Throws when the text is not JSON, when its version is not ``jsonVersion``, or
    /// when it breaks the format, naming the place (`root.children[3]: unknown type 'foo'`).
    public init(json: Data) throws(DocumentJSONError) {
        let tree: JSONTree
        do {
            tree = try JSONTree(parsing: [UInt8](json))
        } catch {
            throw DocumentJSONError(.notJSON, place: "line \(error.line), column \(error.column)", error.message)
        }
        self = try DocumentDecoder(tree: tree).decode()
    }
}

/// A problem found inside one value, before its place is known: `field` continues the path.
private struct Problem: Error {
    var field: String?
    var message: String

    init(_ message: String) {
        self.field = nil
        self.message = message
    }

    init(_ field: String?, _ message: String) {
        self.field = field
        self.message = message
    }
}

private struct DocumentDecoder {
    let tree: JSONTree

    func decode() throws(DocumentJSONError) -> Document {
        guard case .object(let members) = tree[tree.top] else {
            throw DocumentJSONError(.invalidDocument, place: "top level", "expected an object, found \(describe(tree.top))")
        }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        try checkVersion(fields[Document.jsonVersionKey])
        for (key, value) in members where !["metadata", "root", "link_definitions", Document.jsonVersionKey].contains(key) {
            guard Document.jsonReadOnlyKeys.contains(key) else {
                throw invalid(key, "unknown field (the top level holds \(Document.jsonVersionKey), metadata, link_definitions, root, slug, lang and source_path)")
            }
            guard case .string = tree[value] else { throw invalid(key, "expected a string, found \(describe(value))") }
        }
        guard let metadataValue = fields["metadata"] else { throw invalid("top level", "missing field 'metadata'") }
        let metadata: PostMetadata
        do { metadata = try decodeMetadata(metadataValue) } catch { throw invalid(path("metadata", error.field), error.message) }
        var definitions: [LinkDefinition] = []
        if let value = fields["link_definitions"] {
            do { definitions = try decodeDefinitions(value) } catch { throw invalid(path("link_definitions", error.field), error.message) }
        }
        guard let rootValue = fields["root"] else { throw invalid("top level", "missing field 'root'") }
        var document = try decodeTree(rootValue, metadata: metadata)
        document.linkDefinitions = definitions
        return document
    }

    private func checkVersion(_ value: Int?) throws(DocumentJSONError) {
        let key = Document.jsonVersionKey
        guard let value else {
            throw DocumentJSONError(.unsupportedVersion, place: "top level", "missing field '\(key)' (Herald writes \(key): \(Document.jsonVersion))")
        }
        guard case .number(let text) = tree[value], let version = Int(text) else {
            throw DocumentJSONError(.unsupportedVersion, place: key, "expected a whole number, found \(describe(value))")
        }
        guard version == Document.jsonVersion else {
            throw DocumentJSONError(.unsupportedVersion, place: key, "version \(version) is not supported (Herald reads version \(Document.jsonVersion))")
        }
    }

    // MARK: The tree

    /// A node whose children are being read.
    private struct Frame {
        var id: NodeID
        var content: NodeKind.JSONContent
        var kindName: String
        var children: [Int]
        var next = 0
        /// The node's position among its parent's children (unused for the root).
        var position: Int
    }

    private func decodeTree(_ rootValue: Int, metadata: PostMetadata) throws(DocumentJSONError) -> Document {
        let rootNode: (kind: NodeKind, range: SourceRange, children: [Int]?)
        do { rootNode = try decodeNode(rootValue) } catch { throw invalid(path("root", error.field), error.message) }
        guard rootNode.kind == .document else {
            throw invalid("root", "the root must be of type 'document', not '\(rootNode.kind.name)'")
        }
        var document = Document(metadata: metadata, range: rootNode.range)
        var stack = [Frame(id: document.root, content: .blocks, kindName: "document", children: rootNode.children ?? [], position: 0)]
        while let top = stack.last {
            guard top.next < top.children.count else {
                stack.removeLast()
                continue
            }
            let position = top.next
            stack[stack.count - 1].next += 1
            let node: (kind: NodeKind, range: SourceRange, children: [Int]?)
            do {
                node = try decodeNode(top.children[position])
            } catch {
                throw invalid(path(nodePath(stack, position), error.field), error.message)
            }
            guard node.kind.fits(in: top.content) else {
                throw invalid(nodePath(stack, position), "a '\(top.kindName)' cannot hold a '\(node.kind.name)' (it holds \(describe(top.content)))")
            }
            let id = document.append(node.kind, range: node.range, to: top.id)
            if let content = node.kind.jsonContent, let children = node.children, !children.isEmpty {
                stack.append(Frame(id: id, content: content, kindName: node.kind.name, children: children, position: position))
            }
        }
        return document
    }

    /// `root.children[2].children[0]` for child `position` of the node on top of `stack`.
    private func nodePath(_ stack: [Frame], _ position: Int) -> String {
        var text = "root"
        for frame in stack.dropFirst() { text += ".children[\(frame.position)]" }
        return text + ".children[\(position)]"
    }

    /// One node's kind, range and the JSON values of its children (nil for leaves).
    private func decodeNode(_ value: Int) throws(Problem) -> (kind: NodeKind, range: SourceRange, children: [Int]?) {
        let fields = try object(value, what: "a node")
        guard let typeValue = fields["type"] else { throw Problem("missing field 'type'") }
        guard case .string(let type) = tree[typeValue] else { throw Problem("type", "expected a string, found \(describe(typeValue))") }
        guard let shape = NodeShape.byName[type] else { throw Problem("unknown type '\(type)'") }
        for key in fields.keys.sorted() where !["type", "range", "children"].contains(key) && !shape.fields.contains(key) {
            let allowed = shape.fields.isEmpty ? "it has no fields" : "its fields are " + shape.fields.joined(separator: ", ")
            throw Problem("unknown field '\(key)' in a '\(type)' node (\(allowed))")
        }
        var range = SourceRange.unknown
        if let rangeValue = fields["range"] {
            guard case .string(let text) = tree[rangeValue], let parsed = Self.range(text) else {
                throw Problem("range", "expected a range like \"3:1-3:20\", found \(describe(rangeValue))")
            }
            range = parsed
        }
        let reader = FieldReader(decoder: self, fields: fields)
        let kind = try shape.make(reader)
        var children: [Int]?
        if let childrenValue = fields["children"] {
            guard kind.jsonContent != nil else { throw Problem("children", "a '\(type)' node has no children") }
            guard case .array(let items) = tree[childrenValue] else {
                throw Problem("children", "expected an array, found \(describe(childrenValue))")
            }
            children = items
        } else if kind.jsonContent != nil {
            throw Problem("missing field 'children' (a '\(type)' node always has it, [] when empty)")
        }
        return (kind, range, children)
    }

    /// `3:1-3:20`.
    static func range(_ text: String) -> SourceRange? {
        let numbers = text.split(separator: "-", omittingEmptySubsequences: false).flatMap {
            $0.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard numbers.count == 4, text.filter({ $0 == "-" }).count == 1 else { return nil }
        let values = numbers.compactMap { part in part.allSatisfy { $0.isASCII && $0.isWholeNumber } ? Int(part) : nil }
        guard values.count == 4, values.allSatisfy({ $0 >= 0 }) else { return nil }
        return SourceRange(values[0], values[1], values[2], values[3])
    }

    // MARK: Metadata and link definitions

    private func decodeMetadata(_ value: Int) throws(Problem) -> PostMetadata {
        let fields = try object(value, what: "the metadata")
        let known = ["title", "date", "authors", "tags", "summary", "slug", "lang", "draft", "extra"]
        for key in fields.keys.sorted() where !known.contains(key) {
            throw Problem(key, "unknown field (the metadata holds \(known.joined(separator: ", ")); other front matter keys go in 'extra')")
        }
        let reader = FieldReader(decoder: self, fields: fields)
        var metadata = PostMetadata()
        metadata.title = try reader.string("title", required: false)
        if let text = try reader.string("date", required: false) {
            guard let date = PostDate(parsing: text) else { throw Problem("date", "not a date (expected 2019-09-18 or 2019-09-18T10:00:00+08:00): \(Escape.quotedString(text))") }
            metadata.date = date
        }
        metadata.authors = try reader.strings("authors")
        metadata.tags = try reader.strings("tags")
        metadata.summary = try reader.string("summary", required: false)
        metadata.slug = try reader.string("slug", required: false)
        metadata.lang = try reader.string("lang", required: false)
        metadata.draft = try reader.bool("draft", required: false) ?? false
        if let extra = fields["extra"] {
            guard case .object(let members) = tree[extra] else { throw Problem("extra", "expected an object, found \(describe(extra))") }
            for (key, member) in members {
                metadata.extra.append((key, try metadataValue(member, field: "extra." + key, depth: 0)))
            }
        }
        return metadata
    }

    /// Front matter values nest as YAML allows; deeper than this is not a post's front matter.
    private static let maximumMetadataDepth = 200

    private func metadataValue(_ value: Int, field: String, depth: Int) throws(Problem) -> MetadataValue {
        guard depth < Self.maximumMetadataDepth else { throw Problem(field, "nested more than \(Self.maximumMetadataDepth) levels deep") }
        switch tree[value] {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number(let text):
            if let whole = Int(text) { return .int(whole) }
            guard let real = Double(text) else { throw Problem(field, "number out of range: \(text)") }
            return .double(real)
        case .array(let items):
            var list: [MetadataValue] = []
            for (index, item) in items.enumerated() {
                list.append(try metadataValue(item, field: field + "[\(index)]", depth: depth + 1))
            }
            return .list(list)
        case .object(let members):
            var map: [String: MetadataValue] = [:]
            for (key, member) in members {
                map[key] = try metadataValue(member, field: field + "." + key, depth: depth + 1)
            }
            return .map(map)
        }
    }

    private func decodeDefinitions(_ value: Int) throws(Problem) -> [LinkDefinition] {
        guard case .array(let items) = tree[value] else { throw Problem(nil, "expected an array, found \(describe(value))") }
        var definitions: [LinkDefinition] = []
        for (index, item) in items.enumerated() {
            do throws(Problem) {
                let fields = try object(item, what: "a link definition")
                for key in fields.keys.sorted() where !["label", "destination", "title", "range"].contains(key) {
                    throw Problem(key, "unknown field (a link definition holds label, destination, title and range)")
                }
                let reader = FieldReader(decoder: self, fields: fields)
                var definition = LinkDefinition(
                    label: try reader.string("label")!, destination: try reader.string("destination")!,
                    title: try reader.string("title", required: false) ?? "")
                if let rangeValue = fields["range"] {
                    guard case .string(let text) = tree[rangeValue], let range = Self.range(text) else {
                        throw Problem("range", "expected a range like \"3:1-3:20\", found \(describe(rangeValue))")
                    }
                    definition.range = range
                }
                definitions.append(definition)
            } catch {
                throw Problem(path("[\(index)]", error.field), error.message)
            }
        }
        return definitions
    }

    // MARK: Helpers

    fileprivate func object(_ value: Int, what: String) throws(Problem) -> [String: Int] {
        guard case .object(let members) = tree[value] else { throw Problem("expected \(what) (an object), found \(describe(value))") }
        return Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// What a value is, for messages: `a string`, `the number 2`, `an array`.
    fileprivate func describe(_ value: Int) -> String {
        switch tree[value] {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let text): "the number \(text)"
        case .string(let text): text.count <= 40 ? "the string \(Escape.quotedString(text))" : "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private func describe(_ content: NodeKind.JSONContent) -> String {
        switch content {
        case .blocks: "blocks"
        case .inlines: "inlines"
        case .items: "items"
        case .rows: "table_row nodes"
        case .cells: "table_cell nodes"
        }
    }

    private func invalid(_ place: String, _ message: String) -> DocumentJSONError {
        DocumentJSONError(.invalidDocument, place: place, message)
    }

    /// `base.field`, or `base[2]` for an index.
    private func path(_ base: String, _ field: String?) -> String {
        guard let field else { return base }
        return field.hasPrefix("[") ? base + field : base + "." + field
    }
}

/// Reads the typed fields of one JSON object, reporting the field that is wrong.
private struct FieldReader {
    let decoder: DocumentDecoder
    let fields: [String: Int]

    private var tree: JSONTree { decoder.tree }

    func string(_ key: String, required: Bool = true) throws(Problem) -> String? {
        guard let value = fields[key] else {
            if required { throw Problem("missing field '\(key)'") }
            return nil
        }
        guard case .string(let text) = tree[value] else { throw Problem(key, "expected a string, found \(decoder.describe(value))") }
        return text
    }

    func bool(_ key: String, required: Bool = true) throws(Problem) -> Bool? {
        guard let value = fields[key] else {
            if required { throw Problem("missing field '\(key)'") }
            return nil
        }
        guard case .bool(let flag) = tree[value] else { throw Problem(key, "expected true or false, found \(decoder.describe(value))") }
        return flag
    }

    func int(_ key: String, in allowed: ClosedRange<Int>) throws(Problem) -> Int {
        guard let value = fields[key] else { throw Problem("missing field '\(key)'") }
        guard case .number(let text) = tree[value], let number = Int(text) else {
            throw Problem(key, "expected a whole number, found \(decoder.describe(value))")
        }
        guard allowed.contains(number) else { throw Problem(key, "\(number) is out of range (\(allowed.lowerBound) to \(allowed.upperBound))") }
        return number
    }

    func strings(_ key: String) throws(Problem) -> [String] {
        guard let value = fields[key] else { return [] }
        guard case .array(let items) = tree[value] else { throw Problem(key, "expected an array of strings, found \(decoder.describe(value))") }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = tree[item] else { throw Problem(key + "[\(index)]", "expected a string, found \(decoder.describe(item))") }
            result.append(text)
        }
        return result
    }

    /// One of `names`, as its raw value.
    func choice<Choice: RawRepresentable<String>>(_ key: String, required: Bool = true, among names: [String]) throws(Problem) -> Choice? {
        guard let text = try string(key, required: required) else { return nil }
        guard names.contains(text), let choice = Choice(rawValue: text) else {
            let names = names.map { "'\($0)'" }.joined(separator: ", ")
            throw Problem(key, "\(Escape.quotedString(text)) is not one of \(names)")
        }
        return choice
    }

    /// A one-character string among `allowed`.
    func character(_ key: String, among allowed: String) throws(Problem) -> Character {
        let text = try string(key)!
        guard text.count == 1, let character = text.first, allowed.contains(character) else {
            throw Problem(key, "expected one of \(allowed.map { "'\($0)'" }.joined(separator: ", ")), found \(Escape.quotedString(text))")
        }
        return character
    }

    func alignments(_ key: String) throws(Problem) -> [TableAlignment] {
        guard let value = fields[key] else { throw Problem("missing field '\(key)'") }
        guard case .array(let items) = tree[value], !items.isEmpty else {
            throw Problem(key, "expected a non-empty array of alignments, found \(decoder.describe(value))")
        }
        var result: [TableAlignment] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = tree[item], let alignment = TableAlignment(rawValue: text) else {
                throw Problem(key + "[\(index)]", "expected 'none', 'left', 'center' or 'right', found \(decoder.describe(item))")
            }
            result.append(alignment)
        }
        return result
    }

    func link() throws(Problem) -> Link {
        Link(
            destination: try string("destination")!, title: try string("title", required: false) ?? "",
            form: try choice("form", among: ["inline", "full", "collapsed", "shortcut", "autolink"])!, label: try string("label", required: false))
    }
}

/// The fields of each node type and how to build its kind from them.
private struct NodeShape: Sendable {
    var fields: [String]
    var make: @Sendable (FieldReader) throws(Problem) -> NodeKind

    init(_ fields: [String] = [], _ make: @escaping @Sendable (FieldReader) throws(Problem) -> NodeKind) {
        self.fields = fields
        self.make = make
    }

    init(_ kind: NodeKind) { self.init { _ in kind } }

    static let byName: [String: NodeShape] = [
        "document": NodeShape(.document),
        "paragraph": NodeShape(.paragraph),
        "heading": NodeShape(["level", "setext"]) { reader throws(Problem) in
            .heading(level: try reader.int("level", in: 1...6), setext: try reader.bool("setext")!)
        },
        "block_quote": NodeShape(.blockQuote),
        "list": NodeShape(["ordered", "tight", "bullet", "start", "delimiter"]) { reader throws(Problem) in
            let tight = try reader.bool("tight")!
            if try reader.bool("ordered")! {
                if reader.fields["bullet"] != nil { throw Problem("bullet", "an ordered list has 'start' and 'delimiter', not 'bullet'") }
                let start = try reader.int("start", in: 0...999_999_999)
                return .list(ListStyle(marker: .ordered(start: start, delimiter: try reader.character("delimiter", among: ".)")), isTight: tight))
            }
            for key in ["start", "delimiter"] where reader.fields[key] != nil {
                throw Problem(key, "a bullet list has 'bullet', not '\(key)'")
            }
            return .list(ListStyle(marker: .bullet(try reader.character("bullet", among: "-+*")), isTight: tight))
        },
        "item": NodeShape(["task"]) { reader throws(Problem) in .item(task: try reader.choice("task", required: false, among: ["unchecked", "checked"])) },
        "code_block": NodeShape(["info", "fenced", "literal"]) { reader throws(Problem) in
            .codeBlock(info: try reader.string("info")!, literal: try reader.string("literal")!, fenced: try reader.bool("fenced")!)
        },
        "html_block": NodeShape(["literal"]) { reader throws(Problem) in .htmlBlock(try reader.string("literal")!) },
        "thematic_break": NodeShape(.thematicBreak),
        "table": NodeShape(["alignments"]) { reader throws(Problem) in .table(alignments: try reader.alignments("alignments")) },
        "table_row": NodeShape(["header"]) { reader throws(Problem) in .tableRow(isHeader: try reader.bool("header")!) },
        "table_cell": NodeShape(.tableCell),
        "footnote_definition": NodeShape(["label"]) { reader throws(Problem) in .footnoteDefinition(label: try reader.string("label")!) },
        "text": NodeShape(["literal"]) { reader throws(Problem) in .text(try reader.string("literal")!) },
        "softbreak": NodeShape(.softBreak),
        "linebreak": NodeShape(.lineBreak),
        "code": NodeShape(["literal"]) { reader throws(Problem) in .code(try reader.string("literal")!) },
        "html_inline": NodeShape(["literal"]) { reader throws(Problem) in .inlineHTML(try reader.string("literal")!) },
        "emph": NodeShape(.emphasis),
        "strong": NodeShape(.strong),
        "strikethrough": NodeShape(.strikethrough),
        "link": NodeShape(["destination", "title", "form", "label"]) { reader throws(Problem) in .link(try reader.link()) },
        "image": NodeShape(["destination", "title", "form", "label"]) { reader throws(Problem) in .image(try reader.link()) },
        "footnote_reference": NodeShape(["label"]) { reader throws(Problem) in .footnoteReference(label: try reader.string("label")!) },
    ]
}
