import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel

// The page models, one function per page kind.
extension SiteContext {
    func homePage() -> HomePage {
        let root = ""
        let runs = history.runs
        let passed = runs.filter { $0.outcome == .passed }.count
        let open = actionItems.filter(\.isOpen)
        let overdue = open.filter(\.isOverdue)
        let quarter = asOf.quarter
        let quarterIncidents = history.incidents.filter { quarter.contains($0.declaredAt.localDay) }
        return HomePage(
            chrome: chrome(title: "Dashboard", root: root, section: .home),
            runCount: SiteText.count(runs.count, "run"),
            passRate: SiteText.percent(passed, of: runs.count),
            passedText: String(passed) + " of " + SiteText.count(runs.count, "run") + " passed",
            openActions: String(open.count),
            openActionsSentence: SiteText.count(open.count, "item") + (open.count == 1 ? " is open." : " are open."),
            overdueActions: String(overdue.count), hasOverdue: !overdue.isEmpty,
            quarterTitle: quarter.title, quarterIncidentCount: String(quarterIncidents.count),
            drillCount: SiteText.count(history.drills.count, "drill"),
            runs: runs.suffix(8).reversed().map { runRow($0, root: root) }, hasRuns: !runs.isEmpty,
            actions: overdue.prefix(HomePage.overdueShown).map { actionRow($0, root: root) },
            moreOverdue: overdue.count > HomePage.overdueShown
                ? String(overdue.count - HomePage.overdueShown) + " more overdue →" : nil,
            overdueHref: root + ActionView.overdue.path,
            incidents: quarterIncidents.reversed().map { incidentRow($0, root: root) },
            hasIncidents: !quarterIncidents.isEmpty,
            actionsHref: root + SiteSection.actions.path, runsHref: root + SiteSection.drills.path,
            incidentsHref: root + SiteSection.incidents.path, dashboard: dashboardCharts())
    }

    func drillCataloguePage() -> DrillCataloguePage {
        let root = Self.nestedRoot
        let drills = history.drills.filter { drillsById[$0.id] == $0 }
        let groups = DrillCategory.allCases.compactMap { category -> CategoryGroup? in
            let members = drills.filter { $0.category == category }
                .sorted { ($0.playbookSection ?? "~", $0.id) < ($1.playbookSection ?? "~", $1.id) }
            guard !members.isEmpty else { return nil }
            return CategoryGroup(
                id: category.rawValue, title: category.title,
                cadence: category.isQuarterlyTheme ? "Quarterly theme" : "Monthly drill",
                drills: members.map { drill in
                    let runs = history.runs(ofDrill: drill.id)
                    return DrillCard(
                        href: drillHref(drill.id, root: root) ?? "", title: drill.title, section: drill.playbookSection,
                        objectiveHTML: markdown.html(from: drill.objective),
                        lastOutcome: runs.last.map { outcomeBadge($0.outcome) },
                        lastRun: runs.last.map { day($0.startedAt.localDay) },
                        runCount: SiteText.count(runs.count, "run"), allocatedDuration: drill.allocatedDuration)
                })
        }
        return DrillCataloguePage(
            chrome: chrome(title: "Drill catalogue", root: root, section: .drills), groups: groups,
            hasGroups: !groups.isEmpty, drillCount: SiteText.count(drills.count, "drill"))
    }

