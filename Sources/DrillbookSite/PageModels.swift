// Flat view models for the Mustache templates: ready-to-print strings, booleans for optional
// sections, and lists of small row structs. No domain types reach a template, so a theme author
// sees only what is printed. Every model is `Encodable` with the synthesized `encode(to:)`:
// `TemplateValueEncoder` turns it into what templates see, so templates see exactly the stored
// properties, under their Swift names (a renamed field is renamed for the templates; the theme's
// name check reports a template that still uses the old name, with its file and line).
//
// Escaping: `{{value}}` is HTML-escaped by DrillbookTemplates as by swift-mustache 2.1.1, its test
// oracle (`&`, `<`, `>`, `"` and `'`), so
// plain strings stay plain here. Fields named `…HTML` hold HTML produced by MarkdownRenderer in
// safe mode and are the only ones templates print with `{{{…}}}`.
//
// Names: Mustache looks a name up the context stack when the current object has no value for it,
// and a nil optional counts as no value. So an optional field of a row never shares its name with
// a field of the page that holds the row.

/// The parts every page shares: the layout reads these.
struct PageChrome: Sendable, Encodable {
    /// `""` for the home page, `"../"` for pages one folder down.
    var root: String
    /// The `<title>` and the page heading.
    var title: String
    var siteTitle: String
    /// The organisation (`site.yaml`), shown beside the site title; nil shows none.
    var organisation: String?
    /// The page's `<meta name="description">` and Open Graph description: plain text.
    var description: String
    /// The page's absolute address (`baseURL` + path), for `rel=canonical` and `og:url`; nil
    /// without a base URL.
    var canonicalURL: String?
    /// `search.html` from this page.
    var searchHref: String
    /// `assets/site.js` from this page: search and table sorting, as progressive enhancement.
    var scriptHref: String
    /// `2026-03-31`, the day the site describes.
    var asOf: String
    /// The zone times on the page are shown in, for the footer (`Times in UTC.`).
    var timeZoneNote: String
    var nav: [NavLink]
}

/// One entry of the main navigation.
struct NavLink: Sendable, Encodable {
    var href: String
    var label: String
    var current: Bool
}

/// An outcome or status shown as a badge: icon and text, so it never relies on colour alone.
struct Badge: Sendable, Encodable {
    var label: String
    var icon: String
    /// CSS modifier, e.g. `passed`, `failed`, `aborted`, `open`, `overdue`.
    var tone: String
}

/// A date or instant with its machine-readable form for `<time datetime>`.
struct TimeText: Sendable, Encodable {
    var text: String
    var iso: String
}

struct RunRow: Sendable, Encodable {
    var href: String
    var id: String
    var drillTitle: String
    var drillHref: String?
    var started: TimeText
    var environment: String
    var outcome: Badge
    var duration: String
    /// `3 of 4 met`.
    var criteria: String
}

struct ActionRow: Sendable, Encodable {
    var id: String
    /// The item's own page (`../actions/ai-2026-014.html`).
    var href: String
    var titleHTML: String
    var owner: String
    var priority: String
    /// Days since it was raised (to closing for closed items), e.g. `29 days`.
    var age: String
    var due: TimeText
    /// True when the due date comes from the priority class.
    var dueDerived: Bool
    /// `22 days overdue`, for overdue items.
    var overdueText: String?
    var status: Badge
    /// `closed 2026-03-20`, for done or cancelled items.
    var closedText: String?
    var isOverdue: Bool
    var sourceHref: String
    var sourceTitle: String
    var notesHTML: String?
    /// The latest update, e.g. `2026-03-20: In progress (by Priya)`.
    var lastUpdate: String?
    /// The item in the team's tracker (http or https only), when known.
    var trackerHref: String?
}

struct IncidentRow: Sendable, Encodable {
    var href: String
    var id: String
    var severity: Badge
    var type: String
    var declared: TimeText
    var duration: String
    var status: Badge
}

// MARK: - Pages

struct HomePage: Sendable, Encodable {
    /// How many overdue items the dashboard lists; the rest are a link away.
    static let overdueShown = 10

    var chrome: PageChrome
    var runCount: String
    var passRate: String
    /// `Pass rate, last 12 months (2025-12-01 to 2026-11-29)`: the headline names its period.
    var passRateLabel: String
    var passedText: String
    /// How many local realisations the figures leave out, when any.
    var localRunsNote: String?
    var openActions: String
    /// `1 item is open`, `5 items are open`.
    var openActionsSentence: String
    var overdueActions: String
    var hasOverdue: Bool
    var quarterTitle: String
    var quarterIncidentCount: String
    var drillCount: String
    var runs: [RunRow]
    var hasRuns: Bool
    /// The most overdue items, at most `HomePage.overdueShown` (named `actions` for the shared
    /// `action-rows` partial).
    var actions: [ActionRow]
    /// `12 more overdue →` when more items are overdue than the dashboard shows.
    var moreOverdue: String?
    /// `actions/overdue.html`, every overdue item.
    var overdueHref: String
    /// This quarter's incidents (named `incidents` for the shared `incident-rows` partial).
    var incidents: [IncidentRow]
    var hasIncidents: Bool
    var actionsHref: String
    var runsHref: String
    var incidentsHref: String
    /// Headline charts and the latest quarterly review (HomePages.swift).
    var dashboard: DashboardCharts
}

