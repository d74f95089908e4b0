import DrillbookMarkdown
import Testing

@Suite("MarkdownRenderer")
struct MarkdownRendererTests {
    let renderer = MarkdownRenderer()

    @Test func headingsListsCodeAndLinks() {
        let html = renderer.html(
            from: """
                ## Failover

                - first
                - second

                Run `redis-cli info` then:

                ```
                make drill
                ```

                See [the runbook](https://example.com/runbook?a=1&b=2).
                """)
        #expect(html.contains("<h2>Failover</h2>"))
        #expect(html.contains("<ul>\n<li>first</li>\n<li>second</li>\n</ul>"))
        #expect(html.contains("<code>redis-cli info</code>"))
        #expect(html.contains("<pre><code>make drill\n</code></pre>"))
        #expect(html.contains("<a href=\"https://example.com/runbook?a=1&amp;b=2\">the runbook</a>"))
    }

    @Test func emptyInputGivesEmptyOutput() {
        #expect(renderer.html(from: "") == "")
        #expect(renderer.inlineHTML(from: "") == "")
    }

    @Test func inlineHTMLDropsTheParagraph() {
        #expect(renderer.inlineHTML(from: "Add **alerting** for lag") == "Add <strong>alerting</strong> for lag")
        #expect(renderer.inlineHTML(from: "a\n\nb") == "<p>a</p>\n<p>b</p>")
    }

    @Test(arguments: [
        "<script>alert(1)</script>",
        "before <script>alert(1)</script> after",
        "<img src=x onerror=alert(1)>",
        "text <img src=x onerror=\"alert(1)\"> text",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<div onclick=\"x()\">block</div>",
        "<iframe src=\"https://evil.example\"></iframe>",
    ])
    func rawHTMLIsOmitted(_ input: String) {
        for html in [renderer.html(from: input), renderer.inlineHTML(from: input)] {
            #expect(!html.contains("<script"))
            #expect(!html.contains("<img"))
            #expect(!html.contains("<iframe"))
            #expect(!html.contains("<div"))
            #expect(!html.contains("onerror="))
            #expect(!html.contains("onclick="))
            #expect(!html.lowercased().contains("javascript:"))
        }
    }

    @Test(arguments: [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox)",
        "[x](file:///etc/passwd)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[x]: javascript:alert(1)\n\n[y][x]",
    ])
    func dangerousURLsAreDropped(_ input: String) {
        // The link text may still read "javascript:…"; what matters is that no URL carries it.
        let html = renderer.html(from: input).lowercased()
        #expect(!html.contains("href=\"javascript:"))
        #expect(!html.contains("src=\"javascript:"))
        #expect(!html.contains("href=\"vbscript:"))
        #expect(!html.contains("href=\"file:"))
        #expect(!html.contains("href=\"data:"))
    }

    @Test func attributeQuotesAreEscaped() {
        let html = renderer.html(from: "[x](https://a.example/\"onmouseover=\"alert(1) \"t\" onerror=\"y\")")
        #expect(!html.contains("\" onmouseover"))
        #expect(!html.contains("onerror=\""))
    }

    @Test func autolinksAndEntities() {
        #expect(renderer.inlineHTML(from: "<https://status.example.com>")
            == "<a href=\"https://status.example.com\">https://status.example.com</a>")
        #expect(renderer.inlineHTML(from: "a &lt;b&gt; & c < d") == "a &lt;b&gt; &amp; c &lt; d")
        #expect(renderer.inlineHTML(from: "&#60;script&#62;") == "&lt;script&gt;")
    }

    @Test func unsafeOptionPassesHTMLThrough() {
        let unsafe = MarkdownRenderer(options: .unsafe)
        #expect(unsafe.html(from: "<b>x</b>") == "<p><b>x</b></p>\n")
        #expect(renderer.html(from: "<b>x</b>") == "<p><!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>\n")
    }

    @Test func invalidUTF8IsReplacedNotCrashed() {
        let text = String(decoding: [0x61, 0xFF, 0x62] as [UInt8], as: UTF8.self)
        #expect(renderer.inlineHTML(from: text) == "a\u{FFFD}b")
    }
}
