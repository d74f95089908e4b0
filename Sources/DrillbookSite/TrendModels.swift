// Flat view models of the analysis pages: drill history, quarterly reviews, the schedule, the
// dashboard charts, the Atom feed and the sitemap. Same rules as PageModels.swift: ready-to-print
// strings, `…HTML` fields are the only raw ones (SVG and tables from DrillbookCharts, which escapes
// every text itself, or safe-mode Markdown).

import DrillbookCharts

/// A chart with the same data as a table, for the `chart` partial.
struct ChartBlock: Sendable {
    var title: String
    /// The inline `<svg>` (role="img", `<title>`, `<desc>`).
    var svgHTML: String
    /// `<table class="chart-data">` with the chart's data.
    var tableHTML: String

    init(_ chart: any SVGChart) {
        title = chart.title
        svgHTML = chart.svg()
        tableHTML = chart.dataTableHTML()
    }
}

/// One headline figure with its change against the previous period.
struct Headline: Sendable {
    var label: String
    var value: String
    /// What the value counts, e.g. `9 of 12 planned slots`.
    var detail: String
    /// `+14 points on Q2 2026`, `no change`, `no data for Q2 2026`.
    var change: String
    /// `better`, `worse`, `same`, `none`: the CSS modifier of the change.
    var changeTone: String
    /// `▲`, `▼`, `=` or `–`, so the direction reads without colour.
    var changeIcon: String
}

/// An action item in a short list that links to its entry on the tracking page.
struct ActionLink: Sendable {
    var id: String
    /// `../actions/index.html#AI-2026-007`.
    var href: String
    var titleHTML: String
    var owner: String
    var due: TimeText
    var status: Badge
    /// `34 days overdue`, `opened 12 days ago`.
    var age: String
}

/// A success criterion that keeps failing.
struct WeaknessRow: Sendable {
    var textHTML: String
    var drillTitle: String
    var drillHref: String?
    /// `missed in 3 of 5 runs (60 %)`.
    var missedText: String
    /// The latest run that missed it.
    var lastMissHref: String?
    var lastMissDay: String?
}

// MARK: - Drill history

/// One run in the drill history table.
struct DrillRunTrendRow: Sendable {
    var href: String
    var started: TimeText
    var outcome: Badge
    /// `staging`, `local`, …: runs of one drill in different environments share the trend, so the
    /// table says where each ran.
    var environment: String
    /// `24 s` or `not measured`.
    var recovery: String
    /// Within / over target, nil without a target or a value.
    var recoveryVerdict: Badge?
    var detection: String
    /// `24m 10s of 30m`.
    var timeUsed: String
    var overAllocation: Bool
    /// `3 of 4 met`.
    var criteriaMet: String
    /// Recovery times up to and including this run (at most eight); nil when none was measured.
    var sparkHTML: String?
}

/// The analysis block of a drill page.
struct DrillTrendPanel: Sendable {
    var passRate: String
    /// `4 of 6 runs passed`.
    var passedText: String
    var attainment: String
    /// `5 of 6 measured runs recovered within 30s`.
    var attainmentText: String
    /// `Improving: −4.2 s per quarter over 5 runs (−18 % per quarter).`
    var trendSentence: String
    var trend: Badge
    var timeUsed: String
    var timeUsedText: String
    var recoveryChart: ChartBlock?
    var detectionChart: ChartBlock?
    var hasCharts: Bool
    /// The newest runs (at most `DrillPagesBuilder.drillRunsPageSize`); older ones are on later pages.
    var rows: [DrillRunTrendRow]
    /// Links to the later pages of the run history; nil when every run is on the drill page.
    var pager: PageNavigation?
    var weaknesses: [WeaknessRow]
    var hasWeaknesses: Bool
    var openActions: [ActionLink]
    var hasOpenActions: Bool
}

/// A later page of a drill's run history (`drills/<slug>-runs-2.html`).
struct DrillRunsPage: Sendable {
    var chrome: PageChrome
    var title: String
    var section: String?
    var category: String
    var drillHref: String
    /// `Run history (page 2 of 5)`.
    var heading: String
    var hasRuns: Bool
    var history: DrillRunHistory
}

/// The rows of one page of a drill's run history, and the links to the other pages.
struct DrillRunHistory: Sendable {
    var rows: [DrillRunTrendRow]
    var pager: PageNavigation?
}

// MARK: - Dashboard

/// The charts the dashboard adds under its key figures.
struct DashboardCharts: Sendable {
    var charts: [ChartBlock]
    var hasCharts: Bool
    var latestReviewHref: String?
    /// `Q4 2026 (so far)`.
    var latestReviewTitle: String?
}

// MARK: - Quarterly reviews

/// The theme drill of a quarter.
struct ThemeDrillBlock: Sendable {
    var category: String
    var status: Badge
    var sentence: String
    var runs: [RunLink]
    var hasRuns: Bool
}

struct RunLink: Sendable {
    var href: String
    var label: String
}

/// A row of the incident response table of a review.
struct ResponseRow: Sendable {
    var measure: String
    var target: String
    var median: String
    var withinTarget: String
    var recorded: String
}

struct ReviewPage: Sendable {
    var chrome: PageChrome
    var quarterTitle: String
    var previousTitle: String
    var period: String
    var isPartial: Bool
    var headlines: [Headline]
    /// Plain sentences for a reader who was in none of the drills.
    var summary: [String]
    var charts: [ChartBlock]
    var theme: ThemeDrillBlock?
    var weaknesses: [WeaknessRow]
    var hasWeaknesses: Bool
    var overdue: [ActionLink]
    var hasOverdue: Bool
    var overdueHeading: String
    var responses: [ResponseRow]
    var hasIncidents: Bool
    var incidentSummary: String
    var previousHref: String?
    var nextHref: String?
    var nextTitle: String?
    var previousLinkTitle: String?
}

struct ReviewCard: Sendable {
    var href: String
    var title: String
    var partial: Bool
    var drillsRun: String
    var passRate: String
    var recovery: String
    var incidents: String
    var overdue: String
}

struct ReviewsPage: Sendable {
    var chrome: PageChrome
    var reviews: [ReviewCard]
    var hasReviews: Bool
}

// MARK: - Schedule

/// One cell of the schedule grid.
struct ScheduleCell: Sendable {
    var category: String
    /// `filled`, `missed`, `pending`, `planned` (future), `none` (before the plan starts).
    var state: String
    var status: Badge
    var runs: [RunLink]
    var days: String
}

struct ScheduleMonthRow: Sendable {
    var month: String
    var cells: [ScheduleCell]
}

struct ScheduleQuarterRow: Sendable {
    var quarter: String
    var theme: ScheduleCell
    var planned: String
    var filled: String
    var missed: String
    var pending: String
    var adherence: String
}

struct SchedulePage: Sendable {
    var chrome: PageChrome
    var weekHeadings: [String]
    var months: [ScheduleMonthRow]
    var hasMonths: Bool
    var quarters: [ScheduleQuarterRow]
    var missedCount: String
    var heatmap: ChartBlock?
    var startsOn: String?
}

// MARK: - Feed and sitemap

struct FeedEntry: Sendable {
    var id: String
    var title: String
    var updated: String
    var published: String
    var href: String
    var summary: String
    var category: String
}

struct FeedPage: Sendable {
    var title: String
    var id: String
    var updated: String
    /// The `xml:base` when the site was built with `--base-url`.
    var baseURL: String?
    var entries: [FeedEntry]
}

struct SitemapPage: Sendable {
    var urls: [SitemapURL]
}

struct SitemapURL: Sendable {
    var loc: String
}
