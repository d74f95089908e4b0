import DrillbookModel
@testable import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The search index in parts (issue 14: no file a page loads grows with the history): the
/// manifest `search-index.js` and the parts `search-index/*.js` hold every record once, in the
/// order of the whole index, and the search page, in real headless Chromium from `file://`,
/// finds a run that only the last part of the runs holds. `SearchPagesBuilder.partRows` is made
/// 1 so that the fixture's four runs make four parts.
@Suite("Search index in parts", .serialized)
struct SearchIndexPartsTests {
    /// Builds the fixture with `rows` rows per part.
    static func build(into workspace: borrowing SiteWorkspace, rows: Int) async throws {
        let builder = workspace.builder()
        try await SearchPagesBuilder.$partRows.withValue(rows) {
            _ = try await builder.build(SiteConventionsTests.history(site: SiteConfiguration()))
        }
    }

    @Test func partsHoldEveryRecordOnceInTheOrderOfTheWholeIndex() async throws {
        let whole = try SiteWorkspace()
        try await Self.build(into: whole, rows: 4_000)
        let split = try SiteWorkspace()
        try await Self.build(into: split, rows: 1)

        let fixture = HistoryFixture.history()
        let parts = try #require(try SiteConventionsTests.searchIndex(try split.text("search-index.js"))["parts"] as? [[Any]])
        #expect(parts.filter { $0[1] as? String == "runs" }.count == fixture.runs.count, "one part per run at one row a part")
        #expect(parts.filter { $0[1] as? String == "incidents" }.count == fixture.incidents.count)
        #expect(parts.allSatisfy { $0[2] as? Int == 1 })
        #expect(parts.map { $0[0] as? String ?? "" }.first == "search-index/runs-1.js")
        for kind in ["runs", "incidents", "actions"] {
            let one = try SiteConventionsTests.searchRows(kind, in: whole)
            let many = try SiteConventionsTests.searchRows(kind, in: split)
            #expect(!one.isEmpty)
            #expect(many.map { "\($0)" } == one.map { "\($0)" }, "\(kind): the same rows in the same order")
        }
        // The newest run first, the oldest in the last part.
        let last = try #require(parts.last { $0[1] as? String == "runs" }?[0] as? String)
        #expect(last == "search-index/runs-\(fixture.runs.count).js")
        #expect(try split.text(last).contains("\"2026-01-14-redis-sentinel-failover\""))
        // The manifest holds no record rows: it grows by one short line per part only.
        let manifest = try split.text("search-index.js")
        #expect(!manifest.contains("2026-01-14-redis-sentinel-failover"))
        // No file of the index is left from a build with more parts.
        try await Self.build(into: split, rows: 4_000)
        #expect(!FileManager.default.fileExists(atPath: split.output.appendingPathComponent(last).path))
    }

    /// Typing a query (the page opened with `?q=`, as the form submits it) finds both runs of the
    /// Redis drill, the older one only in the last part of the runs, and the count is exact once
    /// every part is searched. The negative control: the same page with that last part left out
    /// of the manifest misses the older run, so the check depends on every part being loaded.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "needs chromium (apt-get install chromium)"),
          .timeLimit(.minutes(3)))
    func searchInChromiumFindsARunInTheLastPart() async throws {
        let workspace = try SiteWorkspace()
        try await Self.build(into: workspace, rows: 1)
        let fixture = HistoryFixture.history()
        let page = workspace.output.appendingPathComponent("search.html").absoluteString + "?q=Redis-Sentinel-Failover"
        let profile = workspace.root.appendingPathComponent("profile")

        let dom = try HeadlessChromium.dumpDOM(page, profile: profile, virtualTimeMilliseconds: 10000)
        let results = Self.results(in: dom)
        #expect(results == ["runs/2026-03-18-redis-sentinel-failover.html", "runs/2026-01-14-redis-sentinel-failover.html"], "\(dom)")
        #expect(dom.contains(">2 matches.<"), "the count once every part is searched")
        #expect(dom.contains("data-complete=\"true\""))
        #expect(fixture.runs.filter { $0.drillId == "redis-sentinel-failover" }.count == 2)

        // Negative control: the last part of the runs left out of the manifest.
        let manifest = workspace.output.appendingPathComponent("search-index.js")
        let last = "[\"search-index/runs-\(fixture.runs.count).js\",\"runs\",1]"
        let text = try String(contentsOf: manifest, encoding: .utf8)
        #expect(text.contains(last + ",\n"))
        try text.replacingOccurrences(of: last + ",\n", with: "").write(to: manifest, atomically: true, encoding: .utf8)
        let broken = try HeadlessChromium.dumpDOM(page, profile: profile, virtualTimeMilliseconds: 10000)
        #expect(Self.results(in: broken) == ["runs/2026-03-18-redis-sentinel-failover.html"], "\(broken)")
        #expect(broken.contains(">1 match.<"))
    }

    /// The `href`s of the search results in a dumped page.
    static func results(in dom: String) -> [String] {
        guard let start = dom.range(of: "id=\"search-results\""), let end = dom.range(of: "</ol>", range: start.upperBound..<dom.endIndex) else { return [] }
        return dom[start.upperBound..<end.lowerBound].components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}

