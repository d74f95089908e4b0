/// A date without a time of day (`YYYY-MM-DD`), in the proleptic Gregorian calendar.
///
/// Due dates, `--as-of` and schedule slots are days; arithmetic is exact integer day counts,
/// so quarter boundaries and leap days need no `Calendar` and no time zone.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Validates the day against the month's length (leap years included).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDay.daysIn(month: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso8601 text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            let y = Int(String(decoding: utf8[0..<4], as: UTF8.self)),
            let m = Int(String(decoding: utf8[5..<7], as: UTF8.self)),
            let d = Int(String(decoding: utf8[8..<10], as: UTF8.self))
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day `days` after 1970-01-01 (negative before it).
    public init(daysSince1970 days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public var iso8601: String {
        if (0...9999).contains(year) {
            return String(unsafeUninitializedCapacity: 10) { buffer in
                writeISO8601(into: buffer.baseAddress!)
                return 10
            }
        }
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + pad2(month) + "-" + pad2(day)
    }

    /// Writes `YYYY-MM-DD` (10 bytes) at `bytes`, for a year in 0...9999: what `iso8601` gives,
    /// without joining five strings (days are formatted for every row of every page).
    @inline(__always) func writeISO8601(into bytes: UnsafeMutablePointer<UInt8>) {
        writeDigits(year, count: 4, into: bytes)
        bytes[4] = UInt8(ascii: "-")
        writeDigits(month, count: 2, into: bytes + 5)
        bytes[7] = UInt8(ascii: "-")
        writeDigits(day, count: 2, into: bytes + 8)
    }

    public var description: String { iso8601 }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> CalendarDay { CalendarDay(daysSince1970: daysSince1970 + count) }

    /// The same day `count` months later, clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28/29).
    public func adding(months count: Int) -> CalendarDay {
        let index = year * 12 + (month - 1) + count
        let newYear = Self.floorDivide(index, 12)
        let newMonth = index - newYear * 12 + 1
        let newDay = min(day, CalendarDay.daysIn(month: newMonth, year: newYear))
        return CalendarDay(year: newYear, month: newMonth, day: newDay)!
    }

    /// Whole days from `self` to `other`.
    public func days(until other: CalendarDay) -> Int { other.daysSince1970 - daysSince1970 }

    /// The number of the day (`daysSince1970`) holding the instant `seconds` after 1970-01-01
    /// 00:00 UTC; 0 when `seconds` is not finite, clamped to ±10¹⁴ s (3 million years).
    public static func dayNumber(secondsSince1970 seconds: Double) -> Int {
        guard seconds.isFinite else { return 0 }
        let clamped = min(max(seconds, -1e14), 1e14)
        return Int((clamped / 86_400).rounded(.down))
    }

    /// `Jan` … `Dec`, for chart ticks and headings.
    public var monthAbbreviation: String { Self.monthAbbreviations[month - 1] }

    private static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int { Self.floorMod(daysSince1970 + 3, 7) + 1 }

    /// The quarter this day falls in.
    public var quarter: Quarter { Quarter(year: year, number: (month - 1) / 3 + 1)! }

    /// `YYYY-MM`, the month key used by monthly aggregations.
    public var monthKey: String { String(year) + "-" + pad2(month) }

    /// Midnight UTC at the start of this day.
    public var startUTC: Timestamp { Timestamp(secondsSince1970: Double(daysSince1970) * 86_400) }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.daysSince1970 < rhs.daysSince1970 }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = CalendarDay(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a date as YYYY-MM-DD, got \"\(text)\"")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    private static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDivide(a, b) * b }
}

/// A calendar quarter, e.g. 2026-Q1 (January to March).
public struct Quarter: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    /// 1 to 4.
    public let number: Int

    public init?(year: Int, number: Int) {
        guard (1...4).contains(number) else { return nil }
        self.year = year
        self.number = number
    }

    /// Parses `2026-Q1` (case-insensitive `q`).
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), parts[1].first == "Q", let n = Int(parts[1].dropFirst()) else {
            return nil
        }
        self.init(year: y, number: n)
    }

    /// `2026-Q1`: also the quarter's page slug.
    public var id: String { String(year) + "-Q" + String(number) }
    public var description: String { id }
    /// `Q1 2026`, for headings.
    public var title: String { "Q" + String(number) + " " + String(year) }

    public var firstDay: CalendarDay { CalendarDay(year: year, month: (number - 1) * 3 + 1, day: 1)! }
    public var lastDay: CalendarDay { next.firstDay.adding(days: -1) }
    public var next: Quarter { number == 4 ? Quarter(year: year + 1, number: 1)! : Quarter(year: year, number: number + 1)! }
    public var previous: Quarter {
        number == 1 ? Quarter(year: year - 1, number: 4)! : Quarter(year: year, number: number - 1)!
    }

    public func contains(_ day: CalendarDay) -> Bool { day.quarter == self }

    public static func < (lhs: Quarter, rhs: Quarter) -> Bool { (lhs.year, lhs.number) < (rhs.year, rhs.number) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Quarter(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a quarter like 2026-Q1, got \"\(text)\"")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
}

/// The last `count` decimal digits of a non-negative `value`, zero-padded, at `bytes`.
@inline(__always) func writeDigits(_ value: Int, count: Int, into bytes: UnsafeMutablePointer<UInt8>) {
    var value = value
    var index = count - 1
    while index >= 0 {
        bytes[index] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
        value /= 10
        index -= 1
    }
}
