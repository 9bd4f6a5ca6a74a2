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

/// A line made by ``TextWrapper/wrapRanges(scalars:width:protected:)``: where it is in the
/// scalars wrapped, and how the text went on after it.
public struct WrappedRange: Hashable, Sendable {
    /// The line's scalars (empty for an empty line).
    public var range: Range<Int>
    /// As ``WrappedLine/brokeAtSpace``.
    public var brokeAtSpace: Bool

    public init(range: Range<Int>, brokeAtSpace: Bool) {
        self.range = range
        self.brokeAtSpace = brokeAtSpace
    }
}

public enum TextWrapper {
    /// Wraps `text` into lines at most `width` display columns wide.
    ///
    /// - A line ends only where UAX #14 allows a break, and never strictly inside one of the
    ///   `protected` ranges (offsets in `text.unicodeScalars`: URLs, code spans) unless two
    ///   or more of them, glued together, make a run wider than `width`, which then breaks
    ///   after its spaces; `\n` is a line break that must be taken.
    /// - Lines are filled greedily. The spaces at a break are dropped, so no line ends or
    ///   starts with them; a single token wider than `width` stands whole on its own line.
    public static func wrap(_ text: String, width: Int, protected: [Range<Int>] = []) -> [String] {
        wrapLines(text, width: width, protected: protected).map(\.text)
    }

    /// ``wrap(_:width:protected:)``, telling for each line whether it ended at spaces (what
    /// `format=flowed` needs to join the lines again).
    public static func wrapLines(_ text: String, width: Int, protected: [Range<Int>] = []) -> [WrappedLine] {
        wrapLines(scalars: Array(text.unicodeScalars), width: width, protected: protected)
    }

    /// ``wrapLines(_:width:protected:)`` for text already split into scalars.
    public static func wrapLines(scalars: [Unicode.Scalar], width: Int, protected: [Range<Int>] = []) -> [WrappedLine] {
        wrapRanges(scalars: scalars, width: width, protected: protected).map { line in
            WrappedLine(text: String(scalars: scalars[line.range]), brokeAtSpace: line.brokeAtSpace)
        }
    }

    /// ``wrapLines(scalars:width:protected:)`` as ranges of `scalars`, for a caller that writes
    /// the lines somewhere itself.
    public static func wrapRanges(scalars: [Unicode.Scalar], width: Int, protected: [Range<Int>] = []) -> [WrappedRange] {
        guard !scalars.isEmpty else { return [] }
        return oneLine(scalars, width: width) ?? wrapLinesByRules(scalars: scalars, width: width, protected: protected)
    }

    /// The one line a text makes when it fits the width, starts with no space and holds no hard
    /// break (half the paragraphs, list items and cells of a post): the fill below would take no
    /// break in it, so its break opportunities need not be found. Nil for any other text.
    static func oneLine(_ scalars: [Unicode.Scalar], width: Int) -> [WrappedRange]? {
        guard !isBreakingSpace(scalars[0]) else { return nil }
        var total = 0
        var end = 0  // after the last character that is not a space
        for (index, scalar) in scalars.enumerated() {
            if scalar.value < 0x80 {
                // The common case, without a table lookup: a printable character or a space.
                if scalar.value >= 0x20 && scalar.value < 0x7F {
                    total += 1
                    if scalar != " " { end = index + 1 }
                    if total > width && end == index + 1 { return nil }
                    continue
                }
            }
            if isHardBreak(scalar) { return nil }
            total += DisplayWidth.of(scalar)
            if !isBreakingSpace(scalar) {
                end = index + 1
                if total > width { return nil }
            }
        }
        return [WrappedRange(range: 0..<end, brokeAtSpace: end < scalars.count)]
    }

    /// The greedy fill at UAX #14's break opportunities.
    static func wrapLinesByRules(scalars: [Unicode.Scalar], width: Int, protected: [Range<Int>]) -> [WrappedRange] {
        guard !scalars.isEmpty else { return [] }
        // The decision before each character, changed in place by the steps below: a break the
        // rules allow inside protected text is `.protected` (and may be given back).
        let (decisions, classes) = LineBreaker.decisionsAndClasses(in: scalars)
        // Moved, not shared: the decisions are changed below, and a second reference to them
        // would make the first change copy them all.
        var breaks = consume decisions
        for range in protected {
            let lower = max(range.lowerBound + 1, 1), upper = min(range.upperBound, scalars.count)
            guard lower < upper else { continue }
            for offset in lower..<upper where breaks[offset] == .allowed { breaks[offset] = .protected }
        }
        if protected.count > 1 { reopenGluedRuns(&breaks, scalars: scalars, protected: protected, width: width) }
        breaks[scalars.count] = .allowed
        return scalars.withUnsafeBufferPointer { text in
            breaks.withUnsafeBufferPointer { breaks in
                classes.withUnsafeBufferPointer { classes in
                    fill(text, breaks: breaks, classes: classes, width: width)
                }
            }
        }
    }

