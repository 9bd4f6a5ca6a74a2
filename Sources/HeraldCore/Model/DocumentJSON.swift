// The JSON form of Herald's AST (`herald render --to ast`, and what external filters read and
// write), written without recursion. `DocumentJSONDecoding.swift` reads it back.

import Foundation

extension Document {
    /// The version of the JSON form this Herald writes and reads, in the top-level field
    /// ``jsonVersionKey``. It changes when a change to the form would make an older reader
    /// misread a document.
    public static let jsonVersion = 1

    /// The top-level field that holds the version of the JSON form: `"herald_ast_version": 1`.
    public static let jsonVersionKey = "herald_ast_version"

    /// The top-level fields that carry facts about the post for readers (`slug`, `lang`,
    /// `source_path`); the decoder skips them.
    public static let jsonReadOnlyKeys: Set<String> = ["slug", "lang", "source_path"]

    /// The document as JSON:
    /// `{"herald_ast_version": 1, "metadata": {...}, "root": {"type": "document", "range": ..., "children": [...]}}`.
    /// Every node has `type`, and `range` (`"3:1-3:20"`, line:column in the file) when it knows its
    /// place; kinds add their fields (`level`, `destination`, `literal`, …); the kinds that hold
    /// other nodes always have `children`, the others never. `extra` adds string fields at the
    /// top level, named from ``jsonReadOnlyKeys``. `docs/filters/document.schema.json` describes
    /// the whole form.
    public func jsonString(extra: [(String, String)] = []) -> String {
        var out = "{\n  " + JSONValue.quote(Self.jsonVersionKey) + ": \(Self.jsonVersion)"
        out += ",\n  \"metadata\": " + metadata.jsonValue.rendered()
        for (key, value) in extra { out += ",\n  " + JSONValue.quote(key) + ": " + JSONValue.quote(value) }
        if !linkDefinitions.isEmpty {
            let definitions = JSONValue.array(linkDefinitions.map { definition in
                var fields: [(String, JSONValue)] = [
                    ("label", .string(definition.label)), ("destination", .string(definition.destination)),
                    ("title", .string(definition.title)),
                ]
                if !definition.range.isUnknown { fields.append(("range", .string(definition.range.description))) }
                return .object(fields)
            })
            out += ",\n  \"link_definitions\": " + definitions.rendered()
        }
        out += ",\n  \"root\": "
        // Indentation stops growing at a fixed depth: a post nested thousands of levels deep
        // would otherwise be written in a size that grows with the square of its depth.
        func indent(_ depth: Int) -> String { String(repeating: "  ", count: min(depth, 64)) }
        var depth = 1
        var firstInParent = [true]
        walk { event in
            switch event {
            case .enter(let id):
                if !firstInParent[firstInParent.count - 1] { out += "," }
                firstInParent[firstInParent.count - 1] = false
                if depth > 1 { out += "\n" + indent(depth) }
                let node = self[id]
                out += "{\"type\": \"\(node.kind.name)\""
                if !node.range.isUnknown { out += ", \"range\": \"\(node.range)\"" }
                for (key, value) in node.kind.jsonFields { out += ", " + JSONValue.quote(key) + ": " + value.rendered() }
                if node.firstChild != nil {
                    out += ", \"children\": ["
                    depth += 1
                    firstInParent.append(true)
                } else if node.kind.jsonContent != nil {
                    out += ", \"children\": []"
                }
            case .exit(let id):
                if self[id].firstChild != nil {
                    depth -= 1
                    firstInParent.removeLast()
                    out += "\n" + indent(depth) + "]"
                }
                out += "}"
            }
            return .proceed
        }
        return out + "\n}\n"
    }
}

/// A small JSON value, for writing.
enum JSONValue {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    func rendered() -> String {
        switch self {
        case .string(let text): return Self.quote(text)
        case .int(let value): return String(value)
        case .double(let value): return value.isFinite ? String(value) : "null"
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]"
        case .object(let pairs):
            return "{" + pairs.map { Self.quote($0.0) + ": " + $0.1.rendered() }.joined(separator: ", ") + "}"
        }
    }

    static func quote(_ text: String) -> String { Escape.quotedString(text) }
}

