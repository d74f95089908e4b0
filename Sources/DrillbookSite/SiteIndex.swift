import DrillbookContent
import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel
import Synchronization

/// What every page family builds from: the history, the day it is described as of, its analysis,
/// the resolved action items, the checked page slug of every record and the links made from them,
/// and the look-ups that keep cross-references O(1).
///
/// Built once per build (`SiteBuilder` makes it in the "build view models" step). A class, so the
/// closure of each of the (tens of thousands of) `PageSpec`s holds one reference rather than a copy
/// of every table here.
final class SiteIndex: Sendable {
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
    /// The site title (`site.yaml`'s `title`, or the default).
    let siteTitle: String
    /// The zone times are shown in (`site.yaml`'s `timeZone`, UTC by default).
    let timeZone: SiteTimeZone
    /// Page slug of every action item (`ai-2026-014`), by id.
    let actionSlugs: [String: String]
    /// Titles and files of the runs and incidents that raised action items.
    let actionSources: ActionItemSourceIndex
    /// Look-ups built once, so pages that cross-reference records cost O(1) per reference
    /// rather than a scan of every run, incident or action item (quadratic on large sites).
    let lookups: SiteLookups
    /// The history runs' details are read from (`withDetails`): `history`'s, or those of a later
    /// build that took this index again (`takeDetails(from:)`, `drillbook serve`).
    private let details: Mutex<DrillHistory>

    /// Checks that every id gives a usable, unique path segment, and the base URL when given.
    init(
        history: DrillHistory, asOf: CalendarDay, baseURL: String? = nil
    ) throws(SiteBuildError) {
        self.history = history
        self.asOf = asOf
        // `--base-url` wins over the configuration's `baseURL`, so a preview can be published elsewhere.
        self.baseURL = try Self.normalisedBaseURL(baseURL ?? history.site.baseURL)
        self.siteTitle = history.site.siteTitle
        guard let zone = SiteTimeZone(identifier: history.site.timeZone ?? "UTC") else {
            throw SiteBuildError(
                step: .buildViewModels, path: history.site.timeZone ?? "",
                message: "unknown time zone; expected an IANA name like Europe/London (site.yaml timeZone)")
        }
        self.timeZone = zone
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
        self.actionSlugs = try Self.slugs(analysis.actionItems.items.map(\.id), kind: .actionItem)
        self.actionSources = ActionItemSourceIndex(history: history)
        self.lookups = SiteLookups(history: history, actionItems: actionItems)
        self.details = Mutex(history)
    }

    /// The page name of every id of one kind. `check` reports the same problems first, with the
    /// file and line (`PageSlug`), so these errors only stop a history that was never checked.
    /// The index of `history` taken from `previous` with nothing worked out again, for a history
    /// whose every input but the runs' details is the one `previous` was made from (the build
    /// cache's fingerprint of every file's overview says so, `PageReuse.siteKey`): nothing here
    /// reads a run's details, which `withDetails` then takes from the new history.
    init(reusing previous: SiteIndex, history: DrillHistory) {
        self.history = history
        asOf = previous.asOf
        baseURL = previous.baseURL
        siteTitle = previous.siteTitle
        timeZone = previous.timeZone
        analysis = previous.analysis
        actionItems = previous.actionItems
        drillSlugs = previous.drillSlugs
        runSlugs = previous.runSlugs
        incidentSlugs = previous.incidentSlugs
        drillsById = previous.drillsById
        actionSlugs = previous.actionSlugs
        actionSources = previous.actionSources
        lookups = previous.lookups
        details = Mutex(history)
    }

    /// Makes this index, pages already made from it included, read runs' details from `history`:
    /// for a build whose every input but the runs' details is the one this index was made from
    /// (`PageReuse.siteKey`), so the page list of the build that made it is taken again as well.
    func takeDetails(from history: DrillHistory) {
        details.withLock { $0 = history }
    }

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

    /// A base URL as given to `--base-url`, checked and ending in `/`; nil when absent.
    static func normalisedBaseURL(_ text: String?) throws(SiteBuildError) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingSpaces
        let lower = trimmed.lowercased()
        let schemeEnd = lower.hasPrefix("https://") ? 8 : (lower.hasPrefix("http://") ? 7 : 0)
        let host = trimmed.dropFirst(schemeEnd).prefix { $0 != "/" }
        guard schemeEnd > 0, !host.isEmpty,
            !trimmed.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" || $0 == ">" || $0 == "#" || $0 == "?" || $0.isNewline }),
            // No control characters, nor anything else XML forbids: the address is printed in the feed and sitemap.
            !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0xFFFE || $0.value == 0xFFFF })
        else {
            throw SiteBuildError(
                step: .buildViewModels, path: text,
                message: "the base URL must be an absolute http:// or https:// address without spaces, control characters, query or fragment, like https://drills.example.com/")
        }
        return trimmed.hasSuffix("/") ? trimmed : trimmed + "/"
    }

    // MARK: - Links

    func drillHref(_ id: String, root: String) -> String? { drillSlugs[id].map { Self.href(root, "drills/", $0) } }

    func runHref(_ id: String, root: String) -> String? { runSlugs[id].map { Self.href(root, "runs/", $0) } }

    func incidentHref(_ id: String, root: String) -> String? {
        incidentSlugs[id].map { Self.href(root, "incidents/", $0) }
    }

    func actionHref(_ id: String, root: String) -> String {
        actionSlugs[id].map { Self.href(root, "actions/", $0) } ?? root + ActionView.open.path
    }

    /// `root + folder + slug + ".html"` in one allocation (links are made for every row of every page).
    static func href(_ root: String, _ folder: StaticString, _ slug: String) -> String {
        var href = ""
        href.reserveCapacity(root.utf8.count + folder.utf8CodeUnitCount + slug.utf8.count + 5)
        href += root
        href += folder.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        href += slug
        href += ".html"
        return href
    }

    // MARK: - Look-ups

    /// The whole record of `run`, with the details the loader read with it.
    func withDetails(_ run: RunOverview) throws(SiteBuildError) -> DrillRun { details.withLock { $0.fullRun(run) } }

    /// The first run with `id` (an O(1) look-up).
    func run(withId id: String) -> RunOverview? { lookups.runIndexById[id].map { history.runs[$0] } }

    /// The action items raised by one run or incident, by id.
    func actionItems(fromSource id: String) -> [TrackedActionItem] {
        (lookups.actionItemsBySource[id] ?? []).map { actionItems[$0] }
    }

    /// A short name of where an item was raised (`Redis Sentinel Failover, 2026-03-02`, `INC-2026-019 (P1)`).
    func sourceTitle(_ source: ActionItemSource) -> String { actionSources.title(of: source) }
}
