import ArgumentParser
import DrillbookCLI
import DrillbookModel
import DrillbookSite
import Foundation
import Testing

@Suite("drillbook actions")
struct ActionsCommandTests {
    static let sampleContent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content", isDirectory: true)

    @Test func parsesAndRunsOnTheSampleContent() throws {
        let command = try ActionsCommand.parse([
            "--content", Self.sampleContent.path, "--as-of", "2026-11-29", "--overdue", "--owner", "daniel okafor",
            "--format", "csv",
        ])
        #expect(command.overdue)
        #expect(command.owner == "daniel okafor")
        try command.run()
    }

    @Test func libraryListingGivesTheRowsTheCommandPrints() throws {
        func ids(_ filter: ActionItemFilter) -> [String] {
            let outcome = ActionItemListing.render(
                contentDirectory: Self.sampleContent, asOf: CalendarDay(iso8601: "2026-11-29")!, filter: filter, format: .json)
            #expect(!outcome.hasErrors)
            let records = (try? JSONDecoder().decode([ActionItemExport.Record].self, from: Data((outcome.output ?? "").utf8))) ?? []
            return records.map(\.id)
        }
        #expect(ids(ActionItemFilter(owner: "Daniel Okafor", overdueOnly: true)) == ["AI-2026-015", "AI-2026-022"])
        #expect(ids(ActionItemFilter(statuses: [.blocked])) == ["AI-2026-010", "AI-2026-022"])
        #expect(ids(ActionItemFilter(overdueOnly: true)).count == 7)
        let outcome = ActionItemListing.render(
            contentDirectory: Self.sampleContent, asOf: CalendarDay(iso8601: "2026-11-29")!,
            filter: ActionItemFilter(owner: "Nobody Here"), format: .table)
        #expect(outcome.output == "No action items match.\n")
        #expect(outcome.note?.contains("owners are Ananya Ghosh") == true)
    }

    @Test func rejectsUnknownStatusAndFormat() {
        #expect(throws: (any Error).self) { try ActionsCommand.parse(["--content", Self.sampleContent.path, "--status", "finished"]) }
        #expect(throws: (any Error).self) { try ActionsCommand.parse(["--content", Self.sampleContent.path, "--format", "xml"]) }
        #expect(throws: (any Error).self) { try ActionsCommand.parse(["--content", Self.sampleContent.path, "--as-of", "29/11/2026"]) }
    }

    @Test func contentErrorsExitOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-actions-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("drills"), withIntermediateDirectories: true)
        try Data("id: [unclosed\n".utf8).write(to: folder.appendingPathComponent("drills/broken.yaml"))
        let outcome = ActionItemListing.render(
            contentDirectory: folder, asOf: CalendarDay(iso8601: "2026-11-29")!, filter: ActionItemFilter(), format: .table)
        #expect(outcome.hasErrors)
        #expect(outcome.output == nil)
        let command = try ActionsCommand.parse(["--content", folder.path, "--as-of", "2026-11-29"])
        do {
            try command.run()
            Issue.record("content errors should stop the listing")
        } catch let error as ExitCode {
            #expect(error == ExitCode(1))
        }
    }
}
