import DrillbookContent
import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel

/// One page to render: where it goes, which template renders it, and how to build its model.
///
/// Models are built inside the render task, so Markdown rendering runs in parallel and a page's
/// model lives only while that page is rendered and written. Pages added later (trend charts,
/// quarterly reviews) are more entries in `SiteContext.pages()`.
struct PageSpec: Sendable {
    /// Relative to the output folder, `/`-separated (`runs/2026-03-02-redis.html`).
    var path: String
    /// Template name without extension (`run`).
    var template: String
    /// Fails only when a run's details can no longer be read back from its file.
    var makeModel: @Sendable () throws(SiteBuildError) -> any Sendable
}

/// A file of the site that is data rather than a page (`actions/actions.csv`): written while
/// pages render, piece by piece as `write` hands its text out, with no template (an export of
/// every action item is megabytes; it is never held whole).
struct GeneratedFile: Sendable {
    /// Relative to the output folder, `/`-separated.
    var path: String
    var write: @Sendable (_ emit: (String) -> Void) -> Void
}

/// The top-level sections of the site, in navigation order. Analysis pages will add entries here.
enum SiteSection: String, Sendable, CaseIterable {
    case home, drills, incidents, lessons, actions, reviews, schedule

    var label: String {
        switch self {
        case .home: "Dashboard"
        case .drills: "Drills"
        case .incidents: "Incidents"
        case .lessons: "Lessons learned"
        case .actions: "Action items"
        case .reviews: "Reviews"
        case .schedule: "Schedule"
        }
    }

    /// The section's index page, relative to the output folder.
    var path: String {
        switch self {
        case .home: "index.html"
        case .drills: "drills/index.html"
        case .incidents: "incidents/index.html"
        case .lessons: "lessons/index.html"
        case .actions: "actions/index.html"
        case .reviews: "reviews/index.html"
        case .schedule: "schedule/index.html"
        }
    }
}

/// Everything page models are built from: the history, the day it is described as of, resolved
/// action items, and the checked path slug of every record.
///
/// A class, so the closure of each of the (tens of thousands of) `PageSpec`s holds one reference
/// rather than a copy of every table here.
final class SiteContext: Sendable {
    static let siteTitle = "Drillbook"
    /// Pages live at most one folder deep, so links from them start with `../`.
    static let nestedRoot = "../"

    let history: DrillHistory
    let asOf: CalendarDay
    /// Every figure of the history, computed once per build.
    let analysis: HistoryAnalysis
    /// Action items in the order the tracking tables show them: overdue first, then open before
    /// closed, then by due date and id.
    let actionItems: [TrackedActionItem]
    let markdown = MarkdownRenderer()
    let drillSlugs: [String: String]
    let runSlugs: [String: String]
    let incidentSlugs: [String: String]
    let drillsById: [String: DrillDefinition]
    /// The site's absolute address ending in `/` (`--base-url`), for the feed's `xml:base` and the
    /// sitemap; nil when not given (then no sitemap is written).
    let baseURL: String?
    /// Page slug of every action item (`ai-2026-014`), by id.
    let actionSlugs: [String: String]
    /// Titles and files of the runs and incidents that raised action items.
    let actionSources: ActionItemSourceIndex
    /// Look-ups built once, so pages that cross-reference records cost O(1) per reference
    /// rather than a scan of every run, incident or action item (quadratic on large sites).
    let lookups: SiteLookups

    /// Checks that every id gives a usable, unique path segment, and the base URL when given.
    init(
        history: DrillHistory, asOf: CalendarDay, baseURL: String? = nil
    ) throws(SiteBuildError) {
        self.history = history
        self.asOf = asOf
        self.baseURL = try Self.normalisedBaseURL(baseURL)
        self.analysis = HistoryAnalysis(history: history, asOf: asOf)
        self.actionItems = analysis.actionItems.items.sorted { a, b in
            if a.isOverdue != b.isOverdue { return a.isOverdue }
            if a.isOpen != b.isOpen { return a.isOpen }
            return (a.dueDate, a.id, a.source.id) < (b.dueDate, b.id, b.source.id)
        }
        self.drillSlugs = try Self.slugs(history.drills.map(\.id), kind: .drill)
        self.runSlugs = try Self.slugs(history.runs.map(\.id), kind: .run)
        self.incidentSlugs = try Self.slugs(history.incidents.map(\.id), kind: .incident)
        var drills: [String: DrillDefinition] = [:]
        for drill in history.drills where drills[drill.id] == nil { drills[drill.id] = drill }
        self.drillsById = drills
        self.actionSlugs = try Self.actionSlugs(analysis.actionItems.items.map(\.id))
        self.actionSources = ActionItemSourceIndex(history: history)
        self.lookups = SiteLookups(history: history, actionItems: actionItems)
    }

