import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

@Suite("Hostile input")
struct HostileInputTests {
    static let attack =
        "<script>alert(1)</script> \" onerror=\"x ' onmouseover='y [click](javascript:alert(1)) "
        + "[c2](JaVaScRiPt:alert(2)) <img src=x onerror=alert(3)> <a href=\"javascript:alert(4)\">a</a> "
        + "<javascript:alert(5)> [c3](data:text/html,x) "

    /// The fixture with the attack in front of every free-text field, and in a run, an incident
    /// and an action item id.
    static func hostileHistory() -> DrillHistory {
        var history = HistoryFixture.history { attack + $0 }
        history.runs[0].id = attack + history.runs[0].id
        history.incidents[0].id = attack + history.incidents[0].id
        history.incidents[0].actionItems[0].id = attack + "AI-1"
        return history
    }

    @Test func everyFreeTextFieldComesOutInert() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(Self.hostileHistory())
        var pages = 0
        for file in try files(in: workspace.output) where file.path.hasSuffix(".html") {
            pages += 1
            let html = String(decoding: file.data, as: UTF8.self)
            // The theme's own script (one per page, from assets/) is the only script tag.
            #expect(html.lowercased().components(separatedBy: "<script").count == 2, "\(file.path)")
            for tag in startTags(in: html) {
                if tag.name == "script" {
                    #expect(tag.attributes.map(\.name) == ["src", "defer"], "\(file.path)")
                    #expect(tag.attributes.first?.value.hasSuffix("assets/site.js") == true, "\(file.path)")
                    continue
                }
                if tag.name == "form" {
                    // The search forms: a GET to the site's own search page, nothing from a record.
                    #expect(tag.attributes.contains { $0.name == "action" && $0.value.hasSuffix("search.html") }, "\(file.path)")
                    #expect(tag.attributes.contains { $0.name == "method" && $0.value == "get" }, "\(file.path)")
                    continue
                }
                #expect(["script", "iframe", "object", "embed", "form", "style"].contains(tag.name) == false, "\(file.path): <\(tag.name)>")
                for attribute in tag.attributes {
                    #expect(!attribute.name.hasPrefix("on"), "\(file.path): <\(tag.name) \(attribute.name)=…>")
                    // Only the chart writer's own paint declarations may carry a style (never record text).
                    #expect(
                        attribute.name != "style" || Self.isChartStyle(attribute.value),
                        "\(file.path): <\(tag.name) style=\(attribute.value)>")
                    if attribute.name == "href" || attribute.name == "src" {
                        let value = attribute.value.lowercased().trimmingCharacters(in: .whitespaces)
                        #expect(!value.contains("javascript:"), "\(file.path): \(attribute.value)")
                        #expect(!value.hasPrefix("data:"), "\(file.path): \(attribute.value)")
                    }
                }
                if tag.name == "img" {
                    #expect(tag.attributes.contains { $0.name == "src" && $0.value.hasSuffix("assets/favicon.svg") }, "\(file.path)")
                }
            }
        }
        #expect(pages == report.pages.filter { $0.hasSuffix(".html") }.count)
        #expect(pages == 18 + 5 + 6 + 1 + 3)  // 5 more action views, 6 action item pages, 1 quarter of lessons; runs index, search, 404
        // The feed carries the attack as escaped text and still parses as XML.
        #expect(xmlError(try workspace.text("feed.xml")) == nil)
        // The attack is visible as text, so readers can see what the record says.
        let index = try workspace.text("index.html")
        #expect(index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(index.contains("&quot; onerror=&quot;x"))
    }

    /// A style the chart writer produces: colour variables, sizes and opacity, nothing that loads or runs.
    static func isChartStyle(_ value: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-:;#(),. %")
        let lower = value.lowercased()
        return lower.allSatisfy { allowed.contains($0) } && !lower.contains("url(") && !lower.contains("expression")
            && !lower.contains("javascript")
    }
}
