// Where a line may break (UAX #14, Unicode 15.0): between Chinese characters, after spaces and
// hyphens, never before closing punctuation or after opening punctuation.

/// The Line_Break property (UAX #14).
public enum LineBreakClass: UInt8, Sendable {
    case XX, BK, CR, LF, NL, SP, ZW, WJ, GL, ZWJ, CM, BA, BB, B2, HY, CB, CL, CP
    case EX, IN, NS, OP, QU, IS, NU, PO, PR, SY, AI, AL, CJ, EB, EM, H2, H3, HL
    case ID, JL, JV, JT, RI, SA, SG

    public init(_ scalar: Unicode.Scalar) {
        let value = UnicodeTables.lookup(UnicodeTables.lineBreak, UnicodeTables.lineBreakBMP, scalar.value, shift: 6)
        self = LineBreakClass(rawValue: UInt8(value)) ?? .XX
    }

    /// The class after rule LB1's resolution of the classes the algorithm does not use.
    static func resolved(_ scalar: Unicode.Scalar) -> LineBreakClass {
        switch LineBreakClass(scalar) {
        case .AI, .SG, .XX: return .AL
        case .CJ: return .NS
        case .SA:
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark: return .CM
            default: return .AL
            }
        case let other: return other
        }
    }

    /// ``resolved(_:)`` of the ASCII characters, which most text is made of: read from a table
    /// the caller holds instead of looked up.
    static let resolvedASCII: [LineBreakClass] = (0..<128).map { resolved(Unicode.Scalar(UInt8($0))) }

    /// ``resolved(_:)``, read from `table` (``resolvedASCII``, held by the caller) for ASCII.
    @inline(__always) static func resolved(_ scalar: Unicode.Scalar, asciiTable table: [LineBreakClass]) -> LineBreakClass {
        scalar.value < 0x80 ? table[Int(scalar.value)] : resolved(scalar)
    }
}

/// A place where a line may end: before the character at `offset`.
public struct LineBreakOpportunity: Hashable, Sendable {
    /// The index, in the scalars given, of the character the next line would start with.
    public var offset: Int
    /// Whether the line must end there (after a line feed or another hard break).
    public var isMandatory: Bool

    public init(offset: Int, isMandatory: Bool) {
        self.offset = offset
        self.isMandatory = isMandatory
    }
}

/// A set of line-break classes as a bit mask: the rules test membership for every character, so
/// the sets are built once, not as array literals at each test.
struct LineBreakClasses: Sendable {
    let bits: UInt64

    init(_ classes: [LineBreakClass]) { bits = classes.reduce(0) { $0 | 1 << UInt64($1.rawValue) } }

    @inline(__always) func contains(_ cls: LineBreakClass) -> Bool { bits & (1 << UInt64(cls.rawValue)) != 0 }

    static let breaksAndSpaces = LineBreakClasses([.BK, .CR, .LF, .NL, .SP, .ZW])
    static let hardBreaks = LineBreakClasses([.BK, .CR, .LF, .NL])
    static let numericEnds = LineBreakClasses([.NU, .SY, .IS, .CL, .CP])
    static let numericParts = LineBreakClasses([.NU, .SY, .IS])
    static let spacesAndHyphens = LineBreakClasses([.SP, .BA, .HY])
    static let closing = LineBreakClasses([.CL, .CP, .EX, .IS, .SY])
    /// What a line must not start with in Chinese and Japanese text: closing brackets and
    /// punctuation, and the characters UAX #14 keeps from starting a line only when no space
    /// comes before them (`。`, `；`, `！`, small kana).
    static let lineStartProhibited = LineBreakClasses([.CL, .CP, .EX, .IS, .NS])
    static let breakAfterNonStarters = LineBreakClasses([.BA, .HY, .NS])
    static let ideographs = LineBreakClasses([.ID, .EB, .EM])
    static let afterLeadingJamo = LineBreakClasses([.JL, .JV, .H2, .H3])
    static let hangul = LineBreakClasses([.JL, .JV, .JT, .H2, .H3])
    static let alphanumeric = LineBreakClasses([.AL, .HL, .NU])
    static let marks = LineBreakClasses([.CM, .ZWJ])
}

