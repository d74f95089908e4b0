import DrillbookContent
import DrillbookModel
import Foundation
import Testing

@Suite struct ValidCorpusTests {
    let result = ContentLoader(contentDirectory: fixtures.appendingPathComponent("valid")).load()

    @Test func loadsWithoutIssues() {
        #expect(result.issues.map(\.description) == [])
        #expect(!result.hasErrors)
    }

    @Test func loadsEveryRecord() {
        let history = result.history
        #expect(history.drills.map(\.id) == ["redis-sentinel-failover", "websocket-node-failure"])
        #expect(
            history.runs.map(\.id) == [
                "2026-01-07-websocket-node-failure", "2026-02-04-redis-sentinel-failover",
                "2026-04-01-redis-sentinel-failover",
            ])
        #expect(history.incidents.map(\.id) == ["INC-2026-003", "INC-2026-009", "INC-2026-011", "INC-2026-014"])
        #expect(history.schedule == .playbook.withStart(CalendarDay(year: 2025, month: 10, day: 1)!))
        #expect(history.actionUpdates.map(\.actionId) == ["AI-2026-014", "AI-2026-014", "AI-2026-014", "AI-2026-031"])
        #expect(history.actionUpdates[1].owner == "Asha Iyer")
        #expect(history.actionUpdates[1].dueDate == CalendarDay(year: 2026, month: 3, day: 6))
        #expect(history.sourcePaths["2026-02-04-redis-sentinel-failover"] == "runs/2026/q1/2026-02-04-redis-sentinel-failover.json")
        #expect(history.sourcePaths["INC-2026-011"] == "incidents/INC-2026-011.log")
        #expect(history.sourcePaths["redis-sentinel-failover"] == "drills/redis-sentinel-failover.yaml")
        #expect(history.sourcePaths["AI-2026-031"] == "actions/AI-2026-031.yaml")
    }

    @Test func loadingIsDeterministic() {
        let again = ContentLoader(contentDirectory: fixtures.appendingPathComponent("valid")).load()
        #expect(again.history == result.history)
        #expect(again.issues == result.issues)
    }

    @Test func absentScheduleIsThePlaybook() throws {
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": minimalDrillYAML])
        defer { scratch.remove() }
        let loaded = scratch.load()
        #expect(loaded.issues.isEmpty)
        #expect(loaded.history.schedule == .playbook)
    }

    @Test func missingFolderIsAnError() {
        let loaded = ContentLoader(contentDirectory: URL(fileURLWithPath: "/nonexistent/drillbook-content")).load()
        #expect(loaded.hasErrors)
        #expect(loaded.issues.first?.file == "/nonexistent/drillbook-content")
    }
}

extension DrillSchedule {
    func withStart(_ day: CalendarDay?) -> DrillSchedule {
        DrillSchedule(monthly: monthly, quarterly: quarterly, startsOn: day)
    }
}
