import DrillbookContent
import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

@Suite("Action item pages")
struct ActionPagesTests {
    /// The repository's sample content, found from this file.
    static let sampleContent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content", isDirectory: true)
    static let sampleAsOf = CalendarDay(iso8601: "2026-11-29")!

    /// Builds the sample site as `drillbook build --as-of 2026-11-29` does.
    static func buildSample(into workspace: borrowing SiteWorkspace) async throws -> SiteGenerator.Result {
        let builder = SiteBuilder(
            themeDirectory: SiteWorkspace.defaultTheme, outputDirectory: workspace.output, asOf: sampleAsOf)
        return try await SiteGenerator(contentDirectory: sampleContent, builder: builder).generate()
    }

    @Test func indexPageOfTheSampleContentMatchesGoldenFile() async throws {
        let workspace = try SiteWorkspace()
        _ = try await Self.buildSample(into: workspace)
        expectSnapshot(try workspace.text("actions/index.html"), named: "actions-index.html", bundle: .module)
    }

    @Test func everyViewItemPageAndExportIsWritten() async throws {
        let workspace = try SiteWorkspace()
        let result = try await Self.buildSample(into: workspace)
        let actionPages = result.report.pages.filter { $0.hasPrefix("actions/") }
        for view in ["index", "overdue", "done", "owners", "priorities", "sources"] {
            #expect(actionPages.contains("actions/\(view).html"))
        }
        for export in ["actions.csv", "actions.json", "actions.ics"] {
            #expect(actionPages.contains("actions/" + export))
        }
        let export = ActionItemExport(history: try Self.sampleHistory(), asOf: Self.sampleAsOf)
        #expect(try workspace.text("actions/actions.csv") == export.csv())
        #expect(try workspace.text("actions/actions.json") == export.json())
        #expect(try workspace.text("actions/actions.ics") == export.iCalendar())
        // One page per item, named by its lower-cased id.
        #expect(actionPages.count == 6 + 3 + export.records.count)
        for record in export.records {
            #expect(actionPages.contains("actions/" + record.id.lowercased() + ".html"))
        }
    }

    /// The trends pages link `../actions/index.html#<ACTION-ID>` for open items: every open item
    /// needs that anchor, and every row links to the item's own page.
    @Test func indexHasAnAnchorForEveryOpenItem() async throws {
        let workspace = try SiteWorkspace()
        _ = try await Self.buildSample(into: workspace)
        let index = try workspace.text("actions/index.html")
        let export = ActionItemExport(history: try Self.sampleHistory(), asOf: Self.sampleAsOf)
        let open = export.records.filter(\.status.isOpen)
        #expect(!open.isEmpty)
        for record in open {
            #expect(index.contains("<tr id=\"\(record.id)\""), "\(record.id)")
            #expect(index.contains("<a href=\"../actions/\(record.id.lowercased()).html\">\(record.id)</a>"))
        }
        let done = try workspace.text("actions/done.html")
        for record in export.records where !record.status.isOpen {
            #expect(done.contains("<tr id=\"\(record.id)\""), "\(record.id)")
        }
        #expect(index.contains("href=\"../actions/actions.csv\""))
        #expect(index.contains("href=\"../actions/actions.ics\""))
    }

    @Test func everyItemPageLinksBackToItsSource() async throws {
        let workspace = try SiteWorkspace()
        _ = try await Self.buildSample(into: workspace)
        let export = ActionItemExport(history: try Self.sampleHistory(), asOf: Self.sampleAsOf)
        for record in export.records {
            let page = try workspace.text("actions/" + record.id.lowercased() + ".html")
            let folder = record.source.kind == "run" ? "runs/" : "incidents/"
            let href = "../" + folder + record.source.id.lowercased() + ".html"
            #expect(page.contains("<a href=\"\(href)\">"), "\(record.id) does not link to \(href)")
            #expect(
                FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent(folder + record.source.id.lowercased() + ".html").path))
            // Every update of the item's history is on its page.
            for update in record.history {
                #expect(page.contains("<time datetime=\"\(update.on.iso8601)\">"), "\(record.id) misses \(update.on)")
            }
            if record.dueDateIsDerived {
                #expect(page.contains("Derived from the priority class"), "\(record.id)")
            }
        }
    }

    @Test func itemPageShowsHistoryOwnerChangesAndDerivedDueDate() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        // AI-2026-004: immediate, raised 2026-02-11, no due date; blocked and handed over on 2026-03-01.
        let page = try workspace.text("actions/ai-2026-004.html")
        #expect(page.contains("Owner: Sam Okafor → Tomás Ortega"))
        #expect(page.contains("<time datetime=\"2026-02-18\">2026-02-18</time>"))
        #expect(page.contains("Derived from the priority class: immediate, 7 days after 2026-02-11."))
        #expect(page.contains("Waiting for the provider"))
        #expect(page.contains("41 days"))  // overdue since 2026-02-18 on 2026-03-31
        #expect(page.contains("<a href=\"../runs/2026-02-11-single-provider-failure.html\">"))
        // AI-2026-009 moved its due date in an update.
        let moved = try workspace.text("actions/ai-2026-009.html")
        #expect(moved.contains("Due date: 2026-03-16 → 2026-04-15"))
        #expect(moved.contains("<a href=\"../incidents/inc-2026-007.html\">"))
        // The update after asOf (AI-2026-006 done on 2026-04-05) is not shown yet.
        let later = try workspace.text("actions/ai-2026-006.html")
        #expect(!later.contains("2026-04-05"))
    }

    @Test func groupingViewsHaveASectionPerGroup() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        let owners = try workspace.text("actions/owners.html")
        for anchor in ["owner-lee-chen", "owner-priya-raman", "owner-sam-okafor", "owner-tom-s-ortega"] {
            #expect(owners.contains("<h2 id=\"\(anchor)\">"), "\(anchor)")
            #expect(owners.contains("href=\"#\(anchor)\""), "\(anchor)")
        }
        let priorities = try workspace.text("actions/priorities.html")
        for anchor in ["priority-immediate", "priority-short-term", "priority-long-term"] {
            #expect(priorities.contains("<h2 id=\"\(anchor)\">"))
        }
        let sources = try workspace.text("actions/sources.html")
        #expect(sources.contains("<h2 id=\"from-runs\">"))
        #expect(sources.contains("<h2 id=\"from-incidents\">"))
        let overdue = try workspace.text("actions/overdue.html")
        // Most days overdue first: AI-2026-004 (due 02-18) before AI-2026-009 (due 04-15 is not overdue).
        #expect(overdue.contains("<tr id=\"AI-2026-004\""))
        #expect(!overdue.contains("<tr id=\"AI-2026-009\""))
    }

    @Test func actionIdNamedLikeAViewIsRejected() async throws {
        let workspace = try SiteWorkspace()
        var history = HistoryFixture.history()
        history.runs[0].actionItems[0].id = "Owners"
        do {
            _ = try await workspace.builder().build(history)
            Issue.record("an action item named like a view should fail the build")
        } catch {
            #expect(error.step == .buildViewModels)
            #expect(error.description.contains("actions/owners.html"))
        }
    }

    static func sampleHistory() throws -> DrillHistory {
        let loaded = ContentLoader(contentDirectory: sampleContent).load()
        #expect(!loaded.hasErrors)
        return loaded.history
    }
}
