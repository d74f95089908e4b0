import DrillbookAnalysis
import DrillbookCharts
import DrillbookMarkdown
import DrillbookModel

/// The chrome, rows, badges and small charts that several page families show alike (a run row on
/// the home, drill and run pages; an action row on every page that lists action items), so a
/// record reads the same wherever it appears.
struct PageParts: Sendable {
    /// Pages live at most one folder deep, so links from them start with `../`.
    static let nestedRoot = "../"

    let site: SiteIndex

    /// The path of the page whose model is being made (`runs/x.html`), set by `SiteBuilder` around
    /// each `PageSpec.makeModel`, so the chrome can name the page's canonical address.
    @TaskLocal static var pagePath: String?

    func chrome(title: String, root: String, section: SiteSection?, description: String? = nil) -> PageChrome {
        let config = site.history.site
        let owner = config.organisation.map { " of " + $0 } ?? ""
        let summary = description ?? (title + ": from the drill and incident records" + owner + ", as of " + site.asOf.iso8601 + ".")
        return PageChrome(
            root: root, title: title, siteTitle: site.siteTitle, organisation: config.organisation,
            description: SiteText.plainLine(summary),
            canonicalURL: site.baseURL.flatMap { base in
                PageParts.pagePath.map { base + ($0 == SiteSection.home.path ? "" : $0) }
            },
            searchHref: root + "search.html", scriptHref: root + "assets/site.js", asOf: site.asOf.iso8601,
            timeZoneNote: "Times in " + site.timeZone.identifier,
            nav: SiteSection.allCases.map { NavLink(href: root + $0.path, label: $0.label, current: $0 == section) })
    }

    /// A time as the site shows it: in the configured zone (`timeZone`, UTC by default).
    func time(_ timestamp: Timestamp) -> TimeText {
        let shown = site.timeZone.converting(timestamp)
        return TimeText(text: SiteText.localTime(shown), iso: shown.iso8601)
    }

    func day(_ day: CalendarDay) -> TimeText { TimeText(text: day.iso8601, iso: day.iso8601) }

    func outcomeBadge(_ outcome: RunOutcome) -> Badge {
        Badge(label: outcome.title, icon: outcome.icon, tone: outcome.rawValue)
    }

    func runRow(_ run: RunOverview, root: String) -> RunRow {
        let drill = site.drillsById[run.drillId]
        let met = run.criteria.filter { $0.verdict == .met }.count
        return RunRow(
            href: site.runHref(run.id, root: root) ?? "", id: run.id, drillTitle: drill?.title ?? run.drillId,
            drillHref: drill == nil ? nil : site.drillHref(run.drillId, root: root), started: time(run.startedAt),
            environment: run.environment + (run.isLocalRealisation ? " (local realisation)" : ""), outcome: outcomeBadge(run.outcome),
            duration: MetricFormat.duration(seconds: run.durationSeconds),
            criteria: run.criteria.isEmpty ? "–" : String(met) + " of " + String(run.criteria.count) + " met")
    }

    func statusBadge(_ entry: TrackedActionItem) -> Badge {
        if entry.isOverdue { return Badge(label: entry.status.title + ", overdue", icon: "!", tone: "overdue") }
        switch entry.status {
        case .open: return Badge(label: "Open", icon: "○", tone: "open")
        case .inProgress: return Badge(label: "In progress", icon: "◐", tone: "progress")
        case .blocked: return Badge(label: "Blocked", icon: "■", tone: "blocked")
        case .done: return Badge(label: "Done", icon: "✔", tone: "done")
        case .cancelled: return Badge(label: "Cancelled", icon: "–", tone: "cancelled")
        }
    }

    func actionRow(_ entry: TrackedActionItem, root: String) -> ActionRow {
        let sourceHref: String
        switch entry.source.kind {
        case .run: sourceHref = site.runHref(entry.source.id, root: root) ?? ""
        case .incident: sourceHref = site.incidentHref(entry.source.id, root: root) ?? ""
        }
        let last = entry.history.last.map { update in
            update.on.iso8601 + ": " + update.status.title + (update.by.map { " (by " + $0 + ")" } ?? "")
        }
        return ActionRow(
            id: entry.id, href: site.actionHref(entry.id, root: root), titleHTML: site.markdown.inlineHTML(from: entry.title),
            owner: entry.owner, priority: entry.priority.shortTitle, age: SiteText.count(entry.ageDays, "day"),
            due: day(entry.dueDate), dueDerived: entry.dueDateIsDerived,
            overdueText: entry.isOverdue ? SiteText.count(entry.daysOverdue, "day") + " overdue" : nil,
            status: statusBadge(entry), closedText: entry.closedOn.map { "closed " + $0.iso8601 },
            isOverdue: entry.isOverdue, sourceHref: sourceHref, sourceTitle: site.sourceTitle(entry.source),
            notesHTML: entry.original.notes.map { site.markdown.inlineHTML(from: $0) }, lastUpdate: last,
            trackerHref: trackerHref(entry))
    }

    /// `1 local realisation (rehearsed on an operator's machine) left out of these figures.`, or
    /// nil when none was (or the configuration counts them).
    func localRunsNote(from first: CalendarDay, through last: CalendarDay) -> String? {
        let count = site.analysis.localRunsLeftOut(from: first, through: last)
        guard count > 0 else { return nil }
        return SiteText.count(count, "local realisation") + " (a drill rehearsed against servers on an operator's machine) "
            + (count == 1 ? "is" : "are") + " left out of these figures; set includeLocalRuns: true in site.yaml to count them."
    }

