// Wrapping a paragraph to a width in display columns, at UAX #14 break opportunities only.

/// A line made by ``TextWrapper``, and how the text went on after it.
public struct WrappedLine: Hashable, Sendable {
    public var text: String
    /// Whether spaces were dropped at the break after this line (false after a break between
    /// ideographs or after a hyphen, where the text goes on without a space).
    public var brokeAtSpace: Bool

    public init(text: String, brokeAtSpace: Bool) {
        self.text = text
        self.brokeAtSpace = brokeAtSpace
    }
}

public enum TextWrapper {
    /// Wraps `text` into lines at most `width` display columns wide.
    ///
    /// - A line ends only where UAX #14 allows a break, and never strictly inside one of the
    ///   `protected` ranges (offsets in `text.unicodeScalars`: URLs, code spans); `\n` is a
    ///   line break that must be taken.
    /// - Lines are filled greedily. The spaces at a break are dropped, so no line ends or
    ///   starts with them; a single token wider than `width` stands whole on its own line.
    public static func wrap(_ text: String, width: Int, protected: [Range<Int>] = []) -> [String] {
        wrapLines(text, width: width, protected: protected).map(\.text)
    }

    /// ``wrap(_:width:protected:)``, telling for each line whether it ended at spaces (what
    /// `format=flowed` needs to join the lines again).
    public static func wrapLines(_ text: String, width: Int, protected: [Range<Int>] = []) -> [WrappedLine] {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return [] }
        var allowed = [Bool](repeating: false, count: scalars.count + 1)
        var mandatory = [Bool](repeating: false, count: scalars.count + 1)
        for opportunity in LineBreaker.opportunities(in: scalars) {
            allowed[opportunity.offset] = true
            mandatory[opportunity.offset] = opportunity.isMandatory
        }
        for range in protected {
            let lower = max(range.lowerBound + 1, 1), upper = min(range.upperBound, scalars.count)
            guard lower < upper else { continue }
            for offset in lower..<upper where !mandatory[offset] { allowed[offset] = false }
        }
        allowed[scalars.count] = true

        var lines: [WrappedLine] = []
        var line = String.UnicodeScalarView()
        var lineWidth = 0  // without the spaces at its end
        var pendingSpaces = String.UnicodeScalarView()
        var pendingWidth = 0
        var segmentStart = 0

        func finishLine() {
            lines.append(WrappedLine(text: String(line), brokeAtSpace: pendingWidth > 0))
            line.removeAll()
            lineWidth = 0
            pendingSpaces.removeAll()
            pendingWidth = 0
        }

        for end in 1...scalars.count where allowed[end] {
            // A segment: the characters up to a break opportunity, its trailing spaces apart.
            var contentEnd = end
            var hardBreak = false
            while contentEnd > segmentStart, isBreakingSpace(scalars[contentEnd - 1]) {
                if isHardBreak(scalars[contentEnd - 1]) { hardBreak = true }
                contentEnd -= 1
            }
            var content = String.UnicodeScalarView()
            var contentWidth = 0
            for index in segmentStart..<contentEnd {
                content.append(scalars[index])
                contentWidth += DisplayWidth.of(scalars[index])
            }
            var spaces = String.UnicodeScalarView()
            var spacesWidth = 0
            for index in contentEnd..<end where !isHardBreak(scalars[index]) {
                spaces.append(scalars[index])
                spacesWidth += DisplayWidth.of(scalars[index])
            }
            segmentStart = end

            if !line.isEmpty && lineWidth + pendingWidth + contentWidth > width && !content.isEmpty {
                finishLine()
            }
            if !content.isEmpty {
                if !line.isEmpty { line.append(contentsOf: pendingSpaces) }
                lineWidth += (line.isEmpty ? 0 : pendingWidth) + contentWidth
                line.append(contentsOf: content)
                pendingSpaces = spaces
                pendingWidth = spacesWidth
            } else if !line.isEmpty {
                pendingSpaces.append(contentsOf: spaces)
                pendingWidth += spacesWidth
            }
            if hardBreak || (mandatory[end] && end < scalars.count) {
                finishLine()
            }
        }
        if !line.isEmpty { finishLine() }
        return lines
    }

    /// Spaces and line ends, which vanish at a break.
    static func isBreakingSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\u{3000}" || isHardBreak(scalar)
    }

    static func isHardBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\u{0B}" || scalar == "\u{0C}" || scalar == "\u{85}"
            || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
