import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel

/// `runs/<slug>.html`: one drill run in full (criteria, metrics, timeline, probes, outputs, lessons).
struct RunPagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    func pages() -> [PageSpec] {
        // Closures capture positions, not records: ten thousand captured runs were ten thousand
        // copies of their fields, retained until the end of the build.
        site.history.runs.indices.map { position in
            PageSpec(path: "runs/" + site.runSlugs[site.history.runs[position].id]! + ".html", template: "run") {
                [self] () throws(SiteBuildError) in try runPage(site.history.runs[position])
            }
        }
            + (0..<runsPageCount).map { page in
                PageSpec(path: Self.runsPagePath(page), template: "runs") { [self] in runsPage(page: page) }
            }
    }

    /// The runs index's pages: `runs/index.html`, then `runs/index-2.html`, ….
    static func runsPagePath(_ page: Int) -> String {
        page == 0 ? SiteSection.runs.path : "runs/index-" + String(page + 1) + ".html"
    }

    var runsPageCount: Int { max(1, (site.history.runs.count + RunsPage.pageSize - 1) / RunsPage.pageSize) }

    /// Every run, newest first, `RunsPage.pageSize` a page.
    func runsPage(page: Int = 0) -> RunsPage {
        let root = PageParts.nestedRoot
        let runs = site.history.runs
        let shown = runs.indices.reversed().dropFirst(page * RunsPage.pageSize).prefix(RunsPage.pageSize)
        let passed = site.lookups.passedRunCount
        let local = site.lookups.localRunCount
        let title = "Drill runs" + (page > 0 ? " (page " + String(page + 1) + " of " + String(runsPageCount) + ")" : "")
        return RunsPage(
            chrome: parts.chrome(
                title: title, root: root, section: .runs,
                description: "Every drill run on record, newest first: " + SiteText.count(runs.count, "run") + "."),
            runs: shown.map { parts.runRow(runs[$0], root: root) }, hasRuns: !runs.isEmpty,
            summary: SiteText.count(runs.count, "run") + " on record, " + String(passed) + " passed"
                + (local > 0 ? "; " + SiteText.count(local, "local realisation") + " (marked local)" : ""),
            pager: PageNavigation(
                page: page, of: runsPageCount, total: SiteText.count(runs.count, "run"), href: { root + Self.runsPagePath($0) }))
    }

    func runPage(_ loaded: RunOverview) throws(SiteBuildError) -> RunPage {
        let run = try site.withDetails(loaded)
        let root = PageParts.nestedRoot
        let drill = site.drillsById[run.drillId]
        let met = run.criteria.filter { $0.verdict == .met }.count
        let missed = run.criteria.filter { $0.verdict == .missed }.count
        let actions = site.actionItems(fromSource: run.id)
        let incidents = site.lookups.incidentsByRun[run.id] ?? []
        return RunPage(
            chrome: parts.chrome(
                title: (drill?.title ?? run.drillId) + ", " + run.startedAt.localDay.iso8601, root: root,
                section: .runs),
            id: run.id, outcome: parts.outcomeBadge(run.outcome), drillTitle: drill?.title ?? run.drillId,
            drillHref: drill == nil ? nil : site.drillHref(run.drillId, root: root), drillSection: drill?.playbookSection,
            environment: run.environment, started: parts.time(run.startedAt), ended: parts.time(run.endedAt),
            duration: MetricFormat.duration(seconds: run.durationSeconds), allocatedDuration: drill?.allocatedDuration,
            runBy: run.runBy, approvedBy: run.approvedBy,
            abortReasonHTML: run.abortReason.map { site.markdown.inlineHTML(from: $0) },
            participants: run.participants.map { ParticipantRow(name: $0.name, role: $0.role) },
            hasParticipants: !run.participants.isEmpty, summaryHTML: parts.block(run.summary, field: "summary"),
            criteria: run.criteria.map { result in
                CriterionResultRow(
                    verdict: Badge(label: result.verdict.title, icon: result.verdict.icon, tone: result.verdict.rawValue),
                    textHTML: site.markdown.inlineHTML(from: result.text),
                    actual: SiteText.actual(result),
                    target: SiteText.target(result.comparison, result.target, unit: result.unit) ?? "judged by the team",
                    noteHTML: result.note.map { site.markdown.inlineHTML(from: $0) })
            },
            hasCriteria: !run.criteria.isEmpty,
            criteriaSummary: String(met) + " met, " + String(missed) + " missed, "
                + String(run.criteria.count - met - missed) + " not measured",
            metrics: run.metrics.map {
                MetricRow(
                    name: $0.name, value: SiteText.metric($0.value, unit: $0.unit), noteHTML: $0.note.map { site.markdown.inlineHTML(from: $0) })
            },
            hasMetrics: !run.metrics.isEmpty,
            timeline: run.timeline.sorted { $0.at < $1.at }.map {
                let at = site.timeZone.converting($0.at)
                return TimelineRow(
                    time: TimeText(
                        text: at.localDay == site.timeZone.converting(run.startedAt).localDay
                            ? SiteText.clockTime(at) : at.localDay.iso8601 + " " + SiteText.clockTime(at),
                        iso: at.iso8601),
                    event: $0.event,
                    descriptionHTML: $0.description.map { site.markdown.inlineHTML(from: $0) })
            },
            hasTimeline: !run.timeline.isEmpty,
            observations: parts.items(run.observations), hasObservations: !run.observations.isEmpty,
            wentWell: parts.items(run.lessons.wentWell), couldImprove: parts.items(run.lessons.couldImprove),
            nextSteps: parts.items(run.lessons.nextSteps), hasLessons: !run.lessons.isEmpty,
            actions: actions.map { parts.actionRow($0, root: root) }, hasActions: !actions.isEmpty,
            probes: run.probes.map {
                ProbeRow(
                    name: $0.name, phase: $0.phase, attempts: String($0.attempts), failures: String($0.failures),
                    firstSuccess: $0.firstSuccessAfterSeconds.map { MetricFormat.duration(seconds: $0) } ?? "–",
                    lastResult: $0.lastResult ?? "–")
            },
            hasProbes: !run.probes.isEmpty,
            outputs: run.outputs.map {
                OutputBlock(
                    step: $0.step, command: $0.command, exitStatus: $0.exitStatus.map { String($0) } ?? "–",
                    output: $0.output, truncated: $0.truncated)
            },
            hasOutputs: !run.outputs.isEmpty,
            incidents: incidents.map { parts.incidentRow($0, root: root) }, hasIncidents: !incidents.isEmpty,
            evidence: EvidenceSection(run: run), importedFrom: run.importedFrom)
    }
}
