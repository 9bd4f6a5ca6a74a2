// Language tags (`en`, `zh`, `zh-CN`, `zh-Hans`): their shape, for translation file names, and
// the languages Herald knows, for `herald check`.

import Foundation

public enum LanguageTags {
    /// ISO 639-1 languages, and a few ISO 639-3 ones posts use.
    static let codes: Set<String> = Set("""
        aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en \
        eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv \
        ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne \
        ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st \
        su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu yue cmn fil haw
        """.split(separator: " ").map(String.init))

    /// Whether `tag` has a language tag's shape: a language of two or three letters, then
    /// subtags of two to eight letters or digits.
    public static func isWellFormed(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (2...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    /// Whether `tag` is well formed and names a language Herald knows.
    public static func isKnown(_ tag: String) -> Bool {
        isWellFormed(tag) && codes.contains(tag.prefix { $0 != "-" }.lowercased())
    }

    /// `tag` written as BCP 47 writes it (`ZH` → `zh`, `zh-cn` → `zh-CN`, `zh-hant` → `zh-Hant`),
    /// or nil when it is not a well-formed tag of a language Herald knows.
    public static func canonical(_ tag: String) -> String? {
        let trimmed = tag.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
        guard isKnown(trimmed) else { return nil }
        let parts = trimmed.split(separator: "-")
        return parts.enumerated().map { index, part in
            if index == 0 { return part.lowercased() }
            if part.count == 4, part.allSatisfy(\.isLetter) { return part.prefix(1).uppercased() + part.dropFirst().lowercased() }
            if part.count == 2 || (part.count == 3 && part.allSatisfy(\.isNumber)) { return part.uppercased() }
            return part.lowercased()
        }.joined(separator: "-")
    }

    /// The language tag `value` names, written in its usual case; the error says what is
    /// wrong and which tags are known.
    public static func parse(_ value: String) throws(DiagnosticError) -> String {
        if let tag = canonical(value) { return tag }
        let language = String(value.split(separator: "-").first ?? "")
        let hint = Suggestions.closest(to: language, among: codes.sorted()).map { "; did you mean '\($0)'?" } ?? ""
        throw DiagnosticError(.error(
            .optionInvalid,
            "'\(value)' is not a language Herald knows\(hint) (known: ISO 639-1 codes such as \(examples), with an optional region or script: zh-CN, zh-Hant)"))
    }

    static let examples = "en, zh, ja, ko, fr, de, es, pt, ru"
}

extension LanguageTags {
    /// Names of languages in their own language, for a language switch.
    static let names: [String: String] = [
        "en": "English", "zh": "中文", "zh-Hans": "简体中文", "zh-Hant": "繁體中文", "zh-CN": "简体中文",
        "zh-TW": "繁體中文", "zh-HK": "繁體中文", "ja": "日本語", "ko": "한국어", "fr": "Français", "de": "Deutsch",
        "es": "Español", "pt": "Português", "pt-BR": "Português (Brasil)", "ru": "Русский", "it": "Italiano",
        "nl": "Nederlands", "pl": "Polski", "tr": "Türkçe", "uk": "Українська", "vi": "Tiếng Việt", "id": "Bahasa Indonesia",
        "ar": "العربية", "he": "עברית", "hi": "हिन्दी", "th": "ไทย", "sv": "Svenska", "cs": "Čeština",
    ]

    /// The name of the language `tag` in that language (`zh` → `中文`); the tag itself for a
    /// language without a known name.
    public static func displayName(_ tag: String) -> String {
        names[tag] ?? names[primary(tag)] ?? tag
    }

    /// The language subtag of `tag` (`zh-CN` → `zh`), lowercased.
    public static func primary(_ tag: String) -> String {
        String(tag.prefix { $0 != "-" && $0 != "_" }).lowercased()
    }

    /// Whether a post in `lang` belongs to a site language tagged `tag`: the same tag, or
    /// the same language when either names no region or script (`zh-CN` and `zh`).
    public static func matches(_ lang: String, _ tag: String) -> Bool {
        let (a, b) = (lang.lowercased().replacingOccurrences(of: "_", with: "-"), tag.lowercased())
        if a == b { return true }
        guard primary(a) == primary(b) else { return false }
        return !a.contains("-") || !b.contains("-")
    }
}
