import DrillbookAnalysis
import DrillbookModel
import DrillbookSite
import Foundation
import Testing

@Suite("Action item exports")
struct ActionExportTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso8601: text)! }

    /// Four items from one run and one incident, as of 2026-03-31.
    static func history(title: String = "Fix alert", owner: String = "Lee Chen") -> DrillHistory {
        let start = Timestamp(iso8601: "2026-03-02T10:00:00Z")!
        let run = DrillRun(
            id: "2026-03-02-redis", drillId: "redis", environment: "staging", startedAt: start,
            endedAt: start.adding(seconds: 600), outcome: .passed,
            actionItems: [
                ActionItem(id: "A1", title: title, owner: owner, status: .open, priority: .immediate),
                ActionItem(id: "A2", title: "Runbook", owner: "Sam Okafor", dueDate: day("2026-04-30"), status: .open, priority: .shortTerm),
                ActionItem(id: "A3", title: "Re-architect", owner: "Sam Okafor", status: .open, priority: .longTerm),
            ])
        let incident = Incident(
            id: "INC-1", severity: .p2, type: "Latency", description: "d", declaredAt: Timestamp(iso8601: "2026-03-05T09:00:00Z")!,
            actionItems: [ActionItem(id: "B1", title: "Patch", owner: "lee chen", dueDate: day("2026-03-20"), status: .open, priority: .immediate)])
        return DrillHistory(
            drills: [DrillDefinition(id: "redis", title: "Redis Failover", category: .infrastructureResilience, objective: "o", allocatedDuration: "30 minutes")],
            runs: [run], incidents: [incident],
            actionUpdates: [
                ActionUpdate(actionId: "A3", on: day("2026-03-10"), status: .blocked, by: "Sam", note: "Waiting, on; vendor"),
                ActionUpdate(actionId: "A2", on: day("2026-03-20"), status: .done, by: "Sam"),
            ],
            sourcePaths: ["2026-03-02-redis": "runs/2026/2026-03-02-redis.json", "INC-1": "incidents/INC-1.log"])
    }

    static let asOf = day("2026-03-31")

    // MARK: - Filters (the rows drillbook actions prints)

    @Test func filtersByOwnerOverdueAndStatus() {
        let export = ActionItemExport(history: Self.history(), asOf: Self.asOf)
        #expect(export.records.map(\.id) == ["A1", "A2", "A3", "B1"])
        // Owner: case-insensitive, spaces ignored.
        #expect(export.filtered(ActionItemFilter(owner: " LEE CHEN ")).records.map(\.id) == ["A1", "B1"])
        #expect(export.filtered(ActionItemFilter(owner: "Nobody")).records.isEmpty)
        // A1 was due 2026-03-09 (immediate, 7 days from the run), B1 on 2026-03-20.
        #expect(export.filtered(ActionItemFilter(overdueOnly: true)).records.map(\.id) == ["A1", "B1"])
        #expect(export.filtered(ActionItemFilter(statuses: [.blocked])).records.map(\.id) == ["A3"])
        #expect(export.filtered(ActionItemFilter(statuses: ActionItemFilter.statuses(from: "closed"))).records.map(\.id) == ["A2"])
        #expect(export.filtered(ActionItemFilter(statuses: ActionItemFilter.statuses(from: "active"))).records.map(\.id) == ["A1", "A3", "B1"])
        #expect(
            export.filtered(ActionItemFilter(owner: "Sam Okafor", statuses: ActionItemFilter.statuses(from: "open, blocked")))
                .records.map(\.id) == ["A3"])
        #expect(ActionItemFilter.statuses(from: "open,in-progress") == [.open, .inProgress])
        #expect(ActionItemFilter.statuses(from: "opened") == nil)
        #expect(ActionItemFilter.statuses(from: "") == nil)
    }

    @Test func itemWithoutDueDateShowsTheDerivedOne() throws {
        let export = ActionItemExport(history: Self.history(), asOf: Self.asOf)
        let a1 = try #require(export.records.first { $0.id == "A1" })
        #expect(a1.dueDate == Self.day("2026-03-09"))
        #expect(a1.dueDateIsDerived)
        let a3 = try #require(export.records.first { $0.id == "A3" })
        #expect(a3.dueDate == Self.day("2026-06-02"))  // long-term: 3 months after the run
        #expect(a3.dueDateIsDerived)
        let b1 = try #require(export.records.first { $0.id == "B1" })
        #expect(!b1.dueDateIsDerived)
        #expect(export.csv().contains("\"A1\",\"Fix alert\",\"Lee Chen\",\"immediate\",\"open\",\"2026-03-09\",\"true\""))
    }

    // MARK: - CSV

    @Test func csvParsesBackToTheRecords() throws {
        let title = "=HYPERLINK(\"http://x\",\"y\"), then \"quoted\"\nsecond line"
        let export = ActionItemExport(history: Self.history(title: title, owner: "@lee, chen"), asOf: Self.asOf)
        let csv = export.csv()
        // Every record ends with CRLF; the only bare LF is the one inside the quoted title.
        #expect(csv.hasSuffix("\r\n"))
        #expect(csv.components(separatedBy: "\r\n").count == 6)
        let rows = try parseCSV(csv)
        #expect(rows.count == 5)
        #expect(rows[0] == ActionItemExport.csvHeader)
        #expect(rows.allSatisfy { $0.count == ActionItemExport.csvHeader.count })
        let a1 = try #require(rows.first { $0[0] == "A1" })
        // The title as plain text on one line (a Markdown link would give its text).
        #expect(a1[1] == "'" + "=HYPERLINK(\"http://x\",\"y\"), then \"quoted\" second line")
        #expect(a1[2] == "'@lee, chen")
        #expect(a1[13] == "2026-03-02-redis")
        #expect(a1[14] == "Redis Failover, 2026-03-02")
        #expect(a1[15] == "runs/2026/2026-03-02-redis.json")
        let a3 = try #require(rows.first { $0[0] == "A3" })
        #expect(a3[16] == "2026-03-10 blocked by Sam: Waiting, on; vendor")
    }

    /// A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF record ends.
    func parseCSV(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.first {
            guard c == "\"" else { throw CSVError(message: "unquoted field at \(rows.count)") }
            scalars = scalars.dropFirst()
            while true {
                guard let d = scalars.first else { throw CSVError(message: "unterminated quote") }
                scalars = scalars.dropFirst()
                if d == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        scalars = scalars.dropFirst()
                    } else {
                        break
                    }
                } else {
                    field.unicodeScalars.append(d)
                }
            }
            row.append(field)
            field = ""
            if scalars.first == "," {
                scalars = scalars.dropFirst()
            } else if scalars.starts(with: ["\r", "\n"]) {
                scalars = scalars.dropFirst(2)
                rows.append(row)
                row = []
            } else {
                throw CSVError(message: "expected , or CRLF after a field")
            }
        }
        return rows
    }

    struct CSVError: Error { var message: String }

    // MARK: - JSON

    @Test func jsonDecodesWithSortedKeysAndNulls() throws {
        let export = ActionItemExport(history: Self.history(), asOf: Self.asOf)
        let json = export.json()
        #expect(json == export.json())
        let decoded = try JSONDecoder().decode([ActionItemExport.Record].self, from: Data(json.utf8))
        #expect(decoded == export.records)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(Set(objects[0].keys) == [
            "id", "title", "owner", "priority", "status", "dueDate", "dueDateIsDerived", "openedOn", "closedOn",
            "isOverdue", "daysOverdue", "ageDays", "source", "history", "titleText", "tracker",
        ])
        #expect(objects[0]["closedOn"] is NSNull)
        let source = try #require(objects[0]["source"] as? [String: Any])
        #expect(Set(source.keys) == ["kind", "id", "title", "path"])
        // Keys are written in sorted order.
        let keys = ["\"ageDays\"", "\"closedOn\"", "\"daysOverdue\"", "\"dueDate\"", "\"dueDateIsDerived\"", "\"history\"", "\"id\""]
        let positions = keys.map { json.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
        let a2 = try #require(decoded.first { $0.id == "A2" })
        #expect(a2.status == .done)
        #expect(a2.closedOn == Self.day("2026-03-20"))
        #expect(a2.history.map(\.status) == [.done])
    }

    // MARK: - iCalendar

    @Test func iCalendarEscapesFoldsAndUsesCRLF() throws {
        let title = "Fix the back\\slash; commas, and a\nnew line — with a long tail of text ünïcödé 🚨 " + String(repeating: "é", count: 60)
        let ics = ActionItemExport(history: Self.history(title: title), asOf: Self.asOf).iCalendar()
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
        let physical = ics.components(separatedBy: "\r\n").dropLast()
        for line in physical {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(!line.contains("\n") && !line.contains("\r"))
        }
        // Unfold: a CRLF followed by a space joins lines.
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").dropLast()
        #expect(unfolded.contains("DTSTAMP:20260331T000000Z"))
        let uids = unfolded.filter { $0.hasPrefix("UID:") }
        // Only open items: A2 is done.
        #expect(uids == ["UID:A1@drillbook", "UID:A3@drillbook", "UID:B1@drillbook"])
        #expect(unfolded.contains("DTSTART;VALUE=DATE:20260309"))
        #expect(unfolded.contains("DTEND;VALUE=DATE:20260310"))
        let summary = try #require(unfolded.first { $0.hasPrefix("SUMMARY:A1") })
        // The summary is the title as plain text: its line break is a space.
        let plain = title.replacingOccurrences(of: "\n", with: " ")
        #expect(unescapeICS(String(summary.dropFirst("SUMMARY:".count))) == "A1: " + plain + " (Lee Chen)")
        #expect(summary.contains("back\\\\slash\\; commas\\, and a new line"))
        // Deterministic: the stamp comes from asOf, not the clock.
        #expect(ics == ActionItemExport(history: Self.history(title: title), asOf: Self.asOf).iCalendar())
    }

    @Test func foldingNeverSplitsACharacter() {
        let line = "SUMMARY:" + String(repeating: "🚨", count: 40)
        let folded = ActionItemExport.icsFold(line)
        for part in folded.components(separatedBy: "\r\n") {
            #expect(part.utf8.count <= 75)
            #expect(String(validating: Array(part.utf8), as: UTF8.self) != nil)
        }
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        #expect(ActionItemExport.icsFold("SHORT") == "SHORT")
        // Controls other than line breaks and tabs become U+FFFD, as in every text output of the site.
        #expect(ActionItemExport.icsText("a\r\nb\u{7}c\td") == "a\\nb\u{FFFD}c d")
    }

    func unescapeICS(_ text: String) -> String {
        var result = ""
        var escaping = false
        for c in text {
            if escaping {
                result.append(c == "n" || c == "N" ? "\n" : c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                result.append(c)
            }
        }
        return result
    }
}

