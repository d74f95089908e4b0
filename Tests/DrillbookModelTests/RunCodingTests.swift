import DrillbookModel
import Foundation
import Testing

/// A run is one flat object: its overview and details decode from it and encode into it.
@Suite struct RunCodingTests {
    static let json = #"""
        {"schemaVersion": 1, "id": "r", "drillId": "d", "environment": "local",
         "startedAt": "2026-03-02T10:15:00+05:30", "endedAt": "2026-03-02T10:45:00+05:30", "outcome": "passed",
         "summary": "It went well.", "timeline": [{"at": "2026-03-02T10:20:00+05:30", "event": "fault.injected"}]}
        """#

    @Test func overviewAndDetailsShareOneObject() throws {
        let run = try JSONDecoder().decode(DrillRun.self, from: Data(Self.json.utf8))
        #expect(run.summary == "It went well.")
        #expect(run.timeline.map(\.event) == ["fault.injected"])
        #expect(run.participants.isEmpty && run.metrics.isEmpty && run.lessons.isEmpty)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(run)) as? [String: Any])
        #expect(object.keys.sorted() == [
            "actionItems", "criteria", "drillId", "endedAt", "environment", "id", "lessons", "metrics", "observations",
            "outcome", "outputs", "participants", "probes", "schemaVersion", "series", "startedAt", "summary", "timeline",
        ])
        #expect(try JSONDecoder().decode(DrillRun.self, from: encoder.encode(run)) == run)
    }
}