/// The UAX #14 line breaking algorithm, with the numeric tailoring of its example 7 (the one
/// the Unicode conformance test uses), in one pass with bounded look-back.
public enum LineBreaker {
    /// The break opportunities between the characters of `scalars` (offsets 1 to count − 1);
    /// the end of the text, always a break, is not listed.
    public static func opportunities(in scalars: [Unicode.Scalar]) -> [LineBreakOpportunity] {
        var result: [LineBreakOpportunity] = []
        for (offset, decision) in decisions(in: scalars).enumerated() {
            switch decision {
            case .mandatory: result.append(LineBreakOpportunity(offset: offset, isMandatory: true))
            case .allowed: result.append(LineBreakOpportunity(offset: offset, isMandatory: false))
            case .prohibited, .protected: break
            }
        }
        return result
    }

    /// The decision before each character of `scalars`, by offset (offsets 0 and `count` are
    /// `.prohibited`: the start of the text, and the end, which is always a break): what
    /// wrapping reads, one byte per character.
    static func decisions(in scalars: [Unicode.Scalar]) -> [Decision] {
        decisionsAndClasses(in: scalars).decisions
    }

    /// ``decisions(in:)``, and the class of each character (after LB1's resolution, before
    /// marks take their base's), which wrapping reads again.
    static func decisionsAndClasses(in scalars: [Unicode.Scalar]) -> (decisions: [Decision], classes: [LineBreakClass]) {
        decisionsAndClasses(in: scalars, byPairs: true)
    }