struct DrillCard: Sendable, Encodable {
    var href: String
    var title: String
    var section: String?
    var objectiveHTML: String
    var lastOutcome: Badge?
    var lastRun: TimeText?
    var runCount: String
    var allocatedDuration: String
}

struct CategoryGroup: Sendable, Encodable {
    var id: String
    var title: String
    var cadence: String
    var drills: [DrillCard]
}

struct DrillCataloguePage: Sendable, Encodable {
    var chrome: PageChrome
    var groups: [CategoryGroup]
    var hasGroups: Bool
    var drillCount: String
}

struct CriterionRow: Sendable, Encodable {
    var textHTML: String
    var target: String?
    var metric: String?
}

struct DrillPage: Sendable, Encodable {
    var chrome: PageChrome
    var id: String
    var title: String
    var section: String?
    var category: String
    var objectiveHTML: String
    var scenario: [String]
    var hasScenario: Bool
    var expectedBehaviour: [String]
    var hasExpectedBehaviour: Bool
    var criteria: [CriterionRow]
    var hasCriteria: Bool
    var recoveryTarget: String?
    var recoveryMetric: String?
    var recoverySource: String?
    var observabilityChecks: String?
    var allocatedDuration: String
    var environment: String?
    var impactHTML: String?
    var rollbackPlanHTML: String?
    var preparation: [String]
    var hasPreparation: Bool
    var rollback: [String]
    var hasRollback: Bool
    var runs: [RunRow]
    var hasRuns: Bool
    var runSummary: String
    var automated: Bool
    /// Charts, figures and the run table with sparklines (DrillPages.swift).
    var trend: DrillTrendPanel
}

struct ParticipantRow: Sendable, Encodable {
    var name: String
    var role: String
}

struct CriterionResultRow: Sendable, Encodable {
    var verdict: Badge
    var textHTML: String
    var actual: String
    var target: String
    var noteHTML: String?
}

struct MetricRow: Sendable, Encodable {
    var name: String
    var value: String
    var noteHTML: String?
}

struct TimelineRow: Sendable, Encodable {
    var time: TimeText
    var event: String
    var descriptionHTML: String?
}

struct ProbeRow: Sendable, Encodable {
    var name: String
    var phase: String
    var attempts: String
    var failures: String
    var firstSuccess: String
    var lastResult: String
}

struct OutputBlock: Sendable, Encodable {
    var step: String
    var command: String
    var exitStatus: String
    var output: String
    var truncated: Bool
}

struct RunPage: Sendable, Encodable {
    var chrome: PageChrome
    var id: String
    var outcome: Badge
    var drillTitle: String
    var drillHref: String?
    var drillSection: String?
    var environment: String
    var started: TimeText
    var ended: TimeText
    var duration: String
    var allocatedDuration: String?
    var runBy: String?
    var approvedBy: String?
    var abortReasonHTML: String?
    var participants: [ParticipantRow]
    var hasParticipants: Bool
    var summaryHTML: String?
    var criteria: [CriterionResultRow]
    var hasCriteria: Bool
    var criteriaSummary: String
    var metrics: [MetricRow]
    var hasMetrics: Bool
    var timeline: [TimelineRow]
    var hasTimeline: Bool
    var observations: [String]
    var hasObservations: Bool
    var wentWell: [String]
    var couldImprove: [String]
    var nextSteps: [String]
    var hasLessons: Bool
    var actions: [ActionRow]
    var hasActions: Bool
    var probes: [ProbeRow]
    var hasProbes: Bool
    var outputs: [OutputBlock]
    var hasOutputs: Bool
    var incidents: [IncidentRow]
    var hasIncidents: Bool
    /// The evidence series' charts and tables (EvidenceSection.swift); nil when none were kept.
    var evidence: EvidenceSection?
    /// `Chaos Toolkit 1.19.0 journal journal.json` for an imported record.
    var importedFrom: String?
}

struct StatusUpdateBlock: Sendable, Encodable {
    var time: TimeText
    var status: String
    var progress: [String]
    var hasProgress: Bool
    var situationHTML: String?
    var nextSteps: [String]
    var hasNextSteps: Bool
    /// The block's own `Next Update:`; named apart from the page's `nextUpdate` because a nil
    /// value would make Mustache climb the context stack and print the page's one.
    var followUp: String?
}

struct DurationRow: Sendable, Encodable {
    var label: String
    var value: String
    var target: String
    /// `Within target`, `Over target`, `Not recorded`, `No target`.
    var assessment: Badge
    var basis: String
}

struct EscalationStep: Sendable, Encodable {
    var level: String
    var role: String
}

