import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel

/// `incidents/index.html` and `incidents/index-<n>.html` (every incident, newest first) and
/// `incidents/<slug>.html` (one incident: timeline, response times against target, escalation).
struct IncidentPagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    func pages() -> [PageSpec] {
        var specs = (0..<incidentsPageCount).map { page in
            PageSpec(path: Self.incidentsPagePath(page), template: "incidents") { [self] in incidentsPage(page: page) }
        }
        for position in site.history.incidents.indices {
            specs.append(
                PageSpec(path: "incidents/" + site.incidentSlugs[site.history.incidents[position].id]! + ".html", template: "incident") {
                    [self] in incidentPage(site.history.incidents[position])
                })
        }
        return specs
    }

    func incidentPage(_ incident: Incident) -> IncidentPage {
        let root = PageParts.nestedRoot
        let actions = site.actionItems(fromSource: incident.id)
        let levels = ["Immediate", "Escalation 1", "Escalation 2", "Escalation 3"]
        let escalation = incident.severity.escalationPath.enumerated().map { index, role in
            EscalationStep(level: index < levels.count ? levels[index] : "Escalation " + String(index), role: role)
        }
        let runLink = incident.drillRunId.flatMap { site.runHref($0, root: root) }
        return IncidentPage(
            chrome: parts.chrome(title: "Incident " + incident.id, root: root, section: .incidents),
            id: incident.id, severity: parts.severityBadge(incident.severity), type: incident.type,
            location: incident.location, status: parts.incidentStatus(incident), declared: parts.time(incident.declaredAt),
            started: incident.startedAt.map(parts.time), detected: incident.detectedAt.map(parts.time),
            acknowledged: incident.acknowledgedAt.map(parts.time), escalated: incident.escalatedAt.map(parts.time),
            resolved: incident.resolvedAt.map(parts.time), statedDuration: incident.statedDuration,
            nextUpdate: incident.nextUpdate, descriptionHTML: parts.block(incident.description, field: "description") ?? "",
            impact: parts.items(incident.impact), hasImpact: !incident.impact.isEmpty,
            initialResponse: parts.items(incident.initialResponse), hasInitialResponse: !incident.initialResponse.isEmpty,
            updates: incident.updates.sorted { $0.at < $1.at }.enumerated().map { position, update in
                StatusUpdateBlock(
                    time: parts.time(update.at), status: update.status, progress: parts.items(update.progress),
                    hasProgress: !update.progress.isEmpty, situationHTML: parts.block(update.currentSituation, field: "update-" + String(position + 1)),
                    nextSteps: parts.items(update.nextSteps), hasNextSteps: !update.nextSteps.isEmpty,
                    followUp: update.nextUpdate)
            },
            hasUpdates: !incident.updates.isEmpty, rootCauseHTML: parts.block(incident.rootCause, field: "root-cause"),
            resolutionActions: parts.items(incident.resolutionActions),
            hasResolutionActions: !incident.resolutionActions.isEmpty,
            preventionMeasures: parts.items(incident.preventionMeasures),
            hasPreventionMeasures: !incident.preventionMeasures.isEmpty,
            lessons: parts.items(incident.lessonsLearned), hasLessons: !incident.lessonsLearned.isEmpty,
            durations: durations(incident), actions: actions.map { parts.actionRow($0, root: root) },
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
        // One definition per measure, the one reviews count (`ResponseMeasure`).
        return ResponseMeasure.allCases.map { measure in
            row(
                measure.title, measure.seconds(of: incident), target: measure.targetSeconds(for: incident.severity),
                basis: measure.definition)
        }
    }

    /// The incident index's pages: `incidents/index.html`, then `incidents/index-2.html`, ….
    static func incidentsPagePath(_ page: Int) -> String {
        page == 0 ? SiteSection.incidents.path : "incidents/index-" + String(page + 1) + ".html"
    }

    var incidentsPageCount: Int { max(1, (site.history.incidents.count + IncidentsPage.pageSize - 1) / IncidentsPage.pageSize) }

    func incidentsPage(page: Int = 0) -> IncidentsPage {
        let root = PageParts.nestedRoot
        let open = site.history.incidents.filter { !$0.isResolved }.count
        // By severity (P1 first), newest first within each; pages cut that order.
        let rank = Dictionary(uniqueKeysWithValues: Severity.allCases.enumerated().map { ($0.element, $0.offset) })
        let ordered = site.history.incidents.indices.sorted { a, b in
            let x = site.history.incidents[a]
            let y = site.history.incidents[b]
            if x.severity != y.severity { return rank[x.severity]! < rank[y.severity]! }
            return a > b
        }
        let totals = Dictionary(grouping: site.history.incidents, by: \.severity).mapValues(\.count)
        let shown = ordered.dropFirst(page * IncidentsPage.pageSize).prefix(IncidentsPage.pageSize).map { site.history.incidents[$0] }
        let groups = Severity.allCases.compactMap { severity -> IncidentSeverityGroup? in
            let inside = shown.filter { $0.severity == severity }
            guard !inside.isEmpty else { return nil }
            return IncidentSeverityGroup(
                anchor: "severity-" + severity.rawValue.lowercased(),
                heading: severity.rawValue + ": " + SiteText.count(totals[severity] ?? 0, "incident"),
                badge: parts.severityBadge(severity), incidents: inside.map { parts.incidentRow($0, root: root) })
        }
        let title = "Incidents" + (page > 0 ? " (page " + String(page + 1) + " of " + String(incidentsPageCount) + ")" : "")
        return IncidentsPage(
            chrome: parts.chrome(title: title, root: root, section: .incidents),
            groups: groups,
            hasIncidents: !site.history.incidents.isEmpty,
            summary: SiteText.count(site.history.incidents.count, "incident") + ", " + String(open) + " open",
            pager: PageNavigation(
                page: page, of: incidentsPageCount, total: SiteText.count(site.history.incidents.count, "incident"),
                href: { root + Self.incidentsPagePath($0) }))
    }
}
