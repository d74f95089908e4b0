public import DrillbookModel

/// One planned drill of the schedule and what happened to it.
public struct ScheduledSlot: Sendable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Hashable {
        /// A week of a month (Appendix A's monthly rhythm).
        case monthly
        /// The quarter's theme.
        case quarterly
    }

    public enum Status: String, Sendable, Hashable {
        /// At least one matching run happened in the slot.
        case filled
        /// The slot is over (its last day is before `asOf`) and no matching run happened.
        case missed
        /// Not filled yet, but the slot has not ended on `asOf`.
        case pending
        /// Every matching run in the slot was aborted: attempted, not done. Judged like a missed
        /// slot in adherence.
        case aborted
    }

    /// `2026-03-w2` or `2026-Q1-theme`.
    public var id: String
    public var kind: Kind
    public var category: DrillCategory
    /// 1–4 for monthly slots, nil for quarterly ones.
    public var week: Int?
    public var quarter: Quarter
    public var firstDay: CalendarDay
    public var lastDay: CalendarDay
    /// Runs that filled it, oldest first.
    public var runIds: [String]
    public var status: Status
}

/// Counts of one quarter's slots.
public struct QuarterAdherence: Sendable, Hashable, Identifiable {
    public var quarter: Quarter
    public var id: String { quarter.id }
    /// All slots of the quarter that the plan covers (filled, missed and pending).
    public var planned: Int
    public var filled: Int
    public var missed: Int
    public var pending: Int
    /// Slots whose every matching run was aborted.
    public var aborted: Int = 0
    /// Filled out of filled + missed + aborted (pending slots are not judged yet).
    public var adherence: Share { Share(count: filled, total: filled + missed + aborted) }
}

/// The drill plan (`DrillSchedule`) against the runs that happened.
///
/// - Monthly slots: week 1 = days 1–7, 2 = 8–14, 3 = 15–21, 4 = 22 to the end of the month. A run
///   fills a slot when its drill's category is the slot's and its local start day is in that week.
/// - Quarterly slots: filled by any run of the theme's category in the quarter.
/// - The plan applies from `schedule.startsOn`, else from the first day of the first run's month,
///   up to `asOf`: slots that end before the start or begin after `asOf` are left out; runs before
///   the start do not fill slots. Runs of drills without a definition fill nothing.
public struct ScheduleAdherence: Sendable, Hashable {
    public var startsOn: CalendarDay?
    public var asOf: CalendarDay
    /// In time order (first day, then monthly before quarterly, then week).
    public var slots: [ScheduledSlot]
    /// Per quarter from the start's quarter to `asOf`'s.
    public var quarters: [QuarterAdherence]

    public init(history: DrillHistory, asOf: CalendarDay) {
        self.asOf = asOf
        let categories = Dictionary(history.drills.map { ($0.id, $0.category) }, uniquingKeysWith: { first, _ in first })
        let runs = history.runs.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        let start = history.schedule.startsOn ?? runs.first?.startedAt.localDay.firstOfMonth
        startsOn = start
        guard let start, start <= asOf else {
            slots = []
            quarters = []
            return
        }
        let counted = runs.filter { $0.startedAt.localDay >= start && $0.startedAt.localDay <= asOf }
        // Positions of the counted runs ordered by local day, looked up once rather than once per slot.
        let byDay = counted.indices.sorted { (counted[$0].startedAt.localDay, $0) < (counted[$1].startedAt.localDay, $1) }
        let days = byDay.map { counted[$0].startedAt.localDay }
        let countedCategories = counted.map { categories[$0.drillId] }
        func matching(_ category: DrillCategory, from first: CalendarDay, to last: CalendarDay) -> [String] {
            var low = 0
            var high = days.count
            while low < high {
                let middle = (low + high) / 2
                if days[middle] < first { low = middle + 1 } else { high = middle }
            }
            var positions: [Int] = []
            var index = low
            while index < days.count, days[index] <= last {
                if countedCategories[byDay[index]] == category { positions.append(byDay[index]) }
                index += 1
            }
            // In start order, as the runs are counted.
            return positions.sorted().map { counted[$0].id }
        }
        let aborted = Set(counted.filter { $0.outcome == .aborted }.map(\.id))
        func status(_ runIds: [String], lastDay: CalendarDay) -> ScheduledSlot.Status {
            if !runIds.isEmpty { return runIds.allSatisfy(aborted.contains) ? .aborted : .filled }
            return lastDay < asOf ? .missed : .pending
        }
        var slots: [ScheduledSlot] = []
        let monthly = history.schedule.monthly.filter { (1...4).contains($0.week) }.sorted { ($0.week, $0.category.rawValue) < ($1.week, $1.category.rawValue) }
        for month in start.months(through: asOf) {
            for slot in monthly {
                let first = month.adding(days: (slot.week - 1) * 7)
                let last = slot.week == 4 ? month.lastOfMonth : month.adding(days: slot.week * 7 - 1)
                guard last >= start, first <= asOf else { continue }
                let ids = matching(slot.category, from: first, to: last)
                slots.append(
                    ScheduledSlot(
                        id: month.monthKey + "-w" + String(slot.week), kind: .monthly, category: slot.category,
                        week: slot.week, quarter: month.quarter, firstDay: first, lastDay: last, runIds: ids,
                        status: status(ids, lastDay: last)))
            }
        }
        let quarterList = start.quarter.through(asOf.quarter)
        for quarter in quarterList {
            for slot in history.schedule.quarterly where slot.quarter == quarter.number {
                let ids = matching(slot.category, from: quarter.firstDay, to: quarter.lastDay)
                slots.append(
                    ScheduledSlot(
                        id: quarter.id + "-theme", kind: .quarterly, category: slot.category, week: nil,
                        quarter: quarter, firstDay: quarter.firstDay, lastDay: quarter.lastDay, runIds: ids,
                        status: status(ids, lastDay: quarter.lastDay)))
            }
        }
        slots.sort { a, b in
            if a.quarter != b.quarter { return a.quarter < b.quarter }
            if a.kind != b.kind { return a.kind == .monthly }
            return (a.firstDay, a.id) < (b.firstDay, b.id)
        }
        self.slots = slots
        quarters = quarterList.map { quarter in
            let inside = slots.filter { $0.quarter == quarter }
            return QuarterAdherence(
                quarter: quarter, planned: inside.count, filled: inside.filter { $0.status == .filled }.count,
                missed: inside.filter { $0.status == .missed }.count,
                pending: inside.filter { $0.status == .pending }.count,
                aborted: inside.filter { $0.status == .aborted }.count)
        }
    }

    /// The quarter's counts (all zero when the plan does not cover it).
    public func adherence(in quarter: Quarter) -> QuarterAdherence {
        quarters.first { $0.quarter == quarter }
            ?? QuarterAdherence(quarter: quarter, planned: 0, filled: 0, missed: 0, pending: 0)
    }

    /// The quarter's theme slot, when the plan has one.
    public func themeSlot(in quarter: Quarter) -> ScheduledSlot? {
        slots.first { $0.kind == .quarterly && $0.quarter == quarter }
    }
}
