import DrillbookContent
import DrillbookModel
import Foundation
import Testing

/// The playbook's incident templates, filled in, and every variation the grammar allows.
@Suite struct IncidentTextTests {
    func utc(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }

    func parse(_ text: String, file: String = "content/incidents/x.log") -> Result<Incident, ContentIssues> {
        IncidentText.parse(text, file: file)
    }

    func messages(_ text: String, file: String = "content/incidents/x.log") -> [String] {
        switch parse(text, file: file) {
        case .success: return []
        case .failure(let issues): return issues.issues.map(\.description)
        }
    }

    @Test func playbookTemplatesFilledIn() throws {
        let text = try String(contentsOf: fixtures.appendingPathComponent("valid/incidents/INC-2026-011.log"), encoding: .utf8)
        let incident = try parse(text).get()
        #expect(incident.id == "INC-2026-011")
        #expect(incident.severity == .p2)
        #expect(incident.type == "Redis failover")
        #expect(incident.location == "ap-south-1 / staging")
        #expect(incident.declaredAt == utc("2026-03-02T10:15:00Z"))
        #expect(incident.startedAt == utc("2026-03-02T10:09:00Z"))
        #expect(incident.detectedAt == utc("2026-03-02T10:12:00Z"))
        #expect(incident.acknowledgedAt == utc("2026-03-02T10:14:00Z"))
        #expect(incident.escalatedAt == nil)
        #expect(incident.description == "Order placement failed for some users after the Redis master\nbecame unreachable.")
        #expect(incident.impact == ["4% of order submissions failed", "Price ticks delayed by up to 20 s"])
        #expect(incident.initialResponse == ["Paged the on-call engineer", "Froze deployments"])
        #expect(incident.nextUpdate == "2026-03-02 10:45 UTC")
        #expect(incident.updates.count == 1)
        let update = incident.updates[0]
        #expect(update.at == utc("2026-03-02T10:45:00Z"))
        #expect(update.status == "Identified")
        #expect(update.progress == ["Sentinel quorum lost: two sentinels were on the failed host", "Manual promotion of redis-2 started"])
        #expect(update.currentSituation == "Writes are failing over to the new master.")
        #expect(update.nextSteps == ["Confirm replication", "Re-enable deployments"])
        #expect(update.nextUpdate == "2026-03-02 11:15 UTC")
        #expect(incident.resolvedAt == utc("2026-03-02T11:24:00Z"))
        #expect(incident.statedDuration == "1h 15m")
        #expect(incident.durationSeconds.map { Int($0) } == 4500)
        #expect(incident.durationSeconds == 4500.0)
        #expect(incident.rootCause == "Two of three sentinels ran on the same host as the master, so quorum was lost when it failed.")
        #expect(incident.resolutionActions == ["Promoted redis-2 by hand", "Restarted the order service"])
        #expect(incident.preventionMeasures == ["Spread sentinels across hosts"])
        #expect(incident.lessonsLearned == ["The drill in February found the same gap"])
        #expect(
            incident.actionItems == [
                ActionItem(
                    id: "AI-2026-031", title: "Add an alert on Sentinel quorum loss", owner: "Priya Raman",
                    dueDate: CalendarDay(year: 2026, month: 3, day: 14), status: .inProgress, priority: .shortTerm),
                ActionItem(
                    id: "INC-2026-011-A2", title: "Spread sentinels across three hosts", owner: "Dev Kumar",
                    dueDate: CalendarDay(year: 2026, month: 3, day: 31), status: .open, priority: .shortTerm),
            ])
        #expect(incident.extra.isEmpty)
        #expect(incident.drillRunId == nil)
    }

    @Test func crlfStarBulletsLongUnderlinesBOMAndUnknownKeys() throws {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("valid/incidents/INC-2026-014.txt"))
        #expect(data.contains(0x0D))
        let text = "\u{FEFF}" + String(decoding: data, as: UTF8.self)
        let incident = try parse(text).get()
        #expect(incident.id == "INC-2026-014")
        #expect(incident.severity == .p3)
        #expect(incident.declaredAt == Timestamp(iso8601: "2026-03-18T14:02:00+05:30"))
        #expect(incident.declaredAt.utcOffsetSeconds == 19_800)
        #expect(incident.description == "- NSE feed stopped sending ticks.\n\n- BSE fallback took over.")
        #expect(incident.impact == ["Quotes for 12 instruments were stale for 40 s"])
        #expect(incident.drillRunId == "2026-01-07-websocket-node-failure")
        #expect(incident.extra == ["Reporter": "Asha Iyer"])
        #expect(incident.nextUpdate == "in 30 minutes")
        #expect(incident.updates.map(\.status) == ["Monitoring"])
        #expect(incident.updates[0].at == Timestamp(iso8601: "2026-03-18T14:20:00+05:30"))
        #expect(incident.resolvedAt == Timestamp(iso8601: "2026-03-18T14:47:00+05:30"))
        #expect(incident.lessonsLearned == ["Fallback worked as designed"])
        #expect(incident.actionItems.isEmpty)
    }

    @Test func severalUpdatesAndMissingOptionalKeys() throws {
        let text = """
            incident declared
            =
            incident id: INC-9
            SEVERITY: p1 - critical
            Type: Full outage
            Time: 2026-05-01T02:00:00Z
            Description: Everything is down.

            STATUS UPDATE
            =============================================================================
            Time: 2026-05-01 02:10 Z
            Status: Investigating

            STATUS UPDATE
            ===
            Time: 2026-05-01 02:20:30 +00:00
            Status: Identified
            Current Situation:
            Disk full on the primary.

            Second paragraph.

            STATUS UPDATE
            ===
            Time: 2026-05-01 02:40 UTC
            Status: Monitoring
            Progress Made:
            - Freed 40 GB
              on the primary volume
            """
        let incident = try parse(text).get()
        #expect(incident.severity == .p1)
        #expect(incident.description == "Everything is down.")
        #expect(incident.location == nil)
        #expect(incident.nextUpdate == nil)
        #expect(incident.resolvedAt == nil)
        #expect(incident.durationSeconds == nil)
        #expect(incident.updates.map(\.status) == ["Investigating", "Identified", "Monitoring"])
        #expect(incident.updates[1].at == utc("2026-05-01T02:20:30Z"))
        #expect(incident.updates[1].currentSituation == "Disk full on the primary.\n\nSecond paragraph.")
        #expect(incident.updates[2].progress == ["Freed 40 GB on the primary volume"])
        #expect(incident.impact.isEmpty)
    }

    @Test func textThatLooksLikeAKeyInsideASectionStaysText() throws {
        let text = """
            INCIDENT DECLARED
            =================
            Incident ID: INC-3
            Severity: P4
            Type: Docs
            Time: 2026-05-01T02:00:00Z
            Description:
            Note: see https://status.example/incidents for the timeline.
            Ticket: OPS-12
            """
        let incident = try parse(text).get()
        #expect(incident.description == "Note: see https://status.example/incidents for the timeline.\nTicket: OPS-12")
        #expect(incident.extra.isEmpty)
    }

    @Test func badTimeNamesItsLine() {
        let text = """
            INCIDENT DECLARED
            =================
            Incident ID: INC-7
            Severity: P2
            Type: Outage
            Time: 2026-03-02 10:15 UTC
            Description:
            x

            STATUS UPDATE
            =============
            Time: yesterday 3pm
            Status: Investigating
            """
        #expect(
            messages(text, file: "content/incidents/inc-7.log") == [
                #"content/incidents/inc-7.log:12: expected a time like 2026-03-02 10:15 UTC or ISO 8601 with an offset, got "yesterday 3pm""#
            ])
    }

    @Test func timeWithoutAZoneIsNotGuessed() {
        let text = "INCIDENT DECLARED\n===\nIncident ID: INC-7\nSeverity: P2\nType: x\nTime: 2026-03-02 10:15\nDescription: x\n"
        #expect(
            messages(text) == [
                #"content/incidents/x.log:6: expected a time like 2026-03-02 10:15 UTC or ISO 8601 with an offset, got "2026-03-02 10:15""#
            ])
    }

    @Test func incidentIdMismatchNamesTheLine() {
        let text = """
            INCIDENT DECLARED
            =================
            Incident ID: INC-7
            Severity: P2
            Type: Outage
            Time: 2026-03-02 10:15 UTC
            Description: x

            INCIDENT RESOLVED
            =================
            Incident ID: INC-8
            Resolution Time: 2026-03-02 11:15 UTC
            """
        #expect(
            messages(text) == [
                #"content/incidents/x.log:11: Incident ID "INC-8" differs from "INC-7" declared on line 3; all blocks of a file must share the Incident ID"#
            ])
    }

    @Test func missingRequiredKeysNameTheBlock() {
        let text = "\n\nINCIDENT DECLARED\n=================\nIncident ID: INC-7\nTime: 2026-03-02 10:15 UTC\n\nSTATUS UPDATE\n===\nTime: 2026-03-02 10:30 UTC\n"
        #expect(
            messages(text) == [
                #"content/incidents/x.log:3: the INCIDENT DECLARED block has no "Severity:" line (expected one of P1, P2, P3, P4)"#,
                #"content/incidents/x.log:3: the INCIDENT DECLARED block has no "Type:" line"#,
                #"content/incidents/x.log:3: the INCIDENT DECLARED block has no "Description:" section (a heading line, then the text)"#,
                #"content/incidents/x.log:8: the STATUS UPDATE block has no "Status:" line"#,
            ])
    }

    @Test func badSeverityAndBadActionItem() {
        let text = """
            INCIDENT DECLARED
            =================
            Incident ID: INC-7
            Severity: High
            Type: Outage
            Time: 2026-03-02 10:15 UTC
            Description: x

            INCIDENT RESOLVED
            =================
            Resolution Time: 2026-03-02 11:15 UTC
            Action Items:
            - Add an alert - Priya Raman - next week
            - Add an alert - 2026-03-14
            - Add an alert - Priya - 2026-03-14 (urgent)
            """
        #expect(
            messages(text) == [
                #"content/incidents/x.log:4: expected a severity, one of P1, P2, P3, P4, got "High""#,
                #"content/incidents/x.log:13: expected the due date as YYYY-MM-DD after the last " - ", got "next week""#,
                #"content/incidents/x.log:14: expected an action item as "[Action] - [Owner] - [Due Date]" with the due date as YYYY-MM-DD, got "Add an alert - 2026-03-14""#,
                #"content/incidents/x.log:15: expected "(priority, status)" after the due date, with priority one of immediate, short-term, long-term and status one of open, in-progress, blocked, done, cancelled, got "urgent""#,
            ])
    }

    @Test func actionItemTitlesMayContainDashes() throws {
        let item = try IncidentTextActionItem.parse(
            "AI-2026-040: Re-run the drill - then compare - Asha Iyer - 2026-04-02 (long-term, blocked)")
        #expect(item.id == "AI-2026-040")
        #expect(item.title == "Re-run the drill - then compare")
        #expect(item.owner == "Asha Iyer")
        #expect(item.priority == .longTerm)
        #expect(item.status == .blocked)
    }

    @Test func textBeforeTheFirstBlockAndStrayUnderlines() {
        let text = "Hello team,\nINCIDENT DECLARED\n===\nIncident ID: I\nSeverity: P3\nType: x\nTime: 2026-03-02 10:15 UTC\nDescription: x\n=====\n"
        #expect(
            messages(text) == [
                #"content/incidents/x.log:1: expected a title line INCIDENT DECLARED, STATUS UPDATE or INCIDENT RESOLVED before any text, got "Hello team,""#,
                "content/incidents/x.log:9: an underline of '=' must follow a title line (INCIDENT DECLARED, STATUS UPDATE or INCIDENT RESOLVED)",
            ])
    }

    @Test func blockOrderIsChecked() {
        let text = "STATUS UPDATE\n===\nTime: 2026-03-02 10:15 UTC\nStatus: x\n"
        #expect(messages(text) == ["content/incidents/x.log:1: expected the file to start with an INCIDENT DECLARED block, got STATUS UPDATE"])
        #expect(
            messages("") == [
                "content/incidents/x.log:1: expected an INCIDENT DECLARED block (a title line, an underline of '=' and Key: Value lines); the file has none"
            ])
    }
}

/// Parses one action-item bullet the way `Action Items:` sections are read.
enum IncidentTextActionItem {
    static func parse(_ bullet: String) throws -> ActionItem {
        let text = """
            INCIDENT DECLARED
            =================
            Incident ID: INC-1
            Severity: P3
            Type: x
            Time: 2026-03-02 10:15 UTC
            Description: x
            Action Items:
            - \(bullet)
            """
        let incident = try IncidentText.parse(text, file: "x.log").get()
        return incident.actionItems[0]
    }
}