extension NodeKind {
    /// What a node may hold in the JSON form (and in a document read from it).
    enum JSONContent {
        /// Blocks: paragraphs, headings, lists, … (not items, rows or cells).
        case blocks
        /// Inlines: text, emphasis, links, …
        case inlines
        case items
        case rows
        case cells
    }

    /// What a node of this kind holds; nil for the kinds that hold nothing (text, code, breaks, …).
    var jsonContent: JSONContent? {
        switch self {
        case .document, .blockQuote, .item, .footnoteDefinition: .blocks
        case .paragraph, .heading, .tableCell, .emphasis, .strong, .strikethrough, .link, .image: .inlines
        case .list: .items
        case .table: .rows
        case .tableRow: .cells
        default: nil
        }
    }

    /// Whether a node of this kind may stand among `content`.
    func fits(in content: JSONContent) -> Bool {
        switch (content, self) {
        case (.items, .item), (.rows, .tableRow), (.cells, .tableCell): true
        case (.items, _), (.rows, _), (.cells, _): false
        case (.blocks, .document), (.blocks, .item), (.blocks, .tableRow), (.blocks, .tableCell): false
        case (.blocks, _): isBlock
        case (.inlines, _): !isBlock
        }
    }

    var jsonFields: [(String, JSONValue)] {
        switch self {
        case .heading(let level, let setext): return [("level", .int(level)), ("setext", .bool(setext))]
        case .list(let style):
            var fields: [(String, JSONValue)] = [("ordered", .bool(style.isOrdered)), ("tight", .bool(style.isTight))]
            switch style.marker {
            case .bullet(let character): fields.append(("bullet", .string(String(character))))
            case .ordered(let start, let delimiter):
                fields += [("start", .int(start)), ("delimiter", .string(String(delimiter)))]
            }
            return fields
        case .item(let task): return task.map { [("task", .string($0.rawValue))] } ?? []
        case .codeBlock(let info, let literal, let fenced):
            return [("info", .string(info)), ("fenced", .bool(fenced)), ("literal", .string(literal))]
        case .htmlBlock(let literal), .text(let literal), .code(let literal), .inlineHTML(let literal):
            return [("literal", .string(literal))]
        case .table(let alignments): return [("alignments", .array(alignments.map { .string($0.rawValue) }))]
        case .tableRow(let isHeader): return [("header", .bool(isHeader))]
        case .footnoteDefinition(let label), .footnoteReference(let label): return [("label", .string(label))]
        case .link(let link), .image(let link):
            var fields: [(String, JSONValue)] = [("destination", .string(link.destination)), ("form", .string(link.form.rawValue))]
            if !link.title.isEmpty { fields.append(("title", .string(link.title))) }
            if let label = link.label { fields.append(("label", .string(label))) }
            return fields
        default: return []
        }
    }
}

extension MetadataValue {
    var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .string(let value): .string(value)
        case .list(let items): .array(items.map(\.jsonValue))
        case .map(let pairs): .object(pairs.sorted { $0.key < $1.key }.map { ($0.key, $0.value.jsonValue) })
        }
    }
}

extension PostMetadata {
    var jsonValue: JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let title { pairs.append(("title", .string(title))) }
        if let date { pairs.append(("date", .string(date.description))) }
        if !authors.isEmpty { pairs.append(("authors", .array(authors.map { .string($0) }))) }
        if !tags.isEmpty { pairs.append(("tags", .array(tags.map { .string($0) }))) }
        if let summary { pairs.append(("summary", .string(summary))) }
        if let slug { pairs.append(("slug", .string(slug))) }
        if let lang { pairs.append(("lang", .string(lang))) }
        if draft { pairs.append(("draft", .bool(true))) }
        if !extra.isEmpty { pairs.append(("extra", .object(extra.map { ($0.key, $0.value.jsonValue) }))) }
        return .object(pairs)
    }
}
