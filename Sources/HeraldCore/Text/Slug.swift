// Slugs: heading ids in the GitHub style, safe file names for a post's outputs, and the file
// name `herald new` gives a post from its title.

import Foundation

public enum Slug {
    /// A GitHub-style heading id: lowercased, punctuation dropped, spaces as `-`. Letters and
    /// digits of every script are kept, so a Chinese heading gets a readable id (`## 新功能`
    /// gives `新功能`). `-` and `_` are kept. The result may be empty (a heading of only
    /// punctuation); callers fall back to a default.
    public static func headingID(_ text: String) -> String {
        // Lowercased a character at a time, as `lowercased()` does, and written as bytes: ASCII
        // (most of an English heading, some of a Chinese one) without a look at its properties.
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        func keep(_ scalar: Unicode.Scalar) {
            if scalar.isASCII {
                // Letters, digits, `-` and `_` stay; a space becomes `-`; the rest goes.
                switch scalar.value {
                case 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F: result.append(UInt8(scalar.value))
                case 0x20: result.append(0x2D)
                default: break
                }
                return
            }
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil
                || properties.generalCategory == .nonspacingMark
                || properties.generalCategory == .spacingMark
            {
                result.appendUTF8(of: scalar)
            }
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                keep(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar)
            } else if (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value) {
                // A CJK ideograph (most of a Chinese heading): a letter without case, kept as it
                // is without a look at its properties or its lowercase mapping.
                result.appendUTF8(of: scalar)
            } else {
                for lowered in scalar.properties.lowercaseMapping.unicodeScalars { keep(lowered) }
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Makes unique ids: the first `x` stays `x`, later ones become `x-1`, `x-2`, … skipping
    /// ids already taken, as GitHub does.
    public struct Deduplicator: Sendable {
        private var used: Set<String> = []
        private var counts: [String: Int] = [:]
        public let fallback: String

        public init(fallback: String = "section") { self.fallback = fallback }

        /// Marks `ids` as taken (ids the page uses for other things, such as footnotes).
        public mutating func reserve(_ ids: some Sequence<String>) {
            used.formUnion(ids)
        }

        public mutating func unique(_ base: String) -> String {
            let base = base.isEmpty ? fallback : base
            if !used.contains(base) {
                used.insert(base)
                return base
            }
            var count = counts[base, default: 0]
            var candidate: String
            repeat {
                count += 1
                candidate = "\(base)-\(count)"
            } while used.contains(candidate)
            counts[base] = count
            used.insert(candidate)
            return candidate
        }
    }

    /// A slug that is safe as one path component: letters and digits of any script, `-`, `_`
    /// and `.` kept (but never a leading `.`), everything else turned into `-`, runs of `-`
    /// collapsed, at most 120 characters. Returns nil when nothing usable is left.
    public static func pathComponent(_ text: String) -> String? {
        var result = ""
        var lastWasDash = false
        for scalar in text.unicodeScalars {
            // An ASCII character is kept when it is a letter, a digit, `_` or `.`, without
            // asking for its Unicode properties.
            let keep: Bool
            if scalar.isASCII {
                let value = scalar.value
                keep = (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) || scalar == "_" || scalar == "."
            } else {
                keep = scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar.properties.generalCategory == .nonspacingMark
            }
            if keep && scalar.value >= 0x20 {
                result.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                result += "-"
                lastWasDash = true
            }
        }
        while let first = result.first, first == "-" || first == "." { result.removeFirst() }
        while let last = result.last, last == "-" || last == "." { result.removeLast() }
        if result.unicodeScalars.count > 120 {
            result = String(String.UnicodeScalarView(result.unicodeScalars.prefix(120)))
        }
        return result.isEmpty ? nil : result
    }

    /// The longest slug ``fromTitle(_:)`` makes, in characters; longer titles are cut between words.
    public static let maximumTitleSlugLength = 80

    /// A new post's file name (without `.md`) from its title: the words of the title, lowercased
    /// and joined with `-`, punctuation dropped (`TiKV 5.0: What's new?` gives
    /// `tikv-5-0-whats-new`). Latin letters lose their accents (`Café` gives `cafe`); Chinese,
    /// Japanese and Korean characters, and the letters of other scripts, are kept as they are
    /// (`TiKV 本月动态` gives `tikv-本月动态`), since the site's addresses are percent-encoded.
    /// At most ``maximumTitleSlugLength`` characters, cut between words. Nil when no letter or
    /// digit is left (a title of punctuation or emoji); callers fall back to a default.
    public static func fromTitle(_ title: String) -> String? {
        var words: [String] = []
        var word = ""
        for character in title {
            // `don't` is one word, `dont`, not two.
            if character == "'" || character == "\u{2019}" || character == "\u{02BC}" { continue }
            if let text = titleSlugText(character) {
                word += text
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        var slug = ""
        for word in words {
            let longer = slug.isEmpty ? word : slug + "-" + word
            if longer.count > maximumTitleSlugLength {
                if slug.isEmpty { slug = String(word.prefix(maximumTitleSlugLength)) }
                break
            }
            slug = longer
        }
        return slug.isEmpty ? nil : slug
    }

    /// What one character of a title gives its slug; nil for a character that separates words.
    private static func titleSlugText(_ character: Character) -> String? {
        if character.isASCII {
            return character.isLetter || character.isNumber ? character.lowercased() : nil
        }
        // Accented Latin letters, ligatures and fullwidth forms: the ASCII letters they are made of.
        let parts = String(character).decomposedStringWithCompatibilityMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .nonspacingMark
        }
        if !parts.isEmpty, parts.allSatisfy({ $0.isASCII }) {
            let ascii = String(String.UnicodeScalarView(parts))
            return ascii.allSatisfy { $0.isLetter || $0.isNumber } ? ascii.lowercased() : nil
        }
        // Letters and digits of other scripts, Chinese first among them, as they are.
        guard let first = character.unicodeScalars.first,
            first.properties.isAlphabetic || first.properties.numericType != nil
        else { return nil }
        return character.lowercased()
    }
}
