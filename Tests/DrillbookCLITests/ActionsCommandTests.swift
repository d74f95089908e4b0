import ArgumentParser
@testable import DrillbookCLI
import DrillbookModel
import DrillbookSite
import Foundation
import Testing

@Suite("drillbook actions")
struct ActionsCommandTests {
    static let sampleContent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content", isDirectory: true)

    /// The built tool, as a user runs it: what it prints is the table of the two overdue items of
    /// Daniel Okafor as of 2026-11-29, header, rows and summary, byte for byte.
    @Test func parsesAndRunsOnTheSampleContent() async throws {
        let arguments = ["actions", "--content", Self.sampleContent.path, "--as-of", "2026-11-29", "--overdue", "--owner", "daniel okafor"]
        let command = try ActionsCommand.parse(Array(arguments.dropFirst()))
        #expect(command.overdue)
        #expect(command.owner == "daniel okafor")

        let printed = try await BuiltTool.find().run(arguments, in: EndToEndTests.root)
        #expect(printed.status == 0)
        #expect(printed.standardError == "")
        let lines = printed.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines == [
            "ID           STATUS                     DUE          AGE    OWNER          PRIORITY    SOURCE                                     TITLE",
            "AI-2026-015  in-progress, 93 d overdue  2026-08-28*  185 d  Daniel Okafor  long-term   2026-05-28-region-evacuation               Automate DNS failover with Route 53 health checks and failover routing",
            "AI-2026-022  blocked, 66 d overdue      2026-09-24*  94 d   Daniel Okafor  short-term  2026-08-27-credential-compromise-response  Export provider access logs daily into our log store",
            "",
            "2 items: 2 open, 2 overdue, as of 2026-11-29.",
            "* due date derived from the priority class.",
            "",
        ])
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

    /// On a terminal, titles are cut to its width (`…`); piped, they are printed in full.
    @Test func theTableCutsTitlesToTheTerminalWidthOnly() throws {
        func table(width: Int?) -> [String] {
            let outcome = ActionItemListing.render(
                contentDirectory: Self.sampleContent, asOf: CalendarDay(iso8601: "2026-11-29")!, filter: ActionItemFilter(),
                format: .table, width: width)
            return (outcome.output ?? "").split(separator: "\n").map(String.init).filter { $0.hasPrefix("AI-") }
        }
        let full = table(width: nil)
        let cut = table(width: 180)
        #expect(full.count == cut.count)
        #expect(full.contains { $0.count > 180 && !$0.hasSuffix("…") })
        #expect(cut.allSatisfy { $0.count <= 180 })
        #expect(cut.contains { $0.count == 180 && $0.hasSuffix("…") })
        // Rows keep the tracking order: every overdue item before any that is not.
        let overdue = full.map { $0.contains(" d overdue") }
        #expect(overdue.first == true)
        #expect(overdue == overdue.sorted { $0 && !$1 })
    }

    /// A title or owner cannot drive the terminal: line breaks and tabs become spaces, other
    /// control characters (C0, DEL, C1) are dropped.
    @Test func tableCellsCarryNoControlCharacters() {
        #expect(ActionTable.terminalText("red\u{1B}[31m\tbold\r\nnext\u{7F}\u{85}end") == "red[31m bold  nextend")
        #expect(ActionTable.terminalText("Ünïcode – fine") == "Ünïcode – fine")
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
