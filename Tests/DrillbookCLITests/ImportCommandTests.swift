import Foundation
import Testing

/// `drillbook import chaostoolkit` as a user runs it: exit codes, the located error, no overwrite.
@Suite("drillbook import")
struct ImportCommandTests {
    static let journal = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DrillbookImportTests/Fixtures/deviated-journal.json")

    @Test func importsTwiceWithoutOverwritingAndReportsBadJournals() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-import-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.journal, to: folder.appendingPathComponent("journal.json"))

        let first = try await DrillbookBinary.run(["import", "chaostoolkit", "journal.json", "--drill", "static-health", "--output", "runs"], in: folder)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput == "Imported journal.json as 2026-12-01-static-health-chaostoolkit (failed): runs/2026/2026-12-01-static-health-chaostoolkit.json\n")
        let second = try await DrillbookBinary.run(["import", "chaostoolkit", "journal.json", "--drill", "static-health", "--output", "runs"], in: folder)
        #expect(second.status == 0)
        #expect(second.standardOutput.contains("as 2026-12-01-static-health-chaostoolkit-2 (failed)"))

        let missing = try await DrillbookBinary.run(["import", "chaostoolkit", "nope.json"], in: folder)
        #expect(missing.status == 4)
        #expect(missing.standardError == "drillbook: error: no journal at nope.json\n")

        try Data("{\"start\": \"2026-12-01T10:00:00Z\", \"run\": [{\"activity\": {\"name\": 7}}]}".utf8).write(to: folder.appendingPathComponent("bad.json"))
        let bad = try await DrillbookBinary.run(["import", "chaostoolkit", "bad.json", "--output", "runs"], in: folder)
        #expect(bad.status == 3)
        #expect(bad.standardError == "drillbook: error: bad.json: $.run[0].activity.name: expected a string, found the number 7\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("runs/2026").path).count == 2)

        let usage = try await DrillbookBinary.run(["import", "gremlin", "journal.json"], in: folder)
        #expect(usage.status == 2)
    }
}
