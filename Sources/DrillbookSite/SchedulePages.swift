import DrillbookAnalysis
import DrillbookCharts
import DrillbookMarkdown
import DrillbookModel

/// `schedule/index.html`: the plan of Appendix A against the runs, and a calendar of drill activity.
struct SchedulePagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    func pages() -> [PageSpec] {
        [PageSpec(path: SiteSection.schedule.path, template: "schedule") { [self] in schedulePage() }]
    }

    /// `schedule/index.html`: Appendix A's plan against the runs, a month × week grid from the
    /// plan's start to the end of `asOf`'s quarter (slots after `asOf` shown as planned), the
    /// quarterly themes with adherence per quarter, and a calendar of drill activity.
    func schedulePage() -> SchedulePage {
        let root = PageParts.nestedRoot
        let adherence = site.analysis.schedule
        let slotsById = Dictionary(adherence.slots.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let plan = site.history.schedule.monthly.filter { (1...4).contains($0.week) }
        let weeks = Array(Set(plan.map(\.week))).sorted()

        func runLinks(_ ids: [String]) -> [RunLink] {
            ids.prefix(Self.runLinksPerCell).compactMap { id in
                site.run(withId: id).map { run in
                    RunLink(
                        href: site.runHref(run.id, root: root) ?? "",
                        label: (site.drillsById[run.drillId]?.title ?? run.drillId) + ", " + run.startedAt.localDay.iso8601)
                }
            }
        }
        func cell(_ slot: ScheduledSlot?, category: DrillCategory, first: CalendarDay, last: CalendarDay) -> ScheduleCell {
            let days = first.iso8601 + " to " + last.iso8601
            guard let slot else {
                if let start = adherence.startsOn, last < start {
                    return ScheduleCell(
                        category: category.title, state: "none",
                        status: Badge(label: "Before the plan", icon: "–", tone: "neutral"), runs: [], days: days)
                }
                return ScheduleCell(
                    category: category.title, state: "planned",
                    status: Badge(label: "Planned", icon: "○", tone: "not-measured"), runs: [], days: days)
            }
            let status: Badge
            switch slot.status {
            case .filled: status = Badge(label: "Done", icon: "✔", tone: "done")
            case .missed: status = Badge(label: "Missed", icon: "✘", tone: "missed")
            case .pending: status = Badge(label: "Due now", icon: "◐", tone: "open")
            case .aborted: status = Badge(label: "Aborted", icon: "■", tone: "aborted")
            }
            let more = slot.runIds.count - Self.runLinksPerCell
            return ScheduleCell(
                category: category.title, state: slot.status.rawValue, status: status, runs: runLinks(slot.runIds),
                days: days, moreRuns: more > 0 ? "and " + SiteText.count(more, "more run") : nil)
        }

        var months: [ScheduleMonthRow] = []
        if let start = adherence.startsOn, start <= site.asOf {
            for month in Self.monthStarts(from: start, through: site.asOf.quarter.lastDay) {
                let cells = weeks.compactMap { week -> ScheduleCell? in
                    guard let entry = plan.first(where: { $0.week == week }) else { return nil }
                    let first = month.adding(days: (week - 1) * 7)
                    let last = week == 4 ? Self.lastOfMonth(month) : month.adding(days: week * 7 - 1)
                    return cell(
                        slotsById[month.monthKey + "-w" + String(week)], category: entry.category, first: first, last: last)
                }
                months.append(ScheduleMonthRow(month: month.monthKey, cells: cells))
            }
        }

        let quarters = adherence.quarters.map { counts in
            let themeSlot = adherence.themeSlot(in: counts.quarter)
            let planned = site.history.schedule.quarterly.first { $0.quarter == counts.quarter.number }
            let theme: ScheduleCell
            if let planned {
                theme = cell(themeSlot, category: planned.category, first: counts.quarter.firstDay, last: counts.quarter.lastDay)
            } else {
                theme = ScheduleCell(
                    category: "No theme", state: "none", status: Badge(label: "No theme", icon: "–", tone: "neutral"),
                    runs: [], days: "")
            }
            return ScheduleQuarterRow(
                quarter: counts.quarter.title, theme: theme, planned: String(counts.planned), filled: String(counts.filled),
                missed: String(counts.missed), aborted: String(counts.aborted), pending: String(counts.pending),
                adherence: TrendText.percent(counts.adherence))
        }

        let lastDay = site.asOf.daysSince1970
        let firstDay = lastDay - 364
        var counts: [Int: Int] = [:]
        for run in site.history.runs {
            let dayNumber = run.startedAt.localDay.daysSince1970
            if dayNumber >= firstDay && dayNumber <= lastDay { counts[dayNumber, default: 0] += 1 }
        }
        let total = counts.values.reduce(0, +)
        let heatmap = CalendarHeatmap(
            id: "drill-activity", title: "Drill runs per day, last 12 months",
            summary: SiteText.count(total, "run") + " on " + SiteText.count(counts.count, "day") + " between "
                + CalendarDay(daysSince1970: firstDay).iso8601 + " and " + site.asOf.iso8601 + "; darker squares mean more runs.",
            firstDay: firstDay, lastDay: lastDay, counts: counts, unit: "runs")
        let missed = adherence.slots.filter { $0.status == .missed }.count
        return SchedulePage(
            chrome: parts.chrome(title: "Drill schedule", root: root, section: .schedule),
            weekHeadings: weeks.map { week in
                "Week " + String(week) + (week == 4 ? " (22–end)" : " (" + String((week - 1) * 7 + 1) + "–" + String(week * 7) + ")")
            },
            months: months.reversed(), hasMonths: !months.isEmpty, quarters: quarters.reversed(),
            missedCount: SiteText.count(missed, "slot") + " missed",
            localRunsNote: parts.localRunsNote(from: adherence.startsOn ?? site.asOf, through: site.asOf), heatmap: ChartBlock(heatmap),
            startsOn: adherence.startsOn?.iso8601)
    }

    /// Run links a cell shows: a slot matched by hundreds of runs (a long history) names its first
    /// few and counts the rest, so the page's size follows the plan's length, not the number of runs.
    static let runLinksPerCell = 3

    /// First days of the months from `first`'s month to `last`'s, at most 1,200.
    static func monthStarts(from first: CalendarDay, through last: CalendarDay) -> [CalendarDay] {
        var result: [CalendarDay] = []
        var current = CalendarDay(year: first.year, month: first.month, day: 1)!
        while current <= last && result.count < 1200 {
            result.append(current)
            current = current.adding(months: 1)
        }
        return result
    }

    static func lastOfMonth(_ day: CalendarDay) -> CalendarDay {
        CalendarDay(year: day.year, month: day.month, day: CalendarDay.daysIn(month: day.month, year: day.year))!
    }
}
