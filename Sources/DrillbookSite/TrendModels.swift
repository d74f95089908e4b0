// Flat view models of the analysis parts of pages: charts, the drill history and the dashboard, and
// the rows the drill pages share with the quarterly reviews (ReviewPageModels.swift). Same rules as
// PageModels.swift: ready-to-print strings, `…HTML` fields are the only raw ones (SVG and tables
// from DrillbookCharts, which escapes every text itself, or safe-mode Markdown).

import DrillbookCharts

/// A chart with the same data as a table, for the `chart` partial.
struct ChartBlock: Sendable, Encodable {
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

/// An action item in a short list that links to its entry on the tracking page.
struct ActionLink: Sendable, Encodable {
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
struct WeaknessRow: Sendable, Encodable {
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
struct DrillRunTrendRow: Sendable, Encodable {
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
struct DrillTrendPanel: Sendable, Encodable {
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
struct DrillRunsPage: Sendable, Encodable {
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
struct DrillRunHistory: Sendable, Encodable {
    var rows: [DrillRunTrendRow]
    var pager: PageNavigation?
}

// MARK: - Dashboard

/// The charts the dashboard adds under its key figures.
struct DashboardCharts: Sendable, Encodable {
    var charts: [ChartBlock]
    var hasCharts: Bool
    var latestReviewHref: String?
    /// `Q4 2026 (so far)`.
    var latestReviewTitle: String?
}
