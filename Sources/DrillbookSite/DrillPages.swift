import DrillbookAnalysis
import DrillbookCharts
import DrillbookMarkdown
import DrillbookModel

/// `drills/index.html` (the catalogue), `drills/<slug>.html` (a drill, its trend and its newest
/// runs) and `drills/<slug>-runs-<n>.html` (older runs of a drill).
struct DrillPagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    func pages() -> [PageSpec] {
        var specs = [PageSpec(path: SiteSection.drills.path, template: "drills") { [self] in drillCataloguePage() }]
        for drill in site.history.drills where site.drillsById[drill.id] == drill {
            let slug = site.drillSlugs[drill.id]!
            specs.append(PageSpec(path: Self.drillRunsPath(slug: slug, page: 0), template: "drill") { [self] in
                drillPage(drill)
            })
            let runCount = site.analysis.drill(id: drill.id)?.runIds.count ?? 0
            for page in 1..<Self.drillRunPageCount(runCount) {
                specs.append(PageSpec(path: Self.drillRunsPath(slug: slug, page: page), template: "drill-runs") { [self] in
                    drillRunsPage(drill, page: page)
                })
            }
        }
        return specs
    }

    func drillCataloguePage() -> DrillCataloguePage {
        let root = PageParts.nestedRoot
        let drills = site.history.drills.filter { site.drillsById[$0.id] == $0 }
        let groups = DrillCategory.allCases.compactMap { category -> CategoryGroup? in
            let members = drills.filter { $0.category == category }
                .sorted { ($0.playbookSection ?? "~", $0.id) < ($1.playbookSection ?? "~", $1.id) }
            guard !members.isEmpty else { return nil }
            return CategoryGroup(
                id: category.rawValue, title: category.title,
                cadence: category.isQuarterlyTheme ? "Quarterly theme" : "Monthly drill",
                drills: members.map { drill in
                    let runs = site.history.runs(ofDrill: drill.id)
                    return DrillCard(
                        href: site.drillHref(drill.id, root: root) ?? "", title: drill.title, section: drill.playbookSection,
                        objectiveHTML: parts.block(drill.objective, field: (site.drillSlugs[drill.id] ?? "drill") + "-objective") ?? "",
                        lastOutcome: runs.last.map { parts.outcomeBadge($0.outcome) },
                        lastRun: runs.last.map { parts.day($0.startedAt.localDay) },
                        runCount: SiteText.count(runs.count, "run"), allocatedDuration: drill.allocatedDuration)
                })
        }
        return DrillCataloguePage(
            chrome: parts.chrome(title: "Drill catalogue", root: root, section: .drills), groups: groups,
            hasGroups: !groups.isEmpty, drillCount: SiteText.count(drills.count, "drill"))
    }

    func drillPage(_ drill: DrillDefinition) -> DrillPage {
        let root = PageParts.nestedRoot
        let runs = site.history.runs(ofDrill: drill.id)
        let passed = runs.filter { $0.outcome == .passed }.count
        let recovery = drill.recoveryTarget
        return DrillPage(
            chrome: parts.chrome(title: drill.title, root: root, section: .drills), id: drill.id, title: drill.title,
            section: drill.playbookSection, category: drill.category.title,
            objectiveHTML: parts.block(drill.objective, field: "objective") ?? "",
            scenario: parts.items(drill.scenario), hasScenario: !drill.scenario.isEmpty,
            expectedBehaviour: parts.items(drill.expectedBehaviour), hasExpectedBehaviour: !drill.expectedBehaviour.isEmpty,
            criteria: drill.successCriteria.map {
                CriterionRow(
                    textHTML: site.markdown.inlineHTML(from: $0.text),
                    target: SiteText.target($0.comparison, $0.metricTarget?.target, unit: $0.unit),
                    metric: $0.metricTarget?.metric)
            },
            hasCriteria: !drill.successCriteria.isEmpty,
            recoveryTarget: recovery.map { "≤ " + MetricFormat.duration(seconds: $0.seconds) },
            recoveryMetric: recovery?.metric, recoverySource: recovery?.source,
            observabilityChecks: drill.observabilityChecks.isEmpty
                ? nil : drill.observabilityChecks.joined(separator: "\n"),
            allocatedDuration: drill.allocatedDuration, environment: drill.environment,
            impactHTML: parts.block(drill.impact, field: "impact"), rollbackPlanHTML: parts.block(drill.rollbackPlan, field: "rollback-plan"),
            preparation: parts.items(drill.preparationChecklist), hasPreparation: !drill.preparationChecklist.isEmpty,
            rollback: parts.items(drill.rollbackChecklist), hasRollback: !drill.rollbackChecklist.isEmpty,
            runs: runs.reversed().map { parts.runRow($0, root: root) }, hasRuns: !runs.isEmpty,
            runSummary: runs.isEmpty
                ? "Not run yet." : String(passed) + " of " + SiteText.count(runs.count, "run") + " passed.",
            automated: drill.execution != nil, trend: drillTrendPanel(drill))
    }

    /// The trend charts, figures and tables of one drill's page.
    func drillTrendPanel(_ drill: DrillDefinition) -> DrillTrendPanel {
        let root = PageParts.nestedRoot
        let stats = site.analysis.drill(id: drill.id)
        let runs = (stats?.runIds ?? []).compactMap { site.run(withId: $0) }
        let recovery = stats?.recovery
        let slug = site.drillSlugs[drill.id] ?? "drill"

        let attainmentText: String
        if let recovery, let target = recovery.targetSeconds {
            attainmentText =
                recovery.measurements.isEmpty
                ? "No run measured " + recovery.metric + " yet."
                : String(recovery.attainment.count) + " of " + SiteText.count(recovery.measurements.count, "measured run")
                    + " recovered within " + MetricFormat.duration(seconds: target)
                    + (recovery.skippedCount > 0 ? "; " + String(recovery.skippedCount) + " did not measure it" : "") + "."
        } else {
            attainmentText = "This drill has no recovery target."
        }

        var usage = "–"
        var usageText = "No run yet."
        if let stats, let median = stats.medianUsedSeconds {
            usage = MetricFormat.duration(seconds: median)
            usageText = "Median time used"
            if let allocated = drill.allocatedSeconds {
                usageText += " of " + MetricFormat.duration(seconds: allocated) + " allocated; "
                    + String(stats.overAllocation.count) + " of " + SiteText.count(stats.overAllocation.total, "run")
                    + " took longer."
            } else {
                usageText += " (allocated: " + drill.allocatedDuration + ")."
            }
        }

        var recoveryChart: ChartBlock?
        if let recovery, !recovery.measurements.isEmpty {
            recoveryChart = ChartBlock(
                measurementChart(
                    recovery, id: slug + "-recovery", title: "Recovery time per run",
                    valueTitle: "Recovery time (s)", drillTitle: drill.title, what: "recovery time"))
        }
        var detectionChart: ChartBlock?
        if let detection = stats?.detection, !detection.measurements.isEmpty {
            detectionChart = ChartBlock(
                measurementChart(
                    detection, id: slug + "-detection", title: "Detection time per run",
                    valueTitle: "Detection time (s)", drillTitle: drill.title, what: "detection time"))
        }

        let pageCount = Self.drillRunPageCount(runs.count)
        let rows = drillRunRows(drill, runs: runs, stats: stats, page: 0)

        let runIds = Set(runs.map(\.id))
        // Positions, not copies: every open item of the drill was copied twice (filter, sort) to show 25.
        let items = site.analysis.actionItems.items
        let open = items.indices
            .filter { items[$0].source.kind == .run && runIds.contains(items[$0].source.id) && items[$0].isOpen }
            .sorted { a, b in
                (items[b].isOverdue ? 1 : 0, items[a].dueDate, items[a].id) < (items[a].isOverdue ? 1 : 0, items[b].dueDate, items[b].id)
            }
        let weaknesses = site.analysis.weaknesses.filter { $0.drillId == drill.id }
        let trend = recovery?.trend ?? TrendLine(points: [])
        return DrillTrendPanel(
            passRate: stats.map { TrendText.percent($0.passRate) } ?? "–",
            passedText: String(stats?.passed ?? 0) + " of " + SiteText.count(runs.count, "run") + " passed",
            attainment: recovery.map { TrendText.percent($0.attainment) } ?? "–", attainmentText: attainmentText,
            trendSentence: recovery == nil
                ? "No recovery metric to follow." : TrendText.trendSentence(trend, what: "recovery time"),
            trend: TrendText.trendBadge(trend.direction), timeUsed: usage, timeUsedText: usageText,
            recoveryChart: recoveryChart, detectionChart: detectionChart,
            hasCharts: recoveryChart != nil || detectionChart != nil, rows: rows,
            pager: drillRunPager(slug: slug, page: 0, of: pageCount, runs: runs.count),
            weaknesses: weaknesses.map { parts.weaknessRow($0, root: root) }, hasWeaknesses: !weaknesses.isEmpty,
            openActions: open.prefix(Self.openActionLimit).map { parts.actionLink(items[$0], root: root) },
            hasOpenActions: !open.isEmpty,
            moreOpenActions: open.count > Self.openActionLimit
                ? SiteText.count(open.count - Self.openActionLimit, "more open item") : nil,
            actionsHref: root + SiteSection.actions.path)
    }

    /// Measured runs a drill's chart plots at most (the latest): a few hundred points keep a chart
    /// readable and the page's size independent of the history's length.
    static let chartRunLimit = 400

    /// Open action items a drill page lists at most (soonest due first); the action-item views list them all.
    static let openActionLimit = 25

    /// Rows of a drill's run history per page: the drill page holds the newest, older runs go
    /// on `drills/<slug>-runs-2.html` and on.
    static let drillRunsPageSize = 200

    static func drillRunPageCount(_ runs: Int) -> Int { max(1, (runs + drillRunsPageSize - 1) / drillRunsPageSize) }

    /// Page `page` (from 0) of a drill's run history, relative to the output folder.
    static func drillRunsPath(slug: String, page: Int) -> String {
        "drills/" + slug + (page == 0 ? "" : "-runs-" + String(page + 1)) + ".html"
    }

    func drillRunPager(slug: String, page: Int, of count: Int, runs: Int) -> PageNavigation? {
        PageNavigation(page: page, of: count, total: SiteText.count(runs, "run")) { target in
            PageParts.nestedRoot + Self.drillRunsPath(slug: slug, page: target) + "#history"
        }
    }

    /// The history table's rows on page `page`, newest first; `runs` are the drill's runs, oldest first.
    func drillRunRows(_ drill: DrillDefinition, runs: [RunOverview], stats: DrillStatistics?, page: Int) -> [DrillRunTrendRow] {
        let root = PageParts.nestedRoot
        let recovery = stats?.recovery
        let slug = site.drillSlugs[drill.id] ?? "drill"
        let newest = runs.count - 1 - page * Self.drillRunsPageSize
        let shown = max(0, newest - Self.drillRunsPageSize + 1)..<max(0, newest + 1)
        let measured = Dictionary(
            (recovery?.measurements ?? []).map { ($0.runId, $0) }, uniquingKeysWith: { first, _ in first })
        let detected = Dictionary(
            (stats?.detection.measurements ?? []).map { ($0.runId, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [DrillRunTrendRow] = []
        for index in shown.reversed() {
            let run = runs[index]
            let measurement = measured[run.id]
            let verdict: Badge? = measurement?.metTarget.map {
                $0
                    ? Badge(label: "Within target", icon: "✔", tone: "met")
                    : Badge(label: "Over target", icon: "✘", tone: "missed")
            }
            let window = runs[max(0, index - 7)...index]
            let points = window.map { earlier in
                Sparkline.Point(
                    label: earlier.startedAt.localDay.iso8601, value: measured[earlier.id]?.seconds,
                    status: measured[earlier.id]?.metTarget.map { $0 ? .pass : .fail } ?? .neutral)
            }
            let spark: String? =
                points.contains { $0.value != nil } && recovery != nil
                ? Sparkline(
                    id: slug + "-spark-" + String(index + 1), title: "Recovery time up to " + run.startedAt.localDay.iso8601,
                    summary: "Recovery times of the last " + SiteText.count(points.count, "run") + " up to this one.",
                    points: Array(points), unit: "s", target: recovery?.targetSeconds
                ).svg() : nil
            let allocated = drill.allocatedSeconds
            let met = run.criteria.filter { $0.verdict == .met }.count
            rows.append(
                DrillRunTrendRow(
                    href: site.runHref(run.id, root: root) ?? "", started: parts.time(run.startedAt), outcome: parts.outcomeBadge(run.outcome),
                    environment: run.environment,
                    recovery: measurement.map { MetricFormat.duration(seconds: $0.seconds) } ?? "not measured",
                    recoveryVerdict: verdict,
                    detection: detected[run.id].map { MetricFormat.duration(seconds: $0.seconds) } ?? "–",
                    timeUsed: MetricFormat.duration(seconds: max(0, run.durationSeconds))
                        + (allocated.map { " of " + MetricFormat.duration(seconds: $0) } ?? ""),
                    overAllocation: allocated.map { run.durationSeconds > $0 } ?? false,
                    criteriaMet: run.criteria.isEmpty ? "–" : String(met) + " of " + String(run.criteria.count) + " met",
                    sparkHTML: spark))
        }
        return rows
    }

    /// A later page of a drill's run history: the table only, linked back to the drill.
    func drillRunsPage(_ drill: DrillDefinition, page: Int) -> DrillRunsPage {
        let root = PageParts.nestedRoot
        let stats = site.analysis.drill(id: drill.id)
        let runs = (stats?.runIds ?? []).compactMap { site.run(withId: $0) }
        let slug = site.drillSlugs[drill.id] ?? "drill"
        let count = Self.drillRunPageCount(runs.count)
        let suffix = " (page " + String(page + 1) + " of " + String(count) + ")"
        return DrillRunsPage(
            chrome: parts.chrome(title: drill.title + ": run history" + suffix, root: root, section: .drills),
            title: drill.title, section: drill.playbookSection, category: drill.category.title,
            drillHref: site.drillHref(drill.id, root: root) ?? "", heading: "Run history" + suffix,
            hasRuns: !runs.isEmpty,
            history: DrillRunHistory(
                rows: drillRunRows(drill, runs: runs, stats: stats, page: page),
                pager: drillRunPager(slug: slug, page: page, of: count, runs: runs.count)))
    }

    /// Measured runs as pass (circle) / fail (cross) points, the least-squares line and the target.
    private func measurementChart(
        _ series: MetricSeries, id: String, title: String, valueTitle: String, drillTitle: String, what: String
    ) -> TimeSeriesChart {
        // Runs of one drill in several environments (staging drills and a local executor run) share
        // the trend; each environment gets its own series, so the chart and its table say which is which.
        // A long history plots its latest runs only, so the page's size does not grow with it; the
        // trend, the counts and the figures above the chart still cover every measured run.
        let plotted = series.measurements.suffix(Self.chartRunLimit)
        let environments = plotted.map { site.run(withId: $0.runId)?.environment ?? "" }
        let distinct = Array(Set(environments)).sorted()
        var all: [TimeSeriesChart.Series] = distinct.map { environment in
            let points = zip(plotted, environments).filter { $0.1 == environment }.map { measurement, _ in
                TimeSeriesChart.Point(
                    x: measurement.startedAt.secondsSince1970, y: measurement.seconds,
                    status: measurement.metTarget.map { $0 ? .pass : .fail } ?? .neutral,
                    label: measurement.day.iso8601 + " (" + measurement.runId + ")")
            }
            let name = environment.isEmpty ? "Unlabelled" : environment.prefix(1).uppercased() + environment.dropFirst()
            let label = distinct.count > 1 ? name + " runs" : "Runs"
            return TimeSeriesChart.Series(label: label, points: points, style: .scatter)
        }
        if let slope = series.trend.slopePerQuarter, let intercept = series.trend.intercept,
            let origin = series.measurements.map(\.startedAt.secondsSince1970).min(),
            let first = plotted.map(\.startedAt.secondsSince1970).min(),
            let last = plotted.map(\.startedAt.secondsSince1970).max(), last > first
        {
            // The fitted line has its origin at the first measured run (TrendLine); it is drawn over the plotted runs.
            func trend(at x: Double) -> Double { intercept + slope * ((x - origin) / 86_400 / TrendLine.daysPerQuarter) }
            all.append(
                .init(
                    label: "Trend",
                    points: [
                        .init(x: first, y: trend(at: first), label: "Trend at first run"),
                        .init(x: last, y: trend(at: last), label: "Trend at latest run"),
                    ], style: .line))
        }
        let target = series.targetSeconds.map {
            TargetLine(value: $0, label: "Target ≤ " + MetricFormat.duration(seconds: $0))
        }
        let within = series.attainment
        var summary = drillTitle + ": " + what + " of " + SiteText.count(series.measurements.count, "measured run")
        if let targetSeconds = series.targetSeconds {
            summary += " against the " + MetricFormat.duration(seconds: targetSeconds) + " target; "
                + String(within.count) + " within target (circles), " + String(within.total - within.count)
                + " over (crosses)"
        }
        summary += ". "
        if distinct.count > 1 {
            summary += "Runs from " + String(distinct.count) + " environments, one series each: "
                + distinct.map { environment in
                    (environment.isEmpty ? "no environment" : environment) + " ("
                        + String(environments.filter { $0 == environment }.count) + ")"
                }.joined(separator: ", ") + "; the trend covers all of them. "
        }
        summary += TrendText.trendSentence(series.trend, what: what)
        if plotted.count < series.measurements.count {
            summary += " The chart shows the latest " + String(plotted.count) + " of "
                + SiteText.count(series.measurements.count, "measured run") + "; the trend and the counts cover all of them."
        }
        return TimeSeriesChart(
            id: id, title: title, summary: summary, valueTitle: valueTitle, unit: "s", timeTitle: "Run date",
            series: all, target: target, height: 280)
    }
}
