import DrillbookContent
import DrillbookCorpus
import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

/// `actions.json` against its oracle, Foundation's `JSONEncoder` (what wrote the file before
/// `ActionItemExport.writeJSON` had its own writer), for the sample content's action items and a
/// generated corpus's: the same bytes.
@Suite struct ActionExportCorpusOracleTests {
    static func encoderJSON(_ records: [ActionItemExport.Record]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(records), as: UTF8.self) + "\n"
    }

    static let asOf = CalendarDay(iso8601: "2026-11-29")!

    @Test func sampleContentJSONIsTheEncodersBytes() throws {
        let loaded = ContentLoader(contentDirectory: repositoryContent).load()
        let export = ActionItemExport(history: loaded.history, asOf: Self.asOf)
        #expect(export.records.count > 10)
        #expect(export.records.contains { !$0.history.isEmpty })
        #expect(export.json() == (try Self.encoderJSON(export.records)))
    }

    @Test func generatedCorpusJSONIsTheEncodersBytes() throws {
        let folder = try temporaryFolder("export-oracle")
        defer { try? FileManager.default.removeItem(at: folder) }
        try CorpusGenerator(playbook: repositoryContent, runs: 300, incidents: 30, seed: 5).write(to: folder)
        let loaded = ContentLoader(contentDirectory: folder).load()
        let export = ActionItemExport(history: loaded.history, asOf: Self.asOf)
        #expect(export.records.count > 100)
        #expect(export.json() == (try Self.encoderJSON(export.records)))
    }
}
