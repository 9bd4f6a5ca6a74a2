// UAX #14 line breaking against Unicode's conformance test, display widths, and wrapping.

import Foundation
@testable import HeraldCore
import Testing

@Suite struct LineBreakTests {
    static let conformanceFile = "/usr/share/unicode/auxiliary/LineBreakTest.txt"

    /// Unicode's own test (Debian's unicode-data): every case, every position.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: conformanceFile), "needs Debian's unicode-data"))
    func passesTheConformanceTest() throws {
        let text = try String(contentsOfFile: Self.conformanceFile, encoding: .utf8)
        var cases = 0
        var failures: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let data = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = data.split(separator: " ")
            guard fields.count > 2 else { continue }
            var scalars: [Unicode.Scalar] = []
            var expected: [Int] = []
            for field in fields {
                if field == "÷" {
                    if !scalars.isEmpty && scalars.count < fields.count / 2 { expected.append(scalars.count) }
                } else if field != "×", let value = UInt32(field, radix: 16), let scalar = Unicode.Scalar(value) {
                    scalars.append(scalar)
                }
            }
            expected = expected.filter { $0 > 0 && $0 < scalars.count }
            cases += 1
            let actual = LineBreaker.opportunities(in: scalars).map(\.offset)
            if actual != expected { failures.append("line \(number + 1): \(line)") }
        }
        #expect(cases > 7_000)
        #expect(failures.isEmpty, "\(failures.count) of \(cases) fail; first: \(failures.prefix(5).joined(separator: "\n"))")
    }

    /// Every class LB1 leaves has an example, of that class, for the decision tables.
    @Test func everyClassHasAnExample() {
        let resolvedAway: Set<LineBreakClass> = [.XX, .AI, .SG, .CJ, .SA]
        for raw in UInt8(0)..<43 {
            let cls = LineBreakClass(rawValue: raw)!
            let example = LineBreaker.classExamples[Int(raw)]
            if resolvedAway.contains(cls) {
                #expect(example == nil, "\(cls)")
            } else {
                #expect(example.map { LineBreakClass.resolved($0) } == cls, "\(cls)")
            }
        }
    }

    /// The tables read for text without marks decide as the rules do: random texts of
    /// characters of every class, and of the ones whose decisions look further (spaces, numbers,
    /// hyphens, wide brackets, regional indicators, emoji modifiers), decided both ways. Fails
    /// when a pair the rules decide from more than the two classes is read from the table.
    @Test func theDecisionTablesAgreeWithTheRules() {
        let marks: Set<LineBreakClass> = [.CM, .ZWJ]
        var palette = LineBreaker.classExamples.compactMap { $0 }.filter { !marks.contains(LineBreakClass.resolved($0)) }
        palette += Array("A1 ( ) （）.,-$%中。！\u{2010}\u{05D0}\u{1F1E6}\u{1F3FB}\u{261D}\u{1F000}\u{200B}\u{2060}".unicodeScalars)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var failures: [String] = []
        for _ in 0..<30_000 {
            let text = (0..<(2 + next(10))).map { _ in palette[next(palette.count)] }
            let fast = LineBreaker.decisionsAndClasses(in: text, byPairs: true).decisions
            let rules = LineBreaker.decisionsAndClasses(in: text, byPairs: false).decisions
            if fast != rules { failures.append(text.map { String($0.value, radix: 16) }.joined(separator: " ")) }
        }
        #expect(failures.isEmpty, "\(failures.count) texts differ; first: \(failures.prefix(5))")
    }

    @Test func chineseBreaksBetweenCharactersButNotBeforeClosingPunctuation() {
        let scalars = Array("中文，测试。".unicodeScalars)
        let offsets = LineBreaker.opportunities(in: scalars).map(\.offset)
        #expect(offsets == [1, 3, 4])
    }

    @Test func lineFeedIsMandatory() {
        let opportunities = LineBreaker.opportunities(in: Array("a b\nc".unicodeScalars))
        #expect(opportunities == [
            LineBreakOpportunity(offset: 2, isMandatory: false), LineBreakOpportunity(offset: 4, isMandatory: true),
        ])
    }
}

