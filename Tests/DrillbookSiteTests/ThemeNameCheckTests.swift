import DrillbookTemplates
import Foundation
import Testing

@testable import DrillbookSite

/// Every name a theme's templates use must be a field of the view models that render them: the
/// default theme's are, on every page kind; a misspelt one stops the build at its file and line.
@Suite("Theme names against the view models")
struct ThemeNameCheckTests {
    /// Every page of the plain and the long fixture: no template names a field its model lacks,
    /// and every section's body could be checked (its type was met on some page).
    @Test func theDefaultThemeNamesOnlyFieldsOfItsModels() throws {
        let theme = try Theme.load(from: SiteWorkspace.defaultTheme)
        var values: [(template: String, path: String, value: TemplateValue)] = []
        for history in [HistoryFixture.history(), PaginationTests.longDrillHistory(), EvidenceSectionTests.history()] {
            for page in SitePages(site: try SiteIndex(history: history, asOf: HistoryFixture.asOf, baseURL: "https://drills.example.com/")).pages() {
                values.append((page.template, page.path, try TemplateValue.encoding(try page.makeModel())))
            }
        }
        var complete: Set<String> = []
        for (template, path, value) in values {
            let check = theme.templates.nameCheck(of: value, withTemplate: template)
            #expect(check.problem == nil, "\(path): \(check.problem?.description ?? "")")
            if check.complete { complete.insert(template) }
        }
        #expect(complete == Set(values.map(\.template)))
    }

    /// A copy of the default theme with one name misspelt: the build fails, at the line.
    @Test func aMisspeltNameStopsTheBuildAtItsLine() async throws {
        let workspace = try SiteWorkspace()
        let theme = try workspace.copyOfDefaultTheme()
        let run = theme.appendingPathComponent("templates/run.mustache")
        let text = try String(contentsOf: run, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("{{environment}}") })
        try Data(text.replacingOccurrences(of: "{{environment}}", with: "{{enviroment}}").utf8).write(to: run)
        do {
            _ = try await workspace.builder(theme: theme, parallel: false).build(HistoryFixture.history())
            Issue.record("the site was built")
        } catch {
            #expect(
                error.description
                    == "site build failed in step \"render pages\" at templates/run.mustache:\(line + 1): {{enviroment}} names no field of RunPage")
        }
    }

    /// The same in a partial, inside a section: the partial is named, with the types around the tag.
    @Test func aMisspeltNameInAPartialNamesThePartial() async throws {
        let workspace = try SiteWorkspace()
        let theme = try workspace.copyOfDefaultTheme()
        try Data("<span class=\"badge badge--{{tonne}}\">{{label}}</span>".utf8)
            .write(to: theme.appendingPathComponent("templates/badge.mustache"))
        do {
            _ = try await workspace.builder(theme: theme, parallel: false).build(HistoryFixture.history())
            Issue.record("the site was built")
        } catch {
            #expect(error.path == "templates/badge.mustache:1")
            #expect(error.message.hasPrefix("{{tonne}} names no field of Badge, "), "\(error.message)")
        }
    }

    /// Negative control: the unchanged copy builds, though many of its optional fields are nil.
    @Test func theUnchangedCopyBuilds() async throws {
        let workspace = try SiteWorkspace()
        let theme = try workspace.copyOfDefaultTheme()
        let report = try await workspace.builder(theme: theme, parallel: false).build(HistoryFixture.history())
        #expect(report.pages.contains("index.html"))
    }
}