    /// The page name of every id of one kind. `check` reports the same problems first, with the
    /// file and line (`PageSlug`), so these errors only stop a history that was never checked.
    static func slugs(_ ids: [String], kind: PageSlug.Kind) throws(SiteBuildError) -> [String: String] {
        var byId: [String: String] = [:]
        var owners: [String: String] = kind == .actionItem ? [:] : ["index": "(the section index page)"]
        for id in Set(ids).sorted() {
            if let problem = PageSlug.problem(id: id, kind: kind) {
                throw SiteBuildError(step: .buildViewModels, path: id, message: problem)
            }
            guard let slug = PageSlug.slug(id) else { continue }
            if let other = owners[slug], other != id {
                throw SiteBuildError(
                    step: .buildViewModels, path: id,
                    message: "the \(kind.rawValue) ids \"\(other)\" and \"\(id)\" would both be written to \(kind.folder)/\(slug).html; rename one")
            }
            owners[slug] = id
            byId[id] = slug
        }
        return byId
    }

    // MARK: - Links and chrome

    func drillHref(_ id: String, root: String) -> String? { drillSlugs[id].map { root + "drills/" + $0 + ".html" } }
    func runHref(_ id: String, root: String) -> String? { runSlugs[id].map { root + "runs/" + $0 + ".html" } }
    func incidentHref(_ id: String, root: String) -> String? {
        incidentSlugs[id].map { root + "incidents/" + $0 + ".html" }
    }

    func chrome(title: String, root: String, section: SiteSection?) -> PageChrome {
        PageChrome(
            root: root, title: title, siteTitle: Self.siteTitle, asOf: asOf.iso8601,
            nav: SiteSection.allCases.map { NavLink(href: root + $0.path, label: $0.label, current: $0 == section) })
    }

    /// Every page of the site, sorted by path.
    func pages() -> [PageSpec] {
        var specs: [PageSpec] = [
            PageSpec(path: SiteSection.home.path, template: "home") { [self] in homePage() },
            PageSpec(path: SiteSection.drills.path, template: "drills") { [self] in drillCataloguePage() },
            PageSpec(path: SiteSection.reviews.path, template: "reviews") { [self] in reviewsPage() },
            PageSpec(path: SiteSection.schedule.path, template: "schedule") { [self] in schedulePage() },
            PageSpec(path: "feed.xml", template: "feed") { [self] () throws(SiteBuildError) in try feedPage() },
        ]
        for page in 0..<incidentsPageCount {
            specs.append(PageSpec(path: Self.incidentsPagePath(page), template: "incidents") { [self] in incidentsPage(page: page) })
        }
        let quarters = lessonQuarters()
        specs.append(PageSpec(path: SiteSection.lessons.path, template: "lessons") { [self] in lessonsPage(quarters: quarters) })
        for index in quarters.indices {
            specs.append(PageSpec(path: Self.lessonsPath(quarters[index].quarter), template: "lessons") { [self] in
                lessonsQuarterPage(index, of: quarters)
            })
        }
        specs += actionPageSpecs()
        for review in analysis.reviews {
            specs.append(PageSpec(path: Self.reviewsFolder + review.quarter.id + ".html", template: "review") { [self] in
                reviewPage(review)
            })
        }
        for drill in history.drills where drillsById[drill.id] == drill {
            let slug = drillSlugs[drill.id]!
            specs.append(PageSpec(path: Self.drillRunsPath(slug: slug, page: 0), template: "drill") { [self] in
                drillPage(drill)
            })
            let runCount = analysis.drill(id: drill.id)?.runIds.count ?? 0
            for page in 1..<Self.drillRunPageCount(runCount) {
                specs.append(PageSpec(path: Self.drillRunsPath(slug: slug, page: page), template: "drill-runs") { [self] in
                    drillRunsPage(drill, page: page)
                })
            }
        }
        // Closures capture positions, not records: ten thousand captured runs were ten thousand
        // copies of their fields, retained until the end of the build.
        for index in history.runs.indices {
            specs.append(PageSpec(path: "runs/" + runSlugs[history.runs[index].id]! + ".html", template: "run") { [self] () throws(SiteBuildError) in
                try runPage(history.runs[index])
            })
        }
        for index in history.incidents.indices {
            specs.append(
                PageSpec(path: "incidents/" + incidentSlugs[history.incidents[index].id]! + ".html", template: "incident") {
                    [self] in incidentPage(history.incidents[index])
                })
        }
        // Duplicate record ids map to one path: keep the first so the output stays deterministic.
        var seen: Set<String> = []
        specs = specs.filter { seen.insert($0.path).inserted }
        if baseURL != nil {
            let paths = specs.map(\.path)
            specs.append(PageSpec(path: "sitemap.xml", template: "sitemap") { [self] in sitemapPage(paths: paths) })
        }
        return specs.sorted { $0.path < $1.path }
    }

