import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel

/// `lessons/index.html` (every quarter's counts, the latest quarter's lessons) and `lessons/<quarter>.html`.
struct LessonPagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    func pages() -> [PageSpec] {
        let quarters = lessonQuarters()
        var specs = [PageSpec(path: SiteSection.lessons.path, template: "lessons") { [self] in lessonsPage(quarters: quarters) }]
        for position in quarters.indices {
            let count = Self.pageCount(lessonCount(quarters[position]))
            for page in 0..<count {
                specs.append(PageSpec(path: Self.lessonsPath(quarters[position].quarter, page: page), template: "lessons") { [self] in
                    lessonsQuarterPage(position, of: quarters, page: page)
                })
            }
        }
        return specs
    }

    /// Lessons per page of a quarter: a quarter's page stays a few hundred kilobytes however long
    /// the history (issue 14: no page over 2 MB at 100,000 runs).
    static let lessonsPageSize = 400

    static func pageCount(_ lessons: Int) -> Int { max(1, (lessons + lessonsPageSize - 1) / lessonsPageSize) }

    /// How many lessons a quarter holds (every kind), without rendering them.
    func lessonCount(_ entry: (quarter: Quarter, runs: [Int], incidents: [Int])) -> Int {
        entry.runs.reduce(0) { total, index in
            let lessons = site.history.runs[index].lessons
            return total + lessons.wentWell.count + lessons.couldImprove.count + lessons.nextSteps.count
        } + entry.incidents.reduce(0) { $0 + site.history.incidents[$1].lessonsLearned.count }
    }

    /// Runs and incidents with lessons, by the quarter they happened in (newest quarter first),
    /// as indexes into `history.runs` and `history.incidents`.
    func lessonQuarters() -> [(quarter: Quarter, runs: [Int], incidents: [Int])] {
        var byQuarter: [Quarter: (runs: [Int], incidents: [Int])] = [:]
        for (index, run) in site.history.runs.enumerated() where !run.lessons.isEmpty {
            byQuarter[run.startedAt.localDay.quarter, default: ([], [])].runs.append(index)
        }
        for (index, incident) in site.history.incidents.enumerated() where !incident.lessonsLearned.isEmpty {
            byQuarter[incident.declaredAt.localDay.quarter, default: ([], [])].incidents.append(index)
        }
        return byQuarter.keys.sorted(by: >).map { ($0, byQuarter[$0]!.runs, byQuarter[$0]!.incidents) }
    }

    /// Page `page` (from 0) of a quarter's lessons: `lessons/2026-Q3.html`, `lessons/2026-Q3-2.html`, …
    static func lessonsPath(_ quarter: Quarter, page: Int = 0) -> String {
        "lessons/" + fileName(quarter, page: page)
    }

    static func fileName(_ quarter: Quarter, page: Int) -> String {
        quarter.id + (page == 0 ? "" : "-" + String(page + 1)) + ".html"
    }

    /// The landing page: every quarter's counts, then the latest quarter's lessons.
    func lessonsPage(quarters: [(quarter: Quarter, runs: [Int], incidents: [Int])]) -> LessonsPage {
        let root = PageParts.nestedRoot
        let rows = quarters.map { entry in
            let runs = entry.runs.map { site.history.runs[$0].lessons }
            let wentWell = runs.reduce(0) { $0 + $1.wentWell.count }
            let couldImprove = runs.reduce(0) { $0 + $1.couldImprove.count }
            let nextSteps = runs.reduce(0) { $0 + $1.nextSteps.count }
            let incidents = entry.incidents.reduce(0) { $0 + site.history.incidents[$1].lessonsLearned.count }
            return LessonQuarterRow(
                href: entry.quarter.id + ".html", title: entry.quarter.title, wentWell: String(wentWell),
                couldImprove: String(couldImprove), nextSteps: String(nextSteps), fromIncidents: String(incidents),
                total: String(wentWell + couldImprove + nextSteps + incidents))
        }
        let latest = quarters.first
        let groups = latest.map { lessonGroups(runs: $0.runs, incidents: $0.incidents, page: 0) } ?? []
        let latestCount = latest.map { lessonCount($0) } ?? 0
        let more = latest.flatMap { entry in
            Self.pageCount(latestCount) > 1
                ? QuarterLink(
                    href: Self.fileName(entry.quarter, page: 1),
                    title: "More lessons of " + entry.quarter.title + " (" + SiteText.count(latestCount, "lesson") + " in all) →")
                : nil
        }
        return LessonsPage(
            chrome: parts.chrome(title: "Lessons learned", root: root, section: .lessons), heading: "Lessons learned",
            lede: "What drill runs and incidents taught the team, a page per quarter, each lesson linking back to its record.",
            quarters: rows, hasQuarters: !rows.isEmpty,
            groupsHeading: latest.map { "Latest quarter: " + $0.quarter.title }, groups: groups,
            hasLessons: !groups.isEmpty, newerQuarter: nil, olderQuarter: nil, moreLessons: more, pager: nil)
    }

    /// Page `page` of one quarter's lessons, grouped as on the landing page, newest first.
    func lessonsQuarterPage(
        _ index: Int, of quarters: [(quarter: Quarter, runs: [Int], incidents: [Int])], page: Int = 0
    ) -> LessonsPage {
        let root = PageParts.nestedRoot
        let entry = quarters[index]
        let groups = lessonGroups(runs: entry.runs, incidents: entry.incidents, page: page)
        let total = lessonCount(entry)
        let pager = PageNavigation(page: page, of: Self.pageCount(total), total: SiteText.count(total, "lesson")) { target in
            Self.fileName(entry.quarter, page: target)
        }
        func link(_ other: Int) -> QuarterLink? {
            guard quarters.indices.contains(other) else { return nil }
            return QuarterLink(href: quarters[other].quarter.id + ".html", title: quarters[other].quarter.title)
        }
        return LessonsPage(
            chrome: parts.chrome(title: "Lessons learned in " + entry.quarter.title, root: root, section: .lessons),
            heading: "Lessons learned in " + entry.quarter.title,
            lede: "What the drill runs and incidents of " + entry.quarter.title
                + " taught the team, newest first, each linking back to its record.",
            quarters: [], hasQuarters: false, groupsHeading: nil, groups: groups, hasLessons: !groups.isEmpty,
            newerQuarter: link(index - 1), olderQuarter: link(index + 1), moreLessons: nil, pager: pager)
    }

    /// Page `page` of the lessons of some runs and incidents (indexes in history order), newest
    /// first, by kind. The lessons are listed in that order (what went well, what could be
    /// improved, next steps, then incidents' lessons) and cut into pages of `lessonsPageSize`; only
    /// the page's own lessons are rendered, and a group cut by a page edge says which of its entries
    /// the page holds.
    private func lessonGroups(runs runIndexes: [Int], incidents incidentIndexes: [Int], page: Int) -> [LessonGroup] {
        let root = PageParts.nestedRoot
        // (record position, lesson text) per kind; a run's position is in `history.runs`, an incident's in `history.incidents`.
        var kinds: [[(record: Int, text: String)]] = [[], [], [], []]
        for runIndex in runIndexes.reversed() {
            let lessons = site.history.runs[runIndex].lessons
            kinds[0] += lessons.wentWell.map { (runIndex, $0) }
            kinds[1] += lessons.couldImprove.map { (runIndex, $0) }
            kinds[2] += lessons.nextSteps.map { (runIndex, $0) }
        }
        for incidentIndex in incidentIndexes.reversed() {
            kinds[3] += site.history.incidents[incidentIndex].lessonsLearned.map { (incidentIndex, $0) }
        }
        let titles = [
            ("went-well", "What went well"), ("could-improve", "What could be improved"), ("next-steps", "Next steps"),
            ("incidents", "Lessons from incidents"),
        ]
        let first = page * Self.lessonsPageSize
        let last = first + Self.lessonsPageSize
        var groups: [LessonGroup] = []
        var offset = 0
        for (kind, entries) in kinds.enumerated() {
            defer { offset += entries.count }
            let lower = max(first, offset)
            let upper = min(last, offset + entries.count)
            guard lower < upper else { continue }
            let shown = lower..<upper
            let slice = entries[(lower - offset)..<(upper - offset)]
            let items = slice.map { entry -> LessonRow in
                // Fields read in place: a whole run or incident copied per lesson was most of this loop.
                if kind < 3 {
                    let runs = site.history.runs
                    let drillId = runs[entry.record].drillId
                    return LessonRow(
                        textHTML: site.markdown.inlineHTML(from: entry.text),
                        sourceHref: site.runHref(runs[entry.record].id, root: root) ?? "",
                        sourceTitle: site.drillsById[drillId]?.title ?? drillId, date: parts.day(runs[entry.record].startedAt.localDay))
                }
                let incidents = site.history.incidents
                let id = incidents[entry.record].id
                return LessonRow(
                    textHTML: site.markdown.inlineHTML(from: entry.text),
                    sourceHref: site.incidentHref(id, root: root) ?? "",
                    sourceTitle: id + " (" + incidents[entry.record].severity.rawValue + ", " + incidents[entry.record].type + ")",
                    date: parts.day(incidents[entry.record].declaredAt.localDay))
            }
            let count =
                shown.count == entries.count
                ? SiteText.count(entries.count, "entry", "entries")
                : "entries " + String(shown.lowerBound - offset + 1) + "–" + String(shown.upperBound - offset) + " of "
                    + String(entries.count)
            groups.append(LessonGroup(id: titles[kind].0, title: titles[kind].1, items: items, count: count))
        }
        return groups
    }
}
