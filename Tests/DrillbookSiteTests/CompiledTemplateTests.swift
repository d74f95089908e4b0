import DrillbookModel
import Foundation
import Testing

@testable import DrillbookSite

/// `CompiledTemplate` must write the bytes swift-mustache writes, hostile text included.
@Suite("Compiled templates")
struct CompiledTemplateTests {
    static func theme() throws -> Theme { try Theme.load(from: SiteWorkspace.defaultTheme) }

    /// Every page of the plain fixture, of the hostile one and of one whose drill history runs to
    /// three pages, rendered both ways.
    @Test(arguments: ["plain", "hostile", "long drill history"]) func everyPageMatchesSwiftMustache(fixture: String) throws {
        let theme = try Self.theme()
        let hostile = fixture == "hostile"
        let history =
            switch fixture {
            case "hostile": HostileInputTests.hostileHistory()
            case "long drill history": PaginationTests.longDrillHistory()
            default: HistoryFixture.history()
            }
        let pages = try SiteContext(history: history, asOf: HistoryFixture.asOf).pages()
        var compared = 0
        for page in pages where theme.compiled.canRender(page.template) {
            let model = try page.makeModel()
            let value = try #require((model as? any TemplateValueConvertible)?.templateValue)
            #expect(value == TemplateValue.make(model), "\(page.path)")
            let fast = theme.compiled.render(value, withTemplate: page.template)
            let reference = theme.referenceRender(model, withTemplate: page.template)
            #expect(fast == reference, "\(page.path)")
            compared += 1
        }
        // The default theme compiles whole: no page is left to swift-mustache.
        #expect(compared == pages.count)
        if fixture == "long drill history" {
            #expect(pages.contains { $0.template == "drill-runs" })
        }
        if hostile {
            let home = try #require(pages.first { $0.path == "index.html" })
            let value = try #require((try home.makeModel() as? any TemplateValueConvertible)?.templateValue)
            let html = try #require(theme.compiled.render(value, withTemplate: "home"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot; onerror=&quot;x &#39; onmouseover=&#39;y"))
        }
    }

    @Test func standaloneLinesSectionsAndInheritance() throws {
        let sources = [
            "page": "{{<frame}}\n{{$body}}\n{{#items}}\n- {{name}}{{^last}},{{/last}}\n{{/items}}\n{{^items}}\nnone\n{{/items}}\n{{/body}}\n{{/frame}}\n",
            "frame": "<main>\n{{$body}}default{{/body}}\n</main>{{! a comment }}\n{{>foot}}\n",
            "foot": "<p>{{title}} {{{raw}}} {{&raw}} {{missing}}{{#title}}[{{.}}]{{/title}}</p>\n",
        ]
        let compiled = CompiledTemplates(sources: sources)
        let value = TemplateValue.fields([
            "title": .string("a<b & \"c\" 'd' é"), "raw": .string("<em>x</em>"),
            "items": .list([.fields(["name": .string("one")]), .fields(["name": .string("two"), "last": .bool(true)])]),
        ])
        #expect(
            compiled.render(value, withTemplate: "page")
                == "<main>\n- one,\n- two\n\n</main>\n<p>a&lt;b &amp; &quot;c&quot; &#39;d&#39; é <em>x</em> <em>x</em> [a&lt;b &amp; &quot;c&quot; &#39;d&#39; é]</p>\n")
        let empty = TemplateValue.fields(["items": .list([])])
        #expect(compiled.render(empty, withTemplate: "page") == "<main>\nnone\n\n</main>\n<p>   </p>\n")
    }

    @Test func templatesItDoesNotCoverAreLeftToSwiftMustache() {
        let compiled = CompiledTemplates(sources: [
            "pragma": "{{%CONTENT_TYPE:TEXT}}\n{{text}}", "delimiters": "{{=<% %>=}}<% a %>", "indented": "a\n  {{#b}}\n  {{/b}}\n",
            "uses-pragma": "{{>pragma}}", "plain": "{{a}}",
        ])
        #expect(compiled.canRender("plain"))
        for name in ["pragma", "delimiters", "indented", "uses-pragma"] {
            #expect(!compiled.canRender(name), "\(name)")
        }
    }
}
