import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

@Suite("SiteBuilder")
struct SiteBuilderTests {
    @Test func writesTheExpectedPages() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(
            HistoryFixture.history(), extraFiles: [("schema/run.schema.json", Data("{}".utf8))])
        #expect(report.pages == [
            "404.html", "actions/actions.csv", "actions/actions.ics", "actions/actions.json", "actions/ai-2026-001.html",
            "actions/ai-2026-004.html", "actions/ai-2026-005.html", "actions/ai-2026-006.html", "actions/ai-2026-007.html",
            "actions/ai-2026-009.html", "actions/done.html", "actions/index.html", "actions/overdue.html",
            "actions/owners.html", "actions/priorities.html", "actions/sources.html", "drills/index.html",
            "drills/redis-sentinel-failover.html", "drills/single-provider-failure.html", "drills/sudden-order-burst.html",
            "feed.xml", "incidents/inc-2026-003.html",
            "incidents/inc-2026-007.html", "incidents/inc-2026-009.html", "incidents/index.html", "index.html",
            "lessons/2026-Q1.html", "lessons/index.html", "reviews/2026-Q1.html", "reviews/index.html", "runs/2026-01-14-redis-sentinel-failover.html",
            "runs/2026-02-11-single-provider-failure.html", "runs/2026-03-04-sudden-order-burst.html",
            "runs/2026-03-18-redis-sentinel-failover.html", "runs/index.html", "schedule/index.html", "search-index.js",
            "search-index/actions-1.js", "search-index/incidents-1.js", "search-index/runs-1.js",
            "search.html",
        ])
        #expect(report.assets == ["assets/favicon.svg", "assets/site.js", "assets/style.css"])
        #expect(report.extraFiles == ["schema/run.schema.json"])
        #expect(report.timings.map(\.step) == SiteBuildStep.allCases)
        let written = try files(in: workspace.output).map(\.path)
        // Besides the marker every site drillbook builds carries (.drillbook-site).
        #expect(written == ([".drillbook-site"] + report.pages + report.assets + report.extraFiles).sorted())
        // No temporary or set-aside folders are left next to the output.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: workspace.root.path)
        #expect(siblings == ["site"])
    }

    @Test func runPageMatchesGoldenFile() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        expectSnapshot(try workspace.text("runs/2026-01-14-redis-sentinel-failover.html"), named: "run.html", bundle: .module)
    }

    @Test func incidentPageMatchesGoldenFile() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        expectSnapshot(try workspace.text("incidents/inc-2026-003.html"), named: "incident.html", bundle: .module)
    }

    @Test func everyInternalLinkResolves() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        let links = try SiteLinkReport(site: workspace.output)
        #expect(links.problems == [])
        #expect(links.checked > 100)
    }

    @Test func twoBuildsAreByteIdentical() async throws {
        let workspace = try SiteWorkspace()
        let first = workspace.root.appendingPathComponent("one")
        let second = workspace.root.appendingPathComponent("two")
        _ = try await workspace.builder(output: first).build(HistoryFixture.history())
        _ = try await workspace.builder(output: second).build(HistoryFixture.history())
        let a = try files(in: first)
        let b = try files(in: second)
        #expect(a.map(\.path) == b.map(\.path))
        #expect(a.map(\.data) == b.map(\.data))
    }

    @Test func parallelAndSerialBuildsAreIdentical() async throws {
        let workspace = try SiteWorkspace()
        let parallel = workspace.root.appendingPathComponent("parallel")
        let serial = workspace.root.appendingPathComponent("serial")
        _ = try await workspace.builder(output: parallel, parallel: true).build(HistoryFixture.history())
        _ = try await workspace.builder(output: serial, parallel: false).build(HistoryFixture.history())
        let a = try files(in: parallel)
        let b = try files(in: serial)
        #expect(a.map(\.path) == b.map(\.path))
        #expect(a.map(\.data) == b.map(\.data))
    }

    @Test func rebuildingReplacesOldPagesAndKeepsDotFiles() async throws {
        let workspace = try SiteWorkspace()
        // A site built before (an unmarked folder of files would be refused), with a stale page.
        _ = try await workspace.builder().build(HistoryFixture.history())
        try Data("stale".utf8).write(to: workspace.output.appendingPathComponent("runs/deleted-run.html"))
        try Data().write(to: workspace.output.appendingPathComponent(".gitkeep"))
        try Data("Options -Indexes\n".utf8).write(to: workspace.output.appendingPathComponent(".htaccess"))
        let report = try await workspace.builder().build(HistoryFixture.history())
        #expect(report.carriedOver == [".gitkeep", ".htaccess"])
        #expect(!FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("runs/deleted-run.html").path))
        #expect(try workspace.text(".htaccess") == "Options -Indexes\n")
        #expect(FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent(".gitkeep").path))
    }

    // MARK: - Failed builds keep the previous output

    /// Builds once, then runs `failing`; checks the error names `step` and the old output is intact.
    private func expectFailureKeepsOutput(
        step: SiteBuildStep, pathContains: String,
        _ failing: (borrowing SiteWorkspace) async throws(SiteBuildError) -> Void
    ) async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        try Data().write(to: workspace.output.appendingPathComponent(".gitkeep"))
        let before = try files(in: workspace.output)
        do {
            try await failing(workspace)
            Issue.record("the build should have failed in step \(step)")
        } catch {
            #expect(error.step == step)
            #expect(error.path?.contains(pathContains) == true, "\(error)")
            #expect(error.description.contains("\"\(step.rawValue)\""))
        }
        let after = try files(in: workspace.output)
        #expect(after.map(\.path) == before.map(\.path))
        #expect(after.map(\.data) == before.map(\.data))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.root.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary folders left behind: \(leftovers)")
    }

    @Test func brokenTemplateFailsInLoadThemeAndKeepsOutput() async throws {
        try await expectFailureKeepsOutput(step: .loadTheme, pathContains: "templates/run.mustache") {
            workspace throws(SiteBuildError) in
            let theme: URL
            do {
                theme = try workspace.copyOfDefaultTheme()
                try Data("{{#criteria}}unclosed".utf8).write(to: theme.appendingPathComponent("templates/run.mustache"))
            } catch { fatalError("cannot prepare the theme: \(error)") }
            _ = try await workspace.builder(theme: theme).build(HistoryFixture.history())
        }
    }

    @Test func missingTemplateFailsInLoadTheme() async throws {
        try await expectFailureKeepsOutput(step: .loadTheme, pathContains: "templates/incident.mustache") {
            workspace throws(SiteBuildError) in
            let theme: URL
            do {
                theme = try workspace.copyOfDefaultTheme()
                try FileManager.default.removeItem(at: theme.appendingPathComponent("templates/incident.mustache"))
            } catch { fatalError("cannot prepare the theme: \(error)") }
            _ = try await workspace.builder(theme: theme).build(HistoryFixture.history())
        }
    }

    @Test func missingPartialFailsInLoadTheme() async throws {
        try await expectFailureKeepsOutput(step: .loadTheme, pathContains: "templates/home.mustache") {
            workspace throws(SiteBuildError) in
            let theme: URL
            do {
                theme = try workspace.copyOfDefaultTheme()
                try FileManager.default.removeItem(at: theme.appendingPathComponent("templates/run-rows.mustache"))
            } catch { fatalError("cannot prepare the theme: \(error)") }
            _ = try await workspace.builder(theme: theme).build(HistoryFixture.history())
        }
    }

    @Test func unwritableExtraFileFailsAndKeepsOutput() async throws {
        // index.html is a file, so nothing can be written below it.
        try await expectFailureKeepsOutput(step: .writeExtraFiles, pathContains: "index.html/x.json") {
            workspace throws(SiteBuildError) in
            _ = try await workspace.builder().build(
                HistoryFixture.history(), extraFiles: [("index.html/x.json", Data("{}".utf8))])
        }
    }

    @Test func extraFileOutsideTheSiteIsRejected() async throws {
        try await expectFailureKeepsOutput(step: .writeExtraFiles, pathContains: "../escape.json") {
            workspace throws(SiteBuildError) in
            _ = try await workspace.builder().build(HistoryFixture.history(), extraFiles: [("../escape.json", Data())])
        }
    }

    @Test func collidingIdsFailInBuildViewModels() async throws {
        try await expectFailureKeepsOutput(step: .buildViewModels, pathContains: "inc 2026 003") {
            workspace throws(SiteBuildError) in
            var history = HistoryFixture.history()
            var twin = history.incidents[0]
            twin.id = "inc 2026 003"
            history.incidents.append(twin)
            _ = try await workspace.builder().build(history)
        }
    }

    @Test func outputThatIsAFileIsReported() async throws {
        let workspace = try SiteWorkspace()
        let file = workspace.root.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        await #expect(throws: SiteBuildError.self) {
            _ = try await workspace.builder(output: file).build(HistoryFixture.history())
        }
        #expect(try Data(contentsOf: file) == Data("x".utf8))
    }

    @Test func idsAreSlugged() async throws {
        let workspace = try SiteWorkspace()
        var history = HistoryFixture.history()
        history.runs[0].id = "../../etc/Passwd Run"
        _ = try await workspace.builder().build(history)
        #expect(FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("runs/etc-passwd-run.html").path))
    }

    // MARK: - Content

    @Test func actionItemsApplyUpdatesAndDeriveDueDates() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        // Open items are on the index, closed ones on the done view.
        let index = try workspace.text("actions/index.html")
        let html = index + (try workspace.text("actions/done.html"))
        func row(_ id: String) -> String {
            guard let start = html.range(of: "<tr id=\"\(id)\"") else { return "" }
            let rest = html[start.lowerBound...]
            return String(rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)])
        }
        // Immediate, no due date: 2026-01-14 + 7 days; done on 2026-01-20.
        #expect(row("AI-2026-001").contains("2026-01-21"))
        #expect(row("AI-2026-001").contains("Done"))
        // Updates applied in date order (the file lists them out of order): blocked, new owner, overdue.
        #expect(row("AI-2026-004").contains("Blocked, overdue"))
        #expect(row("AI-2026-004").contains("Tomás Ortega"))
        #expect(row("AI-2026-004").contains("2026-02-18"))
        // Long-term: +3 months; the update of 2026-04-05 is after asOf and not applied.
        #expect(row("AI-2026-006").contains("2026-05-11"))
        #expect(row("AI-2026-006").contains("Open"))
        // A due date moved by an update.
        #expect(row("AI-2026-009").contains("2026-04-15"))
        #expect(row("AI-2026-009").contains("In progress"))
        // Overdue items come first.
        let overdueIndex = try #require(index.range(of: "<tr id=\"AI-2026-004\"")).lowerBound
        #expect(overdueIndex < (try #require(index.range(of: "<tr id=\"AI-2026-006\""))).lowerBound)
        #expect(!index.contains("<tr id=\"AI-2026-001\""))
    }

    @Test func incidentWithoutInstantsSaysNotRecorded() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        let html = try workspace.text("incidents/inc-2026-007.html")
        #expect(html.contains("Time to detect</th><td class=\"num\">not recorded"))
        #expect(html.contains("Time to escalate</th><td class=\"num\">not recorded"))
        #expect(html.contains("CTO"))
        let open = try workspace.text("incidents/inc-2026-009.html")
        #expect(open.contains("has not been resolved"))
    }

    @Test func homeDashboardCounts() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        let html = try workspace.text("index.html")
        #expect(html.contains("2 of 4 runs passed"))
        #expect(html.contains("<p class=\"stat__value\">50 %</p>"))
        #expect(html.contains("Incidents in Q1 2026"))
    }

    @Test func emptyHistoryBuilds() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(DrillHistory())
        // Home, five section indexes (runs among them), five more action views, the three (empty)
        // exports, the reviews index, the schedule, the feed, search, its index and the 404 page.
        #expect(report.pages.count == 20)
        #expect(try workspace.text("actions/index.html").contains("No action item has been raised yet."))
        #expect(try workspace.text("index.html").contains("No drill has been run yet."))
    }
}
