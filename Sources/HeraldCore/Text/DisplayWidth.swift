// How many columns a character takes in a terminal or a monospaced mail reader (UAX #11).

/// The East_Asian_Width property (UAX #11).
public enum EastAsianWidth: UInt8, Sendable {
    case neutral
    case ambiguous
    case halfwidth
    case wide
    case fullwidth
    case narrow

    public init(_ scalar: Unicode.Scalar) {
        let value = UnicodeTables.lookup(UnicodeTables.eastAsianWidth, UnicodeTables.eastAsianWidthBMP, scalar.value, shift: 3)
        self = EastAsianWidth(rawValue: UInt8(value)) ?? .neutral
    }
}

public enum DisplayWidth {
    /// The columns `scalar` takes: 2 for East Asian Wide and Fullwidth characters (Chinese,
    /// fullwidth punctuation, emoji), 0 for combining marks, format characters (zero-width
    /// joiner, zero-width space), controls and Hangul medial and final jamo, else 1. Ambiguous
    /// characters count 1, as in most terminals outside East Asian locales; the soft hyphen
    /// counts 1, as `wcwidth` does.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return 0 }
        if value < 0x7F { return 1 }
        if isWideIdeograph(value) { return 2 }
        // Punctuation and symbols of Chinese and English text (general punctuation, CJK
        // punctuation, fullwidth forms) from tables made once from the lookup below.
        if value >= 0x2000 && value < 0x3100 { return Int(punctuationWidths[Int(value - 0x2000)]) }
        if value >= 0xFF00 && value <= 0xFFFF { return Int(fullwidthFormWidths[Int(value - 0xFF00)]) }
        return looked(up: scalar)
    }

    /// ``looked(up:)`` of U+2000 to U+30FF.
    static let punctuationWidths: [UInt8] = (0x2000..<0x3100).map { UInt8(looked(up: Unicode.Scalar($0)!)) }
    /// ``looked(up:)`` of U+FF00 to U+FFFF.
    static let fullwidthFormWidths: [UInt8] = (0xFF00...0xFFFF).map { UInt8(looked(up: Unicode.Scalar($0)!)) }

    /// The code points ``of(_:)`` answers without a lookup: CJK ideographs (the unified block
    /// and extension A) and Hangul syllables, most of a Chinese or Korean text. All are East
    /// Asian Wide, and none is a mark or a format character.
    static func isWideIdeograph(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0xAC00...0xD7A3).contains(value)
    }

    /// ``of(_:)`` from the Unicode properties, for any character that is not a control or ASCII.
    static func looked(up scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if (0x1160...0x11FF).contains(value) || value == 0x200B { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark:
            return 0
        case .format where value != 0xAD:
            return 0
        default:
            break
        }
        switch EastAsianWidth(scalar) {
        case .wide, .fullwidth: return 2
        default: return 1
        }
    }

    /// The columns `text` takes on one line.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += of(scalar) }
        return total
    }
}

extension UnicodeTables {
    /// The Basic Multilingual Plane unpacked, one byte per code point, for the code points
    /// nearly all text is made of: looked up directly instead of searched for.
    static let lineBreakBMP = unpacked(lineBreak, shift: 6)
    static let eastAsianWidthBMP = unpacked(eastAsianWidth, shift: 3)

    static func unpacked(_ table: [UInt32], shift: UInt32) -> [UInt8] {
        var values = [UInt8](repeating: 0, count: 0x10000)
        for (index, entry) in table.enumerated() {
            let start = Int(entry >> shift)
            guard start < 0x10000 else { break }
            let end = index + 1 < table.count ? min(Int(table[index + 1] >> shift), 0x10000) : 0x10000
            let value = UInt8(entry & ((1 << shift) - 1))
            for code in start..<end { values[code] = value }
        }
        return values
    }

    /// The value of `code` in a packed table, through its unpacked BMP part when it has one.
    static func lookup(_ table: [UInt32], _ bmp: [UInt8], _ code: UInt32, shift: UInt32) -> UInt32 {
        code < 0x10000 ? UInt32(bmp[Int(code)]) : lookup(table, code, shift: shift)
    }

    /// The value of the run holding `code` in a table of packed run starts.
    static func lookup(_ table: [UInt32], _ code: UInt32, shift: UInt32) -> UInt32 {
        var low = 0
        var high = table.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if table[middle] >> shift <= code { low = middle } else { high = middle - 1 }
        }
        return table[low] & ((1 << shift) - 1)
    }
}