    func drillPage(_ drill: DrillDefinition) -> DrillPage {
        let root = Self.nestedRoot
        let runs = history.runs(ofDrill: drill.id)
        let passed = runs.filter { $0.outcome == .passed }.count
        let recovery = drill.recoveryTarget
        return DrillPage(
            chrome: chrome(title: drill.title, root: root, section: .drills), id: drill.id, title: drill.title,
            section: drill.playbookSection, category: drill.category.title,
            objectiveHTML: markdown.html(from: drill.objective),
            scenario: items(drill.scenario), hasScenario: !drill.scenario.isEmpty,
            expectedBehaviour: items(drill.expectedBehaviour), hasExpectedBehaviour: !drill.expectedBehaviour.isEmpty,
            criteria: drill.successCriteria.map {
                CriterionRow(
                    textHTML: markdown.inlineHTML(from: $0.text),
                    target: SiteText.target($0.comparison, $0.metricTarget?.target, unit: $0.unit),
                    metric: $0.metricTarget?.metric)
            },
            hasCriteria: !drill.successCriteria.isEmpty,
            recoveryTarget: recovery.map { "≤ " + MetricFormat.duration(seconds: $0.seconds) },
            recoveryMetric: recovery?.metric, recoverySource: recovery?.source,
            observabilityChecks: drill.observabilityChecks.isEmpty
                ? nil : drill.observabilityChecks.joined(separator: "\n"),
            allocatedDuration: drill.allocatedDuration, environment: drill.environment,
            impactHTML: block(drill.impact), rollbackPlanHTML: block(drill.rollbackPlan),
            preparation: items(drill.preparationChecklist), hasPreparation: !drill.preparationChecklist.isEmpty,
            rollback: items(drill.rollbackChecklist), hasRollback: !drill.rollbackChecklist.isEmpty,
            runs: runs.reversed().map { runRow($0, root: root) }, hasRuns: !runs.isEmpty,
            runSummary: runs.isEmpty
                ? "Not run yet." : String(passed) + " of " + SiteText.count(runs.count, "run") + " passed.",
            automated: drill.execution != nil, trend: drillTrendPanel(drill))
    }

    func runPage(_ loaded: RunOverview) throws(SiteBuildError) -> RunPage {
        let run = try withDetails(loaded)
        let root = Self.nestedRoot
        let drill = drillsById[run.drillId]
        let met = run.criteria.filter { $0.verdict == .met }.count
        let missed = run.criteria.filter { $0.verdict == .missed }.count
        let actions = actionItems(fromSource: run.id)
        let incidents = lookups.incidentsByRun[run.id] ?? []
        return RunPage(
            chrome: chrome(
                title: (drill?.title ?? run.drillId) + ", " + run.startedAt.localDay.iso8601, root: root,
                section: .drills),
            id: run.id, outcome: outcomeBadge(run.outcome), drillTitle: drill?.title ?? run.drillId,
            drillHref: drill == nil ? nil : drillHref(run.drillId, root: root), drillSection: drill?.playbookSection,
            environment: run.environment, started: time(run.startedAt), ended: time(run.endedAt),
            duration: MetricFormat.duration(seconds: run.durationSeconds), allocatedDuration: drill?.allocatedDuration,
            runBy: run.runBy, approvedBy: run.approvedBy,
            abortReasonHTML: run.abortReason.map { markdown.inlineHTML(from: $0) },
            participants: run.participants.map { ParticipantRow(name: $0.name, role: $0.role) },
            hasParticipants: !run.participants.isEmpty, summaryHTML: block(run.summary),
            criteria: run.criteria.map { result in
                CriterionResultRow(
                    verdict: Badge(label: result.verdict.title, icon: result.verdict.icon, tone: result.verdict.rawValue),
                    textHTML: markdown.inlineHTML(from: result.text),
                    actual: result.actual.map { SiteText.metric($0, unit: result.unit) } ?? "–",
                    target: SiteText.target(result.comparison, result.target, unit: result.unit) ?? "judged by the team",
                    noteHTML: result.note.map { markdown.inlineHTML(from: $0) })
            },
            hasCriteria: !run.criteria.isEmpty,
            criteriaSummary: String(met) + " met, " + String(missed) + " missed, "
                + String(run.criteria.count - met - missed) + " not measured",
            metrics: run.metrics.map {
                MetricRow(
                    name: $0.name, value: SiteText.metric($0.value, unit: $0.unit), noteHTML: $0.note.map { markdown.inlineHTML(from: $0) })
            },
            hasMetrics: !run.metrics.isEmpty,
            timeline: run.timeline.sorted { $0.at < $1.at }.map {
                TimelineRow(
                    time: TimeText(
                        text: $0.at.localDay == run.startedAt.localDay
                            ? SiteText.clockTime($0.at) : $0.at.localDay.iso8601 + " " + SiteText.clockTime($0.at),
                        iso: $0.at.iso8601),
                    event: $0.event,
                    descriptionHTML: $0.description.map { markdown.inlineHTML(from: $0) })
            },
            hasTimeline: !run.timeline.isEmpty,
            observations: items(run.observations), hasObservations: !run.observations.isEmpty,
            wentWell: items(run.lessons.wentWell), couldImprove: items(run.lessons.couldImprove),
            nextSteps: items(run.lessons.nextSteps), hasLessons: !run.lessons.isEmpty,
            actions: actions.map { actionRow($0, root: root) }, hasActions: !actions.isEmpty,
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
            incidents: incidents.map { incidentRow($0, root: root) }, hasIncidents: !incidents.isEmpty)
    }

