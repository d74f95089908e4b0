import DrillbookContent
import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

/// The conventions of a static site (issue 13, point 6) and the site configuration's use
/// (point 1): runs index, 404 page, search index, heading permalinks, meta description and Open
/// Graph, tracker links, incidents by severity, plain-text feed, organisation and title.
@Suite("Site conventions")
struct SiteConventionsTests {
    static let config = SiteConfiguration(
        organisation: "BondX", title: "Drill history", baseURL: "https://drills.example.internal/",
        timeZone: "Europe/London", trackerURL: "https://tracker.example.internal/browse/{id}")

    static func history(site: SiteConfiguration = config, text t: (String) -> String = { $0 }) -> DrillHistory {
        var history = HistoryFixture.history(text: t)
        history.site = site
        return history
    }

    /// The JSON object of `search-index.js` (the text between `= ` and the final `;`).
    static func searchIndex(_ text: String) throws -> [String: Any] {
        let prefix = "window.drillbookSearchIndex = "
        #expect(text.hasPrefix(prefix) && text.hasSuffix("};\n"))
        let json = text.dropFirst(prefix.count).dropLast(2)
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    /// The JSON object of a part of the search index, `search-index/runs-1.js` and the like.
    static func searchPart(_ text: String, path: String) throws -> [String: Any] {
        let prefix = "(window.drillbookSearchParts = window.drillbookSearchParts || {})[\"" + path + "\"] = "
        #expect(text.hasPrefix(prefix) && text.hasSuffix("};\n"))
        let json = text.dropFirst(prefix.count).dropLast(2)
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    /// The rows of `kind` over every part of the index in `workspace`, in the order of the parts.
    static func searchRows(_ kind: String, in workspace: borrowing SiteWorkspace) throws -> [[Any]] {
        let index = try searchIndex(try workspace.text("search-index.js"))
        let parts = try #require(index["parts"] as? [[Any]])
        var rows: [[Any]] = []
        for part in parts where part[1] as? String == kind {
            let path = try #require(part[0] as? String)
            let found = try #require(try searchPart(try workspace.text(path), path: path)[kind] as? [[Any]])
            #expect(found.count == part[2] as? Int)
            rows += found
        }
        return rows
    }

    @Test func organisationAndTitleReplaceTheProductName() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(Self.history())
        let home = try workspace.text("index.html")
        #expect(home.contains("<title>Dashboard · Drill history</title>"))
        #expect(home.contains("<span class=\"brand__org\">BondX</span> <span class=\"brand__title\">Drill history</span>"))
        #expect(!home.contains("Drillbook"))
        // Without a configuration: the default title, no organisation.
        let plain = try SiteWorkspace()
        _ = try await plain.builder().build(Self.history(site: SiteConfiguration()))
        let bare = try plain.text("index.html")
        #expect(bare.contains("<title>Dashboard · Drill history</title>"))
        #expect(!bare.contains("brand__org"))
    }

    @Test func everyPageHasDescriptionOpenGraphAndCanonical() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(Self.history())
        var pages = 0
        for path in report.pages where path.hasSuffix(".html") {
            pages += 1
            let html = try workspace.text(path)
            #expect(html.contains("<meta name=\"description\" content=\""), "\(path)")
            #expect(html.contains("<meta property=\"og:title\" content=\""), "\(path)")
            #expect(html.contains("<meta property=\"og:description\" content=\""), "\(path)")
            let canonical = "https://drills.example.internal/" + (path == "index.html" ? "" : path)
            #expect(html.contains("<link rel=\"canonical\" href=\"" + canonical + "\">"), "\(path)")
            #expect(html.contains("<meta property=\"og:url\" content=\"" + canonical + "\">"), "\(path)")
        }
        #expect(pages > 20)
        // The sitemap lists every page but the 404 page.
        let sitemap = try workspace.text("sitemap.xml")
        #expect(sitemap.contains("<loc>https://drills.example.internal/runs/index.html</loc>"))
        #expect(!sitemap.contains("404.html"))
        // Without a base URL: no canonical link, no og:url.
        let plain = try SiteWorkspace()
        _ = try await plain.builder().build(Self.history(site: SiteConfiguration()))
        #expect(!(try plain.text("index.html")).contains("canonical"))
    }

