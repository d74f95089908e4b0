import DrillbookModel

/// An incident written as the playbook's three templates (INCIDENT DECLARED, STATUS UPDATE,
/// INCIDENT RESOLVED), in the grammar `IncidentText` reads (docs/formats.md, section 3).
///
/// Times are written as `YYYY-MM-DD HH:MM UTC`, so they must fall on whole minutes; action items
/// without a due date get their priority's default due date, as the text form requires one.
enum IncidentTemplateText {
    static func text(of incident: Incident) -> String {
        var lines: [String] = ["INCIDENT DECLARED", "================", ""]
        lines.append("Incident ID: " + incident.id)
        lines.append("Severity: " + incident.severity.rawValue)
        lines.append("Type: " + incident.type)
        if let location = incident.location { lines.append("Location: " + location) }
        lines.append("Time: " + time(incident.declaredAt))
        if let at = incident.startedAt { lines.append("Started: " + time(at)) }
        if let at = incident.detectedAt { lines.append("Detected: " + time(at)) }
        if let at = incident.acknowledgedAt { lines.append("Acknowledged: " + time(at)) }
        if let at = incident.escalatedAt { lines.append("Escalated: " + time(at)) }
        if let run = incident.drillRunId { lines.append("Drill Run: " + run) }
        lines += ["", "Description:", incident.description]
        section("Impact", incident.impact, into: &lines)
        section("Initial Response", incident.initialResponse, into: &lines)
        if let next = incident.nextUpdate { lines += ["", "Next Update: " + next] }

        for update in incident.updates {
            lines += ["", "STATUS UPDATE", "============", ""]
            lines.append("Incident ID: " + incident.id)
            lines.append("Time: " + time(update.at))
            lines.append("Status: " + update.status)
            section("Progress Made", update.progress, into: &lines)
            if let situation = update.currentSituation { lines += ["", "Current Situation:", situation] }
            section("Next Steps", update.nextSteps, into: &lines)
            if let next = update.nextUpdate { lines += ["", "Next Update: " + next] }
        }

        if let resolved = incident.resolvedAt {
            lines += ["", "INCIDENT RESOLVED", "================", ""]
            lines.append("Incident ID: " + incident.id)
            lines.append("Resolution Time: " + time(resolved))
            if let duration = incident.statedDuration { lines.append("Duration: " + duration) }
            if let cause = incident.rootCause { lines += ["", "Root Cause:", cause] }
            section("Resolution Actions", incident.resolutionActions, into: &lines)
            section("Prevention Measures", incident.preventionMeasures, into: &lines)
            section("Lessons Learned", incident.lessonsLearned, into: &lines)
            let start = incident.declaredAt.utcDay
            section(
                "Action Items",
                incident.actionItems.map { item in
                    let due = item.dueDate ?? item.priority.defaultDueDate(from: start)
                    return item.id + ": " + item.title + " - " + item.owner + " - " + due.iso8601
                        + " (" + item.priority.rawValue + ", " + item.status.rawValue + ")"
                }, into: &lines)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func section(_ heading: String, _ items: [String], into lines: inout [String]) {
        guard !items.isEmpty else { return }
        lines += ["", heading + ":"]
        lines += items.map { "- " + $0 }
    }

    /// `2026-03-02 10:15 UTC`.
    static func time(_ timestamp: Timestamp) -> String {
        let seconds = Int(timestamp.secondsSince1970)
        let day = CalendarDay(daysSince1970: Int((Double(seconds) / 86_400).rounded(.down)))
        let inDay = seconds - day.daysSince1970 * 86_400
        return day.iso8601 + " " + two(inDay / 3600) + ":" + two(inDay % 3600 / 60) + " UTC"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
}
