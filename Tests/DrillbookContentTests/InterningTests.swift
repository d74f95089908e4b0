import DrillbookContent
import DrillbookModel
import Foundation
import Testing

/// Runs restate their drill's criteria, metric names and roles; the loader keeps one copy of each.
@Suite struct InterningTests {
    static func storage(_ string: String) -> UnsafeRawPointer? {
        var copy = string
        return copy.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func repeatedFieldsOfRunsShareOneCopy() throws {
        let history = ContentLoader(contentDirectory: RecordShapeTests.content).load().history
        let runs = history.runs.filter { $0.drillId == "redis-sentinel-failover" && !$0.criteria.isEmpty }
        try #require(runs.count >= 2)
        let first = runs[0].criteria[0].text
        let second = try #require(runs[1].criteria.first { $0.text == first }).text
        #expect(first.utf8.count > 15)
        #expect(Self.storage(first) == Self.storage(second))
        // Values are unchanged: the criteria still read as the drill defines them.
        let drill = try #require(history.drills.first { $0.id == "redis-sentinel-failover" })
        #expect(drill.successCriteria.map(\.text).contains(first))
    }
}