struct IncidentPage: Sendable, Encodable {
    var chrome: PageChrome
    var id: String
    var severity: Badge
    var type: String
    var location: String?
    var status: Badge
    var declared: TimeText
    var started: TimeText?
    var detected: TimeText?
    var acknowledged: TimeText?
    var escalated: TimeText?
    var resolved: TimeText?
    var statedDuration: String?
    var nextUpdate: String?
    var descriptionHTML: String
    var impact: [String]
    var hasImpact: Bool
    var initialResponse: [String]
    var hasInitialResponse: Bool
    var updates: [StatusUpdateBlock]
    var hasUpdates: Bool
    var rootCauseHTML: String?
    var resolutionActions: [String]
    var hasResolutionActions: Bool
    var preventionMeasures: [String]
    var hasPreventionMeasures: Bool
    var lessons: [String]
    var hasLessons: Bool
    var durations: [DurationRow]
    var actions: [ActionRow]
    var hasActions: Bool
    var escalation: [EscalationStep]
    var drillRunHref: String?
    var drillRunId: String?
    var extra: [ParticipantRow]
    var hasExtra: Bool
}

struct IncidentsPage: Sendable, Encodable {
    /// Incidents per page of the index.
    static let pageSize = 200

    var chrome: PageChrome
    /// The page's incidents by severity, P1 first; each group newest first.
    var groups: [IncidentSeverityGroup]
    var hasIncidents: Bool
    var summary: String
    /// Previous and next page when there are more incidents than one page holds.
    var pager: PageNavigation?
}

/// `runs/index.html` (and `runs/index-<n>.html`): every run, newest first.
struct RunsPage: Sendable, Encodable {
    /// Runs per page of the index.
    static let pageSize = 200

    var chrome: PageChrome
    /// Named `runs` for the shared `run-rows` partial.
    var runs: [RunRow]
    var hasRuns: Bool
    /// `71 runs on record, 56 passed`.
    var summary: String
    var pager: PageNavigation?
}

/// One severity's incidents on the incidents index.
struct IncidentSeverityGroup: Sendable, Encodable {
    /// `severity-p1`.
    var anchor: String
    /// `P1: 3 incidents`.
    var heading: String
    var badge: Badge
    /// Named `incidents` for the shared `incident-rows` partial.
    var incidents: [IncidentRow]
}

struct LessonRow: Sendable, Encodable {
    var textHTML: String
    var sourceHref: String
    var sourceTitle: String
    var date: TimeText
}

struct LessonGroup: Sendable, Encodable {
    var id: String
    var title: String
    var items: [LessonRow]
    var count: String
}

/// One quarter on the lessons landing page: how many lessons of each kind it holds.
struct LessonQuarterRow: Sendable, Encodable {
    /// `2026-Q3.html`.
    var href: String
    /// `Q3 2026`.
    var title: String
    var wentWell: String
    var couldImprove: String
    var nextSteps: String
    var fromIncidents: String
    var total: String
}

/// `lessons/index.html` (every quarter's counts and the latest quarter's lessons) and
/// `lessons/<YYYY-Qn>.html` (one quarter's lessons).
struct LessonsPage: Sendable, Encodable {
    var chrome: PageChrome
    /// `Lessons learned` or `Lessons learned in Q3 2026`.
    var heading: String
    var lede: String
    /// The landing page's table of quarters, newest first; empty on a quarter's page.
    var quarters: [LessonQuarterRow]
    var hasQuarters: Bool
    /// `Latest quarter: Q3 2026` above the groups of the landing page.
    var groupsHeading: String?
    var groups: [LessonGroup]
    var hasLessons: Bool
    /// The neighbouring quarters with lessons, on a quarter's page.
    var newerQuarter: QuarterLink?
    var olderQuarter: QuarterLink?
    /// On the landing page, when the latest quarter's lessons go on past its first page: a link to its second page.
    var moreLessons: QuarterLink?
    /// Pages of a quarter with more lessons than one page holds (nil when one page holds them all).
    var pager: PageNavigation?
}

/// A link to a run, labelled (a review's theme drill, a schedule cell).
struct RunLink: Sendable, Encodable {
    var href: String
    var label: String
}

/// A link to another quarter's page.
struct QuarterLink: Sendable, Encodable {
    var href: String
    var title: String
}

/// Links between the pages of a long list (`actions/done.html`, `actions/done-2.html`, …).
struct PageNavigation: Sendable, Encodable {
    /// `Page 2 of 7 · 1234 items`.
    var text: String
    var previousHref: String?
    var nextHref: String?

    /// Nil when everything fits on one page, so short lists look as they always did.
    init?(page: Int, of count: Int, total: String, href: (Int) -> String) {
        guard count > 1 else { return nil }
        text = "Page " + String(page + 1) + " of " + String(count) + " · " + total
        previousHref = page > 0 ? href(page - 1) : nil
        nextHref = page + 1 < count ? href(page + 1) : nil
    }
}

/// `search.html`: a form, and results the theme's script fills in from the index.
struct SearchPage: Sendable, Encodable {
    var chrome: PageChrome
    /// `search-index.js` from this page.
    var indexHref: String
    /// The section indexes, for reading without script.
    var browse: [NavLink]
}

/// `404.html`.
struct NotFoundPage: Sendable, Encodable {
    var chrome: PageChrome
    var browse: [NavLink]
}