    /// ``decisionsAndClasses(in:)``; `byPairs` reads the decisions two classes settle from
    /// ``pairDecisions`` and ``spaceDecisions`` (false: every decision by the rules, which is
    /// how the tables are made).
    static func decisionsAndClasses(in scalars: [Unicode.Scalar], byPairs: Bool) -> (decisions: [Decision], classes: [LineBreakClass]) {
        let count = scalars.count
        var result = [Decision](repeating: .prohibited, count: count + 1)
        let ascii = LineBreakClass.resolvedASCII
        var markBits: UInt64 = 0
        let raw = [LineBreakClass](unsafeUninitializedCapacity: count) { classes, initialized in
            ascii.withUnsafeBufferPointer { ascii in
                for (index, scalar) in scalars.enumerated() {
                    let cls = scalar.value < 0x80 ? ascii[Int(scalar.value)] : LineBreakClass.resolved(scalar)
                    markBits |= 1 << UInt64(cls.rawValue)
                    classes.initializeElement(at: index, to: cls)
                }
            }
            initialized = count
        }
        let hasMarks = markBits & LineBreakClasses.marks.bits != 0
        guard count > 1 else { return (result, raw) }
        // LB9: a combining mark or ZWJ after most characters takes the class of the character it
        // follows; `base(i)` is the character whose class `i` carries. LB10: other marks are AL.
        // Without marks (most text) each character is its own base, and no table of bases is made.
        var bases: [Int] = []
        var classes: [LineBreakClass]
        if hasMarks {
            bases = [Int](repeating: 0, count: count)
            classes = [LineBreakClass](repeating: .AL, count: count)
            for index in 0..<count {
                let cls = raw[index]
                if (cls == .CM || cls == .ZWJ), index > 0, !LineBreakClasses.breaksAndSpaces.contains(raw[bases[index - 1]]) {
                    bases[index] = bases[index - 1]
                    classes[index] = classes[index - 1]
                } else {
                    bases[index] = index
                    classes[index] = (cls == .CM || cls == .ZWJ) ? .AL : cls
                }
            }
        } else {
            classes = raw
        }
        // The nested rules below read these; as constants they are read without access checks.
        let (markBases, effective, marked) = (bases, classes, hasMarks)
        /// The character whose class the character at `index` carries.
        @inline(__always) func base(_ index: Int) -> Int { marked ? markBases[index] : index }
        /// The character before `index`'s base, as a base index; nil at the start.
        func before(_ index: Int) -> Int? {
            let start = base(index)
            return start > 0 ? base(start - 1) : nil
        }
        /// The class before a run of spaces ending at `index` (a base index), and where it is.
        func skippingSpaces(from index: Int) -> (LineBreakClass, Int)? {
            var current: Int? = base(index)
            while let at = current, effective[at] == .SP { current = before(at) }
            return current.map { (effective[$0], $0) }
        }
        /// Whether the run of NU, SY and IS ending at `index` holds a NU (`NU (NU | SY | IS)*`).
        func numericRun(endingAt index: Int?) -> Bool {
            var current = index
            while let at = current, LineBreakClasses.numericParts.contains(effective[at]) {
                if effective[at] == .NU { return true }
                current = before(at)
            }
            return false
        }
        func isEastAsianWide(_ index: Int) -> Bool {
            switch EastAsianWidth(scalars[index]) {
            case .fullwidth, .wide, .halfwidth: return true
            default: return false
            }
        }

        if byPairs && !hasMarks {
            // Most decisions are settled by the two classes, or by the class before a run of
            // spaces and the class after it: read from the tables, made once by the rules.
            let space = Int(LineBreakClass.SP.rawValue)
            var unsettled: [Int] = []
            Self.pairDecisions.withUnsafeBufferPointer { pairs in
                Self.spaceDecisions.withUnsafeBufferPointer { afterSpaces in
                    raw.withUnsafeBufferPointer { raw in
                        result.withUnsafeMutableBufferPointer { result in
                            var left = Int(raw[0].rawValue)
                            var beforeSpaces = left == space ? Self.noClass : left
                            for offset in 1..<count {
                                let right = Int(raw[offset].rawValue)
                                let settled = left == space ? afterSpaces[beforeSpaces << 6 | right] : pairs[left << 6 | right]
                                if settled != Self.unsettled {
                                    result[offset] = unsafeBitCast(settled, to: Decision.self)
                                } else {
                                    unsettled.append(offset)
                                }
                                if right != space { beforeSpaces = right }
                                left = right
                            }
                        }
                    }
                }
            }
            for offset in unsettled { result[offset] = decide(at: offset) }
            return (result, raw)
        }
        for offset in 1..<count {
            // The pairs most text is made of, answered without the call, as the rules would:
            // two letters stay together (LB28), two ideographs may part (LB31), and no break
            // comes before a space (LB7) unless a hard break is before it (LB4, LB5).
            let leftRaw = raw[offset - 1], rightRaw = raw[offset]
            if leftRaw == rightRaw && (leftRaw == .AL || leftRaw == .ID) {
                if leftRaw == .ID { result[offset] = .allowed }
                continue
            }
            if rightRaw == .SP && !LineBreakClasses.hardBreaks.contains(leftRaw) { continue }
            result[offset] = decide(at: offset)
        }
        return (result, raw)

        func decide(at offset: Int) -> Decision {
            let leftIndex = base(offset - 1)
            let leftRaw = raw[offset - 1]
            let left = effective[offset - 1]
            let rightRaw = raw[offset]
            // LB4, LB5: after hard breaks.
            if leftRaw == .BK { return .mandatory }
            if leftRaw == .CR { return rightRaw == .LF ? .prohibited : .mandatory }
            if leftRaw == .LF || leftRaw == .NL { return .mandatory }
            // LB6, LB7.
            if LineBreakClasses.breaksAndSpaces.contains(rightRaw) { return .prohibited }
            // LB8: ZW SP* ÷
            if let (cls, _) = skippingSpaces(from: offset - 1), cls == .ZW { return .allowed }
            // LB8a
            if leftRaw == .ZWJ { return .prohibited }
            // LB9: marks stay with what they follow.
            if (rightRaw == .CM || rightRaw == .ZWJ), base(offset) != offset { return .prohibited }
            let right = effective[offset]
            // LB11, LB12, LB12a
            if left == .WJ || right == .WJ { return .prohibited }
            if left == .GL { return .prohibited }
            if right == .GL, !LineBreakClasses.spacesAndHyphens.contains(left) { return .prohibited }
            // LB13
            if LineBreakClasses.closing.contains(right) { return .prohibited }
            // LB14 to LB17: rules across spaces.
            if let (cls, _) = skippingSpaces(from: offset - 1) {
                if cls == .OP { return .prohibited }
                if cls == .QU && right == .OP { return .prohibited }
                if (cls == .CL || cls == .CP) && right == .NS { return .prohibited }
                if cls == .B2 && right == .B2 { return .prohibited }
            }
            // LB18
            if left == .SP { return .allowed }
            // LB19, LB20
            if left == .QU || right == .QU { return .prohibited }
            if left == .CB || right == .CB { return .allowed }
            // LB21, LB21a, LB21b, LB22
            if LineBreakClasses.breakAfterNonStarters.contains(right) || left == .BB { return .prohibited }
            if (left == .HY || left == .BA), let previous = before(leftIndex), effective[previous] == .HL { return .prohibited }
            if left == .SY && right == .HL { return .prohibited }
            if right == .IN { return .prohibited }
            // LB23, LB23a, LB24
            if (left == .AL || left == .HL) && right == .NU { return .prohibited }
            if left == .NU && (right == .AL || right == .HL) { return .prohibited }
            if left == .PR && LineBreakClasses.ideographs.contains(right) { return .prohibited }
            if LineBreakClasses.ideographs.contains(left) && right == .PO { return .prohibited }
            if (left == .PR || left == .PO) && (right == .AL || right == .HL) { return .prohibited }
            if (left == .AL || left == .HL) && (right == .PR || right == .PO) { return .prohibited }
            // LB25, as tailored for numbers.
            if left == .PR || left == .PO {
                if right == .NU { return .prohibited }
                if (right == .OP || right == .HY), let next = nextBase(after: offset), effective[next] == .NU {
                    return .prohibited
                }
            }
            if (left == .OP || left == .HY) && right == .NU { return .prohibited }
            if LineBreakClasses.numericEnds.contains(right) && numericRun(endingAt: leftIndex) { return .prohibited }
            if right == .PO || right == .PR {
                let runEnd = (left == .CL || left == .CP) ? before(leftIndex) : leftIndex
                if numericRun(endingAt: runEnd) { return .prohibited }
            }
            // LB26, LB27: Korean syllables.
            if left == .JL && LineBreakClasses.afterLeadingJamo.contains(right) { return .prohibited }
            if (left == .JV || left == .H2) && (right == .JV || right == .JT) { return .prohibited }
            if (left == .JT || left == .H3) && right == .JT { return .prohibited }
            if LineBreakClasses.hangul.contains(left) && right == .PO { return .prohibited }
            if left == .PR && LineBreakClasses.hangul.contains(right) { return .prohibited }
            // LB28, LB29, LB30
            if (left == .AL || left == .HL) && (right == .AL || right == .HL) { return .prohibited }
            if left == .IS && (right == .AL || right == .HL) { return .prohibited }
            if LineBreakClasses.alphanumeric.contains(left) && right == .OP && !isEastAsianWide(offset) { return .prohibited }
            if left == .CP && !isEastAsianWide(leftIndex) && LineBreakClasses.alphanumeric.contains(right) { return .prohibited }
            // LB30a: regional indicators pair up.
            if left == .RI && right == .RI {
                var run = 0
                var current: Int? = leftIndex
                while let at = current, effective[at] == .RI {
                    run += 1
                    current = before(at)
                }
                if run % 2 == 1 { return .prohibited }
            }
            // LB30b
            if right == .EM {
                if left == .EB { return .prohibited }
                let scalar = scalars[leftIndex]
                if scalar.properties.generalCategory == .unassigned,
                    (0x1F000...0x1FAFF).contains(scalar.value) || (0x1FC00...0x1FFFD).contains(scalar.value)
                {
                    return .prohibited
                }
            }
            // LB31
            return .allowed
        }

        /// The next base character after the one at `offset`.
        func nextBase(after offset: Int) -> Int? {
            var index = offset + 1
            while index < count, base(index) != index { index += 1 }
            return index < count ? index : nil
        }
    }

