public import DrillbookModel
import Foundation

/// The playbook's templates, filled: the drill notification e-mail and new-file skeletons.
public enum PlaybookTemplates {
    /// What `drillbook new` can create.
    public enum Kind: String, Sendable, CaseIterable {
        case incident, run, drill
    }

    /// A file to create: its name, the folder it belongs in by default, and its text.
    public struct NewFile: Sendable, Hashable {
        public var name: String
        public var defaultFolder: String
        public var text: String
    }

    /// The playbook's "Notification Template" e-mail for a drill at `date`; the subject starts with
    /// `organisation` (the site configuration's) when given.
    public static func announcement(
        for drill: DrillDefinition, at date: Timestamp, participants: [Participant], organisation: String? = nil
    ) -> String {
        let type = drill.title
        let day = date.localDay.iso8601
        let time = date.localTimeOfDay + " " + (date.offsetText == "Z" ? "UTC" : "UTC" + date.offsetText)
        let duration = drill.allocatedDuration
        var lines = [
            "Subject: " + (organisation.map { $0 + " " } ?? "") + "Chaos Engineering Drill - \(type) - \(day) \(time)",
            "",
            "Dear Team,",
            "",
            "We will be conducting a \(type) drill on \(day) at \(time).",
            "",
            "Drill Details:",
            "- Type: \(type)" + (drill.playbookSection.map { " (playbook \($0))" } ?? ""),
            "- Duration: \(duration)",
            "- Impact: \(drill.impact ?? "To be confirmed by the drill lead")",
            "- Rollback: \(drill.rollbackPlan ?? "See the drill's rollback checklist")",
            "",
            "Participants:",
        ]
        if participants.isEmpty {
            lines.append("- [Role]: [Name]")
        } else {
            lines += participants.map { "- \($0.role): \($0.name)" }
        }
        lines += [
            "",
            "Please ensure you are available and familiar with the drill procedures.",
            "",
            "Best regards,",
            "DevOps Team",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A new file of `kind`, with a fresh id taken from `now`.
    public static func newFile(_ kind: Kind, now: Timestamp, drillId: String = "drill-id") -> NewFile {
        let day = now.localDay.iso8601
        let compact = day.replacingOccurrences(of: "-", with: "") + "-" + now.localTimeOfDay.replacingOccurrences(of: ":", with: "")
        let time = day + " " + now.localTimeOfDay + " " + (now.offsetText == "Z" ? "UTC" : now.offsetText)
        switch kind {
        case .incident:
            let id = "INC-" + compact
            let text = """
                INCIDENT DECLARED
                ================

                Incident ID: \(id)
                Severity: P3
                Type: [Type]
                Location: [Location]
                Time: \(time)

                Description:
                [Brief description of the incident]

                Impact:
                - [Impact 1]

                Initial Response:
                - [Action 1]

                Next Update: [Time]

                STATUS UPDATE
                ============

                Incident ID: \(id)
                Time: [Time]
                Status: [Status]

                Progress Made:
                - [Progress 1]

                Current Situation:
                [Current status description]

                Next Steps:
                - [Next Step 1]

                Next Update: [Time]

                INCIDENT RESOLVED
                ================

                Incident ID: \(id)
                Resolution Time: [Time]
                Duration: [Duration]

                Root Cause:
                [Root cause description]

                Resolution Actions:
                - [Action 1]

                Prevention Measures:
                - [Measure 1]

                Lessons Learned:
                - [Lesson 1]

                """
            return NewFile(name: id + ".txt", defaultFolder: "content/incidents", text: text)
        case .run:
            let id = RunRecordId.recordedByHand(drillId: drillId, at: now)
            let run = DrillRun(
                id: id, drillId: drillId, environment: "staging", startedAt: now, endedAt: now,
                participants: [Participant(name: "[Name]", role: "Drill lead")], outcome: .failed,
                summary: "[What was tried, what happened, what deviated and by how much]",
                timeline: [TimelineEvent(at: now, event: "drill.started", description: "[What happened]")],
                lessons: Lessons(wentWell: ["[Item 1]"], couldImprove: ["[Item 1]"], nextSteps: ["[Next Step 1]"]))
            let text = (try? RunRecordWriter.encode(run)).map { String(decoding: $0, as: UTF8.self) } ?? "{}\n"
            return NewFile(name: id + ".json", defaultFolder: "content/runs/" + String(day.prefix(4)), text: text)
        case .drill:
            let id = "new-drill-" + compact.lowercased()
            let text = """
                # A drill definition; see docs/formats.md and docs/executor.md.
                id: \(id)
                title: New Drill
                category: infrastructure-resilience
                objective: "[What the drill proves]"
                environment: staging
                allocatedDuration: 30m
                scenario:
                  - "[Step 1]"
                expectedBehaviour:
                  - "[Expected behaviour 1]"
                successCriteria:
                  - id: recovered-in-time
                    text: "[Criterion sentence]"
                    metric: recovery_seconds
                    comparison: "<="
                    target: 30
                    unit: s
                observabilityChecks: []
                impact: "[Expected impact]"
                rollbackPlan: "[Rollback plan in one sentence]"
                preparationChecklist:
                  - Current system state backed up
                  - Monitoring and alerting verified
                  - Rollback procedures tested
                  - Team members briefed
                  - Stakeholders notified
                  - Rollback scripts ready
                  - Emergency contacts available
                rollbackChecklist:
                  - Previous configurations backed up
                  - Rollback scripts tested
                  - Rollback procedures documented
                  - Team trained on rollback
                  - Rollback success criteria defined
                execution:
                  setup: []
                  steadyState: []
                  fault: []
                  measure: []
                  rollback: []
                  teardown: []

                """
            return NewFile(name: id + ".yaml", defaultFolder: "content/drills", text: text)
        }
    }
}
