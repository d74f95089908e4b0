import DrillbookTestSupport
import Foundation
import Testing

/// The shared checks the site tests lean on find what they are for: each has a case where it fails.
@Suite struct SiteLinkReportTests {
    @Test func everyKindOfBadLinkIsNamedAndGoodOnesAreCounted() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-links-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: site) }
        try FileManager.default.createDirectory(at: site.appendingPathComponent("runs"), withIntermediateDirectories: true)
        try Data("body{}".utf8).write(to: site.appendingPathComponent("style.css"))
        try Data("<p id=\"top\"> <a href=\"../style.css\">ok</a> <a href=\"a%20b.html?x=1&amp;y=2\">missing</a></p>".utf8)
            .write(to: site.appendingPathComponent("runs/one.html"))
        let index = """
            <html><head> <link href="style.css"></head><body id="main">
            <a href="runs/one.html#top">ok</a> <a href="#main">ok</a> <a href="https://example.com/x">external</a>
            <a href="mailto:a@example.com">mail</a> <a href="/runs/one.html">absolute</a> <a href="">empty</a>
            <a href="#nowhere">fragment</a> <a href="../outside.html">outside</a> <img src="missing.svg"></body></html>
            """
        try Data(index.utf8).write(to: site.appendingPathComponent("index.html"))

        let report = try SiteLinkReport(site: site)
        #expect(report.problems == [
            "index.html: \"/runs/one.html\" is not a relative link",
            "index.html: \"\" is not a relative link",
            "index.html: no element with id nowhere",
            "index.html: ../outside.html leaves the site",
            "index.html: missing.svg does not resolve",
            "runs/one.html: a%20b.html?x=1&y=2 does not resolve",
        ])
        #expect(report.checked == 6)
    }

    @Test(arguments: ["<svg>\n<g></svg>", "<a></b>", "<a>&</a>", "<a", "<a>\u{1}</a>", "<a x=1/>", "", "<a/><b/>", "<a/>x", "<?xml version=\"1.0\"?>\n<a>"])
    func xmlErrorFindsAMalformedDocument(text: String) {
        #expect(xmlError("<svg><g></g></svg>") == nil)
        #expect(xmlError("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n<feed><e>a &amp; b</e></feed>\n") == nil)
        #expect(xmlError(text) != nil)
    }
}