/// `ACTIONS_BENCH=1 swift test --filter actionLedgerBenchmark` prints how long the ledger and the
/// exports take for 10,000 runs with three items each (and, for comparison, the per-item filtering
/// the ledger used before it grouped updates). Does nothing otherwise; asserts nothing about time.
@Test(.enabled(if: ProcessInfo.processInfo.environment["ACTIONS_BENCH"] == "1"))
func actionLedgerBenchmark() {
    let start = Timestamp(iso8601: "2020-01-01T10:00:00Z")!
    var runs: [DrillRun] = []
    var updates: [ActionUpdate] = []
    for index in 0..<10_000 {
        let at = start.adding(seconds: Double(index) * 6 * 3600)
        let items = (0..<3).map { k in
            ActionItem(id: "AI-\(index)-\(k)", title: "Item \(index), part \(k)", owner: "owner \(index % 40)", status: .open,
                priority: ActionPriority.allCases[k])
        }
        runs.append(DrillRun(id: "run-\(index)", drillId: "redis", environment: "staging", startedAt: at,
            endedAt: at.adding(seconds: 600), outcome: .passed, actionItems: items))
        updates.append(ActionUpdate(actionId: "AI-\(index)-0", on: at.localDay.adding(days: 3), status: .inProgress, by: "x"))
        updates.append(ActionUpdate(actionId: "AI-\(index)-1", on: at.localDay.adding(days: 9), status: .done, by: "y"))
    }
    let history = DrillHistory(runs: runs, actionUpdates: updates)
    let asOf = CalendarDay(iso8601: "2027-01-01")!
    let clock = ContinuousClock()
    func ms(_ duration: Duration) -> String { String(Int(Double(duration.components.attoseconds) / 1e15) + Int(duration.components.seconds) * 1000) + " ms" }
    var ledger: ActionItemLedger?
    print("ledger, 30,000 items, 20,000 updates: " + ms(clock.measure { ledger = ActionItemLedger(history: history, asOf: asOf) }))
    let sources = ActionItemSourceIndex(history: history)
    var export: ActionItemExport?
    print("export records: " + ms(clock.measure { export = ActionItemExport(ledger: ledger!, sources: sources) }))
    print("csv: " + ms(clock.measure { _ = export!.csv() }))
    print("json: " + ms(clock.measure { _ = export!.json() }))
    print("ics: " + ms(clock.measure { _ = export!.iCalendar() }))
    // The old way: every item filtered every update (3,000 items here, a tenth, to keep it short).
    let old = clock.measure {
        for run in runs.prefix(1_000) {
            for item in run.actionItems {
                _ = TrackedActionItem(
                    item: item, source: ActionItemSource(kind: .run, id: run.id, day: run.startedAt.localDay), updates: updates,
                    asOf: asOf)
            }
        }
    }
    print("old per-item filtering, 3,000 of the 30,000 items: " + ms(old))
}
