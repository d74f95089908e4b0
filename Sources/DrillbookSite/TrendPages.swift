import DrillbookAnalysis
import DrillbookCharts
import DrillbookMarkdown
import DrillbookModel

/// Wording of analysis figures, shared by the drill, review and dashboard pages.
enum TrendText {
    /// `67 %`, or `–` without data.
    static func percent(_ share: Share) -> String { SiteText.percent(share.count, of: share.total) }

    /// A percentage value with no decimals (`71 %`).
    static func wholePercent(_ value: Double) -> String { MetricFormat.value(value.rounded(), unit: "%") }

    /// `+4.2`, `−4.2`, `0`: one decimal, typographic minus.
    static func signed(_ value: Double, decimals: Int = 1) -> String {
        let scale = decimals == 0 ? 1.0 : 10.0
        let rounded = (value * scale).rounded() / scale
        if rounded == 0 { return "0" }
        let magnitude = MetricFormat.number(abs(rounded))
        return (rounded < 0 ? "−" : "+") + magnitude
    }

    /// A duration in seconds as a change per quarter: seconds under 10 minutes, else minutes.
    static func signedDuration(_ seconds: Double) -> String {
        abs(seconds) < 600 ? signed(seconds) + " s" : signed(seconds / 60) + " min"
    }

    /// `Improving: −4.2 s per quarter over 5 runs (−18 % per quarter).`
    static func trendSentence(_ trend: TrendLine, what: String) -> String {
        guard trend.direction != .insufficientData, let slope = trend.slopePerQuarter else {
            return "Not enough data for a trend yet: " + SiteText.count(trend.sampleCount, "measured run")
                + " (" + String(TrendLine.minimumSampleCount) + " needed)."
        }
        var sentence = trend.direction.title + ": " + signedDuration(slope) + " per quarter over "
            + SiteText.count(trend.sampleCount, "run")
        if let relative = trend.relativeChangePerQuarter {
            sentence += " (" + signed(relative * 100, decimals: 0) + " % per quarter)"
        }
        return sentence + " in " + what + "."
    }

    static func trendBadge(_ direction: TrendDirection) -> Badge {
        switch direction {
        case .improving: Badge(label: "Improving", icon: "▼", tone: "passed")
        case .flat: Badge(label: "Flat", icon: "=", tone: "neutral")
        case .worsening: Badge(label: "Worsening", icon: "▲", tone: "failed")
        case .insufficientData: Badge(label: "Not enough data", icon: "○", tone: "not-measured")
        }
    }

    /// `Pass rate rose from 71 % to 85 %.` and friends; nil when either side has no data.
    static func shareSentence(_ name: String, _ current: Share, _ previous: Share) -> String? {
        guard let now = current.percent, let before = previous.percent else { return nil }
        let a = wholePercent(before)
        let b = wholePercent(now)
        if a == b { return name + " stayed at " + b + "." }
        return name + (now > before ? " rose" : " fell") + " from " + a + " to " + b + "."
    }

    /// A headline for a share, with the change in percentage points.
    static func shareHeadline(
        _ label: String, _ current: Share, _ previous: Share, previousTitle: String, detail: String
    ) -> Headline {
        var headline = Headline(
            label: label, value: percent(current), detail: detail, change: "no data for " + previousTitle,
            changeTone: "none", changeIcon: "–")
        if let now = current.percent, let before = previous.percent {
            let points = (now - before).rounded()
            if points == 0 {
                headline.change = "no change on " + previousTitle
                headline.changeTone = "same"
                headline.changeIcon = "="
            } else {
                headline.change = signed(points, decimals: 0) + (abs(points) == 1 ? " point on " : " points on ") + previousTitle
                headline.changeTone = points > 0 ? "better" : "worse"
                headline.changeIcon = points > 0 ? "▲" : "▼"
            }
        } else if current.percent == nil {
            headline.change = "nothing measured"
        }
        return headline
    }

    /// A headline for a count; `higherIsBetter` decides the tone of the change.
    static func countHeadline(
        _ label: String, _ current: Int, _ previous: Int, previousTitle: String, detail: String, higherIsBetter: Bool
    ) -> Headline {
        let change = current - previous
        let tone = change == 0 ? "same" : ((change > 0) == higherIsBetter ? "better" : "worse")
        return Headline(
            label: label, value: String(current), detail: detail,
            change: change == 0 ? "same as " + previousTitle : signed(Double(change), decimals: 0) + " on " + previousTitle,
            changeTone: tone, changeIcon: change == 0 ? "=" : (change > 0 ? "▲" : "▼"))
    }
}

extension SiteContext {
    /// An open item for a drill or review page, linked to its own page (`actionHref`).
    func actionLink(_ entry: TrackedActionItem, root: String) -> ActionLink {
        let age =
            entry.isOverdue
            ? SiteText.count(entry.daysOverdue, "day") + " overdue"
            : (entry.isOpen ? "opened " + SiteText.count(entry.ageDays, "day") + " ago" : "closed")
        return ActionLink(
            id: entry.id, href: actionHref(entry.id, root: root), titleHTML: markdown.inlineHTML(from: entry.title),
            owner: entry.owner, due: day(entry.dueDate), status: statusBadge(entry), age: age)
    }

