// Flat view models of the analysis parts of pages: charts, the drill history and the dashboard, and
// the rows the drill pages share with the quarterly reviews (ReviewPageModels.swift). Same rules as
// PageModels.swift: ready-to-print strings, `…HTML` fields are the only raw ones (SVG and tables
// from DrillbookCharts, which escapes every text itself, or safe-mode Markdown).

import DrillbookCharts
import DrillbookModel

/// A chart with the same data as a table, for the `chart` partial.
///
/// The chart is drawn twice: at the width its page asked for and narrow (`narrowWidth`) for phones
/// and three-up grids, where a wide drawing would shrink its 12 px labels to 4–7 px. The stylesheet
/// shows one of the two by the width of the figure (a container query), so chart text stays at
/// 11 px or more on a 375 px screen; print always uses the wide drawing.
struct ChartBlock: Sendable, Encodable {
    /// Visible above the chart (and its `<title>`, and the table caption).
    var title: String
    /// One sentence computed from the data, e.g. `Nov 2026: runs passed 92 %, up 4 points on Oct 2026.`;
    /// nil when the chart has no data to speak of.
    var takeaway: String?
    /// The inline `<svg>` (role="img", `<title>`, `<desc>`) at the page's width.
    var svgHTML: String
    /// The same chart drawn `narrowWidth` wide (ids suffixed `-narrow`); nil for charts that size
    /// themselves.
    var narrowSVGHTML: String?
    /// `<table class="chart-data">` with the chart's data.
    var tableHTML: String

    /// The width of the phone drawing: at 375 px a figure is about 322 px wide inside its padding,
    /// so 12 px labels draw at 12 px.
    static let narrowWidth = 320.0

    init(_ chart: any SVGChart) {
        title = chart.title
        takeaway = TrendText.takeaway(for: chart)
        svgHTML = chart.svg()
        if let resizable = chart as? any ResizableChart, resizable.width > Self.narrowWidth {
            narrowSVGHTML = Self.narrow(resizable).svg()
        }
        tableHTML = chart.dataTableHTML()
    }

    /// The chart at `narrowWidth`, a little taller so wrapped legend rows leave the plot its height.
    private static func narrow(_ chart: some ResizableChart) -> some ResizableChart {
        chart.resized(width: narrowWidth, height: max(260, chart.height), idSuffix: "narrow")
    }
}

extension ChartColor {
    /// The colour of a severity in charts, the same custom property its badges use
    /// (`--severity-p1` … in `style.css`), with the stylesheet's light-theme value as fallback.
    static func severity(_ severity: Severity) -> ChartColor {
        let fallback: String
        switch severity {
        case .p1: fallback = "#D55E00"
        case .p2: fallback = "#B87700"
        case .p3: fallback = "#0072B2"
        case .p4: fallback = "#CC79A7"
        }
        return ChartColor(variable: "severity-" + severity.rawValue.lowercased(), fallback: fallback)
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
    /// `12 more open items` when there are more than the page lists (`DrillPagesBuilder.openActionLimit`).
    var moreOpenActions: String? = nil
    /// The open action items' list (`../actions/index.html`).
    var actionsHref: String = ""
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