    /// In ``pairDecisions`` and ``spaceDecisions``: the rules look further than the two classes.
    static let unsettled: UInt8 = 0xFF
    /// The row of ``spaceDecisions`` for spaces at the start of the text.
    static let noClass = 63

    /// The decision between two characters of text without marks, by their classes
    /// (`left << 6 | right`, as ``Decision`` raw values), where the rules read nothing else:
    /// what they decide for a text of two characters of those classes. ``unsettled`` where they
    /// look before a hyphen or a run of spaces, along a number, at East Asian widths, or at
    /// regional indicators and emoji modifiers.
    static let pairDecisions: [UInt8] = {
        let examples = classExamples
        return table { left, right in
            guard let leftExample = examples[left], let rightExample = examples[right],
                settledByPair(LineBreakClass(rawValue: UInt8(left))!, LineBreakClass(rawValue: UInt8(right))!)
            else { return nil }
            return [leftExample, rightExample]
        }
    }()

    /// The decision after a space in text without marks, by the class before the run of spaces
    /// (``noClass`` when only spaces come before) and the class after it (`before << 6 | after`):
    /// rules LB6 to LB18 settle every such case from these two alone.
    static let spaceDecisions: [UInt8] = {
        let examples = classExamples
        var decisions = table { before, right in
            guard let beforeExample = examples[before], let rightExample = examples[right], before != Int(LineBreakClass.SP.rawValue),
                !LineBreakClasses.marks.contains(LineBreakClass(rawValue: UInt8(before))!),
                !LineBreakClasses.marks.contains(LineBreakClass(rawValue: UInt8(right))!)
            else { return nil }
            return [beforeExample, " ", rightExample]
        }
        // Only spaces before decides as a letter before: no rule names AL before spaces.
        let letter = Int(LineBreakClass.AL.rawValue)
        for right in 0..<64 { decisions[noClass << 6 | right] = decisions[letter << 6 | right] }
        return decisions
    }()