    /// The item's tracker address: its own `tracker`, else the site's `trackerURL` pattern; only
    /// http and https addresses become links.
    func trackerHref(_ entry: TrackedActionItem) -> String? {
        ActionItemExport.trackerLink(entry.original, site: site.history.site)
    }

    /// Severity with a shape per class (▲ P1, ◆ P2, ● P3, ○ P4), so it reads without colour.
    func severityBadge(_ severity: Severity) -> Badge {
        let icon =
            switch severity {
            case .p1: "▲"
            case .p2: "◆"
            case .p3: "●"
            case .p4: "○"
            }
        return Badge(label: severity.rawValue, icon: icon, tone: severity.rawValue.lowercased())
    }

    func incidentStatus(_ incident: Incident) -> Badge {
        incident.isResolved
            ? Badge(label: "Resolved", icon: "✔", tone: "done") : Badge(label: "Open", icon: "!", tone: "overdue")
    }

    func incidentRow(_ incident: Incident, root: String) -> IncidentRow {
        IncidentRow(
            href: site.incidentHref(incident.id, root: root) ?? "", id: incident.id,
            severity: severityBadge(incident.severity), type: incident.type, declared: time(incident.declaredAt),
            duration: ResponseMeasure.resolve.seconds(of: incident).map { MetricFormat.duration(seconds: $0) }
                ?? (incident.isResolved ? "not recorded" : "ongoing"),
            status: incidentStatus(incident))
    }

    /// Markdown list items as inline HTML.
    func items(_ texts: [String]) -> [String] { texts.map { site.markdown.inlineHTML(from: $0) } }

    /// Optional Markdown as block HTML, headings given ids that start `md-<field>-` and a `#`
    /// permalink (`HeadingAnchors`); nil when absent or blank. `field` names the part of the page
    /// (`summary`, `root-cause`), so ids stay unique on a page that renders several texts.
    func block(_ text: String?, field: String) -> String? {
        guard let text, !text.trimmingSpaces.isEmpty else { return nil }
        return HeadingAnchors.adding(to: site.markdown.html(from: text), prefix: "md-" + field + "-")
    }

    /// A status without the overdue judgement (for history entries).
    func statusBadge(for status: ActionStatus) -> Badge {
        switch status {
        case .open: Badge(label: "Open", icon: "○", tone: "open")
        case .inProgress: Badge(label: "In progress", icon: "◐", tone: "progress")
        case .blocked: Badge(label: "Blocked", icon: "■", tone: "blocked")
        case .done: Badge(label: "Done", icon: "✔", tone: "done")
        case .cancelled: Badge(label: "Cancelled", icon: "–", tone: "cancelled")
        }
    }

    /// An open item for a drill or review page, linked to its own page (`actionHref`).
    func actionLink(_ entry: TrackedActionItem, root: String) -> ActionLink {
        let age =
            entry.isOverdue
            ? SiteText.count(entry.daysOverdue, "day") + " overdue"
            : (entry.isOpen ? "opened " + SiteText.count(entry.ageDays, "day") + " ago" : "closed")
        return ActionLink(
            id: entry.id, href: site.actionHref(entry.id, root: root), titleHTML: site.markdown.inlineHTML(from: entry.title),
            owner: entry.owner, due: day(entry.dueDate), status: statusBadge(entry), age: age)
    }

    func weaknessRow(_ weakness: RecurringWeakness, root: String) -> WeaknessRow {
        let last = weakness.missedRunIds.last
        return WeaknessRow(
            textHTML: site.markdown.inlineHTML(from: weakness.text), drillTitle: weakness.drillTitle,
            drillHref: site.drillsById[weakness.drillId] == nil ? nil : site.drillHref(weakness.drillId, root: root),
            missedText: "missed in " + String(weakness.missed) + " of " + SiteText.count(weakness.evaluated, "run")
                + " (" + TrendText.percent(weakness.missRate) + ")",
            lastMissHref: last.flatMap { site.runHref($0, root: root) },
            lastMissDay: last.flatMap { id in site.run(withId: id)?.startedAt.localDay.iso8601 })
    }

    /// Open action items at each month end, split into overdue and not yet due (stacked bars).
    func openOverdueChart(_ months: [ActionItemMonth], id: String, width: Double = 640, height: Double = 300) -> BarChart {
        let last = months.last
        return BarChart(
            id: id, title: "Open action items at month end",
            summary: "Open action items at the end of each month, split into not yet due (bottom) and overdue (top)"
                + (last.map { "; " + String($0.openAtEnd) + " open and " + String($0.overdueAtEnd) + " overdue in " + $0.id } ?? "")
                + ".",
            categories: months.map(\.id),
            series: [
                .init(label: "Open, not overdue", values: months.map { Double($0.openAtEnd - $0.overdueAtEnd) }),
                .init(label: "Overdue", values: months.map { Double($0.overdueAtEnd) }),
            ],
            stacked: true, valueTitle: "Open items (count)", unit: "items", categoryTitle: "Month", width: width,
            height: height)
    }
}
