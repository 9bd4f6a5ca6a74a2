// A part's settings written out field by field, for the build cache's fingerprint.

/// The settings of a parser, transform, check or backend as text, written field by field: what
/// ``Backend/fingerprint`` gives by default through reflection (`String(reflecting:)`), made
/// without it. Reflection asks the runtime about every type it meets, and in a statically linked
/// binary each first question is a scan of all its protocol conformances: for Herald's own parts
/// that was a tenth of a rebuild that changes nothing.
///
/// Every stored property is either written (``add(_:_:)-swift.method``) or named as one that says
/// nothing more (``derived(_:)``: a template library loaded from the templates already written).
/// ``fields`` lists them in order, so that a test can hold them against the value's stored
/// properties and fail when a property added later is left out.
///
/// ```swift
/// var fingerprint: String { settings.text }
/// var settings: SettingsText {
///     var settings = SettingsText("WordCount")
///     settings.add("format", format)
///     settings.add("wordsPerMinute", wordsPerMinute)
///     return settings
/// }
/// ```
public struct SettingsText: Sendable, CustomStringConvertible {
    private let type: String
    /// `field: value` for each field written, in order.
    private var written: [String] = []
    /// The names of the stored properties accounted for, written or derived, in order.
    public private(set) var fields: [String] = []

    public init(_ type: String) { self.type = type }

    /// The type's name and the fields written: `Type(field: value, …)`.
    public var text: String { type + "(" + written.joined(separator: ", ") + ")" }

    public var description: String { text }

    /// Writes `field` with `value` as it stands (a number, a name, another part's settings).
    public mutating func add(_ field: String, raw value: String) {
        fields.append(field)
        written.append(field + ": " + value)
    }

    /// Writes `field` with `value` quoted, so that no value can read as another field.
    public mutating func add(_ field: String, _ value: String) { add(field, raw: value.debugDescription) }

    public mutating func add(_ field: String, _ value: String?) { add(field, raw: value?.debugDescription ?? "nil") }

    public mutating func add(_ field: String, _ value: Bool) { add(field, raw: value ? "true" : "false") }

    public mutating func add(_ field: String, _ value: Int) { add(field, raw: String(value)) }

    public mutating func add(_ field: String, _ value: Double?) { add(field, raw: value.map { $0.description } ?? "nil") }

    /// Writes a list, each item written by `item`, in its order.
    public mutating func add<Item>(_ field: String, _ value: [Item], _ item: (Item) -> String) {
        add(field, raw: "[" + value.map(item).joined(separator: ", ") + "]")
    }

    /// Writes a dictionary, each value written by `item`, in the order of its keys (a
    /// dictionary's own order changes from one process to the next).
    public mutating func add<Item>(_ field: String, _ value: [String: Item], _ item: (Item) -> String) {
        let entries = value.sorted { $0.key < $1.key }.map { $0.key.debugDescription + ": " + item($0.value) }
        add(field, raw: "[" + entries.joined(separator: ", ") + "]")
    }

    /// Names a stored property made from the others (a library loaded from templates written
    /// already, a shared compressor), which adds nothing to the text.
    public mutating func derived(_ field: String) { fields.append(field) }
}
