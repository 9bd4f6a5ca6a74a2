// Positions in a post's source file, as editors and compilers count them.

/// A position in a source file: 1-based line and 1-based column, both counted in the whole
/// file (front matter included). Columns count Unicode scalars, so a Chinese character is one
/// column, as an editor shows it.
public struct SourceLocation: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    // Stored in 32 bits: every node of a document holds two locations, and a long post has
    // hundreds of thousands of nodes. A file Herald reads is far below 2^31 lines or columns.
    private var storedLine: Int32
    private var storedColumn: Int32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(line: Int, column: Int) {
        self.storedLine = Int32(clamping: line)
        self.storedColumn = Int32(clamping: column)
    }

    private enum CodingKeys: String, CodingKey {
        case line, column
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(line: try container.decode(Int.self, forKey: .line), column: try container.decode(Int.self, forKey: .column))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A closed range of source positions: `end` is the last character that belongs to the node.
public struct SourceRange: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    public init(_ startLine: Int, _ startColumn: Int, _ endLine: Int, _ endColumn: Int) {
        self.init(
            start: SourceLocation(line: startLine, column: startColumn),
            end: SourceLocation(line: endLine, column: endColumn))
    }

    /// A range that knows no position, for nodes made by transforms.
    public static let unknown = SourceRange(0, 0, 0, 0)

    public var isUnknown: Bool { start.line == 0 }

    public var description: String { "\(start)-\(end)" }
}
