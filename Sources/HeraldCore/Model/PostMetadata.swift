// A post's front matter, decoded into typed fields; unknown keys are kept as they were.

public import Foundation

/// The typed front matter of a post.
public struct PostMetadata: Hashable, Sendable {
    public var title: String?
    public var date: PostDate?
    /// Authors in the order written; `author: A` and `author: [A, B]` both land here.
    public var authors: [String]
    public var tags: [String]
    public var summary: String?
    public var slug: String?
    /// A BCP 47 language tag (`en`, `zh`, `zh-CN`) as written in the front matter.
    public var lang: String?
    public var draft: Bool
    /// Keys Herald does not know, in the order written, kept for templates and later tools.
    public var extra: [(key: String, value: MetadataValue)]
    /// Where each front matter key was written (for diagnostics).
    public var keyLocations: [String: SourceLocation]

    public init(
        title: String? = nil, date: PostDate? = nil, authors: [String] = [], tags: [String] = [],
        summary: String? = nil, slug: String? = nil, lang: String? = nil, draft: Bool = false,
        extra: [(key: String, value: MetadataValue)] = [], keyLocations: [String: SourceLocation] = [:]
    ) {
        self.title = title
        self.date = date
        self.authors = authors
        self.tags = tags
        self.summary = summary
        self.slug = slug
        self.lang = lang
        self.draft = draft
        self.extra = extra
        self.keyLocations = keyLocations
    }

    public func value(forExtraKey key: String) -> MetadataValue? {
        extra.first { $0.key == key }?.value
    }

    public static func == (lhs: PostMetadata, rhs: PostMetadata) -> Bool {
        lhs.title == rhs.title && lhs.date == rhs.date && lhs.authors == rhs.authors
            && lhs.tags == rhs.tags && lhs.summary == rhs.summary && lhs.slug == rhs.slug
            && lhs.lang == rhs.lang && lhs.draft == rhs.draft
            && lhs.extra.map(\.key) == rhs.extra.map(\.key) && lhs.extra.map(\.value) == rhs.extra.map(\.value)
            && lhs.keyLocations == rhs.keyLocations
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(title)
        hasher.combine(date)
        hasher.combine(slug)
    }
}

/// A front matter value of a key Herald does not interpret.
public indirect enum MetadataValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([MetadataValue])
    case map([String: MetadataValue])
}

