// Which characters are Chinese, Japanese or Korean, and which language a text is mostly in.

extension Unicode.Scalar {
    /// Han ideographs (CJK Unified Ideographs and their extensions, compatibility ideographs).
    public var isHan: Bool {
        switch value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2A6DF, 0x2A700...0x2EBEF,
            0x2F800...0x2FA1F, 0x30000...0x3134F, 0x3005, 0x3007, 0x3021...0x3029:
            true
        default:
            false
        }
    }

    /// Characters of scripts written without spaces between words, and their punctuation:
    /// Han, kana, Hangul syllables, CJK symbols and fullwidth forms. Between two such characters
    /// a source line break is not a space.
    public var isCJK: Bool {
        if isHan { return true }
        return switch value {
        case 0x3000...0x303F,  // CJK symbols and punctuation
            0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF,  // kana
            0xFF00...0xFFEF,  // halfwidth and fullwidth forms
            0xAC00...0xD7AF,  // Hangul syllables
            0x2E80...0x2FDF,  // radicals
            0x3100...0x312F, 0x31A0...0x31BF,  // bopomofo
            0xFE30...0xFE4F:  // CJK compatibility forms
            true
        default:
            false
        }
    }
}

public enum LanguageDetector {
    /// `zh` when Han characters make up most of the letters of `text`, else `en`.
    public static func detect<S: Sequence>(_ text: S) -> String where S.Element == Unicode.Scalar {
        var tally = Tally()
        for scalar in text { tally.count(scalar) }
        return tally.language
    }

    public static func detect(_ text: String) -> String {
        var tally = Tally()
        tally.add(text)
        return tally.language
    }

    /// The letters of texts added one after another, and the language they say.
    public struct Tally: Sendable, Equatable {
        /// Han characters counted, and letters (Han characters among them).
        public private(set) var han = 0
        public private(set) var letters = 0

        public init() {}

        /// A Chinese character carries about as much as a short word: it is weighed against
        /// words, not letters, so a Chinese post with English product names is still Chinese.
        public var language: String { han * 4 >= letters && han > 0 ? "zh" : "en" }

        /// Counts the letters of `text`, read as UTF-8 bytes (a Swift string's are valid).
        public mutating func add(_ text: String) {
            let counted: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
                var index = 0
                while index < bytes.count {
                    // Eight ASCII bytes at a time: a byte is a letter when, folded to lower
                    // case, adding 0x1F sets its top bit (at least `a`) and adding 0x05 does
                    // not (at most `z`).
                    while index + 8 <= bytes.count {
                        let word = SWAR.word(bytes, at: index)
                        guard word & SWAR.highBits == 0 else { break }
                        let folded = word | SWAR.repeated(0x20)
                        letters += ((folded &+ SWAR.repeated(0x1F)) & ~(folded &+ SWAR.repeated(0x05)) & SWAR.highBits).nonzeroBitCount
                        index += 8
                    }
                    guard index < bytes.count else { break }
                    let lead = bytes[index]
                    let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                    var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> (length + 1))
                    for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
                    count(Unicode.Scalar(value) ?? " ")
                    index += length
                }
            }
            if counted == nil {
                for scalar in text.unicodeScalars { count(scalar) }
            }
        }

        /// Counts one scalar.
        public mutating func count(_ scalar: Unicode.Scalar) {
            if scalar.value < 0x80 {
                // ASCII, most of most posts: a letter test without the Unicode tables.
                let folded = scalar.value | 0x20
                if folded >= 0x61 && folded <= 0x7A { letters += 1 }
            } else if scalar.isHan {
                han += 1
                letters += 1
            } else if scalar.properties.isAlphabetic {
                letters += 1
            }
        }
    }
}
