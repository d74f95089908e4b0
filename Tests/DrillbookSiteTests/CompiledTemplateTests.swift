import DrillbookModel
import DrillbookTemplates
import Foundation
import Mustache
import Testing

@testable import DrillbookSite

/// The default theme's pages must be the bytes swift-mustache, the oracle, writes for the same
/// view models, hostile text included.
@Suite("Compiled templates")
struct CompiledTemplateTests {
    static func theme() throws -> Theme { try Theme.load(from: SiteWorkspace.defaultTheme) }

    /// The default theme's templates, for swift-mustache (which reflects the view models itself).
    static func oracle() throws -> MustacheLibrary {
        let folder = SiteWorkspace.defaultTheme.appendingPathComponent("templates", isDirectory: true)
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            library.register(try MustacheTemplate(string: text), named: String(file.dropLast(".mustache".count)))
        }
        return library
    }

    /// Every page of the plain fixture, of the hostile one and of one whose drill history runs to
    /// three pages, rendered both ways.
    @Test(arguments: ["plain", "hostile", "long drill history"]) func everyPageMatchesSwiftMustache(fixture: String) throws {
        let theme = try Self.theme()
        let oracle = try Self.oracle()
        let hostile = fixture == "hostile"
        let history =
            switch fixture {
            case "hostile": HostileInputTests.hostileHistory()
            case "long drill history": PaginationTests.longDrillHistory()
            default: HistoryFixture.history()
            }
        // The plain fixture with a base address, so the sitemap is among its pages.
        let baseURL = fixture == "plain" ? "https://drills.example.com/" : nil
        let pages = SitePages(site: try SiteIndex(history: history, asOf: HistoryFixture.asOf, baseURL: baseURL)).pages()
        var kinds: Set<String> = []
        for page in pages {
            let model = try page.makeModel()
            let value = try TemplateValue.encoding(model)
            #expect(value == TemplateValue.make(model), "\(page.path)")
            let fast = try #require(theme.templates.render(value, withTemplate: page.template))
            let reference = try #require(oracle.render(model, withTemplate: page.template))
            #expect(fast == reference, "\(page.path)")
            kinds.insert(page.template)
        }
        // Every page kind of the theme is compared: the layout is part of all of them, and the
        // paged drill history is checked below.
        if fixture == "plain" {
            #expect(kinds.union(["layout", "drill-runs"]) == Set(Theme.pageTemplates), "\(kinds.sorted())")
        }
        if fixture == "long drill history" {
            #expect(pages.contains { $0.template == "drill-runs" })
        }
        if hostile {
            let home = try #require(pages.first { $0.path == "index.html" })
            let value = try TemplateValue.encoding(try home.makeModel())
            let html = try #require(theme.templates.render(value, withTemplate: "home"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot; onerror=&quot;x &#39; onmouseover=&#39;y"))
        }
    }

    @Test func standaloneLinesSectionsAndInheritance() throws {
        let sources = [
            "page": "{{<frame}}\n{{$body}}\n{{#items}}\n- {{name}}{{^last}},{{/last}}\n{{/items}}\n{{^items}}\nnone\n{{/items}}\n{{/body}}\n{{/frame}}\n",
            "frame": "<main>\n{{$body}}default{{/body}}\n</main>{{! a comment }}\n{{>foot}}\n",
            "foot": "<p>{{title}} {{{raw}}} {{&raw}} {{missing}}{{#title}}[{{.}}]{{/title}}</p>\n",
        ]
        let compiled = try CompiledTemplates(sources: sources)
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
}
