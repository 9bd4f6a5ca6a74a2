// The kinds of node in Herald's document model: every block and inline that cmark-gfm produces.

/// What a node is, with the data that belongs to it. Children are not stored here: the
/// ``Document`` links nodes into a tree.
///
/// The kinds whose data is larger than a string are `indirect` (kept in a box of their own),
/// so that a node, of which a long post has hundreds of thousands, stays small.
public enum NodeKind: Hashable, Sendable {
    // MARK: Blocks
    /// The root of every document.
    case document
    case paragraph
    /// An ATX (`#`) or setext (underlined) heading, level 1 to 6.
    case heading(level: Int, setext: Bool)
    case blockQuote
    indirect case list(ListStyle)
    /// A list item; `task` is set when the item starts with `[ ]` or `[x]`.
    case item(task: TaskState?)
    /// A fenced or indented code block. `info` is the whole info string (`rust title="x"`).
    indirect case codeBlock(info: String, literal: String, fenced: Bool)
    case htmlBlock(String)
    case thematicBreak
    /// A GFM table; one alignment per column.
    case table(alignments: [TableAlignment])
    case tableRow(isHeader: Bool)
    case tableCell
    /// The definition of footnote `label`; its children are the footnote's blocks.
    case footnoteDefinition(label: String)

    // MARK: Inlines
    case text(String)
    case softBreak
    case lineBreak
    case code(String)
    case inlineHTML(String)
    case emphasis
    case strong
    case strikethrough
    indirect case link(Link)
    indirect case image(Link)
    /// A reference to footnote `label` (`[^label]`).
    case footnoteReference(label: String)

    /// Whether the node is a block (as opposed to an inline).
    public var isBlock: Bool {
        switch self {
        case .document, .paragraph, .heading, .blockQuote, .list, .item, .codeBlock, .htmlBlock,
            .thematicBreak, .table, .tableRow, .tableCell, .footnoteDefinition:
            true
        default:
            false
        }
    }

    /// A short, stable name for the kind, as used in the JSON form of the AST.
    public var name: String {
        switch self {
        case .document: "document"
        case .paragraph: "paragraph"
        case .heading: "heading"
        case .blockQuote: "block_quote"
        case .list: "list"
        case .item: "item"
        case .codeBlock: "code_block"
        case .htmlBlock: "html_block"
        case .thematicBreak: "thematic_break"
        case .table: "table"
        case .tableRow: "table_row"
        case .tableCell: "table_cell"
        case .footnoteDefinition: "footnote_definition"
        case .text: "text"
        case .softBreak: "softbreak"
        case .lineBreak: "linebreak"
        case .code: "code"
        case .inlineHTML: "html_inline"
        case .emphasis: "emph"
        case .strong: "strong"
        case .strikethrough: "strikethrough"
        case .link: "link"
        case .image: "image"
        case .footnoteReference: "footnote_reference"
        }
    }
}

/// How a list is marked and spaced.
public struct ListStyle: Hashable, Sendable {
    public enum Marker: Hashable, Sendable {
        /// `-`, `+` or `*`.
        case bullet(Character)
        /// `1.` or `1)`, starting at `start`.
        case ordered(start: Int, delimiter: Character)
    }

    public var marker: Marker
    /// A tight list has no blank lines between its items; its paragraphs render without `<p>`.
    public var isTight: Bool

    public init(marker: Marker, isTight: Bool) {
        self.marker = marker
        self.isTight = isTight
    }

    public var isOrdered: Bool {
        if case .ordered = marker { return true }
        return false
    }

    /// The first number of an ordered list, or nil for a bullet list.
    public var start: Int? {
        if case .ordered(let start, _) = marker { return start }
        return nil
    }
}

/// The state of a task-list item.
public enum TaskState: String, Hashable, Sendable, Codable {
    case unchecked
    case checked
}

/// Alignment of a table column, from the delimiter row (`:--`, `:-:`, `--:`).
public enum TableAlignment: String, Hashable, Sendable, Codable {
    case none
    case left
    case center
    case right
}

/// A link or image target.
public struct Link: Hashable, Sendable {
    /// How the link was written in the source.
    public enum Form: String, Hashable, Sendable, Codable {
        /// `[text](url)`.
        case inline
        /// `[text][label]`.
        case full
        /// `[label][]`.
        case collapsed
        /// `[label]`.
        case shortcut
        /// `<https://…>` or a bare URL recognised by the autolink extension.
        case autolink
    }

    public var destination: String
    public var title: String
    public var form: Form
    /// The reference label as written (`[text][Label]` keeps `Label`), for reference forms.
    public var label: String?

    public init(destination: String, title: String = "", form: Form = .inline, label: String? = nil) {
        self.destination = destination
        self.title = title
        self.form = form
        self.label = label
    }
}

/// A link reference definition: `[label]: destination "title"`.
public struct LinkDefinition: Hashable, Sendable {
    /// The label as written, without brackets.
    public var label: String
    public var destination: String
    public var title: String
    /// Where the definition stands in the file.
    public var range: SourceRange

    public init(label: String, destination: String, title: String = "", range: SourceRange = .unknown) {
        self.label = label
        self.destination = destination
        self.title = title
        self.range = range
    }
}

/// The index of a node in its ``Document``.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    // 32 bits: a node links to five others, and a document of 2^32 nodes cannot be read.
    @usableFromInline let stored: UInt32

    @inlinable public var index: Int { Int(stored) }

    @inlinable public init(_ index: Int) { self.stored = UInt32(index) }

    @inlinable init(stored: UInt32) { self.stored = stored }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.index < rhs.index }

    public var description: String { "#\(index)" }
}

/// A node of a ``Document``: its kind, its source range and its links to the nodes around it.
public struct Node: Hashable, Sendable {
    public var kind: NodeKind
    public var range: SourceRange
    // The links, each a node's index or `none`: an optional ID takes eight bytes in an array
    // of nodes, a word four, and every post's nodes are held until it is published (56 bytes
    // a node rather than 80).
    @usableFromInline var parentIndex = Node.none
    @usableFromInline var firstChildIndex = Node.none
    @usableFromInline var lastChildIndex = Node.none
    @usableFromInline var nextIndex = Node.none
    @usableFromInline var previousIndex = Node.none

    /// The index that stands for no node.
    @usableFromInline static let none = UInt32.max

    init(kind: NodeKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    @inlinable public internal(set) var parent: NodeID? {
        get { Self.id(parentIndex) }
        set { parentIndex = Self.index(newValue) }
    }

    @inlinable public internal(set) var firstChild: NodeID? {
        get { Self.id(firstChildIndex) }
        set { firstChildIndex = Self.index(newValue) }
    }

    @inlinable public internal(set) var lastChild: NodeID? {
        get { Self.id(lastChildIndex) }
        set { lastChildIndex = Self.index(newValue) }
    }

    @inlinable public internal(set) var next: NodeID? {
        get { Self.id(nextIndex) }
        set { nextIndex = Self.index(newValue) }
    }

    @inlinable public internal(set) var previous: NodeID? {
        get { Self.id(previousIndex) }
        set { previousIndex = Self.index(newValue) }
    }

    @inlinable static func id(_ index: UInt32) -> NodeID? { index == none ? nil : NodeID(stored: index) }

    @inlinable static func index(_ id: NodeID?) -> UInt32 { id?.stored ?? none }
}