/// A post's date as written: a calendar date, optionally with a time and a UTC offset.
public struct PostDate: Hashable, Comparable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int?
    public var minute: Int?
    public var second: Int?
    public var nanosecond: Int
    /// Offset from UTC in seconds, when the date-time names a zone (`Z`, `+08:00`).
    public var utcOffset: Int?

    public init(
        year: Int, month: Int, day: Int, hour: Int? = nil, minute: Int? = nil, second: Int? = nil,
        nanosecond: Int = 0, utcOffset: Int? = nil
    ) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.utcOffset = utcOffset
    }

    public var hasTime: Bool { hour != nil }

    /// The instant, taking a date without time as midnight and a time without zone as UTC.
    ///
    /// Worked out by arithmetic on the Gregorian calendar from 1583 on (a `Calendar` made for
    /// each date cost more than sorting an archive by them); before, through Foundation's
    /// Gregorian calendar, which is Julian before October 1582.
    public var instant: Date {
        guard year >= 1583, (1...12).contains(month) else { return calendarInstant }
        let seconds = daysSince1970 * 86_400 + (hour ?? 0) * 3_600 + (minute ?? 0) * 60 + (second ?? 0) - (utcOffset ?? 0)
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanosecond) / 1_000_000_000)
    }

    /// Days from 1970-01-01 to the date on the Gregorian calendar carried back before its
    /// adoption (negative before 1970); `month` must be 1 to 12. Years are counted from March,
    /// so that a leap day ends its year, in cycles of 400 years.
    public var daysSince1970: Int {
        let marchYear = month <= 2 ? year - 1 : year
        let cycle = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfCycle = marchYear - cycle * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfCycle = yearOfCycle * 365 + yearOfCycle / 4 - yearOfCycle / 100 + dayOfYear
        return cycle * 146_097 + dayOfCycle - 719_468
    }

    /// The instant's date and time in UTC (the second whole). By arithmetic from 1584 on, like
    /// ``instant``; before, through Foundation's Gregorian calendar.
    public var utc: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        guard year >= 1584, (1...12).contains(month) else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 0)!
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            return (parts.year ?? 2000, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        }
        let seconds = daysSince1970 * 86_400 + (hour ?? 0) * 3_600 + (minute ?? 0) * 60 + (second ?? 0) - (utcOffset ?? 0)
        let days = (seconds >= 0 ? seconds : seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        // The day count back to a date, in the cycles of 400 years (from March) that
        // ``daysSince1970`` counts in.
        let fromMarch = days + 719_468
        let cycle = (fromMarch >= 0 ? fromMarch : fromMarch - 146_096) / 146_097
        let dayOfCycle = fromMarch - cycle * 146_097
        let yearOfCycle = (dayOfCycle - dayOfCycle / 1_460 + dayOfCycle / 36_524 - dayOfCycle / 146_096) / 365
        let dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (
            cycle * 400 + yearOfCycle + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * monthFromMarch + 2) / 5 + 1,
            time / 3_600, time % 3_600 / 60, time % 60
        )
    }

    /// ``instant`` through Foundation's Gregorian calendar.
    var calendarInstant: Date {
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour ?? 0
        components.minute = minute ?? 0
        components.second = second ?? 0
        components.nanosecond = nanosecond
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: utcOffset ?? 0)!
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    public static func < (lhs: PostDate, rhs: PostDate) -> Bool { lhs.instant < rhs.instant }

    /// `2019-09-18`.
    public var isoDate: String {
        year.zeroPadded(4) + "-" + month.zeroPadded(2) + "-" + day.zeroPadded(2)
    }

    /// RFC 3339, as Atom wants: `2019-09-18T00:00:00Z`, or with the written time and offset.
    public var rfc3339: String {
        let text = isoDate + "T" + (hour ?? 0).zeroPadded(2) + ":" + (minute ?? 0).zeroPadded(2) + ":" + (second ?? 0).zeroPadded(2)
        guard let offset = utcOffset, offset != 0 else { return text + "Z" }
        return text + (offset < 0 ? "-" : "+") + (abs(offset) / 3600).zeroPadded(2) + ":" + (abs(offset) % 3600 / 60).zeroPadded(2)
    }

    /// The date as it was written, normalised: `2019-09-18` or `2019-09-18T10:00:00+08:00`.
    public var description: String { hasTime ? rfc3339 : isoDate }

    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.frac]]` and a
    /// zone (`Z`, `+08:00`, `+0800`, ` +08`). Returns nil for anything else or an impossible date.
    public init?(parsing text: String) {
        var scanner = DateScanner(Array(text.withoutSurroundingSpaces.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2),
            (1...12).contains(month), (1...PostDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
        if scanner.atEnd { return }
        guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.number(digits: 2), scanner.skip(":"), let minute = scanner.number(digits: 2),
            hour < 24, minute < 60
        else { return nil }
        self.hour = hour
        self.minute = minute
        self.second = 0
        if scanner.skip(":") {
            guard let second = scanner.number(digits: 2), second <= 60 else { return nil }
            self.second = second
            if scanner.skip(".") {
                let digits = scanner.digits()
                guard !digits.isEmpty else { return nil }
                let padded = (digits + String(repeating: "0", count: 9)).prefix(9)
                self.nanosecond = Int(padded) ?? 0
            }
        }
        scanner.skipSpaces()
        if scanner.atEnd { return }
        if scanner.skip("Z") || scanner.skip("z") {
            utcOffset = 0
        } else {
            let sign: Int
            if scanner.skip("+") { sign = 1 } else if scanner.skip("-") { sign = -1 } else { return nil }
            guard let hours = scanner.number(digits: 2), hours <= 14 else { return nil }
            var minutes = 0
            if !scanner.atEnd {
                _ = scanner.skip(":")
                guard let value = scanner.number(digits: 2), value < 60 else { return nil }
                minutes = value
            }
            utcOffset = sign * (hours * 3600 + minutes * 60)
        }
        guard scanner.atEnd else { return nil }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

private struct DateScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    mutating func skip(_ character: Character) -> Bool {
        guard position < bytes.count, bytes[position] == character.asciiValue else { return false }
        position += 1
        return true
    }

    mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == 0x20 { position += 1 }
    }

    mutating func number(digits count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[position..<position + count] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        position += count
        return value
    }

    mutating func digits() -> String {
        let start = position
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }
}

extension PostDate {
    /// The moment `date` (now) in `zone`, to the second, with the zone's offset.
    public static func now(in zone: TimeZone = .current, at date: Date = Date()) -> PostDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return PostDate(
            year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
            minute: parts.minute ?? 0, second: parts.second ?? 0, utcOffset: zone.secondsFromGMT(for: date))
    }

    /// The calendar day alone, without the time.
    public var calendarDay: PostDate { PostDate(year: year, month: month, day: day) }
}