    /// The decisions at the last character of the text `text(left, right)` gives for each pair
    /// of classes, by `left << 6 | right` (``unsettled`` where it gives none). The texts are
    /// decided as one, one after another: what comes before a text does not change a decision
    /// its characters settle.
    private static func table(_ text: (_ left: Int, _ right: Int) -> [Unicode.Scalar]?) -> [UInt8] {
        var all: [Unicode.Scalar] = []
        var entries: [(key: Int, offset: Int)] = []
        for left in classExamples.indices {
            for right in classExamples.indices {
                guard let piece = text(left, right) else { continue }
                all += piece
                entries.append((left << 6 | right, all.count - 1))
            }
        }
        let decisions = decisionsAndClasses(in: all, byPairs: false).decisions
        var table = [UInt8](repeating: unsettled, count: 64 * 64)
        for entry in entries { table[entry.key] = decisions[entry.offset].rawValue }
        return table
    }

    /// Whether the rules decide between characters of these classes from the two classes alone
    /// (in text without marks).
    static func settledByPair(_ left: LineBreakClass, _ right: LineBreakClass) -> Bool {
        if LineBreakClasses.marks.contains(left) || LineBreakClasses.marks.contains(right) { return false }
        // LB4 to LB7 decide before any rule looks further.
        if LineBreakClasses.hardBreaks.contains(left) || LineBreakClasses.breaksAndSpaces.contains(right) { return true }
        // LB8 and LB14 to LB17 look before the spaces; LB21a before the hyphen.
        if left == .SP || left == .HY || left == .BA { return false }
        // LB25 follows number runs back, and after PR and PO looks ahead.
        if LineBreakClasses.numericParts.contains(left), LineBreakClasses.numericEnds.contains(right) || right == .PO || right == .PR { return false }
        if (left == .CL || left == .CP) && (right == .PO || right == .PR) { return false }
        if (left == .PR || left == .PO) && (right == .OP || right == .HY) { return false }
        // LB30 reads East Asian widths, LB30a counts regional indicators, LB30b reads the
        // character before a modifier.
        if LineBreakClasses.alphanumeric.contains(left) && right == .OP { return false }
        if left == .CP && LineBreakClasses.alphanumeric.contains(right) { return false }
        if left == .RI && right == .RI { return false }
        return right != .EM
    }

    /// A character of each class after LB1's resolution, by raw value (nil for the classes
    /// LB1 resolves away): what ``pairDecisions`` and ``spaceDecisions`` are made from.
    static let classExamples: [Unicode.Scalar?] = {
        let candidates: [UInt32] = [
            0x0C, 0x0D, 0x0A, 0x85, 0x20, 0x200B, 0x2060, 0xA0, 0x200D, 0x0300, 0x09, 0xB4, 0x2014, 0x2D, 0xFFFC,
            0x7D, 0x29, 0x21, 0x2024, 0x3005, 0x28, 0x22, 0x2C, 0x30, 0x25, 0x24, 0x2F, 0x41, 0x261D, 0x1F3FB,
            0xAC00, 0xAC01, 0x05D0, 0x4E00, 0x1100, 0x1160, 0x11A8, 0x1F1E6,
        ]
        var examples = [Unicode.Scalar?](repeating: nil, count: 43)
        for value in candidates {
            let scalar = Unicode.Scalar(value)!
            let cls = LineBreakClass.resolved(scalar)
            if examples[Int(cls.rawValue)] == nil { examples[Int(cls.rawValue)] = scalar }
        }
        return examples
    }()

    enum Decision: UInt8 {
        case prohibited
        case allowed
        case mandatory
        /// Allowed by the rules, and taken away by the caller (inside text it keeps whole).
        case protected
    }
}