    @Test func baseURLFromTheCommandLineWinsOverTheConfiguration() async throws {
        let workspace = try SiteWorkspace()
        var builder = workspace.builder()
        builder.baseURL = "https://preview.example/"
        _ = try await builder.build(Self.history())
        #expect((try workspace.text("index.html")).contains("<link rel=\"canonical\" href=\"https://preview.example/\">"))
        #expect((try workspace.text("feed.xml")).contains("xml:base=\"https://preview.example/\""))
    }

    @Test func timesAreShownInTheConfiguredZone() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(Self.history())
        // INC-2026-003 was declared 2026-02-11T14:03:00Z: 14:03 in London in winter.
        let incident = try workspace.text("incidents/inc-2026-003.html")
        #expect(incident.contains("<time datetime=\"2026-02-11T14:03:00Z\">2026-02-11 14:03 UTC</time>") || incident.contains("2026-02-11 14:03 +00:00"))
        // INC-2026-007 was declared 02:10 at +01:00: 01:10 in London.
        let other = try workspace.text("incidents/inc-2026-007.html")
        #expect(other.contains("2026-03-09 01:10"), "the time in Europe/London")
        #expect(other.contains("Times in Europe/London"))
        let kolkata = try SiteWorkspace()
        var config = Self.config
        config.timeZone = "Asia/Kolkata"
        _ = try await kolkata.builder().build(Self.history(site: config))
        #expect((try kolkata.text("incidents/inc-2026-007.html")).contains("2026-03-09 06:40 +05:30"))
    }

    @Test func runsIndexListsEveryRunNewestFirst() async throws {
        let workspace = try SiteWorkspace()
        let history = Self.history()
        _ = try await workspace.builder().build(history)
        let html = try workspace.text("runs/index.html")
        let hrefs = startTags(in: html).filter { $0.name == "a" }.compactMap { tag in
            tag.attributes.first { $0.name == "href" && $0.value.hasPrefix("../runs/") && !$0.value.hasPrefix("../runs/index") }?.value
        }
        let expected = history.runs.reversed().map { "../runs/" + PageSlug.slug($0.id)! + ".html" }
        #expect(hrefs == Array(expected))
        #expect(html.contains("data-sortable") && html.contains("data-filterable"))
        #expect(html.contains("<a href=\"../runs/index.html\" aria-current=\"page\">Runs</a>"))
    }

    @Test func notFoundPageLinksFromTheSiteRoot() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(Self.history())
        let html = try workspace.text("404.html")
        #expect(html.contains("<h1>Page not found</h1>"))
        #expect(html.contains("href=\"https://drills.example.internal/assets/style.css\""))
        let plain = try SiteWorkspace()
        _ = try await plain.builder().build(Self.history(site: SiteConfiguration()))
        #expect((try plain.text("404.html")).contains("href=\"assets/style.css\""))
    }

    @Test func searchIndexIsSmallValidJSONAndNeverMarkup() async throws {
        let workspace = try SiteWorkspace()
        let attack = "</script><script>alert(1)</script> \"quoted\" \u{2028} "
        _ = try await workspace.builder().build(Self.history { attack + $0 })
        let text = try workspace.text("search-index.js")
        #expect(!text.contains("<"), "no markup at all, so the index could be inlined safely")
        let index = try Self.searchIndex(text)
        #expect(index["v"] as? Int == 2)
        let drills = try #require(index["drills"] as? [[Any]])
        let runs = try Self.searchRows("runs", in: workspace)
        let actions = try Self.searchRows("actions", in: workspace)
        for part in ["search-index/runs-1.js", "search-index/incidents-1.js", "search-index/actions-1.js"] {
            #expect(!(try workspace.text(part)).contains("<"), "\(part): no markup")
        }
        #expect(drills.count == HistoryFixture.history().drills.count)
        #expect(runs.count == HistoryFixture.history().runs.count)
        #expect(!actions.isEmpty)
        // Titles are plain text: raw HTML is left out (as safe mode leaves it out of pages), the
        // words stay.
        let title = try #require(drills.first?.first as? String)
        #expect(title.hasPrefix("alert(1) \"quoted\""), "\(title)")
        #expect(text.contains("\"quoted\\\""), "quotes are escaped as JSON")
        // No record text beyond titles: summaries and descriptions stay out.
        #expect(!text.contains("primary provider stopped"))
        #expect(!(try workspace.text("search-index/runs-1.js")).contains("primary provider stopped"))
    }

    @Test func markdownHeadingsGetUniquePermalinks() async throws {
        let workspace = try SiteWorkspace()
        var history = Self.history()
        history.incidents[0].description = "## Timeline\n\nFirst.\n\n## Timeline\n\nAgain.\n\n### What *we* saw & did\n"
        history.incidents[0].rootCause = "## Timeline\n\nOf the cause."
        _ = try await workspace.builder().build(history)
        let html = try workspace.text("incidents/inc-2026-003.html")
        #expect(html.contains("<h2 id=\"md-description-timeline\">Timeline <a class=\"heading-anchor\" href=\"#md-description-timeline\" aria-label=\"Link to this heading\">#</a></h2>"))
        #expect(html.contains("<h2 id=\"md-description-timeline-2\">"))
        #expect(html.contains("<h3 id=\"md-description-what-we-saw-did\">"))
        #expect(html.contains("<h2 id=\"md-root-cause-timeline\">"))
        let ids = startTags(in: html).compactMap { tag in tag.attributes.first { $0.name == "id" }?.value }
        #expect(Set(ids).count == ids.count, "ids are unique on the page: \(ids)")
    }

    @Test func trackerLinksAreHTTPOnlyAndTravelInEveryExport() async throws {
        let workspace = try SiteWorkspace()
        var history = Self.history()
        // An item with its own address, one with a hostile one (never a link), the rest by pattern.
        history.runs[0].actionItems[0].tracker = "https://own.example/issue/1"
        history.incidents[0].actionItems[0].tracker = "javascript:alert(1)"
        history.incidents[0].actionItems[0].title = "Document the [manual fallback](https://wiki.example/fallback)"
        _ = try await workspace.builder().build(history)
        let own = history.runs[0].actionItems[0]
        let ownPage = try workspace.text("actions/" + PageSlug.slug(own.id)! + ".html")
        #expect(ownPage.contains("<a class=\"tracker-link\" href=\"https://own.example/issue/1\">"))
        let hostilePage = try workspace.text("actions/ai-2026-007.html")
        #expect(!hostilePage.lowercased().contains("javascript:"))
        #expect(hostilePage.contains("<a class=\"tracker-link\" href=\"https://tracker.example.internal/browse/AI-2026-007\">"))
        let csv = try workspace.text("actions/actions.csv")
        #expect(csv.hasPrefix("\"id\",\"title\",") && csv.components(separatedBy: "\r\n")[0].hasSuffix(",\"tracker\""))
        #expect(csv.contains("\"AI-2026-007\",\"Document the manual fallback\","), "a Markdown link lands as its text")
        #expect(!csv.contains("](https://wiki.example"))
        #expect(csv.contains("\"https://tracker.example.internal/browse/AI-2026-007\""))
        #expect(csv.contains("\"https://own.example/issue/1\""))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try workspace.text("actions/actions.json").utf8)) as? [[String: Any]])
        let item = try #require(json.first { $0["id"] as? String == "AI-2026-007" })
        #expect(item["tracker"] as? String == "https://tracker.example.internal/browse/AI-2026-007")
        #expect(item["titleText"] as? String == "Document the manual fallback")
        let ics = try workspace.text("actions/actions.ics")
        #expect(ics.contains("URL:https://tracker.example.internal/browse/AI-2026-007\r\n"))
        #expect(ics.contains("SUMMARY:AI-2026-007: Document the manual fallback (Sam Okafor)"))
        #expect(ics.contains("X-WR-CALNAME:BondX action items"))
        // Without a pattern, an item without its own address has no link.
        let plain = try SiteWorkspace()
        _ = try await plain.builder().build(Self.history(site: SiteConfiguration()))
        #expect(!(try plain.text("actions/ai-2026-007.html")).contains("tracker-link"))
    }

    @Test func incidentsIndexIsGroupedBySeverity() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(Self.history())
        let html = try workspace.text("incidents/index.html")
        let p1 = try #require(html.range(of: "id=\"severity-p1\""))
        let p2 = try #require(html.range(of: "id=\"severity-p2\""))
        let p3 = try #require(html.range(of: "id=\"severity-p3\""))
        #expect(p1.lowerBound < p2.lowerBound && p2.lowerBound < p3.lowerBound)
        #expect(!html.contains("id=\"severity-p4\""), "no empty group")
        #expect(html.contains("P1: 1 incident"))
    }

    @Test func feedTitlesAreWordsNotMarkup() async throws {
        let workspace = try SiteWorkspace()
        var history = Self.history()
        history.drills[0].title = "**Redis** `Sentinel` [Failover](https://x.example)"
        history.incidents[0].type = "Data *provider* outage"
        _ = try await workspace.builder().build(history)
        let feed = try workspace.text("feed.xml")
        #expect(xmlError(feed) == nil)
        #expect(!feed.contains("**") && !feed.contains("](") && !feed.contains("*provider*"))
        #expect(feed.contains("<author><name>BondX</name></author>"))
        #expect(feed.contains("<title>BondX Drill history: drill runs and incidents</title>"))
    }

    @Test func noPageRequestsAnythingOutsideTheSite() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(Self.history())
        for path in report.pages where path.hasSuffix(".html") {
            for tag in startTags(in: try workspace.text(path)) where ["script", "link", "img", "iframe", "source"].contains(tag.name) {
                for attribute in tag.attributes where attribute.name == "src" || attribute.name == "href" {
                    let isCanonical = tag.attributes.contains { $0.name == "rel" && $0.value == "canonical" }
                    let isOwn = attribute.value.hasPrefix("https://drills.example.internal/") && path == "404.html"
                    #expect(isCanonical || isOwn || !attribute.value.contains("://"), "\(path): \(attribute.value)")
                }
            }
        }
        let script = try String(contentsOf: SiteWorkspace.defaultTheme.appendingPathComponent("assets/site.js"), encoding: .utf8)
        #expect(!script.contains("http://") && !script.contains("https://") && !script.contains("fetch("))
        #expect(!script.contains("innerHTML"), "results are inserted as text")
    }
}