    func incidentPage(_ incident: Incident) -> IncidentPage {
        let root = Self.nestedRoot
        let actions = actionItems(fromSource: incident.id)
        let levels = ["Immediate", "Escalation 1", "Escalation 2", "Escalation 3"]
        let escalation = incident.severity.escalationPath.enumerated().map { index, role in
            EscalationStep(level: index < levels.count ? levels[index] : "Escalation " + String(index), role: role)
        }
        let runLink = incident.drillRunId.flatMap { runHref($0, root: root) }
        return IncidentPage(
            chrome: chrome(title: "Incident " + incident.id, root: root, section: .incidents),
            id: incident.id, severity: severityBadge(incident.severity), type: incident.type,
            location: incident.location, status: incidentStatus(incident), declared: time(incident.declaredAt),
            started: incident.startedAt.map(time), detected: incident.detectedAt.map(time),
            acknowledged: incident.acknowledgedAt.map(time), escalated: incident.escalatedAt.map(time),
            resolved: incident.resolvedAt.map(time), statedDuration: incident.statedDuration,
            nextUpdate: incident.nextUpdate, descriptionHTML: markdown.html(from: incident.description),
            impact: items(incident.impact), hasImpact: !incident.impact.isEmpty,
            initialResponse: items(incident.initialResponse), hasInitialResponse: !incident.initialResponse.isEmpty,
            updates: incident.updates.sorted { $0.at < $1.at }.map { update in
                StatusUpdateBlock(
                    time: time(update.at), status: update.status, progress: items(update.progress),
                    hasProgress: !update.progress.isEmpty, situationHTML: block(update.currentSituation),
                    nextSteps: items(update.nextSteps), hasNextSteps: !update.nextSteps.isEmpty,
                    followUp: update.nextUpdate)
            },
            hasUpdates: !incident.updates.isEmpty, rootCauseHTML: block(incident.rootCause),
            resolutionActions: items(incident.resolutionActions),
            hasResolutionActions: !incident.resolutionActions.isEmpty,
            preventionMeasures: items(incident.preventionMeasures),
            hasPreventionMeasures: !incident.preventionMeasures.isEmpty,
            lessons: items(incident.lessonsLearned), hasLessons: !incident.lessonsLearned.isEmpty,
            durations: durations(incident), actions: actions.map { actionRow($0, root: root) },
            hasActions: !actions.isEmpty, escalation: escalation,
            drillRunHref: runLink, drillRunId: incident.drillRunId,
            extra: incident.extra.keys.sorted().map { ParticipantRow(name: $0, role: incident.extra[$0] ?? "") },
            hasExtra: !incident.extra.isEmpty)
    }