@Suite struct DisplayWidthTests {
    @Test func theIdeographsCountedWithoutALookupAreWideByTheTables() {
        let ranges: [ClosedRange<UInt32>] = [0x3300...0xA000, 0xAB00...0xD800]
        for value in ranges.joined() {
            guard let scalar = Unicode.Scalar(value), DisplayWidth.isWideIdeograph(value) else { continue }
            #expect(DisplayWidth.looked(up: scalar) == 2, "U+\(String(value, radix: 16, uppercase: true))")
        }
        #expect(DisplayWidth.isWideIdeograph(0x4E2D) && !DisplayWidth.isWideIdeograph(0x4DC0))
    }

    /// Punctuation and fullwidth forms are read from tables: each entry is what the lookup says
    /// of its character, and the characters around the tables' ends are looked up.
    @Test func punctuationTablesSayWhatTheLookupSays() {
        for value in UInt32(0x1FF0)...0x3110 where !(0xD800...0xDFFF).contains(value) {
            let scalar = Unicode.Scalar(value)!
            guard !DisplayWidth.isWideIdeograph(value) else { continue }
            #expect(DisplayWidth.of(scalar) == DisplayWidth.looked(up: scalar), "U+\(String(value, radix: 16, uppercase: true))")
        }
        for value in UInt32(0xFEF0)...0x10010 {
            let scalar = Unicode.Scalar(value)!
            #expect(DisplayWidth.of(scalar) == DisplayWidth.looked(up: scalar), "U+\(String(value, radix: 16, uppercase: true))")
        }
        // By hand: fullwidth comma and ideographic full stop and space wide, curly quotes and the
        // line separator narrow, a combining mark and the zero-width space nothing, halfwidth
        // katakana narrow.
        let expected: [(UInt32, Int)] = [(0xFF0C, 2), (0x3002, 2), (0x3000, 2), (0x201C, 1), (0x2028, 1), (0x302A, 0), (0x200B, 0), (0xFF71, 1)]
        for (value, columns) in expected {
            #expect(DisplayWidth.of(Unicode.Scalar(value)!) == columns, "U+\(String(value, radix: 16, uppercase: true))")
        }
    }

    @Test(arguments: [
        ("abc", 3), ("中文", 4), ("，。", 4), ("ＡＢ", 4), ("e\u{301}", 1), ("👍", 2), ("👨\u{200D}👩", 4), ("한글", 4),
        ("½", 1), ("", 0), ("a\u{200B}b", 2),
    ])
    func widths(_ text: String, _ columns: Int) {
        #expect(DisplayWidth.of(text) == columns)
    }
}

@Suite struct TextWrapperTests {
    /// A text that fits is made into its one line without finding its break opportunities; the
    /// line is the one the rules' fill makes, for texts of every kind of character and space.
    @Test func aTextThatFitsIsTheLineTheRulesMake() {
        let pieces = ["word", " ", "  ", "中文", "，", "\u{3000}", "(", ")", "x\u{0301}", "\t", "-", "👍🏽", "\u{200B}", "1,000", "\u{85}", "\n", "https://example.org/a"]
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<4_000 {
            let text = pieces.randomText(1...12, using: &generator)
            let scalars = Array(text.unicodeScalars)
            for width in [0, 5, 20, 72] {
                let rules = TextWrapper.wrapLinesByRules(scalars: scalars, width: width, protected: [])
                if let line = TextWrapper.oneLine(scalars, width: width) {
                    #expect(line == rules, "\(text.debugDescription) at \(width)")
                    checked += 1
                } else {
                    // Only a text that starts with a space, holds a hard break, or is wider than
                    // the width up to its last character that is not a space is left to the rules.
                    let spaces: [Unicode.Scalar] = [" ", "\u{3000}"]
                    let last = scalars.lastIndex { !spaces.contains($0) }
                    let widthToLast = last.map { DisplayWidth.of(String(String.UnicodeScalarView(scalars[...$0]))) } ?? 0
                    let startsWithSpace = spaces.contains(scalars[0])
                    let hasHardBreak = scalars.contains("\n") || scalars.contains("\u{85}")
                    #expect(startsWithSpace || hasHardBreak || widthToLast > width, "\(text.debugDescription) at \(width)")
                }
            }
        }
        #expect(checked > 1_000)
    }

