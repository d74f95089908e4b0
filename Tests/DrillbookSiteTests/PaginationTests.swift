import DrillbookModel
import DrillbookSite
import Foundation
import Testing

/// Long lists are cut into pages a reader can load: the dashboard shows the ten most overdue
/// items, the action views and the incident index paginate at 200 rows, and lessons get a page
/// per quarter. The first page of a list keeps its path, so existing links stay valid.
@Suite("Pagination")
struct PaginationTests {
    /// The fixture with 450 more overdue items (one run raises them) and 250 more incidents.
    static func longHistory() -> DrillHistory {
        var history = HistoryFixture.history()
        let template = history.runs[0].actionItems[0]
        for number in 1...450 {
            var item = template
            item.id = "AI-LONG-" + String(format: "%04d", number)
            item.dueDate = HistoryFixture.day("2026-01-01").adding(days: number % 40)
            item.status = .open
            history.runs[0].actionItems.append(item)
        }
        let incident = history.incidents[2]
        for number in 1...250 {
            var copy = incident
            copy.id = "INC-LONG-" + String(format: "%04d", number)
            history.incidents.append(copy)
        }
        return history
    }

    static func ids(in page: String) -> [String] {
        page.components(separatedBy: "<tr id=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    /// `history` with its records in the order `DrillHistory` keeps them (runs by start time).
    static func sorted(_ history: DrillHistory) -> DrillHistory {
        DrillHistory(
            drills: history.drills, runs: history.fullRuns, incidents: history.incidents,
            actionUpdates: history.actionUpdates, schedule: history.schedule, sourcePaths: history.sourcePaths)
    }

    /// The fixture with 448 more runs of the Redis drill (450 in all), a day apart, from 2024.
    static func longDrillHistory() -> DrillHistory {
        var history = HistoryFixture.history()
        var template = history.runs.first { $0.drillId == "redis-sentinel-failover" }!
        template.actionItems = []
        for number in 1...448 {
            var run = template
            run.id = "long-redis-" + String(format: "%04d", number)
            let shift = Double(number - 500) * 86_400
            run.startedAt.secondsSince1970 += shift
            run.endedAt.secondsSince1970 += shift
            history.runs.append(run)
        }
        return Self.sorted(history)
    }

    @Test func aLongRunHistoryIsSplitAcrossPagesNewestFirst() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(Self.longDrillHistory())
        let pages = report.pages.filter { $0.hasPrefix("drills/redis-sentinel-failover") }
        #expect(pages == ["drills/redis-sentinel-failover-runs-2.html", "drills/redis-sentinel-failover-runs-3.html",
            "drills/redis-sentinel-failover.html"])
        func runLinks(_ path: String) throws -> [String] {
            let html = try workspace.text(path)
            guard let table = html.components(separatedBy: "<h2 id=\"history\">").last else { return [] }
            return table.components(separatedBy: "<td><a href=\"../runs/").dropFirst()
                .compactMap { $0.split(separator: ".").first.map(String.init) }
        }
        let first = try runLinks("drills/redis-sentinel-failover.html")
        let second = try runLinks("drills/redis-sentinel-failover-runs-2.html")
        let third = try runLinks("drills/redis-sentinel-failover-runs-3.html")
        #expect([first.count, second.count, third.count] == [Int]([200, 200, 50]))
        // Every run once, newest first across the pages: the fixture's March run, then the long ones backwards.
        let all = first + second + third
        #expect(Set(all).count == 450)
        #expect(all.first == "2026-03-18-redis-sentinel-failover")
        #expect(all.last == "long-redis-0001")
        let drillPage = try workspace.text("drills/redis-sentinel-failover.html")
        #expect(drillPage.contains("Page 1 of 3 · 450 runs"))
        #expect(drillPage.contains("<a rel=\"next\" href=\"../drills/redis-sentinel-failover-runs-2.html#history\">"))
        let last = try workspace.text("drills/redis-sentinel-failover-runs-3.html")
        #expect(last.contains("<h2 id=\"history\">Run history (page 3 of 3)</h2>"))
        #expect(last.contains("<a href=\"../drills/redis-sentinel-failover.html\">Redis Sentinel Failover</a>"))
        #expect(last.contains("<a rel=\"prev\" href=\"../drills/redis-sentinel-failover-runs-2.html#history\">"))
    }

    @Test func aDrillIdNamedLikeAHistoryPageIsRejected() async throws {
        var history = HistoryFixture.history()
        var drill = history.drills[0]
        drill.id = "redis-sentinel-failover-runs-2"
        history.drills.append(drill)
        let workspace = try SiteWorkspace()
        await #expect(throws: SiteBuildError.self) { _ = try await workspace.builder().build(Self.sorted(history)) }
    }

    @Test func actionViewsPaginateAndEveryItemIsListedOnce() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(Self.longHistory())
        // 456 items: 5 open fixture items and 450 long ones are open, one is done.
        let openPages = report.pages.filter { $0.hasPrefix("actions/index") }
        #expect(openPages == ["actions/index-2.html", "actions/index-3.html", "actions/index.html"])
        #expect(report.pages.contains("actions/overdue-3.html"))
        #expect(!report.pages.contains("actions/overdue-4.html"))
        var listed: [String: String] = [:]
        for path in ["actions/index.html", "actions/index-2.html", "actions/index-3.html", "actions/done.html"] {
            let page = try workspace.text(path)
            for id in Self.ids(in: page) {
                #expect(listed[id] == nil, "\(id) is listed on \(listed[id] ?? "") and \(path)")
                listed[id] = path
            }
        }
        #expect(listed.count == 456)
        // Every item keeps its own page, which links back to the page of the list that holds its row.
        for (id, path) in listed {
            let item = try workspace.text("actions/" + id.lowercased() + ".html")
            let file = String(path.dropFirst("actions/".count))
            #expect(item.contains("href=\"../actions/\(file)#\(id)\""), "\(id) should link to \(path)")
        }
        let first = try workspace.text("actions/index.html")
        #expect(first.contains("Page 1 of 3 · 455 items"))
        #expect(first.contains("<a rel=\"next\" href=\"../actions/index-2.html\">"))
        #expect(!first.contains("rel=\"prev\""))
        let second = try workspace.text("actions/index-2.html")
        #expect(second.contains("<a rel=\"prev\" href=\"../actions/index.html\">"))
        #expect(second.contains("<a rel=\"next\" href=\"../actions/index-3.html\">"))
        #expect(Self.ids(in: second).count == 200)
        // The grouping views link each group to the page where its section starts.
        let owners = try workspace.text("actions/owners.html")
        #expect(owners.contains("href=\"owners-3.html#owner-sam-okafor\"") || owners.contains("href=\"#owner-sam-okafor\""))
    }

    @Test func dashboardShowsTheTenMostOverdue() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(Self.longHistory())
        let home = try workspace.text("index.html")
        let ids = Self.ids(in: home)
        #expect(ids.count == 10)
        // Most days overdue first: due 2026-01-01 is the oldest due date of the long items.
        #expect(ids.first == "AI-LONG-0040")
        #expect(home.contains("<a href=\"actions/overdue.html\">442 more overdue →</a>"))
    }

    @Test func incidentIndexPaginates() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(Self.longHistory())
        #expect(report.pages.filter { $0.hasPrefix("incidents/index") } == ["incidents/index-2.html", "incidents/index.html"])
        let first = try workspace.text("incidents/index.html")
        let second = try workspace.text("incidents/index-2.html")
        #expect(first.contains("Page 1 of 2 · 253 incidents"))
        #expect(second.contains("<a rel=\"prev\" href=\"../incidents/index.html\">"))
        // Every incident is on exactly one page of the index.
        for number in [1, 125, 250] {
            let href = "href=\"../incidents/inc-long-" + String(format: "%04d", number) + ".html\""
            #expect(first.contains(href) != second.contains(href), "\(href)")
        }
    }

    @Test func anIncidentNamedLikeAPageOfTheIndexIsRejected() async throws {
        let workspace = try SiteWorkspace()
        var history = HistoryFixture.history()
        history.incidents[2].id = "index-2"
        await #expect(throws: SiteBuildError.self) { _ = try await workspace.builder().build(history) }
    }

    @Test func lessonsHaveALandingPageAndAPagePerQuarter() async throws {
        let workspace = try SiteWorkspace()
        var history = HistoryFixture.history()
        // One more run in the last quarter of 2025, so there are two quarters.
        var older = history.runs[0]
        older.id = "2025-12-01-redis-sentinel-failover"
        older.startedAt = HistoryFixture.at("2025-12-01T10:00:00Z")
        older.endedAt = HistoryFixture.at("2025-12-01T10:30:00Z")
        older.actionItems = []
        older.lessons = Lessons(wentWell: ["An older lesson"])
        history.runs.insert(older, at: 0)
        let report = try await workspace.builder().build(history)
        #expect(report.pages.filter { $0.hasPrefix("lessons/") } == ["lessons/2025-Q4.html", "lessons/2026-Q1.html", "lessons/index.html"])
        let landing = try workspace.text("lessons/index.html")
        #expect(landing.contains("<a href=\"2026-Q1.html\">Q1 2026</a>"))
        #expect(landing.contains("<a href=\"2025-Q4.html\">Q4 2025</a>"))
        #expect(landing.contains("Latest quarter: Q1 2026"))
        #expect(!landing.contains("An older lesson"))
        let quarter = try workspace.text("lessons/2025-Q4.html")
        #expect(quarter.contains("An older lesson"))
        #expect(quarter.contains("<a rel=\"prev\" href=\"2026-Q1.html\">← Q1 2026</a>"))
    }
}
