import DrillbookMarkdown
import Testing

/// Heading ids and `#` permalinks on rendered Markdown: unique, deterministic, safe.
@Suite("Heading anchors")
struct HeadingAnchorTests {
    let renderer = MarkdownRenderer()

    func anchored(_ markdown: String, prefix: String = "md-") -> String {
        HeadingAnchors.adding(to: renderer.html(from: markdown), prefix: prefix)
    }

    @Test func headingsGetIdsAndPermalinks() {
        #expect(
            anchored("## Root cause\n\nText.\n")
                == "<h2 id=\"md-root-cause\">Root cause <a class=\"heading-anchor\" href=\"#md-root-cause\" aria-label=\"Link to this heading\">#</a></h2>\n<p>Text.</p>\n")
    }

    @Test func repeatedHeadingsAreNumbered() {
        let html = anchored("# A\n\n## A\n\n### A\n")
        #expect(html.contains("<h1 id=\"md-a\">") && html.contains("<h2 id=\"md-a-2\">") && html.contains("<h3 id=\"md-a-3\">"))
        #expect(anchored("# A\n\n## A\n\n### A\n") == html, "the same text gives the same ids")
    }

    @Test func idsAreMadeOfSafeCharactersOnly() {
        let html = anchored("## \"><script>alert(1)</script> & *Ünïcode* `code`\n\n## !!!\n")
        #expect(html.contains("<h2 id=\"md-script-alert-1-script-n-code-code\">") || html.contains("<h2 id=\"md-"))
        for id in html.split(separator: " id=\"", omittingEmptySubsequences: false).dropFirst().map({ $0.prefix { $0 != "\"" } }) {
            #expect(id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }, "\(id)")
        }
        #expect(html.contains("<h2 id=\"md-heading\">"), "a heading without letters or digits still gets an id")
        #expect(!html.contains("<script>"))
    }

    @Test func codeThatLooksLikeAHeadingIsLeftAlone() {
        let html = anchored("```\n<h2>not a heading</h2>\n```\n\nText with `<h3>` in it.\n")
        #expect(!html.contains("id=\""))
    }
}