    /// `能力 ；`: UAX #14 allows a break after the space, which would start a line with `；`.
    /// Wherever the space falls in the line, no line starts with closing punctuation.
    @Test(arguments: ["；", "。", "，", "！", "」", "）", "、"])
    func noLineStartsWithClosingPunctuation(_ mark: String) {
        for length in 1...24 {
            let text = String(repeating: "容", count: length) + " \(mark)以及更多的内容写在这里 and more words"
            let lines = TextWrapper.wrap(text, width: 20)
            #expect(lines.count > 1)
            for line in lines.dropFirst() {
                #expect(!line.hasPrefix(mark), "\(length): \(lines)")
            }
            #expect(lines.joined().filter { !$0.isWhitespace } == text.filter { !$0.isWhitespace })
        }
    }

    @Test func englishFillsGreedily() {
        let text = "The quick brown fox jumps over the lazy dog and keeps running far away."
        #expect(TextWrapper.wrap(text, width: 20) == ["The quick brown fox", "jumps over the lazy", "dog and keeps", "running far away."])
    }

    @Test func aTokenWiderThanTheLineStandsAlone() {
        let url = "https://example.org/a/very/long/address"
        #expect(TextWrapper.wrap("see \(url) now", width: 20, protected: [4..<(4 + url.unicodeScalars.count)]) == ["see", url, "now"])
    }

    @Test func protectedRangesAreNotBroken() {
        let text = "run `git commit --amend` now"
        let lines = TextWrapper.wrap(text, width: 12, protected: [4..<23])
        #expect(lines == ["run", "`git commit --amend`", "now"])
    }

    /// Stray backticks make a paragraph a chain of code spans glued by letters: no break
    /// outside them, so the chain breaks after the spaces inside them instead of running on.
    @Test func codeSpansGluedIntoARunWiderThanTheLineBreakAtTheirSpaces() {
        let text = "an` `SET`. These are string objects. `ENUM`defines the values of a column.`SET`"
        let spans = [(2, 5), (8, 38), (42, 75)].map { $0.0..<$0.1 }
        let lines = TextWrapper.wrap(text, width: 30, protected: spans)
        #expect(lines.count > 2)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 30 }, "\(lines)")
        #expect(lines.joined(separator: " ") == text)
    }

    /// The glued runs are found from the ranges alone; they are the runs a walk over every break
    /// finds (the plain statement of the rule, below), for random texts, ranges and widths.
    @Test func gluedRunsAreTheRunsAWalkOverEveryBreakFinds() {
        let pieces = ["word", " ", "  ", "中文", "，", "`", "x", "-", "(", ")", "https://example.org/a", "\n", "\u{3000}"]
        var generator = SystemRandomNumberGenerator()
        var reopened = 0
        for _ in 0..<3_000 {
            let text = pieces.randomText(1...30, using: &generator)
            let scalars = Array(text.unicodeScalars)
            var protected: [Range<Int>] = []
            for _ in 0..<Int.random(in: 2...7, using: &generator) {
                let lower = Int.random(in: 0...scalars.count + 1, using: &generator)
                protected.append(lower..<(lower + Int.random(in: 0...12, using: &generator)))
            }
            var breaks = LineBreaker.decisions(in: scalars)
            for range in protected {
                let lower = max(range.lowerBound + 1, 1), upper = min(range.upperBound, scalars.count)
                guard lower < upper else { continue }
                for offset in lower..<upper where breaks[offset] == .allowed { breaks[offset] = .protected }
            }
            for width in [4, 10, 30] {
                var found = breaks, walked = breaks
                TextWrapper.reopenGluedRuns(&found, scalars: scalars, protected: protected, width: width)
                Self.reopenByWalking(&walked, scalars: scalars, protected: protected, width: width)
                #expect(found == walked, "\(text.debugDescription) \(protected) at \(width)")
                if found != breaks { reopened += 1 }
            }
        }
        #expect(reopened > 100)
    }