    /// One protected range wider than a line stands whole (a long command stays one line to
    /// copy), but several glued together by the letters between them (stray backticks make a
    /// paragraph a chain of code spans) are no token: a run (the text between two breaks) that
    /// meets two or more ranges and is wider than `width` gets its breaks after spaces back,
    /// rather than run on for hundreds of columns.
    static func reopenGluedRuns(_ breaks: inout [LineBreaker.Decision], scalars: [Unicode.Scalar], protected: [Range<Int>], width: Int) {
        func allowed(_ offset: Int) -> Bool { breaks[offset] == .allowed || breaks[offset] == .mandatory }
        // A run meets two ranges only when one starts in it: the runs are found from the ranges
        // in the order they start, each run once, so a long paragraph of links is not scanned
        // once per link, and the rest of the text (most of it) not at all.
        let ranges = protected.filter { $0.lowerBound < scalars.count }
            .map { max($0.lowerBound, 0)..<max($0.upperBound, 0) }
            .sorted { $0.lowerBound < $1.lowerBound }
        var next = 0
        var reach = 0  // the furthest end of the ranges that start in earlier runs
        while next < ranges.count {
            var runStart = ranges[next].lowerBound
            while runStart > 0 && !allowed(runStart) { runStart -= 1 }
            var runEnd = ranges[next].lowerBound + 1
            while runEnd < scalars.count && !allowed(runEnd) { runEnd += 1 }
            // A range from an earlier run that goes on into this one, and those starting in it.
            var met = reach > runStart ? 1 : 0
            while next < ranges.count && ranges[next].lowerBound < runEnd {
                met += 1
                reach = max(reach, ranges[next].upperBound)
                next += 1
            }
            guard met >= 2 else { continue }
            var runWidth = 0
            for offset in runStart..<runEnd { runWidth += columns(scalars[offset]) }
            guard runWidth > width else { continue }
            for inside in (runStart + 1)..<runEnd where breaks[inside] == .protected && isBreakingSpace(scalars[inside - 1]) {
                breaks[inside] = .allowed
            }
        }
    }

    /// The greedy fill of `text` at the breaks left allowed or mandatory by the steps above.
    private static func fill(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, breaks: UnsafeBufferPointer<LineBreaker.Decision>,
        classes: UnsafeBufferPointer<LineBreakClass>, width: Int
    ) -> [WrappedRange] {
        // UAX #14 allows a break between a space and a character such as `；` or `。` (class
        // NS), which would then start the next line; Chinese and Japanese typography never
        // start a line with closing punctuation, spaces or not.
        let prohibited = LineBreakClasses.lineStartProhibited
        let count = text.count

        // A line is always a run of the text (spaces at its start and end left out): it is given
        // as a range, made into a string (or written out) by the caller.
        var lines: [WrappedRange] = []
        var lineStart = -1  // none yet
        var lineEnd = 0
        var lineWidth = 0  // without the spaces at its end
        var pendingWidth = 0  // the spaces after it, kept if more of the line follows
        var segmentStart = 0
        var segmentWidth = 0

        func finishLine() {
            lines.append(WrappedRange(range: lineStart < 0 ? 0..<0 : lineStart..<lineEnd, brokeAtSpace: pendingWidth > 0))
            lineStart = -1
            lineWidth = 0
            pendingWidth = 0
        }

        for end in 1...count {
            segmentWidth += columns(text[end - 1])
            if end < count {
                let decision = breaks[end]
                guard decision == .mandatory || (decision == .allowed && !prohibited.contains(classes[end])) else { continue }
            }
            // A segment: the characters up to a break opportunity, its trailing spaces apart.
            var contentEnd = end
            var hardBreak = false
            var trailingWidth = 0
            var spacesWidth = 0
            while contentEnd > segmentStart, isBreakingSpace(text[contentEnd - 1]) {
                let columns = columns(text[contentEnd - 1])
                trailingWidth += columns
                if isHardBreak(text[contentEnd - 1]) { hardBreak = true } else { spacesWidth += columns }
                contentEnd -= 1
            }
            let contentWidth = segmentWidth - trailingWidth
            let contentStart = segmentStart
            let hasContent = contentEnd > contentStart
            segmentStart = end
            segmentWidth = 0

            if lineStart >= 0 && lineWidth + pendingWidth + contentWidth > width && hasContent {
                finishLine()
            }
            if hasContent {
                if lineStart < 0 {
                    lineStart = contentStart
                    lineWidth = contentWidth
                } else {
                    lineWidth += pendingWidth + contentWidth
                }
                lineEnd = contentEnd
                pendingWidth = spacesWidth
            } else if lineStart >= 0 {
                pendingWidth += spacesWidth
            }
            if hardBreak || (breaks[end] == .mandatory && end < count) {
                finishLine()
            }
        }
        if lineStart >= 0 { finishLine() }
        return lines
    }

    /// ``DisplayWidth/of(_:)-swift.type.method``, printable ASCII (most text) without the call.
    @inline(__always) static func columns(_ scalar: Unicode.Scalar) -> Int {
        scalar.value &- 0x20 < 0x5F ? 1 : DisplayWidth.of(scalar)
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