    private func durations(_ incident: Incident) -> [DurationRow] {
        func row(_ label: String, _ seconds: Double?, target: Double?, basis: String) -> DurationRow {
            let assessment: Badge
            switch (seconds, target) {
            case (nil, _): assessment = Badge(label: "Not recorded", icon: "○", tone: "not-measured")
            case (let value?, let limit?) where value <= limit: assessment = Badge(label: "Within target", icon: "✔", tone: "met")
            case (_, _?): assessment = Badge(label: "Over target", icon: "✘", tone: "missed")
            case (_, nil): assessment = Badge(label: "No target", icon: "–", tone: "neutral")
            }
            return DurationRow(
                label: label, value: seconds.map { MetricFormat.duration(seconds: $0) } ?? "not recorded",
                target: target.map { "≤ " + MetricFormat.duration(seconds: $0) } ?? "–", assessment: assessment,
                basis: basis)
        }
        let fromDetection = incident.detectedAt == nil ? "declared" : "detected"
        return [
            row("Time to detect", incident.timeToDetectSeconds, target: ResponseTargets.detectionSeconds,
                basis: "started → detected"),
            row("Time to respond", incident.timeToRespondSeconds, target: ResponseTargets.initialResponseSeconds,
                basis: fromDetection + " → acknowledged"),
            row("Time to escalate", incident.timeToEscalateSeconds, target: ResponseTargets.escalationSeconds,
                basis: fromDetection + " → escalated"),
            row("Time to resolve", incident.durationSeconds, target: incident.severity.resolutionTargetSeconds,
                basis: (incident.startedAt == nil ? "declared" : "started") + " → resolved"),
        ]
    }

    /// The incident index's pages: `incidents/index.html`, then `incidents/index-2.html`, ….
    static func incidentsPagePath(_ page: Int) -> String {
        page == 0 ? SiteSection.incidents.path : "incidents/index-" + String(page + 1) + ".html"
    }

    var incidentsPageCount: Int { max(1, (history.incidents.count + IncidentsPage.pageSize - 1) / IncidentsPage.pageSize) }

    func incidentsPage(page: Int = 0) -> IncidentsPage {
        let root = Self.nestedRoot
        let open = history.incidents.filter { !$0.isResolved }.count
        let newestFirst = history.incidents.reversed()
        let shown = newestFirst.dropFirst(page * IncidentsPage.pageSize).prefix(IncidentsPage.pageSize)
        let title = "Incidents" + (page > 0 ? " (page " + String(page + 1) + " of " + String(incidentsPageCount) + ")" : "")
        return IncidentsPage(
            chrome: chrome(title: title, root: root, section: .incidents),
            incidents: shown.map { incidentRow($0, root: root) },
            hasIncidents: !history.incidents.isEmpty,
            summary: SiteText.count(history.incidents.count, "incident") + ", " + String(open) + " open",
            pager: PageNavigation(
                page: page, of: incidentsPageCount, total: SiteText.count(history.incidents.count, "incident"),
                href: { root + Self.incidentsPagePath($0) }))
    }

    /// Runs and incidents with lessons, by the quarter they happened in (newest quarter first),
    /// as indexes into `history.runs` and `history.incidents`.
    func lessonQuarters() -> [(quarter: Quarter, runs: [Int], incidents: [Int])] {
        var byQuarter: [Quarter: (runs: [Int], incidents: [Int])] = [:]
        for (index, run) in history.runs.enumerated() where !run.lessons.isEmpty {
            byQuarter[run.startedAt.localDay.quarter, default: ([], [])].runs.append(index)
        }
        for (index, incident) in history.incidents.enumerated() where !incident.lessonsLearned.isEmpty {
            byQuarter[incident.declaredAt.localDay.quarter, default: ([], [])].incidents.append(index)
        }
        return byQuarter.keys.sorted(by: >).map { ($0, byQuarter[$0]!.runs, byQuarter[$0]!.incidents) }
    }

    static func lessonsPath(_ quarter: Quarter) -> String { "lessons/" + quarter.id + ".html" }

