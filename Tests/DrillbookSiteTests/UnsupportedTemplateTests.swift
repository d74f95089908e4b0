import DrillbookTemplates
import Foundation
import Testing

@testable import DrillbookSite

/// A theme template that uses Mustache the compiled renderer does not support stops the theme
/// loading, at its file and line, with what is unsupported and what is.
@Suite("Unsupported template constructs")
struct UnsupportedTemplateTests {
    /// A template of a copy of the default theme, the line the error names and what it says.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var line: Int
        var problem: String
        var testDescription: String { name }
    }

    static let corpus: [Case] = [
        Case(name: "set delimiters", text: "<p>\n{{=<% %>=}}\n<% a %>\n", line: 2, problem: "set delimiters ({{=<% %>=}})"),
        Case(name: "pragma", text: "{{%CONTENT_TYPE:TEXT}}\n{{text}}", line: 1, problem: "a pragma ({{%…}})"),
        Case(
            name: "transform", text: "a\nb {{uppercased(title)}}\n", line: 2,
            problem: "the name \"uppercased(title)\" (transforms, dynamic names and characters other than letters, digits, \".\", \"-\" and \"_\")"),
        Case(name: "dynamic partial", text: "{{>*name}}", line: 1, problem: "a dynamic partial ({{>*name}})"),
        Case(
            name: "indented tag", text: "<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", line: 2,
            problem: "a tag indented at the start of its line (indented standalone tags are not supported); start the line with the tag or with text"),
        Case(
            name: "carriage return", text: "<p>\r\n{{title}}\r\n", line: 1,
            problem: "a carriage return (\\r); save the template with \\n line endings"),
        Case(
            name: "unclosed section", text: "a\n{{#items}}\nb\n", line: 2,
            problem: "{{#items}} (or {{^items}}, {{<items}}, {{$items}}) is never closed by {{/items}}"),
        Case(name: "mismatched close", text: "{{#a}}\n{{/b}}\n", line: 2, problem: "{{/b}} where the open tag needs {{/a}}"),
        Case(name: "close without open", text: "x\n\n{{/b}}", line: 3, problem: "{{/b}}, which closes no open tag"),
        Case(name: "unfinished tag", text: "a\n{{title\n", line: 2, problem: "a tag that is never closed (no \"}}\" after it)"),
        Case(name: "leading dot", text: "{{.title}}", line: 1, problem: "the name \".title\" (only {{.}} itself may start with a dot)"),
        Case(
            name: "tag inside a parent", text: "{{<layout}}\n{{title}}\n{{/layout}}\n", line: 2,
            problem: "a tag directly inside {{<parent}}…{{/parent}} (only {{$block}} overrides may stand there)"),
        Case(
            name: "parent inside a parent", text: "{{<layout}}\n{{<layout}}{{/layout}}\n{{/layout}}\n", line: 2,
            problem: "{{<layout}} directly inside another {{<parent}}"),
        Case(
            name: "partial that includes itself", text: "{{#items}}\n{{>broken}}\n{{/items}}\n", line: 2,
            problem: "{{>broken}} nests partials more than 32 deep (a partial that includes itself)"),
    ]

    @Test(arguments: corpus) func theThemeFailsToLoadAtTheLine(_ sample: Case) throws {
        let workspace = try SiteWorkspace()
        let theme = try workspace.copyOfDefaultTheme()
        try Data(sample.text.utf8).write(to: theme.appendingPathComponent("templates/broken.mustache"))
        #expect(
            throws: SiteBuildError(
                step: .loadTheme, path: theme.path + "/templates/broken.mustache:\(sample.line)",
                message: sample.problem + "; drillbook's templates support " + TemplateError.supported)
        ) {
            _ = try Theme.load(from: theme)
        }
    }

    /// The whole line the CLI prints, once, word for word.
    @Test func theMessageSaysWhatIsSupported() throws {
        let workspace = try SiteWorkspace()
        let theme = try workspace.copyOfDefaultTheme()
        try Data("<p>\n{{=<% %>=}}\n".utf8).write(to: theme.appendingPathComponent("templates/run.mustache"))
        do {
            _ = try Theme.load(from: theme)
            Issue.record("the theme loaded")
        } catch {
            #expect(
                error.description
                    == "site build failed in step \"load theme\" at \(theme.path)/templates/run.mustache:2: set delimiters ({{=<% %>=}}); "
                    + "drillbook's templates support variables ({{name}}, {{a.b}}, {{.}}), unescaped variables ({{{name}}}, {{&name}}), "
                    + "sections and inverted sections ({{#name}}…{{/name}}, {{^name}}…{{/name}}), comments ({{! … }}), "
                    + "partials ({{>name}}) and one level of inheritance ({{<parent}} with {{$block}}…{{/block}} overrides)")
        }
    }

    /// A theme folder given as a relative path is named as given.
    @Test func aRelativeThemeFolderIsNamedAsGiven() {
        let error = Theme.unsupported(
            TemplateError(template: "run", line: 7, problem: "x"), in: URL(fileURLWithPath: "themes/mine", isDirectory: true))
        #expect(error.path == "themes/mine/templates/run.mustache:7")
    }

    /// The default theme loads: the corpus fails for what it holds, not for the copy.
    @Test func theDefaultThemeLoads() throws {
        _ = try Theme.load(from: SiteWorkspace.defaultTheme)
    }
}