/// The leadership figures of the sample content (`content/`, as of 2026-11-29), pinned: each
/// headline names its period, local realisations stay out and are counted, aborted slots read
/// aborted, prose quotes the headline's numbers, time to resolve has one definition.
@Suite("Leadership pages of the sample")
struct LeadershipPagesTests {
    func build(_ workspace: borrowing SiteWorkspace) async throws {
        let builder = SiteBuilder(
            themeDirectory: SiteWorkspace.defaultTheme, outputDirectory: workspace.output, asOf: AnalysisPagesTests.asOf)
        _ = try await builder.build(try AnalysisPagesTests.sampleHistory())
    }

    @Test func headlinesNameTheirPeriodAndLeaveLocalRunsOut() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        let home = try workspace.text("index.html")
        // Was "78.7 %" over all 61 runs (local ones included) beside 12-month charts.
        #expect(home.contains("<p class=\"stat__value\">83.3 %</p>"))
        #expect(home.contains("Pass rate, last 12 months (2025-12-01 to 2026-11-29)"))
        #expect(home.contains("40 of 48 runs passed; all time 77.2 % (44 of 57)"))
        // 3: the sample's newest executor run (2026-12-01) is after the as-of day.
        #expect(home.contains("3 local realisations (a drill rehearsed against servers on an operator&#39;s machine) are left out of these figures"))
        let review = try workspace.text("reviews/2026-Q3.html")
        // Was "fell from 93 % to 92 %" beside 91.7 % and "−1 point".
        #expect(review.contains("The share of drills that passed fell from 92.3 % to 91.7 % (−1 point)."))
        #expect(review.contains("<p class=\"headline__value\">91.7 %</p>"))
        #expect(review.contains("−1 point on Q2 2026"))
        #expect(try workspace.text("reviews/2026-Q2.html").contains("1 local realisation (a drill rehearsed"))
    }

    @Test func timeToResolveHasOneDefinition() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        let review = try workspace.text("reviews/2026-Q4.html")
        // Was 32m 30s over 2 of 3, mixing declared → resolved with started → resolved.
        #expect(review.contains("Time to resolve<div class=\"cell-note\">started → resolved</div>"))
        let row = review.components(separatedBy: "\n").drop { !$0.contains("started → resolved</div>") }.prefix(8).joined()
        #expect(row.contains("40m 00s") && row.contains("1 of 3"), "\(row)")
    }

    @Test func abortedSlotsReadAborted() async throws {
        let workspace = try SiteWorkspace()
        try await build(workspace)
        let schedule = try workspace.text("schedule/index.html")
        #expect(schedule.contains("slot slot--aborted"))
        let review = try workspace.text("reviews/2026-Q3.html")
        #expect(review.contains("13 planned slots; 11 of 13 due slots filled"))
    }
}
