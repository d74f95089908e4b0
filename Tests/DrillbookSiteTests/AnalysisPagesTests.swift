import DrillbookContent
import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The analysis pages built from the repository's sample content (`content/`) as of 2026-11-29:
/// golden drill history and quarterly review, well-formed charts, the feed, the sitemap and links.
@Suite("Analysis pages")
struct AnalysisPagesTests {
    static let contentFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content", isDirectory: true)
    static let asOf = CalendarDay(year: 2026, month: 11, day: 29)!

    static func sampleHistory() throws -> DrillHistory {
        let loaded = ContentLoader(contentDirectory: contentFolder).load()
        #expect(!loaded.hasErrors, "the sample content has errors: \(loaded.issues.filter(\.isError))")
        return loaded.history
    }

    func build(_ workspace: borrowing SiteWorkspace, baseURL: String? = nil) async throws {
        var builder = SiteBuilder(
            themeDirectory: SiteWorkspace.defaultTheme, outputDirectory: workspace.output, asOf: Self.asOf)
        builder.baseURL = baseURL
        _ = try await builder.build(try Self.sampleHistory())
    }

    @Test func drillHistoryPageMatchesGoldenFile() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        let html = try workspace.text("drills/redis-sentinel-failover.html")
        expectSnapshot(html, named: "drill-history.html", bundle: .module)
        // The sample's newest executor run (2026-12-01) is after the as-of day: 6 runs, 1 local.
        #expect(html.contains("Improving: −4.1 s per quarter over 6 runs (−20 % per quarter)"))
        #expect(html.contains("href=\"../actions/ai-2025-009.html\""))
        // The sample has local executor runs beside staging runs: one chart series and one table
        // column say which is which, rather than mixing them unmarked.
        #expect(html.contains("<title>Local runs</title>") && html.contains("<title>Staging runs</title>"))
        #expect(html.contains("Runs from 2 environments, one series each: local (1), staging (5)"))
        #expect(html.contains("<th scope=\"col\">Environment</th>"))
    }

    @Test func quarterlyReviewMatchesGoldenFile() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        let html = try workspace.text("reviews/2026-Q3.html")
        expectSnapshot(html, named: "review-2026-Q3.html", bundle: .module)
        #expect(html.contains("Quarterly theme drill: Security Incident"))
    }

    @Test func everyChartIsWellFormedXML() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        var charts = 0
        for file in try files(in: workspace.output) {
            let text = String(decoding: file.data, as: UTF8.self)
            if file.path.hasSuffix(".svg") {
                #expect(xmlError(text) == nil, "\(file.path): \(xmlError(text) ?? "")")
                charts += 1
            } else if file.path.hasSuffix(".html") {
                for svg in inlineSVGs(in: text) {
                    #expect(xmlError(svg) == nil, "\(file.path): inline <svg> is not well-formed: \(xmlError(svg) ?? "")")
                    charts += 1
                }
            }
        }
        // Recovery and detection charts and a sparkline per timed run on drill pages, four charts per
        // review, the schedule's heatmap, the dashboard's three, and the favicon.
        #expect(charts > 60)
    }

    @Test func feedListsTheNewestRunsAndIncidents() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        let feed = try workspace.text("feed.xml")
        #expect(xmlError(feed) == nil)
        #expect(!feed.contains("xml:base"))
        #expect(!FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("sitemap.xml").path))
        let entries = xmlTexts(feed, element: "id").dropFirst()  // the feed's own id first
        #expect(entries.count == SiteBuilderLimits.feedEntries)
        #expect(entries.allSatisfy { $0.hasPrefix("urn:drillbook:run:") || $0.hasPrefix("urn:drillbook:incident:") })
        #expect(Set(entries).count == entries.count)
        // Newest first: the open incident of 2026-11-27 (the executor's run of 2026-12-01 is after
        // the build's as-of day, so it is left out).
        #expect(!entries.contains("urn:drillbook:run:2026-12-01-redis-sentinel-failover"))
        #expect(entries.first == "urn:drillbook:incident:INC-2026-078")
        #expect(entries.contains("urn:drillbook:run:2026-11-25-incident-response-tabletop"))
        let updated = xmlTexts(feed, element: "updated")
        #expect(updated.dropFirst().map { $0 } == updated.dropFirst().sorted { (Timestamp(iso8601: $0)!) > (Timestamp(iso8601: $1)!) })
        #expect(updated.first == updated.dropFirst().first)
        // Every entry link resolves to a page of the site.
        for href in attributeValues("href", in: feed) {
            #expect(FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent(href).path), "\(href)")
        }
    }

    @Test func baseURLAddsXMLBaseAndSitemap() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace, baseURL: "https://drills.example.com/team")
        let feed = try workspace.text("feed.xml")
        #expect(feed.contains("xml:base=\"https://drills.example.com/team/\""))
        let sitemap = try workspace.text("sitemap.xml")
        #expect(xmlError(sitemap) == nil)
        let locations = xmlTexts(sitemap, element: "loc")
        #expect(locations.contains("https://drills.example.com/team/index.html"))
        #expect(locations.contains("https://drills.example.com/team/reviews/2026-Q3.html"))
        #expect(locations.allSatisfy { $0.hasPrefix("https://drills.example.com/team/") && $0.hasSuffix(".html") })
        // Every page but the 404 page, which is no address to index.
        let pages = try files(in: workspace.output).map(\.path).filter { $0.hasSuffix(".html") && $0 != "404.html" }
        #expect(locations.count == pages.count)
    }

    @Test func badBaseURLFailsInBuildViewModels() async throws {
        let workspace = try SiteWorkspace()
        var builder = SiteBuilder(
            themeDirectory: SiteWorkspace.defaultTheme, outputDirectory: workspace.output, asOf: Self.asOf)
        builder.baseURL = "drills.example.com"
        await #expect(throws: SiteBuildError.self) { try await builder.build(try Self.sampleHistory()) }
    }

    @Test func everyInternalLinkOfTheSampleSiteResolves() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        let links = try SiteLinkReport(site: workspace.output)
        #expect(links.problems == [])
        #expect(links.checked > 1000)
    }

    @Test func schedulePageShowsMissedAndPlannedSlots() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        let html = try workspace.text("schedule/index.html")
        #expect(html.contains("4 slots missed"))
        #expect(html.contains("slot slot--missed"))
        #expect(html.contains("slot slot--planned"))
        #expect(html.contains("<th scope=\"row\" class=\"nowrap\">2025-12</th>"))
    }
}

/// The entry limit the feed is documented with.
enum SiteBuilderLimits {
    static let feedEntries = 50
}

/// Each `<svg …>…</svg>` of an HTML text (charts do not nest SVG elements).
func inlineSVGs(in html: String) -> [String] {
    var result: [String] = []
    var rest = Substring(html)
    while let open = rest.range(of: "<svg"), let close = rest[open.lowerBound...].range(of: "</svg>") {
        result.append(String(rest[open.lowerBound..<close.upperBound]))
        rest = rest[close.upperBound...]
    }
    return result
}

