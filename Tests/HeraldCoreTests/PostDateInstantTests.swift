// A post's date as an instant: worked out by arithmetic, it must agree with Foundation's
// Gregorian calendar on every date Herald sorts by.

import Foundation
@testable import HeraldCore
import Testing

struct PostDateInstantTests {
    @Test func instantsAgreeWithFoundationsCalendar() {
        var random = SystemRandomNumberGenerator()
        var dates = [
            PostDate(year: 1970, month: 1, day: 1), PostDate(year: 2000, month: 2, day: 29), PostDate(year: 2100, month: 2, day: 28),
            PostDate(year: 1600, month: 3, day: 1), PostDate(year: 1583, month: 1, day: 1), PostDate(year: 9999, month: 12, day: 31),
            PostDate(year: 2019, month: 9, day: 18, hour: 23, minute: 59, second: 59, nanosecond: 500_000_000, utcOffset: 8 * 3600),
            PostDate(year: 2024, month: 1, day: 1, hour: 0, minute: 30, utcOffset: -(9 * 3600 + 30 * 60)),
            // Out of range parts roll over, as the calendar does with them.
            PostDate(year: 2023, month: 2, day: 31), PostDate(year: 2023, month: 4, day: 0, hour: 25),
        ]
        for _ in 0..<2_000 {
            dates.append(PostDate(
                year: Int.random(in: 1583...2400, using: &random), month: Int.random(in: 1...12, using: &random),
                day: Int.random(in: 1...31, using: &random), hour: Int.random(in: 0...23, using: &random),
                minute: Int.random(in: 0...59, using: &random), second: Int.random(in: 0...59, using: &random),
                nanosecond: Int.random(in: 0..<1_000_000_000, using: &random),
                utcOffset: Bool.random(using: &random) ? nil : Int.random(in: -14...14, using: &random) * 1800))
        }
        // The same to a few microseconds: the two round fractions of a second differently.
        for date in dates {
            #expect(abs(date.instant.timeIntervalSince(date.calendarInstant)) < 0.000_01, "\(date)")
            if date.nanosecond == 0 { #expect(date.instant == date.calendarInstant, "\(date)") }
        }
        // The date and time in UTC, by arithmetic, are the calendar's components of the instant
        // (whole seconds: a fraction just under one may round up to the next second in a `Date`).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        for var date in dates + [PostDate(year: 1584, month: 1, day: 1, hour: 1, utcOffset: 2 * 3600), PostDate(year: 1200, month: 5, day: 4)] {
            date.nanosecond = 0
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date.calendarInstant)
            let utc = date.utc
            #expect([utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second] == [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second], "\(date)")
        }
        // Before 1583 the calendar's (Julian before October 1582) answer is the one given.
        let old = PostDate(year: 1200, month: 5, day: 4)
        #expect(old.instant == old.calendarInstant)
        #expect(PostDate(year: 2020, month: 1, day: 2) > PostDate(year: 2020, month: 1, day: 1, hour: 23))
    }
}