    /// Every run between two breaks, in turn: the ranges that start in it and whether one covers
    /// its start, counted from tables over the whole text.
    static func reopenByWalking(_ breaks: inout [LineBreaker.Decision], scalars: [Unicode.Scalar], protected: [Range<Int>], width: Int) {
        func allowed(_ offset: Int) -> Bool { breaks[offset] == .allowed || breaks[offset] == .mandatory }
        var startsBefore = [Int](repeating: 0, count: scalars.count + 2)
        var covered = [Bool](repeating: false, count: scalars.count + 1)
        for range in protected where range.lowerBound < scalars.count {
            startsBefore[range.lowerBound + 1] += 1
            for offset in (range.lowerBound + 1)..<max(min(range.upperBound, scalars.count + 1), range.lowerBound + 1) { covered[offset] = true }
        }
        for offset in 1..<startsBefore.count { startsBefore[offset] += startsBefore[offset - 1] }
        var runStart = 0
        var runWidth = 0
        for offset in 1...scalars.count {
            runWidth += DisplayWidth.of(scalars[offset - 1])
            guard allowed(offset) || offset == scalars.count else { continue }
            let met = startsBefore[offset] - startsBefore[runStart] + (covered[runStart] ? 1 : 0)
            if runWidth > width, met >= 2 {
                for inside in (runStart + 1)..<offset where breaks[inside] == .protected && TextWrapper.isBreakingSpace(scalars[inside - 1]) {
                    breaks[inside] = .allowed
                }
            }
            runStart = offset
            runWidth = 0
        }
    }

    @Test func chineseWrapsByColumnsAndKeepsPunctuationAttached() {
        let text = String(repeating: "中文排版测试，", count: 12)
        let lines = TextWrapper.wrap(text, width: 20)
        for line in lines {
            #expect(DisplayWidth.of(line) <= 20)
            #expect(line.first != "，")
        }
        #expect(lines.joined() == text)
    }

    @Test func openingPunctuationStaysWithWhatFollows() {
        let lines = TextWrapper.wrap("一二三四五六七八九《十》", width: 20)
        #expect(lines == ["一二三四五六七八九", "《十》"])
    }

    @Test func hardBreaksAreKept() {
        #expect(TextWrapper.wrap("one\ntwo\n\nthree", width: 72) == ["one", "two", "", "three"])
    }

    @Test func mixedScriptsWrapAtSpacesAndBetweenIdeographs() {
        let lines = TextWrapper.wrap("Lantern 3.2 已经发布。最重要的新功能是增量快照", width: 24)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 24 })
        #expect(lines.first == "Lantern 3.2 已经发布。最")
    }
}

@Suite struct UnicodeTableTests {
    /// The unpacked BMP tables agree with the packed runs they are made from, code point by code point.
    @Test func theDirectTablesAgreeWithTheRuns() {
        for code in UInt32(0)..<0x10000 {
            if UnicodeTables.lineBreakBMP[Int(code)] != UInt8(UnicodeTables.lookup(UnicodeTables.lineBreak, code, shift: 6))
                || UnicodeTables.eastAsianWidthBMP[Int(code)] != UInt8(UnicodeTables.lookup(UnicodeTables.eastAsianWidth, code, shift: 3))
            {
                Issue.record("U+\(String(code, radix: 16, uppercase: true)) differs")
                return
            }
        }
        #expect(LineBreakClass(Unicode.Scalar(0x4E2D)!) == .ID)
        #expect(LineBreakClass(Unicode.Scalar(0x20000)!) == .ID)
    }
}