    /// The landing page: every quarter's counts, then the latest quarter's lessons.
    func lessonsPage(quarters: [(quarter: Quarter, runs: [Int], incidents: [Int])]) -> LessonsPage {
        let root = Self.nestedRoot
        let rows = quarters.map { entry in
            let runs = entry.runs.map { history.runs[$0].lessons }
            let wentWell = runs.reduce(0) { $0 + $1.wentWell.count }
            let couldImprove = runs.reduce(0) { $0 + $1.couldImprove.count }
            let nextSteps = runs.reduce(0) { $0 + $1.nextSteps.count }
            let incidents = entry.incidents.reduce(0) { $0 + history.incidents[$1].lessonsLearned.count }
            return LessonQuarterRow(
                href: entry.quarter.id + ".html", title: entry.quarter.title, wentWell: String(wentWell),
                couldImprove: String(couldImprove), nextSteps: String(nextSteps), fromIncidents: String(incidents),
                total: String(wentWell + couldImprove + nextSteps + incidents))
        }
        let latest = quarters.first
        let groups = latest.map { lessonGroups(runs: $0.runs, incidents: $0.incidents) } ?? []
        return LessonsPage(
            chrome: chrome(title: "Lessons learned", root: root, section: .lessons), heading: "Lessons learned",
            lede: "What drill runs and incidents taught the team, a page per quarter, each lesson linking back to its record.",
            quarters: rows, hasQuarters: !rows.isEmpty,
            groupsHeading: latest.map { "Latest quarter: " + $0.quarter.title }, groups: groups,
            hasLessons: !groups.isEmpty, newerQuarter: nil, olderQuarter: nil)
    }

    /// One quarter's lessons, grouped as on the landing page, newest first.
    func lessonsQuarterPage(_ index: Int, of quarters: [(quarter: Quarter, runs: [Int], incidents: [Int])]) -> LessonsPage {
        let root = Self.nestedRoot
        let entry = quarters[index]
        let groups = lessonGroups(runs: entry.runs, incidents: entry.incidents)
        func link(_ other: Int) -> QuarterLink? {
            guard quarters.indices.contains(other) else { return nil }
            return QuarterLink(href: quarters[other].quarter.id + ".html", title: quarters[other].quarter.title)
        }
        return LessonsPage(
            chrome: chrome(title: "Lessons learned in " + entry.quarter.title, root: root, section: .lessons),
            heading: "Lessons learned in " + entry.quarter.title,
            lede: "What the drill runs and incidents of " + entry.quarter.title
                + " taught the team, newest first, each linking back to its record.",
            quarters: [], hasQuarters: false, groupsHeading: nil, groups: groups, hasLessons: !groups.isEmpty,
            newerQuarter: link(index - 1), olderQuarter: link(index + 1))
    }

    /// The lessons of some runs and incidents (indexes in history order), newest first, by kind.
    private func lessonGroups(runs runIndexes: [Int], incidents incidentIndexes: [Int]) -> [LessonGroup] {
        let root = Self.nestedRoot
        var wentWell: [LessonRow] = []
        var couldImprove: [LessonRow] = []
        var nextSteps: [LessonRow] = []
        var incidentLessons: [LessonRow] = []
        for run in runIndexes.reversed().map({ history.runs[$0] }) {
            let title = (drillsById[run.drillId]?.title ?? run.drillId)
            func rows(_ texts: [String]) -> [LessonRow] {
                texts.map {
                    LessonRow(
                        textHTML: markdown.inlineHTML(from: $0), sourceHref: runHref(run.id, root: root) ?? "",
                        sourceTitle: title, date: day(run.startedAt.localDay))
                }
            }
            wentWell += rows(run.lessons.wentWell)
            couldImprove += rows(run.lessons.couldImprove)
            nextSteps += rows(run.lessons.nextSteps)
        }
        for incident in incidentIndexes.reversed().map({ history.incidents[$0] }) {
            incidentLessons += incident.lessonsLearned.map {
                LessonRow(
                    textHTML: markdown.inlineHTML(from: $0), sourceHref: incidentHref(incident.id, root: root) ?? "",
                    sourceTitle: incident.id + " (" + incident.severity.rawValue + ", " + incident.type + ")",
                    date: day(incident.declaredAt.localDay))
            }
        }
        return [
            LessonGroup(id: "went-well", title: "What went well", items: wentWell, count: ""),
            LessonGroup(id: "could-improve", title: "What could be improved", items: couldImprove, count: ""),
            LessonGroup(id: "next-steps", title: "Next steps", items: nextSteps, count: ""),
            LessonGroup(id: "incidents", title: "Lessons from incidents", items: incidentLessons, count: ""),
        ].filter { !$0.items.isEmpty }.map { group in
            var group = group
            group.count = SiteText.count(group.items.count, "entry", "entries")
            return group
        }
    }
}