    /// Every data file of the site (the action exports), sorted by path.
    func generatedFiles() -> [GeneratedFile] {
        actionExportFiles().sorted { $0.path < $1.path }
    }

    // MARK: - Shared rows

    /// The whole record of `run`, with the details the loader read with it.
    func withDetails(_ run: RunOverview) throws(SiteBuildError) -> DrillRun { history.fullRun(run) }

    /// The first run with `id` (an O(1) look-up).
    func run(withId id: String) -> RunOverview? { lookups.runIndexById[id].map { history.runs[$0] } }

    func time(_ timestamp: Timestamp) -> TimeText {
        TimeText(text: SiteText.localTime(timestamp), iso: timestamp.iso8601)
    }

    func day(_ day: CalendarDay) -> TimeText { TimeText(text: day.iso8601, iso: day.iso8601) }

    func outcomeBadge(_ outcome: RunOutcome) -> Badge {
        Badge(label: outcome.title, icon: outcome.icon, tone: outcome.rawValue)
    }

    func runRow(_ run: RunOverview, root: String) -> RunRow {
        let drill = drillsById[run.drillId]
        let met = run.criteria.filter { $0.verdict == .met }.count
        return RunRow(
            href: runHref(run.id, root: root) ?? "", id: run.id, drillTitle: drill?.title ?? run.drillId,
            drillHref: drill == nil ? nil : drillHref(run.drillId, root: root), started: time(run.startedAt),
            environment: run.environment, outcome: outcomeBadge(run.outcome),
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

    /// The action items raised by one run or incident, by id.
    func actionItems(fromSource id: String) -> [TrackedActionItem] {
        (lookups.actionItemsBySource[id] ?? []).map { actionItems[$0] }
    }

    /// A short name of where an item was raised (`Redis Sentinel Failover, 2026-03-02`, `INC-2026-019 (P1)`).
    func sourceTitle(_ source: ActionItemSource) -> String { actionSources.title(of: source) }

    func actionRow(_ entry: TrackedActionItem, root: String) -> ActionRow {
        let sourceHref: String
        switch entry.source.kind {
        case .run: sourceHref = runHref(entry.source.id, root: root) ?? ""
        case .incident: sourceHref = incidentHref(entry.source.id, root: root) ?? ""
        }
        let last = entry.history.last.map { update in
            update.on.iso8601 + ": " + update.status.title + (update.by.map { " (by " + $0 + ")" } ?? "")
        }
        return ActionRow(
            id: entry.id, href: actionHref(entry.id, root: root), titleHTML: markdown.inlineHTML(from: entry.title),
            owner: entry.owner, priority: entry.priority.shortTitle, age: SiteText.count(entry.ageDays, "day"),
            due: day(entry.dueDate), dueDerived: entry.dueDateIsDerived,
            overdueText: entry.isOverdue ? SiteText.count(entry.daysOverdue, "day") + " overdue" : nil,
            status: statusBadge(entry), closedText: entry.closedOn.map { "closed " + $0.iso8601 },
            isOverdue: entry.isOverdue, sourceHref: sourceHref, sourceTitle: sourceTitle(entry.source),
            notesHTML: entry.original.notes.map { markdown.inlineHTML(from: $0) }, lastUpdate: last)
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
            href: incidentHref(incident.id, root: root) ?? "", id: incident.id,
            severity: severityBadge(incident.severity), type: incident.type, declared: time(incident.declaredAt),
            duration: incident.durationSeconds.map { MetricFormat.duration(seconds: $0) } ?? "ongoing",
            status: incidentStatus(incident))
    }

    /// Markdown list items as inline HTML.
    func items(_ texts: [String]) -> [String] { texts.map { markdown.inlineHTML(from: $0) } }

    /// Optional Markdown as block HTML; nil when absent or blank.
    func block(_ text: String?) -> String? {
        guard let text, !text.trimmingSpaces.isEmpty else { return nil }
        return markdown.html(from: text)
    }
}
