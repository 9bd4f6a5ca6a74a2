// Dates, names and metadata values as readers and templates of each language expect them.

/// Dates and names as readers of each language expect them.
public enum DateText {
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// The English name of `month` (1 to 12): `October`.
    public static func monthName(_ month: Int) -> String {
        months[(max(month, 1) - 1) % 12]
    }

    /// The date as a reader of `lang` writes it: `October 30, 2026`, `2026年10月30日`.
    public static func display(_ date: PostDate, lang: String) -> String {
        if lang.hasPrefix("zh") || lang.hasPrefix("ja") { return "\(date.year)年\(date.month)月\(date.day)日" }
        return "\(months[date.month - 1]) \(date.day), \(date.year)"
    }

    /// Names joined as a sentence of `lang` joins them: `A, B, and C`, `甲、乙`.
    public static func joinNames(_ names: [String], lang: String) -> String {
        if lang.hasPrefix("zh") { return names.joined(separator: "、") }
        switch names.count {
        case 0: return ""
        case 1: return names[0]
        case 2: return "\(names[0]) and \(names[1])"
        default: return names.dropLast().joined(separator: ", ") + ", and " + names.last!
        }
    }
}