    func weaknessRow(_ weakness: RecurringWeakness, root: String) -> WeaknessRow {
        let last = weakness.missedRunIds.last
        return WeaknessRow(
            textHTML: markdown.inlineHTML(from: weakness.text), drillTitle: weakness.drillTitle,
            drillHref: drillsById[weakness.drillId] == nil ? nil : drillHref(weakness.drillId, root: root),
            missedText: "missed in " + String(weakness.missed) + " of " + SiteText.count(weakness.evaluated, "run")
                + " (" + TrendText.percent(weakness.missRate) + ")",
            lastMissHref: last.flatMap { runHref($0, root: root) },
            lastMissDay: last.flatMap { id in run(withId: id)?.startedAt.localDay.iso8601 })
    }

    // MARK: - Drill history

    /// The trend charts, figures and tables of one drill's page.
    func drillTrendPanel(_ drill: DrillDefinition) -> DrillTrendPanel {
        let root = Self.nestedRoot
        let stats = analysis.drill(id: drill.id)
        let runs = (stats?.runIds ?? []).compactMap { run(withId: $0) }
        let recovery = stats?.recovery
        let slug = drillSlugs[drill.id] ?? "drill"

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
        let open = analysis.actionItems.items
            .filter { $0.source.kind == .run && runIds.contains($0.source.id) && $0.isOpen }
            .sorted { ($1.isOverdue ? 1 : 0, $0.dueDate, $0.id) < ($0.isOverdue ? 1 : 0, $1.dueDate, $1.id) }
        let weaknesses = analysis.weaknesses.filter { $0.drillId == drill.id }
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
            weaknesses: weaknesses.map { weaknessRow($0, root: root) }, hasWeaknesses: !weaknesses.isEmpty,
            openActions: open.map { actionLink($0, root: root) }, hasOpenActions: !open.isEmpty)
    }

    // MARK: - Drill run history pages

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
            Self.nestedRoot + Self.drillRunsPath(slug: slug, page: target) + "#history"
        }
    }

    /// The history table's rows on page `page`, newest first; `runs` are the drill's runs, oldest first.
    func drillRunRows(_ drill: DrillDefinition, runs: [RunOverview], stats: DrillStatistics?, page: Int) -> [DrillRunTrendRow] {
        let root = Self.nestedRoot
        let recovery = stats?.recovery
        let slug = drillSlugs[drill.id] ?? "drill"
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
                    href: runHref(run.id, root: root) ?? "", started: time(run.startedAt), outcome: outcomeBadge(run.outcome),
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
        let root = Self.nestedRoot
        let stats = analysis.drill(id: drill.id)
        let runs = (stats?.runIds ?? []).compactMap { run(withId: $0) }
        let slug = drillSlugs[drill.id] ?? "drill"
        let count = Self.drillRunPageCount(runs.count)
        let suffix = " (page " + String(page + 1) + " of " + String(count) + ")"
        return DrillRunsPage(
            chrome: chrome(title: drill.title + ": run history" + suffix, root: root, section: .drills),
            title: drill.title, section: drill.playbookSection, category: drill.category.title,
            drillHref: drillHref(drill.id, root: root) ?? "", heading: "Run history" + suffix,
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
        let environments = series.measurements.map { run(withId: $0.runId)?.environment ?? "" }
        let distinct = Array(Set(environments)).sorted()
        var all: [TimeSeriesChart.Series] = distinct.map { environment in
            let points = zip(series.measurements, environments).filter { $0.1 == environment }.map { measurement, _ in
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
            let first = series.measurements.map(\.startedAt.secondsSince1970).min(),
            let last = series.measurements.map(\.startedAt.secondsSince1970).max(), last > first
        {
            let quarters = (last - first) / 86_400 / TrendLine.daysPerQuarter
            all.append(
                .init(
                    label: "Trend",
                    points: [
                        .init(x: first, y: intercept, label: "Trend at first run"),
                        .init(x: last, y: intercept + slope * quarters, label: "Trend at latest run"),
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
        return TimeSeriesChart(
            id: id, title: title, summary: summary, valueTitle: valueTitle, unit: "s", timeTitle: "Run date",
            series: all, target: target, height: 280)
    }

    // MARK: - Dashboard

    /// Pass rate per month, recovery attainment per month and open vs overdue items, last 12 months.
    func dashboardCharts() -> DashboardCharts {
        let months = Array(analysis.months.suffix(12))
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
        let itemMonths = Array(analysis.actionItems.months.suffix(12))
        if !itemMonths.isEmpty {
            charts.append(ChartBlock(openOverdueChart(itemMonths, id: "home-burn-down", width: 420, height: 240)))
        }
        let latest = analysis.reviews.last
        return DashboardCharts(
            charts: charts, hasCharts: !charts.isEmpty,
            latestReviewHref: latest.map { "reviews/" + $0.quarter.id + ".html" },
            latestReviewTitle: latest.map { $0.quarter.title + ($0.isPartial ? " (so far)" : "") })
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
