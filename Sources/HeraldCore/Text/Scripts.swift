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
        var han = 0
        var letters = 0
        for scalar in text {
            if scalar.value < 0x80 {
                // ASCII, most of most posts: a letter test without the Unicode property tables.
                let value = scalar.value | 0x20
                if value >= 0x61 && value <= 0x7A { letters += 1 }
                continue
            }
            if scalar.isHan {
                han += 1
                letters += 1
            } else if scalar.properties.isAlphabetic {
                letters += 1
            }
        }
        // A Chinese character carries about as much as a short word: weigh it against words,
        // not letters, so a Chinese post with English product names is still Chinese.
        return han * 4 >= letters && han > 0 ? "zh" : "en"
    }

    public static func detect(_ text: String) -> String { detect(text.unicodeScalars) }
}
