import DrillbookModel

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
        let firstDay = CalendarDay.dayNumber(secondsSince1970: domainLower)
        let lastDay = CalendarDay.dayNumber(secondsSince1970: domainUpper)
        let limit = max(1, maxCount)
        for unit in Self.units {
            let days = Self.boundaries(unit, from: firstDay, to: lastDay, limit: limit + 1)
                .filter { Double($0) * 86_400 >= domainLower && Double($0) * 86_400 <= domainUpper }
            if days.count <= limit {
                return days.enumerated().map { index, day in
                    let newYear = index == 0 || CalendarDay(daysSince1970: days[index - 1]).year != CalendarDay(daysSince1970: day).year
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
            var day = first + Self.floorMod(-first, step)
            while day <= last && result.count <= limit {
                result.append(day)
                day += step
            }
        case .week(let step):
            // Mondays; with step 2, Mondays of even ISO-ish week numbers counted from 1970-01-05.
            var day = first + Self.floorMod(4 - first, 7)
            if step > 1 { day += Self.floorMod(-((day - 4) / 7), step) * 7 }
            while day <= last && result.count <= limit {
                result.append(day)
                day += 7 * step
            }
        case .month(let step):
            let start = CalendarDay(daysSince1970: first)
            var index = start.year * 12 + (start.month - 1)
            if CalendarDay(year: start.year, month: start.month, day: 1)!.daysSince1970 < first { index += 1 }
            index += Self.floorMod(-index, step)
            while result.count <= limit {
                let year = index >= 0 ? index / 12 : -((-index + 11) / 12)
                let month = index - year * 12 + 1
                let day = CalendarDay(year: year, month: month, day: 1)!.daysSince1970
                if day > last { break }
                result.append(day)
                index += step
            }
        case .year(let step):
            let start = CalendarDay(daysSince1970: first)
            var year = start.year
            if CalendarDay(year: year, month: 1, day: 1)!.daysSince1970 < first { year += 1 }
            year += Self.floorMod(-year, step)
            while result.count <= limit {
                let day = CalendarDay(year: year, month: 1, day: 1)!.daysSince1970
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
        let date = CalendarDay(daysSince1970: day)
        let monthName = date.monthAbbreviation
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

    /// `a` modulo `b`, never negative (`b` > 0): day arithmetic before 1970 stays on the grid.
    static func floorMod(_ a: Int, _ b: Int) -> Int { ((a % b) + b) % b }
}
