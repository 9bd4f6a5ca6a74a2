// The JSON form of Herald's AST (`herald render --to ast`), written without recursion.

import Foundation

extension Document {
    /// The document as JSON: `{"metadata": {...}, "root": {"type": "document", "range": ..., "children": [...]}}`.
    /// Every node has `type` and `range` (`"3:1-3:20"`, line:column in the file); kinds add their
    /// fields (`level`, `destination`, `literal`, …).
    public func jsonString(extra: [(String, String)] = []) -> String {
        var out = "{\n  \"metadata\": " + metadata.jsonValue.rendered()
        for (key, value) in extra { out += ",\n  " + JSONValue.quote(key) + ": " + JSONValue.quote(value) }
        if !linkDefinitions.isEmpty {
            let definitions = JSONValue.array(linkDefinitions.map { definition in
                .object([
                    ("label", .string(definition.label)), ("destination", .string(definition.destination)),
                    ("title", .string(definition.title)), ("range", .string(definition.range.description)),
                ])
            })
            out += ",\n  \"link_definitions\": " + definitions.rendered()
        }
        out += ",\n  \"root\": "
        var depth = 1
        var firstInParent = [true]
        walk { event in
            switch event {
            case .enter(let id):
                if !firstInParent[firstInParent.count - 1] { out += "," }
                firstInParent[firstInParent.count - 1] = false
                if depth > 1 { out += "\n" + String(repeating: "  ", count: depth) }
                let node = self[id]
                out += "{\"type\": \"\(node.kind.name)\""
                if !node.range.isUnknown { out += ", \"range\": \"\(node.range)\"" }
                for (key, value) in node.kind.jsonFields { out += ", " + JSONValue.quote(key) + ": " + value.rendered() }
                if node.firstChild != nil {
                    out += ", \"children\": ["
                    depth += 1
                    firstInParent.append(true)
                }
            case .exit(let id):
                if self[id].firstChild != nil {
                    depth -= 1
                    firstInParent.removeLast()
                    out += "\n" + String(repeating: "  ", count: depth) + "]"
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
