// Herald's AST: a post's metadata and a tree of nodes, parsed once and read by every backend.

/// A parsed post: its metadata and a tree of ``Node``s.
///
/// The tree is stored flat, in one array, with nodes linked to their parent, children and
/// siblings by ``NodeID``. It is a value type, cheap to copy and `Sendable`, and every walk over it
/// is a loop, never recursion, so a hostile post nested ten thousand levels deep cannot overflow
/// the stack of the thread that renders it.
public struct Document: Hashable, Sendable {
    public var metadata: PostMetadata
    public private(set) var nodes: [Node]
    /// The link reference definitions of the post (`[label]: url "title"`), in source order,
    /// used or not. Links that use one already carry its destination; backends that list every
    /// address of a post (the email's link list) and translators need the definitions too.
    public var linkDefinitions: [LinkDefinition] = []

    /// A document holding only its root.
    public init(metadata: PostMetadata = PostMetadata(), range: SourceRange = .unknown) {
        self.metadata = metadata
        self.nodes = [Node(kind: .document, range: range)]
    }

    /// Makes room for `count` nodes in all: a parser that knows about how many it will add
    /// does not have the storage grown (and copied) step by step.
    public mutating func reserveCapacity(_ count: Int) {
        nodes.reserveCapacity(count)
    }

    /// The root node, of kind ``NodeKind/document``.
    @inlinable public var root: NodeID { NodeID(0) }

    /// (Inlinable, as the walks below: every backend reads nodes and walks trees from other
    /// modules, and a call per node through a coroutine or a closure context cost more than the
    /// reading.)
    @inlinable public subscript(id: NodeID) -> Node {
        // Lent, not copied: a backend that reads one field of a node does not copy the rest.
        _read { yield nodes[id.index] }
    }

    /// Changes a node's kind in place (a transform's usual edit).
    public mutating func setKind(_ kind: NodeKind, of id: NodeID) {
        nodes[id.index].kind = kind
    }

    /// Changes a node's source range.
    public mutating func setRange(_ range: SourceRange, of id: NodeID) {
        nodes[id.index].range = range
    }

    /// The children of a node, first to last.
    @inlinable public func children(of id: NodeID) -> Children {
        Children(document: self, first: nodes[id.index].firstChild)
    }

    /// Adds a new node as the last child of `parent`.
    @discardableResult
    public mutating func append(_ kind: NodeKind, range: SourceRange = .unknown, to parent: NodeID) -> NodeID {
        let id = NodeID(nodes.count)
        nodes.append(Node(kind: kind, range: range))
        link(id, asLastChildOf: parent)
        return id
    }

    /// Adds a new node just before `sibling`, under the same parent.
    @discardableResult
    public mutating func insert(_ kind: NodeKind, range: SourceRange = .unknown, before sibling: NodeID) -> NodeID {
        let id = NodeID(nodes.count)
        nodes.append(Node(kind: kind, range: range))
        let parent = nodes[sibling.index].parent!
        let previous = nodes[sibling.index].previous
        nodes[id.index].parent = parent
        nodes[id.index].next = sibling
        nodes[id.index].previous = previous
        nodes[sibling.index].previous = id
        if let previous { nodes[previous.index].next = id } else { nodes[parent.index].firstChild = id }
        return id
    }

    /// Detaches a node (and its subtree) from the tree. Its storage stays until the document is
    /// dropped; walks no longer reach it.
    public mutating func unlink(_ id: NodeID) {
        let node = nodes[id.index]
        guard let parent = node.parent else { return }
        if let previous = node.previous { nodes[previous.index].next = node.next } else { nodes[parent.index].firstChild = node.next }
        if let next = node.next { nodes[next.index].previous = node.previous } else { nodes[parent.index].lastChild = node.previous }
        nodes[id.index].parent = nil
        nodes[id.index].next = nil
        nodes[id.index].previous = nil
    }

