// The values templates see: text, booleans, lists and maps, typed, so that resolving a tag is
// a dictionary lookup rather than a series of dynamic casts.

public import HeraldCore

/// A value a template shows (`{{name}}`) or tests and walks (`{{#name}}…{{/name}}`).
public enum TemplateValue: Sendable, Hashable {
    /// Text, shown as it is (escaped for HTML by an HTML template). Numbers are text too.
    case text(String)
    /// A flag: a section over `true` renders once, over `false` not at all.
    case bool(Bool)
    /// A section over a list renders once per item, each item in turn the current value; an
    /// empty list counts as false.
    case list([TemplateValue])
    /// Named values: a section over a map renders once, with its names in reach.
    case map([String: TemplateValue])

    /// A whole number, as text.
    public static func number(_ value: Int) -> TemplateValue { .text(String(value)) }

    /// A list of texts.
    public static func texts(_ values: [String]) -> TemplateValue { .list(values.map(TemplateValue.text)) }

    /// A list of maps of texts (`[["hreflang": "en", "url": …]]`).
    public static func maps(_ rows: [[String: String]]) -> TemplateValue { .list(rows.map { .map($0.mapValues(TemplateValue.text)) }) }

    /// How many items a list has (0 for any other value).
    public var count: Int {
        if case .list(let items) = self { return items.count }
        return 0
    }

    /// Whether a section over the value renders (`{{#name}}`), or an inverted one does not.
    var isTruthy: Bool {
        switch self {
        case .bool(let value): value
        case .list(let items): !items.isEmpty
        case .text, .map: true
        }
    }

    /// What `{{name}}` shows: text as it is, `true`/`false`, a list's items separated by
    /// commas, nothing for a map.
    var displayText: String {
        switch self {
        case .text(let text): text
        case .bool(let value): value ? "true" : "false"
        case .list(let items): items.map(\.displayText).joined(separator: ", ")
        case .map: ""
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension MetadataValue {
    /// The value as templates see it: a front matter's strings, numbers, booleans, lists and
    /// maps (an empty value is empty text).
    public var templateValue: TemplateValue {
        switch self {
        case .null: .text("")
        case .bool(let value): .bool(value)
        case .int(let value): .number(value)
        case .double(let value): .text(String(describing: value))
        case .string(let value): .text(value)
        case .list(let items): .list(items.map(\.templateValue))
        case .map(let pairs): .map(pairs.mapValues(\.templateValue))
        }
    }
}
