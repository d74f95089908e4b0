import DrillbookModel
import DrillbookSite
import Foundation
import Testing

/// No page grows with the history (issue 14: no page over 2 MB at 100,000 runs). The same site is
/// built from a history of `small` runs and from one four times as long, every run in one quarter
/// of one drill (the densest case: one quarter's lessons, one drill's charts and open items, the
/// same schedule slots); a page's size must not follow the history's length. A unit test cannot
/// afford 100,000 runs; it shows instead that the per-page bound does not depend on their number.
@Suite("Page size bound")
struct PageSizeBoundTests {
    static let small = 500

    /// The fixture with `count` more runs of the Redis drill between 2026-01-02 and 2026-03-29
    /// (one quarter), each with five lessons; every other one raises an open action item (so
    /// that even the short history fills a whole page of every list of 200).
    static func history(runs count: Int) -> DrillHistory {
        var history = HistoryFixture.history()
        var template = history.runs.first { $0.drillId == "redis-sentinel-failover" }!
        let item = template.actionItems.first!
        template.actionItems = []
        let start = HistoryFixture.at("2026-01-02T08:00:00Z").secondsSince1970
        let step = 86.0 * 86_400 / Double(count)
        let length = template.endedAt.secondsSince1970 - template.startedAt.secondsSince1970
        for number in 1...count {
            var run = template
            run.id = "bound-redis-" + String(format: "%05d", number)
            run.startedAt.secondsSince1970 = start + Double(number) * step
            run.endedAt.secondsSince1970 = run.startedAt.secondsSince1970 + length
            run.lessons = Lessons(
                wentWell: ["Sentinel promoted a replica in run " + String(number), "The runbook held"],
                couldImprove: ["Alert **earlier** on replication lag (run " + String(number) + ")", "Shorter DNS TTL"],
                nextSteps: ["Automate the failover check of run " + String(number)])
            if number % 2 == 0 {
                var raised = item
                raised.id = "AI-BOUND-" + String(format: "%05d", number)
                raised.status = .open
                raised.dueDate = HistoryFixture.day("2026-02-01").adding(days: number % 60)
                run.actionItems = [raised]
            }
            history.runs.append(run)
        }
        return PaginationTests.sorted(history)
    }

    /// Sizes of the HTML pages of a built site, by path.
    static func pageSizes(in folder: URL) throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        let base = folder.standardizedFileURL.path + "/"
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey])!
        for case let url as URL in walker where url.pathExtension == "html" {
            let path = String(url.standardizedFileURL.path.dropFirst(base.count))
            sizes[path] = try url.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
        }
        return sizes
    }

    /// A page's path without its page number (`-2`, `-runs-3` keep their stem): `runs/index-3.html` → `runs/index.html`.
    static func family(_ path: String) -> String {
        var stem = path.dropLast(".html".count)
        if let dash = stem.lastIndex(of: "-"), stem[stem.index(after: dash)...].allSatisfy(\.isNumber),
            stem.index(after: dash) < stem.endIndex
        {
            stem = stem[..<dash]
        }
        return String(stem) + ".html"
    }

    @Test func noPageGrowsWithTheHistory() async throws {
        let shortSite = try SiteWorkspace()
        _ = try await shortSite.builder().build(Self.history(runs: Self.small))
        let short = try Self.pageSizes(in: shortSite.output)
        let longSite = try SiteWorkspace()
        _ = try await longSite.builder().build(Self.history(runs: Self.small * 4))
        let long = try Self.pageSizes(in: longSite.output)

        // The history really is four times as long: the lessons of the quarter fill about four times the bytes.
        let lessonBytes = { (sizes: [String: Int]) in sizes.filter { $0.key.hasPrefix("lessons/2026-Q1") }.values.reduce(0, +) }
        #expect(Double(lessonBytes(long)) > 3.5 * Double(lessonBytes(short)))
        #expect(long.keys.contains("lessons/2026-Q1-2.html"))

        // Each page of the long site is at most a quarter bigger than the largest page of its family
        // in the short site (its path without the page number: `lessons/2026-Q1-7.html` is of
        // `lessons/2026-Q1.html`, whose full pages the short history already fills), plus 16 KB
        // of counts; a page of a family the short site has not got is held to its largest page.
        var familyMaximum: [String: Int] = [:]
        for (path, size) in short { familyMaximum[Self.family(path), default: 0] = max(familyMaximum[Self.family(path)] ?? 0, size) }
        let largestShort = short.values.max() ?? 0
        for (path, size) in long.sorted(by: { $0.key < $1.key }) {
            let reference = familyMaximum[Self.family(path)] ?? largestShort
            #expect(Double(size) <= Double(reference) * 1.25 + 16_384, "\(path): \(size) bytes from \(Self.small * 4) runs, \(reference) from \(Self.small)")
        }
        let largest = long.max { $0.value < $1.value }!
        #expect(largest.value < 2 << 20, "\(largest.key) is \(largest.value) bytes")
    }

    @Test func aLongQuarterOfLessonsIsPagedAndEveryLessonListedOnce() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(Self.history(runs: Self.small))
        // 2,500 lessons of the long runs and the fixture's own: seven pages of 400.
        let pages = report.pages.filter { $0.hasPrefix("lessons/2026-Q1") }
        #expect(pages == ["lessons/2026-Q1-2.html", "lessons/2026-Q1-3.html", "lessons/2026-Q1-4.html",
            "lessons/2026-Q1-5.html", "lessons/2026-Q1-6.html", "lessons/2026-Q1-7.html", "lessons/2026-Q1.html"])
        var seen: [String: Int] = [:]
        for path in pages {
            let html = try workspace.text(path)
            let items = html.components(separatedBy: "<li><div class=\"lesson-list__text\">").dropFirst()
            #expect(items.count <= 400, "\(path)")
            for item in items { seen[String(item.prefix { $0 != "<" }), default: 0] += 1 }
        }
        // Each long run's numbered lessons appear once across the pages (two texts are shared by every run).
        #expect(seen["Sentinel promoted a replica in run 1"] == 1)
        #expect(seen["Sentinel promoted a replica in run 500"] == 1)
        #expect(seen["Automate the failover check of run 250"] == 1)
        #expect(seen["The runbook held"] == Self.small)
        let first = try workspace.text("lessons/2026-Q1.html")
        #expect(first.contains("<a rel=\"next\" href=\"2026-Q1-2.html\">Next page →</a>"))
        #expect(first.contains("Page 1 of 7 · "))
        let last = try workspace.text("lessons/2026-Q1-7.html")
        #expect(last.contains("<a rel=\"prev\" href=\"2026-Q1-6.html\">← Previous page</a>"))
        #expect(!last.contains("rel=\"next\" href=\"2026-Q1-8.html\""))
        let landing = try workspace.text("lessons/index.html")
        #expect(landing.contains("<a href=\"2026-Q1-2.html\">More lessons of Q1 2026 ("))
    }

    @Test func scheduleCellsAndDrillPagesNameAFewAndCountTheRest() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(Self.history(runs: Self.small))
        let schedule = try workspace.text("schedule/index.html")
        #expect(schedule.contains("<span class=\"slot__more\">and "))
        let drill = try workspace.text("drills/redis-sentinel-failover.html")
        #expect(drill.contains("The chart shows the latest 400 of "))
        // 250 open items from the long runs; the page lists 25 and links to the rest.
        #expect(drill.contains("more open items in the action items →</a>"))
        #expect(drill.components(separatedBy: "href=\"../actions/ai-bound-").count - 1 <= 25)
    }
}
