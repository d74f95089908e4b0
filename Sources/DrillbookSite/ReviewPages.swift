import DrillbookAnalysis
import DrillbookCharts
import DrillbookMarkdown
import DrillbookModel

/// `reviews/index.html` (every quarter, newest first) and `reviews/<quarter>.html` (a leadership review).
struct ReviewPagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    func pages() -> [PageSpec] {
        [PageSpec(path: SiteSection.reviews.path, template: "reviews") { [self] in reviewsPage() }]
            + site.analysis.reviews.map { review in
                PageSpec(path: Self.reviewsFolder + review.quarter.id + ".html", template: "review") { [self] in reviewPage(review) }
            }
    }

    static let reviewsFolder = "reviews/"

    /// `reviews/index.html`: every quarter, newest first.
    func reviewsPage() -> ReviewsPage {
        let root = PageParts.nestedRoot
        let cards = site.analysis.reviews.reversed().map { review in
            let figures = review.current
            return ReviewCard(
                href: review.quarter.id + ".html", title: review.quarter.title, partial: review.isPartial,
                drillsRun: String(figures.drillsRun) + " of " + String(figures.drillsPlanned) + " planned",
                passRate: TrendText.percent(figures.passRate), recovery: TrendText.percent(figures.recoveryAttainment),
                incidents: String(figures.incidents.count), overdue: String(figures.actionsOverdueAtEnd))
        }
        return ReviewsPage(
            chrome: parts.chrome(title: "Quarterly reviews", root: root, section: .reviews), reviews: cards,
            hasReviews: !cards.isEmpty)
    }

    /// `The share of drills that passed fell from 92.9 % to 91.7 % (−1 point).`: the same
    /// percentages (one decimal) and the same change in points as the headline beside it
    /// (`TrendText.shareHeadline`), so prose and figures never disagree; nil when either side has no data.
    static func shareSentence(_ name: String, _ current: Share, _ previous: Share) -> String? {
        guard let now = current.percent, let before = previous.percent else { return nil }
        let a = TrendText.percent(previous)
        let b = TrendText.percent(current)
        if a == b { return name + " stayed at " + b + "." }
        let points = (now - before).rounded()
        let change =
            points == 0
            ? "less than half a point"
            : TrendText.signed(points, decimals: 0) + (abs(points) == 1 ? " point" : " points")
        return name + (now > before ? " rose" : " fell") + " from " + a + " to " + b + " (" + change + ")."
    }

    /// One quarter's leadership review.
    func reviewPage(_ review: QuarterReview) -> ReviewPage {
        let root = PageParts.nestedRoot
        let now = review.current
        let before = review.previous
        let prevTitle = review.quarter.previous.title
        let title = review.quarter.title + (review.isPartial ? " (so far)" : "")

        let respond = now.incidents.summary(of: .respond)
        let respondBefore = before.incidents.summary(of: .respond)
        let headlines = [
            TrendText.countHeadline(
                "Drills run", now.drillsRun, before.drillsRun, previousTitle: prevTitle,
                detail: String(now.drillsPlanned) + " planned slots; " + String(now.scheduleAdherence.count) + " of "
                    + String(now.scheduleAdherence.total) + " due slots filled",
                higherIsBetter: true),
            TrendText.shareHeadline(
                "Pass rate", now.passRate, before.passRate, previousTitle: prevTitle,
                detail: String(now.passRate.count) + " of " + SiteText.count(now.passRate.total, "run") + " passed"),
            TrendText.shareHeadline(
                "Recovered within target", now.recoveryAttainment, before.recoveryAttainment, previousTitle: prevTitle,
                detail: String(now.recoveryAttainment.count) + " of " + SiteText.count(now.recoveryAttainment.total, "timed run")),
            TrendText.countHeadline(
                "Incidents", now.incidents.count, before.incidents.count, previousTitle: prevTitle,
                detail: severityText(now.incidents), higherIsBetter: false),
            TrendText.shareHeadline(
                "First response within 15 min", respond.withinTarget, respondBefore.withinTarget, previousTitle: prevTitle,
                detail: String(respond.withinTarget.count) + " of " + SiteText.count(respond.withinTarget.total, "incident")
                    + " with a recorded response"),
            TrendText.countHeadline(
                "Action items overdue", now.actionsOverdueAtEnd, before.actionsOverdueAtEnd, previousTitle: prevTitle,
                detail: String(now.actionsOpened) + " opened, " + String(now.actionsClosed) + " closed in the quarter",
                higherIsBetter: false),
        ]

        var summary: [String] = []
        summary.append(
            "The team ran " + SiteText.count(now.drillsRun, "drill") + " against " + String(now.drillsPlanned)
                + " planned" + (before.drillsRun > 0 || before.drillsPlanned > 0
                    ? " (" + String(before.drillsRun) + " in " + prevTitle + ")." : "."))
        summary.append(
            Self.shareSentence("The share of drills that passed", now.passRate, before.passRate)
                ?? (now.passRate.total > 0
                    ? TrendText.percent(now.passRate) + " of drills passed (no drills in " + prevTitle + " to compare)."
                    : "No drill was run, so there is no pass rate."))
        if let recovery = Self.shareSentence(
            "The share of timed drills that recovered within target", now.recoveryAttainment, before.recoveryAttainment)
        {
            summary.append(recovery)
        } else if now.recoveryAttainment.total > 0 {
            summary.append(
                TrendText.percent(now.recoveryAttainment) + " of timed drills recovered within their target.")
        }
        summary.append(
            SiteText.count(now.incidents.count, "incident") + (now.incidents.count == 1 ? " was" : " were")
                + " declared (" + String(before.incidents.count) + " in " + prevTitle + ").")
        summary.append(
            SiteText.count(now.actionsOpened, "follow-up action") + " opened and " + String(now.actionsClosed)
                + " closed; " + String(now.actionsOverdueAtEnd) + " overdue on " + now.measuredOn.iso8601 + ".")

        var theme: ThemeDrillBlock?
        if let slot = now.themeDrill {
            let status: Badge
            let sentence: String
            switch slot.status {
            case .filled:
                status = Badge(label: "Done", icon: "✔", tone: "done")
                sentence = "The quarter's theme drill (" + slot.category.title + ") was run."
            case .missed:
                status = Badge(label: "Missed", icon: "✘", tone: "missed")
                sentence = "The quarter's theme drill (" + slot.category.title + ") was not run."
            case .aborted:
                status = Badge(label: "Aborted", icon: "■", tone: "aborted")
                sentence = "The quarter's theme drill (" + slot.category.title + ") was started but aborted."
            case .pending:
                status = Badge(label: "Not run yet", icon: "○", tone: "open")
                sentence = "The quarter's theme drill (" + slot.category.title + ") has not been run yet; the quarter ends "
                    + slot.lastDay.iso8601 + "."
            }
            let runs = slot.runIds.compactMap { id in
                site.run(withId: id).map { run in
                    RunLink(
                        href: site.runHref(run.id, root: root) ?? "",
                        label: (site.drillsById[run.drillId]?.title ?? run.drillId) + ", " + run.startedAt.localDay.iso8601)
                }
            }
            theme = ThemeDrillBlock(
                category: slot.category.title, status: status, sentence: sentence, runs: runs, hasRuns: !runs.isEmpty)
        }

        let responses = ResponseMeasure.allCases.map { measure in
            let summary = now.incidents.summary(of: measure)
            let target: String
            switch measure {
            case .resolve: target = "≤ 4h (P1), ≤ 24h (P2)"
            default: target = measure.targetSeconds(for: .p1).map { "≤ " + MetricFormat.duration(seconds: $0) } ?? "–"
            }
            return ResponseRow(
                measure: measure.title, definition: measure.definition, target: target,
                median: summary.medianSeconds.map { MetricFormat.duration(seconds: $0) } ?? "–",
                withinTarget: summary.withinTarget.total > 0
                    ? String(summary.withinTarget.count) + " of " + String(summary.withinTarget.total) : "–",
                recorded: String(summary.recorded) + " of " + String(summary.recorded + summary.notRecorded))
        }

        let quarters = site.analysis.reviews.map(\.quarter)
        let index = quarters.firstIndex(of: review.quarter)
        let previous = index.flatMap { $0 > 0 ? quarters[$0 - 1] : nil }
        let next = index.flatMap { $0 + 1 < quarters.count ? quarters[$0 + 1] : nil }
        return ReviewPage(
            chrome: parts.chrome(title: "Quarterly review, " + title, root: root, section: .reviews),
            quarterTitle: title, previousTitle: prevTitle,
            period: review.quarter.firstDay.iso8601 + " to " + now.measuredOn.iso8601, isPartial: review.isPartial,
            localRunsNote: parts.localRunsNote(from: review.quarter.firstDay, through: now.measuredOn),
            headlines: headlines, summary: summary, charts: reviewCharts(review), theme: theme,
            weaknesses: review.topWeaknesses.map { parts.weaknessRow($0, root: root) },
            hasWeaknesses: !review.topWeaknesses.isEmpty,
            overdue: review.oldestOverdue.map { parts.actionLink($0, root: root) }, hasOverdue: !review.oldestOverdue.isEmpty,
            overdueHeading: "Oldest overdue action items on " + now.measuredOn.iso8601, responses: responses,
            hasIncidents: now.incidents.count > 0,
            incidentSummary: now.incidents.count == 0
                ? "No incident was declared in " + review.quarter.title + "."
                : SiteText.count(now.incidents.count, "incident") + ": " + severityText(now.incidents) + ".",
            previousHref: previous.map { $0.id + ".html" }, nextHref: next.map { $0.id + ".html" },
            nextTitle: next?.title, previousLinkTitle: previous?.title)
    }

    /// `1 P1, 2 P2`, or `none`.
    private func severityText(_ group: IncidentGroup) -> String {
        let parts = Severity.allCases.compactMap { severity in
            group.bySeverity[severity].flatMap { $0 > 0 ? String($0) + " " + severity.rawValue : nil }
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// The charts behind a review's headlines: the quarter's months beside the previous quarter's.
    private func reviewCharts(_ review: QuarterReview) -> [ChartBlock] {
        let first = review.quarter.previous.firstDay
        let last = review.current.measuredOn
        let months = site.analysis.months.filter { $0.lastDay >= first && $0.firstDay <= last }
        let id = review.quarter.id.lowercased()
        var charts: [ChartBlock] = []
        let categories = months.map(\.id)
        charts.append(
            ChartBlock(
                BarChart(
                    id: id + "-pass-rate", title: "Pass rate and recovery within target, per month",
                    summary: "For each month of " + review.quarter.previous.title + " and " + review.quarter.title
                        + ": the share of drill runs that passed, and the share of timed runs that recovered within target.",
                    categories: categories,
                    series: [
                        .init(label: "Runs passed", values: months.map { $0.passRate.percent }),
                        .init(label: "Recovered within target", values: months.map { $0.recoveryAttainment.percent }),
                    ],
                    valueTitle: "Share of runs (%)", unit: "%", categoryTitle: "Month", height: 280)))
        let quarters = Array(site.analysis.incidents.byQuarter.filter { $0.id <= review.quarter.id }.suffix(4))
        if !quarters.isEmpty {
            charts.append(
                ChartBlock(
                    BarChart(
                        id: id + "-incidents", title: "Incidents per quarter and severity",
                        summary: "Incidents declared per quarter, stacked by severity (P1 most severe).",
                        categories: quarters.map(\.id),
                        series: Severity.allCases.map { severity in
                            .init(label: severity.rawValue, values: quarters.map { Double($0.bySeverity[severity] ?? 0) }, color: .severity(severity))
                        },
                        stacked: true, valueTitle: "Incidents (count)", unit: "incidents", categoryTitle: "Quarter",
                        height: 280)))
        }
        let itemMonths = site.analysis.actionItems.months.filter { $0.id >= first.monthKey && $0.id <= last.monthKey }
        if !itemMonths.isEmpty {
            charts.append(
                ChartBlock(
                    BurnDownChart(
                        id: id + "-burn-down", title: "Open action items at month end",
                        summary: "Follow-up actions still open at the end of each month: "
                            + itemMonths.map { $0.id + " " + String($0.openAtEnd) }.joined(separator: ", ") + ".",
                        points: itemMonths.map { .init(label: $0.id, value: Double($0.openAtEnd)) },
                        valueTitle: "Open items (count)", unit: "items", categoryTitle: "Month end", height: 260)))
            charts.append(ChartBlock(parts.openOverdueChart(itemMonths, id: id + "-overdue", height: 260)))
        }
        return charts
    }
}
