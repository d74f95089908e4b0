import DrillbookModel
import DrillbookSite
import Foundation
import Testing

@Suite("Hostile input")
struct HostileInputTests {
    static let attack =
        "<script>alert(1)</script> \" onerror=\"x ' onmouseover='y [click](javascript:alert(1)) "
        + "[c2](JaVaScRiPt:alert(2)) <img src=x onerror=alert(3)> <a href=\"javascript:alert(4)\">a</a> "

    @Test func everyFreeTextFieldComesOutInert() async throws {
        let workspace = try SiteWorkspace()
        let history = HistoryFixture.history { Self.attack + $0 }
        _ = try await workspace.builder().build(history)
        var pages = 0
        for file in try SiteWorkspace.files(in: workspace.output) where file.path.hasSuffix(".html") {
            pages += 1
            let html = String(decoding: file.data, as: UTF8.self)
            #expect(!html.lowercased().contains("<script"), "\(file.path)")
            for link in attributeValues("href", in: html) + attributeValues("src", in: html) {
                #expect(!link.lowercased().contains("javascript:"), "\(file.path): \(link)")
            }
            for tag in tags(in: html) {
                let lowered = tag.lowercased()
                #expect(!lowered.contains("onerror"), "\(file.path): <\(tag)>")
                #expect(!lowered.contains("onmouseover"), "\(file.path): <\(tag)>")
                if lowered.hasPrefix("img ") { #expect(lowered.contains("assets/favicon.svg"), "\(file.path): <\(tag)>") }
            }
        }
        #expect(pages == 15)
        // The attack is visible as text, so readers can see what the record says.
        let run = try workspace.text("runs/2026-01-14-redis-sentinel-failover.html")
        #expect(run.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || run.contains("<!-- raw HTML omitted -->"))
        #expect(run.contains("&quot; onerror=&quot;x"))
    }
}
