// Link reference definitions: cmark-gfm resolves them into the links that use them and then
// forgets them, so this scanner finds them again in the lines no block claims.

import HeraldCore

enum LinkDefinitionScanner {
    /// The definitions in `source`, whose Markdown body starts at file line `firstLine` and was
    /// parsed into `document`. A definition is a line outside code, HTML, headings and tables,
    /// and before the first inline of a paragraph, that reads `[label]: destination "title"`
    /// (in a block quote or list item too). A definition whose destination or title continues on
    /// the next line is not found.
    static func scan(_ document: Document, source: SourceText, firstLine: Int) -> [LinkDefinition] {
        guard source.lineCount >= firstLine else { return [] }
        var claimed = [Bool](repeating: false, count: source.lineCount + 2)
        func claim(_ first: Int, _ last: Int) {
            guard first > 0 else { return }
            for line in first...max(first, min(last, source.lineCount)) { claimed[line] = true }
        }
        for id in document.descendants() {
            let node = document[id]
            guard !node.range.isUnknown else { continue }
            switch node.kind {
            case .codeBlock, .htmlBlock, .heading, .thematicBreak, .table:
                claim(node.range.start.line, node.range.end.line)
            case .paragraph:
                // Definitions open a paragraph; its text starts at its first inline.
                var firstInline: Int?
                var child = node.firstChild
                while let current = child, firstInline == nil {
                    if !document[current].range.isUnknown { firstInline = document[current].range.start.line }
                    child = document[current].next
                }
                claim(firstInline ?? node.range.start.line, node.range.end.line)
            default:
                continue
            }
        }
        var definitions: [LinkDefinition] = []
        for number in firstLine...source.lineCount where !claimed[number] {
            // A definition has `]:` (most unclaimed lines are blank).
            let text = source.line(number)
            guard text.containsBytes("]:") else { continue }
            let line = Array(text.unicodeScalars)
            if let (definition, column) = parse(line) {
                var found = definition
                found.range = SourceRange(number, column, number, line.count)
                definitions.append(found)
            }
        }
        return definitions
    }

    /// Reads `[label]: destination "title"` from one line (container markers allowed before
    /// it); returns the definition and the 1-based column of its `[`.
    static func parse(_ line: [Unicode.Scalar]) -> (LinkDefinition, Int)? {
        var index = 0
        func skipSpaces() { while index < line.count, line[index] == " " || line[index] == "\t" { index += 1 } }
        // Block-quote markers and list markers of the containers around the definition.
        while true {
            skipSpaces()
            guard index < line.count else { return nil }
            if line[index] == ">" {
                index += 1
            } else if line[index] == "-" || line[index] == "*" || line[index] == "+", index + 1 < line.count, line[index + 1] == " " {
                index += 2
            } else if let end = orderedMarkerEnd(line, from: index) {
                index = end
            } else {
                break
            }
        }
        let column = index + 1
        guard index < line.count, line[index] == "[", index + 1 < line.count, line[index + 1] != "^" else { return nil }
        index += 1
        // The label as written, backslashes and all; an escaped `]` does not end it.
        let labelStart = index
        while index < line.count, line[index] != "]" {
            if line[index] == "[" { return nil }
            if line[index] == "\\", index + 1 < line.count { index += 1 }
            index += 1
        }
        let label = String(scalars: line[labelStart..<index])
        guard index + 1 < line.count, line[index + 1] == ":",
            !label.allSatisfy(\.isWhitespace), index - labelStart <= 999
        else { return nil }
        index += 2
        skipSpaces()
        guard index < line.count else { return nil }
        let destination: ArraySlice<Unicode.Scalar>
        if line[index] == "<" {
            index += 1
            let start = index
            while index < line.count, line[index] != ">" {
                if line[index] == "<" { return nil }
                index += 1
            }
            guard index < line.count else { return nil }
            destination = line[start..<index]
            index += 1
        } else {
            let start = index
            while index < line.count, line[index] != " ", line[index] != "\t" { index += 1 }
            destination = line[start..<index]
        }
        let afterDestination = index
        skipSpaces()
        var title = String.UnicodeScalarView()
        if index < line.count {
            guard index > afterDestination else { return nil }
            let close: Unicode.Scalar
            switch line[index] {
            case "\"": close = "\""
            case "'": close = "'"
            case "(": close = ")"
            default: return nil
            }
            index += 1
            while index < line.count, line[index] != close {
                if line[index] == "\\", index + 1 < line.count { index += 1 }
                title.append(line[index])
                index += 1
            }
            guard index < line.count else { return nil }
            index += 1
            skipSpaces()
            guard index == line.count else { return nil }
        }
        guard !destination.isEmpty || line[afterDestination - 1] == ">" else { return nil }
        return (
            LinkDefinition(label: label, destination: unescaped(destination), title: String(title)), column
        )
    }

    /// The index after an ordered list marker (`12. ` or `3) `) at `start`, if there is one.
    private static func orderedMarkerEnd(_ line: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        while index < line.count, index - start < 9, ("0"..."9").contains(line[index]) { index += 1 }
        guard index > start, index + 1 < line.count, line[index] == "." || line[index] == ")", line[index + 1] == " "
        else { return nil }
        return index + 2
    }

    /// Removes backslash escapes before ASCII punctuation, as CommonMark does in destinations.
    private static func unescaped(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        guard scalars.contains("\\") else { return String(scalars: scalars) }
        var result = String.UnicodeScalarView()
        var escaping = false
        for scalar in scalars {
            if !escaping, scalar == "\\" {
                escaping = true
                continue
            }
            if escaping, !(scalar.isASCII && scalar.properties.generalCategory.isPunctuationOrSymbol) {
                result.append("\\")
            }
            escaping = false
            result.append(scalar)
        }
        if escaping { result.append("\\") }
        return String(result)
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
            .modifierSymbol, .otherSymbol:
            true
        default:
            false
        }
    }
}
