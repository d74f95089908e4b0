import DrillbookAnalysis
import DrillbookCharts
import DrillbookMarkdown
import DrillbookModel

/// `index.html`: the dashboard (recent runs, overdue items, this quarter's incidents, trend charts).
struct HomePagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    func pages() -> [PageSpec] {
        [PageSpec(path: SiteSection.home.path, template: "home") { [self] in homePage() }]
    }

    func homePage() -> HomePage {
        let root = ""
        let runs = site.history.runs
        // The headline covers the same 12 months as the charts beside it, leadership runs only.
        let months = Array(site.analysis.months.suffix(12))
        let window = months.reduce(Share.empty) { $0 + $1.passRate }
        let allTime = site.analysis.overall.passRate
        let period = months.first.map { first in
            "last 12 months (" + first.firstDay.iso8601 + " to " + site.asOf.iso8601 + ")"
        } ?? "last 12 months"
        let open = site.actionItems.filter(\.isOpen)
        let overdue = open.filter(\.isOverdue)
        let quarter = site.asOf.quarter
        let quarterIncidents = site.history.incidents.filter { quarter.contains($0.declaredAt.localDay) }
        return HomePage(
            chrome: parts.chrome(title: "Dashboard", root: root, section: .home),
            runCount: SiteText.count(runs.count, "run"),
            passRate: SiteText.percent(window.count, of: window.total),
            passRateLabel: "Pass rate, " + period,
            passedText: String(window.count) + " of " + SiteText.count(window.total, "run") + " passed; all time "
                + SiteText.percent(allTime.count, of: allTime.total) + " (" + String(allTime.count) + " of " + String(allTime.total) + ")",
            localRunsNote: parts.localRunsNote(from: months.first?.firstDay ?? site.asOf, through: site.asOf),
            openActions: String(open.count),
            openActionsSentence: SiteText.count(open.count, "item") + (open.count == 1 ? " is open." : " are open."),
            overdueActions: String(overdue.count), hasOverdue: !overdue.isEmpty,
            quarterTitle: quarter.title, quarterIncidentCount: String(quarterIncidents.count),
            drillCount: SiteText.count(site.history.drills.count, "drill"),
            runs: runs.suffix(8).reversed().map { parts.runRow($0, root: root) }, hasRuns: !runs.isEmpty,
            actions: overdue.prefix(HomePage.overdueShown).map { parts.actionRow($0, root: root) },
            moreOverdue: overdue.count > HomePage.overdueShown
                ? String(overdue.count - HomePage.overdueShown) + " more overdue →" : nil,
            overdueHref: root + ActionView.overdue.path,
            incidents: quarterIncidents.reversed().map { parts.incidentRow($0, root: root) },
            hasIncidents: !quarterIncidents.isEmpty,
            actionsHref: root + SiteSection.actions.path, runsHref: root + SiteSection.runs.path,
            incidentsHref: root + SiteSection.incidents.path, dashboard: dashboardCharts())
    }

    /// Pass rate per month, recovery attainment per month and open vs overdue items, last 12 months.
    func dashboardCharts() -> DashboardCharts {
        let months = Array(site.analysis.months.suffix(12))
        var charts: [ChartBlock] = []
        if !months.isEmpty {
            charts.append(
                ChartBlock(
                    BarChart(
                        id: "home-pass-rate", title: "Pass rate per month",
                        summary: "Share of drill runs that passed, per month, for the last " + SiteText.count(months.count, "month") + ".",
                        categories: months.map(\.id),
                        series: [.init(label: "Runs passed", values: months.map { $0.passRate.percent })],
                        valueTitle: "Runs passed (%)", unit: "%", categoryTitle: "Month", width: 420, height: 240)))
            charts.append(
                ChartBlock(
                    TimeSeriesChart(
                        id: "home-recovery", title: "Recovery within target, per month",
                        summary: "Share of runs that measured recovery time and met the drill's recovery target, per month.",
                        valueTitle: "Within target (%)", unit: "%",
                        series: [
                            .init(
                                label: "Runs within target",
                                points: months.map {
                                    .init(
                                        x: $0.firstDay.startUTC.secondsSince1970, y: $0.recoveryAttainment.percent,
                                        label: $0.id)
                                })
                        ], width: 420, height: 240)))
        }
        let itemMonths = Array(site.analysis.actionItems.months.suffix(12))
        if !itemMonths.isEmpty {
            charts.append(ChartBlock(parts.openOverdueChart(itemMonths, id: "home-burn-down", width: 420, height: 240)))
        }
        let latest = site.analysis.reviews.last
        return DashboardCharts(
            charts: charts, hasCharts: !charts.isEmpty,
            latestReviewHref: latest.map { "reviews/" + $0.quarter.id + ".html" },
            latestReviewTitle: latest.map { $0.quarter.title + ($0.isPartial ? " (so far)" : "") })
    }
}