    /// Moves an existing node (detaching it first if needed) to the end of `parent`'s children.
    public mutating func move(_ id: NodeID, toEndOf parent: NodeID) {
        unlink(id)
        link(id, asLastChildOf: parent)
    }

    private mutating func link(_ id: NodeID, asLastChildOf parent: NodeID) {
        nodes[id.index].parent = parent
        if let last = nodes[parent.index].lastChild {
            nodes[last.index].next = id
            nodes[id.index].previous = last
        } else {
            nodes[parent.index].firstChild = id
        }
        nodes[parent.index].lastChild = id
    }

    // MARK: Walking

    /// One step of a depth-first walk: entering a node (before its children) or leaving it.
    public enum WalkEvent: Hashable, Sendable {
        case enter(NodeID)
        case exit(NodeID)
    }

    /// What a walk does after an event.
    public enum WalkAction: Sendable {
        case proceed
        /// After an `enter`: skip the node's children (its `exit` still comes).
        case skipChildren
        case stop
    }

    /// Walks the subtree under `start` depth-first, without recursion, calling `visit` on
    /// entering and on leaving each node.
    @inlinable public func walk(from start: NodeID? = nil, _ visit: (WalkEvent) throws -> WalkAction) rethrows {
        let top = start ?? root
        var current = top
        var entering = true
        while true {
            if entering {
                let action = try visit(.enter(current))
                if action == .stop { return }
                if action == .proceed, let child = nodes[current.index].firstChild {
                    current = child
                    continue
                }
                entering = false
                continue
            }
            if try visit(.exit(current)) == .stop { return }
            if current == top { return }
            if let next = nodes[current.index].next {
                current = next
                entering = true
            } else {
                current = nodes[current.index].parent!
            }
        }
    }

    /// The nodes of the subtree under `start` in document order (the start included).
    @inlinable public func descendants(of start: NodeID? = nil) -> [NodeID] {
        var result: [NodeID] = []
        // The whole tree's walk holds about every node (all but any unlinked).
        if start == nil || start == root { result.reserveCapacity(nodes.count) }
        walk(from: start) { event in
            if case .enter(let id) = event { result.append(id) }
            return .proceed
        }
        return result
    }

    /// The text a reader sees in a node: its text, code and alt text with breaks as spaces,
    /// markup dropped. Used for heading ids, titles and alt attributes.
    public func plainText(of id: NodeID) -> String {
        var text = ""
        walk(from: id) { event in
            guard case .enter(let child) = event else { return .proceed }
            switch nodes[child.index].kind {
            case .text(let string), .code(let string): text += string
            case .softBreak, .lineBreak: text += " "
            case .footnoteReference: return .skipChildren
            default: break
            }
            return .proceed
        }
        return text
    }

    /// The depth of the deepest node (the root is at depth 0).
    public var depth: Int {
        var deepest = 0
        var current = 0
        walk { event in
            switch event {
            case .enter: current += 1; deepest = max(deepest, current - 1)
            case .exit: current -= 1
            }
            return .proceed
        }
        return deepest
    }
}

extension Document.WalkAction: Equatable {}

extension Document {
    /// A node's children, as a sequence.
    public struct Children: Sequence, Sendable {
        @usableFromInline let document: Document
        @usableFromInline let first: NodeID?

        @inlinable init(document: Document, first: NodeID?) {
            self.document = document
            self.first = first
        }

        @inlinable public func makeIterator() -> Iterator { Iterator(document: document, current: first) }

        public struct Iterator: IteratorProtocol, Sendable {
            @usableFromInline let document: Document
            @usableFromInline var current: NodeID?

            @inlinable init(document: Document, current: NodeID?) {
                self.document = document
                self.current = current
            }

            @inlinable public mutating func next() -> NodeID? {
                guard let id = current else { return nil }
                current = document.nodes[id.index].next
                return id
            }
        }
    }
}
