import DrillbookModel
import Testing

/// `CalendarDay.iso8601` and `Timestamp.iso8601` write their digits as bytes; they must give the
/// text the zero-padded string joins gave, for every kind of day, time and offset.
@Suite("Day and instant formatting")
struct DayFormatTests {
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    @Test func daysAcrossCenturiesAndLeapYears() throws {
        for days in stride(from: -719_000, through: 2_900_000, by: 997) {
            let day = CalendarDay(daysSince1970: days)
            #expect(day.iso8601 == Self.pad(day.year, 4) + "-" + Self.pad(day.month, 2) + "-" + Self.pad(day.day, 2))
            #expect(CalendarDay(iso8601: day.iso8601) == day)
        }
        #expect(try #require(CalendarDay(year: 7, month: 2, day: 3)).iso8601 == "0007-02-03")
    }

    @Test(arguments: [0, 19_800, -34_200, 3_600, -43_200, 50_400, 45_900])
    func instantsInEveryOffset(_ offset: Int) throws {
        for seconds in stride(from: -86_400.0 * 400, through: 86_400.0 * 20_000, by: 86_400.0 * 37 + 3_661) {
            let instant = Timestamp(secondsSince1970: seconds, utcOffsetSeconds: offset)
            let parsed = try #require(Timestamp(iso8601: instant.iso8601), "\(instant.iso8601)")
            #expect(parsed.secondsSince1970 == seconds && parsed.utcOffsetSeconds == offset)
            #expect(instant.iso8601.utf8.count == (offset == 0 ? 20 : 25))
        }
        let text = "2026-03-02T10:15:00" + (offset == 0 ? "Z" : "")
        if offset == 0 { #expect(Timestamp(iso8601: text)?.iso8601 == text) }
        #expect(Timestamp(iso8601: "2026-03-02T10:15:00+05:30")?.iso8601 == "2026-03-02T10:15:00+05:30")
        #expect(Timestamp(iso8601: "2026-03-02T10:15:00.250-09:30")?.iso8601 == "2026-03-02T10:15:00.250-09:30")
    }
}
