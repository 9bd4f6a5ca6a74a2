// Questions about a document's text that several backends ask the same way.

extension Document {
    /// Whether the soft line break `id` stands between two CJK characters. Chinese and Japanese
    /// put no space between words, so such a break is not a space: renderers join the lines.
    public func softBreakJoinsCJK(_ id: NodeID) -> Bool {
        guard let before = edgeScalar(self[id].previous, last: true), before.isCJK,
            let after = edgeScalar(self[id].next, last: false), after.isCJK
        else { return false }
        return true
    }

    /// The first or last character of an inline node's text, looking inside its children.
    public func edgeScalar(_ start: NodeID?, last: Bool) -> Unicode.Scalar? {
        var current = start
        while let id = current {
            switch self[id].kind {
            case .text(let text), .code(let text):
                return last ? text.unicodeScalars.last : text.unicodeScalars.first
            case .emphasis, .strong, .strikethrough, .link:
                current = last ? self[id].lastChild : self[id].firstChild
            default:
                return nil
            }
        }
        return nil
    }
}
