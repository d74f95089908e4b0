/// A civil (proleptic Gregorian) date computed with integer arithmetic only, no Foundation `Calendar`.
public struct CivilDate: Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    public init(daysSince1970 days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01 (days_from_civil).
    public var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public var weekday: Int { Self.floorMod(daysSince1970 + 3, 7) + 1 }

    /// `2026-03-02`.
    public var iso8601: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + Self.pad(month) + "-" + Self.pad(day)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSince1970 < rhs.daysSince1970 }

    /// The day number of the civil day containing `seconds` since 1970 (UTC).
    public static func dayNumber(secondsSince1970 seconds: Double) -> Int {
        guard seconds.isFinite else { return 0 }
        let clamped = min(max(seconds, -1e14), 1e14)
        return Int((clamped / 86_400).rounded(.down))
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func floorMod(_ a: Int, _ b: Int) -> Int { ((a % b) + b) % b }
    static func pad(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
}

/// One tick of a time axis: its position in the domain (seconds since 1970) and its label.
public struct TimeTick: Sendable, Hashable {
    public var value: Double
    public var label: String
}

/// Maps time (seconds since 1970, UTC) onto a pixel range, with ticks on civil boundaries.
///
/// Ticks fall on midnights (UTC) of days, Mondays, first days of months, quarters or years, whichever
/// gives at most the requested count: day steps 1, 2; week 1, 2; month 1, 2; quarter; half-year;
/// year steps 1, 2, 5, 10, 20, 50, 100.
public struct TimeScale: Sendable, Hashable {
    public var linear: LinearScale

    /// A degenerate domain (one instant) is widened by a day on each side.
    public init(domain: (Double, Double), range: (Double, Double)) {
        var lower = domain.0.isFinite ? domain.0 : 0
        var upper = domain.1.isFinite ? domain.1 : 0
        if lower > upper { swap(&lower, &upper) }
        if lower == upper {
            lower -= 86_400
            upper += 86_400
        }
        linear = LinearScale(domain: (lower, upper), range: range)
    }

    /// A scale covering the finite `values`, padded by 4 % of the span (at least 12 hours) on each side.
    public init(covering values: [Double], range: (Double, Double)) {
        let finite = values.filter(\.isFinite)
        guard let lower = finite.min(), let upper = finite.max() else {
            self.init(domain: (0, 86_400 * 30), range: range)
            return
        }
        let pad = max((upper - lower) * 0.04, 43_200)
        self.init(domain: (lower - pad, upper + pad), range: range)
    }

    public var domainLower: Double { linear.domainLower }
    public var domainUpper: Double { linear.domainUpper }

    public func position(_ seconds: Double) -> Double { linear.position(seconds) }

    enum Unit: Hashable {
        case day(Int)
        case week(Int)
        case month(Int)
        case year(Int)
    }

    static let units: [Unit] = [
        .day(1), .day(2), .week(1), .week(2), .month(1), .month(2), .month(3), .month(6),
        .year(1), .year(2), .year(5), .year(10), .year(20), .year(50), .year(100),
    ]

    /// At most `maxCount` ticks (at least one unit is always tried up to century steps).
    public func ticks(maxCount: Int = 7) -> [TimeTick] {
        let firstDay = CivilDate.dayNumber(secondsSince1970: domainLower)
        let lastDay = CivilDate.dayNumber(secondsSince1970: domainUpper)
        let limit = max(1, maxCount)
        for unit in Self.units {
            let days = Self.boundaries(unit, from: firstDay, to: lastDay, limit: limit + 1)
                .filter { Double($0) * 86_400 >= domainLower && Double($0) * 86_400 <= domainUpper }
            if days.count <= limit {
                return days.enumerated().map { index, day in
                    let newYear = index == 0 || CivilDate(daysSince1970: days[index - 1]).year != CivilDate(daysSince1970: day).year
                    return TimeTick(value: Double(day) * 86_400, label: Self.label(day, unit: unit, showYear: newYear))
                }
            }
        }
        return []
    }

    /// Day numbers of `unit` boundaries in `first…last`, stopping after `limit` + 1 of them.
    static func boundaries(_ unit: Unit, from first: Int, to last: Int, limit: Int) -> [Int] {
        var result: [Int] = []
        switch unit {
        case .day(let step):
            var day = first + CivilDate.floorMod(-first, step)
            while day <= last && result.count <= limit {
                result.append(day)
                day += step
            }
        case .week(let step):
            // Mondays; with step 2, Mondays of even ISO-ish week numbers counted from 1970-01-05.
            var day = first + CivilDate.floorMod(4 - first, 7)
            if step > 1 { day += CivilDate.floorMod(-((day - 4) / 7), step) * 7 }
            while day <= last && result.count <= limit {
                result.append(day)
                day += 7 * step
            }
        case .month(let step):
            let start = CivilDate(daysSince1970: first)
            var index = start.year * 12 + (start.month - 1)
            if CivilDate(year: start.year, month: start.month, day: 1).daysSince1970 < first { index += 1 }
            index += CivilDate.floorMod(-index, step)
            while result.count <= limit {
                let year = index >= 0 ? index / 12 : -((-index + 11) / 12)
                let month = index - year * 12 + 1
                let day = CivilDate(year: year, month: month, day: 1).daysSince1970
                if day > last { break }
                result.append(day)
                index += step
            }
        case .year(let step):
            let start = CivilDate(daysSince1970: first)
            var year = start.year
            if CivilDate(year: year, month: 1, day: 1).daysSince1970 < first { year += 1 }
            year += CivilDate.floorMod(-year, step)
            while result.count <= limit {
                let day = CivilDate(year: year, month: 1, day: 1).daysSince1970
                if day > last { break }
                result.append(day)
                year += step
            }
        }
        return result
    }

    /// Day and week ticks read `5 Jan`, month ticks `Feb`, with the year added on the first tick and
    /// whenever the year changes; quarter ticks `Q1 2026`; year ticks `2026`.
    static func label(_ day: Int, unit: Unit, showYear: Bool) -> String {
        let date = CivilDate(daysSince1970: day)
        let monthName = CivilDate.monthNames[date.month - 1]
        switch unit {
        case .day, .week:
            return showYear
                ? String(date.day) + " " + monthName + " " + String(date.year) : String(date.day) + " " + monthName
        case .month(let step) where step == 3:
            return "Q" + String((date.month - 1) / 3 + 1) + " " + String(date.year)
        case .month:
            return showYear ? monthName + " " + String(date.year) : monthName
        case .year:
            return String(date.year)
        }
    }
}
