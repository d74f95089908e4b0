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
            specs.append(PageSpec(path: Self.lessonsPath(quarters[position].quarter), template: "lessons") { [self] in
                lessonsQuarterPage(position, of: quarters)
            })
        }
        return specs
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

    static func lessonsPath(_ quarter: Quarter) -> String { "lessons/" + quarter.id + ".html" }

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
        let groups = latest.map { lessonGroups(runs: $0.runs, incidents: $0.incidents) } ?? []
        return LessonsPage(
            chrome: parts.chrome(title: "Lessons learned", root: root, section: .lessons), heading: "Lessons learned",
            lede: "What drill runs and incidents taught the team, a page per quarter, each lesson linking back to its record.",
            quarters: rows, hasQuarters: !rows.isEmpty,
            groupsHeading: latest.map { "Latest quarter: " + $0.quarter.title }, groups: groups,
            hasLessons: !groups.isEmpty, newerQuarter: nil, olderQuarter: nil)
    }

    /// One quarter's lessons, grouped as on the landing page, newest first.
    func lessonsQuarterPage(_ index: Int, of quarters: [(quarter: Quarter, runs: [Int], incidents: [Int])]) -> LessonsPage {
        let root = PageParts.nestedRoot
        let entry = quarters[index]
        let groups = lessonGroups(runs: entry.runs, incidents: entry.incidents)
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
            newerQuarter: link(index - 1), olderQuarter: link(index + 1))
    }

    /// The lessons of some runs and incidents (indexes in history order), newest first, by kind.
    private func lessonGroups(runs runIndexes: [Int], incidents incidentIndexes: [Int]) -> [LessonGroup] {
        let root = PageParts.nestedRoot
        var wentWell: [LessonRow] = []
        var couldImprove: [LessonRow] = []
        var nextSteps: [LessonRow] = []
        var incidentLessons: [LessonRow] = []
        for run in runIndexes.reversed().map({ site.history.runs[$0] }) {
            let title = (site.drillsById[run.drillId]?.title ?? run.drillId)
            func rows(_ texts: [String]) -> [LessonRow] {
                texts.map {
                    LessonRow(
                        textHTML: site.markdown.inlineHTML(from: $0), sourceHref: site.runHref(run.id, root: root) ?? "",
                        sourceTitle: title, date: parts.day(run.startedAt.localDay))
                }
            }
            wentWell += rows(run.lessons.wentWell)
            couldImprove += rows(run.lessons.couldImprove)
            nextSteps += rows(run.lessons.nextSteps)
        }
        for incident in incidentIndexes.reversed().map({ site.history.incidents[$0] }) {
            incidentLessons += incident.lessonsLearned.map {
                LessonRow(
                    textHTML: site.markdown.inlineHTML(from: $0), sourceHref: site.incidentHref(incident.id, root: root) ?? "",
                    sourceTitle: incident.id + " (" + incident.severity.rawValue + ", " + incident.type + ")",
                    date: parts.day(incident.declaredAt.localDay))
            }
        }
        return [
            LessonGroup(id: "went-well", title: "What went well", items: wentWell, count: ""),
            LessonGroup(id: "could-improve", title: "What could be improved", items: couldImprove, count: ""),
            LessonGroup(id: "next-steps", title: "Next steps", items: nextSteps, count: ""),
            LessonGroup(id: "incidents", title: "Lessons from incidents", items: incidentLessons, count: ""),
        ].filter { !$0.items.isEmpty }.map { group in
            var group = group
            group.count = SiteText.count(group.items.count, "entry", "entries")
            return group
        }
    }
}
