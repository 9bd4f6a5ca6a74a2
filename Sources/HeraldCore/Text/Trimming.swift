// Trimming text at its end in linear time (a regular expression like `\s+$` takes quadratic
// time on a long run of spaces). Inlinable, so that the modules calling it get it made for
// String and Substring instead of going through StringProtocol's witnesses for every character.

extension StringProtocol {
    /// The text without the white space (spaces, tabs, line ends) at its end.
    @inlinable public var withoutTrailingWhitespace: SubSequence {
        self[..<(lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? startIndex)]
    }

    /// The text without the line ends (`\n`, `\r`, …) at its start and end: what
    /// `trimmingCharacters(in: .newlines)` gives, without Foundation's copy through UTF-16.
    @inlinable public var withoutSurroundingNewlines: SubSequence { trimming(\.isNewline) }

    /// The text without the spaces and tabs at its start and end (not line ends): what
    /// `trimmingCharacters(in: .whitespaces)` gives, without Foundation's copy through UTF-16.
    @inlinable public var withoutSurroundingSpaces: SubSequence { trimming(\.isSpaceOrTab) }

    /// The text without the spaces, tabs and line ends at its start and end: what
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` gives, without Foundation's copy
    /// through UTF-16.
    @inlinable public var withoutSurroundingWhitespace: SubSequence { trimming { $0.isSpaceOrTab || $0.isNewline } }

    /// The text without the characters `isTrimmed` takes at its start and end.
    @inlinable func trimming(_ isTrimmed: (Character) -> Bool) -> SubSequence {
        // Printable ASCII characters at both ends: nothing to trim (most text), and no
        // character needs asking.
        let printable = UInt8(ascii: "!")...UInt8(ascii: "~")
        if let first = first?.asciiValue, let last = last?.asciiValue, printable.contains(first), printable.contains(last) {
            return self[...]
        }
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }

    /// An ATX heading's text without its closing run of `#` (which CommonMark only takes as
    /// one when white space, or nothing, comes before it: `C#` keeps its `#`).
    @inlinable public var withoutClosingHashes: SubSequence {
        let text = withoutTrailingWhitespace
        guard text.last == "#" else { return text }
        let body = text[..<(text.lastIndex { $0 != "#" }.map { text.index(after: $0) } ?? text.startIndex)]
        guard body.isEmpty || body.last!.isWhitespace else { return text }
        return body.withoutTrailingWhitespace
    }
}

extension Character {
    /// A space or a tab as Foundation's `CharacterSet.whitespaces` counts them: U+0009, the
    /// space separators (Zs) and the zero-width space U+200B.
    @inlinable var isSpaceOrTab: Bool {
        if let ascii = asciiValue { return ascii == 0x20 || ascii == 0x09 }
        guard unicodeScalars.count == 1, let scalar = unicodeScalars.first else { return false }
        return scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
    }
}
