// The promises of Herald's plain text: no line wider than the width unless it cannot be broken
// (one long token, such as a code span or an address, or a line copied from the source as it
// is, such as code), and no line that
// a wrap made begins with closing punctuation.

import HeraldCore

public enum PlainTextLines {
    /// Closing punctuation no wrapped line may start with.
    static let closing: Set<Character> = ["，", "。", "、", "；", "：", "！", "？", "）", "」", "』", "》", "】", "〉", "…", "”", "’", "）", "］", "｝"]

    /// A line's text without the list marker (`* `, `- `, `12. `) that may open it.
    static func withoutListMarker(_ text: Substring) -> Substring {
        var rest: Substring
        if let first = text.first, "*-+".contains(first), text.dropFirst().first == " " {
            rest = text.dropFirst(2)
        } else {
            let digits = text.prefix { $0.isASCII && $0.isNumber }
            let after = text.dropFirst(digits.count)
            guard !digits.isEmpty, let mark = after.first, mark == "." || mark == ")", after.dropFirst().first == " " else { return text }
            rest = after.dropFirst(2)
        }
        // A task item's box goes with its marker (`* [ ] ` before a code block that starts the item).
        for box in ["[ ] ", "[x] ", "[X] "] where rest.hasPrefix(box) { rest = rest.dropFirst(box.count) }
        return rest
    }

    /// Characters no line may be broken before, even after a space (`a )` stays on one line).
    static let noBreakBefore: Set<Character> = closing.union([")", "]", "}", "!", "?", ",", ".", ":", ";", "/"])

    /// `text` cut at the spaces a line may break at: not those before closing punctuation.
    static func words(_ text: Substring) -> [Substring] {
        var words: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index] == " " else { index = text.index(after: index); continue }
            let spaces = text[index...].prefix { $0 == " " }
            if let next = text[spaces.endIndex...].first, !noBreakBefore.contains(next) {
                if start < index { words.append(text[start..<index]) }
                start = spaces.endIndex
            }
            index = spaces.endIndex
        }
        if start < text.endIndex { words.append(text[start...]) }
        return words
    }

    /// `tokens` are what the wrapper never breaks (code spans, addresses): a line that is one
    /// of them, with the punctuation around it, may be wider than `width`.
    public static func problems(_ text: String, width: Int, sourceLines: Set<String>, tokens: [String] = []) -> [String] {
        let longTokens = tokens.filter { DisplayWidth.of($0) > width / 2 }
        var problems: [String] = []
        // Where the source itself starts a line with a character, a line of the output may too.
        let sourceStarts = Set(sourceLines.compactMap { line in line.drop { $0 == ">" || $0 == " " || $0 == "-" || $0 == "*" }.first })
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.contains("\r") || line.contains("\t") { problems.append("line \(number + 1) holds a tab or a CR") }
            let content = withoutListMarker(line.drop { $0 == " " || $0 == ">" || $0 == "|" })
            if let first = content.first, closing.contains(first), !sourceStarts.contains(first) {
                problems.append("line \(number + 1) starts with closing punctuation: \(line)")
            }
            if DisplayWidth.of(line) > width {
                let unbreakable = !content.contains(" ") || sourceLines.contains(String(content.withoutSurroundingSpaces))
                    || sourceLines.contains { $0.contains(content.withoutSurroundingSpaces) }
                    || words(content).contains { DisplayWidth.of($0) > width - 8 }
                    || longTokens.contains { token in content.contains(token) && !content.replacingOccurrences(of: token, with: "").contains(" ") }
                if !unbreakable { problems.append("line \(number + 1) is \(DisplayWidth.of(line)) columns wide: \(line)") }
            }
        }
        return problems
    }
}
