import DrillbookModel

/// A part of a whole: `count` out of `total`, e.g. 3 of 4 runs passed.
///
/// `value` is nil when nothing was counted, so pages can print "–" instead of a made-up 0 %.
public struct Share: Sendable, Hashable {
    /// How many of `total` have the property.
    public var count: Int
    /// How many were counted.
    public var total: Int

    public init(count: Int, total: Int) {
        self.count = count
        self.total = total
    }

    /// No data.
    public static let empty = Share(count: 0, total: 0)

    /// `count / total` between 0 and 1, or nil when `total` is 0.
    public var value: Double? { total > 0 ? Double(count) / Double(total) : nil }

    /// The share as a percentage between 0 and 100, or nil when `total` is 0.
    public var percent: Double? { value.map { $0 * 100 } }

    /// Adds two counts (for totals over several groups).
    public static func + (lhs: Share, rhs: Share) -> Share {
        Share(count: lhs.count + rhs.count, total: lhs.total + rhs.total)
    }
}

/// Small order statistics shared by the analyses.
enum Statistics {
    /// The median of `values` (mean of the two middle values for an even count), nil when empty.
    /// Non-finite values are ignored.
    static func median(_ values: [Double]) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The arithmetic mean, nil when empty.
    static func mean(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        return finite.reduce(0, +) / Double(finite.count)
    }

    /// Converts a metric value written in `unit` to seconds (`ms`, `s`, `m`/`min`, `h`); other
    /// units are taken as seconds, which is what the playbook's recovery metrics use.
    static func seconds(_ value: Double, unit: String) -> Double {
        switch unit.lowercased() {
        case "ms": value / 1000
        case "m", "min", "minutes": value * 60
        case "h", "hours": value * 3600
        default: value
        }
    }
}

extension Quarter {
    /// Quarters from `self` to `last`, both included (empty when `last` is earlier). Bounded to 400 quarters.
    func through(_ last: Quarter) -> [Quarter] {
        var result: [Quarter] = []
        var current = self
        while current <= last && result.count < 400 {
            result.append(current)
            current = current.next
        }
        return result
    }
}

extension CalendarDay {
    /// The first day of this day's month.
    var firstOfMonth: CalendarDay { CalendarDay(year: year, month: month, day: 1)! }
    /// The last day of this day's month.
    var lastOfMonth: CalendarDay {
        CalendarDay(year: year, month: month, day: CalendarDay.daysIn(month: month, year: year))!
    }

    /// First days of the months from this day's month to `last`'s month, both included. Bounded to 1,200 months.
    func months(through last: CalendarDay) -> [CalendarDay] {
        var result: [CalendarDay] = []
        var current = firstOfMonth
        let end = last.firstOfMonth
        while current <= end && result.count < 1200 {
            result.append(current)
            current = current.adding(months: 1)
        }
        return result
    }
}
