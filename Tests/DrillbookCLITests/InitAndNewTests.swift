@testable import DrillbookCLI
@testable import DrillbookContent
import DrillbookTestSupport
import Foundation
import Testing

/// `drillbook init` and `drillbook new incident` as a new team meets them (issue 13, points 1 and 7).
@Suite("Init and new", .serialized)
struct InitAndNewTests {
    static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) async throws -> BuiltTool.Outcome {
        try await BuiltTool.find().run(arguments, in: folder, environment: environment)
    }

    /// init writes a repository that checks clean from inside it and builds from another folder
    /// with the built-in theme (no --theme), into the same pages as the repository's own theme.
    /// Written to pass once content/site.yaml is loaded too (its keys are the agreed ones).
    @Test func initWritesARepositoryThatChecksAndBuildsFromAnywhere() async throws {
        let folder = try temporaryFolder("init")
        defer { try? FileManager.default.removeItem(at: folder) }
        let elsewhere = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let repository = folder.appendingPathComponent("our-drills")
        let made = try await Self.run(["init", repository.path], in: elsewhere)
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardError == "")
        let written = try FileManager.default.subpathsOfDirectory(atPath: repository.path)
        for expected in [
            "README.md", ".gitignore", ".github/workflows/drillbook.yml", "publish.sh", "content/site.yaml",
            "content/schedule.yaml", "content/runs/2026/2026-01-14-redis-sentinel-failover.json",
            "content/incidents/INC-2026-001.json", "content/drills/redis-sentinel-failover.yaml",
            "content/drills/support/market-service.py", "content/drills/support/report_field.py",
        ] {
            #expect(written.contains(expected), "\(expected)")
        }
        let playbookDrills = try FileManager.default.contentsOfDirectory(atPath: EndToEndTests.content + "/drills")
            .filter { $0.hasSuffix(".yaml") }.sorted()
        let initDrills = try FileManager.default.contentsOfDirectory(atPath: repository.path + "/content/drills")
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(initDrills == playbookDrills)
        #expect(FileManager.default.fileExists(atPath: repository.path + "/content/drills/support/market-service.py"))
        let siteConfiguration = try String(contentsOf: repository.appendingPathComponent("content/site.yaml"), encoding: .utf8)
        for key in ["organisation:", "title:", "baseURL:", "timeZone:", "trackerURL:"] {
            #expect(siteConfiguration.contains("\n" + key), "\(key)")
        }

        let checked = try await Self.run(["check", "--strict"], in: repository)
        #expect(checked.status == 0, "\(checked.standardError)")
        #expect(checked.standardOutput == "content: OK (\(playbookDrills.count) drills, 1 runs, 1 incidents, 0 action histories)\n")

        let site = elsewhere.appendingPathComponent("site")
        let built = try await Self.run(
            ["build", "--content", repository.path + "/content", "--output", site.path, "--as-of", "2026-11-29"], in: elsewhere)
        #expect(built.status == 0, "\(built.standardError)")
        #expect(FileManager.default.fileExists(atPath: site.path + "/index.html"))
        #expect(FileManager.default.fileExists(atPath: site.path + "/assets/style.css"))
        // The built-in theme is the repository's themes/default.
        let reference = elsewhere.appendingPathComponent("reference")
        let withTheme = try await Self.run(
            ["build", "--content", repository.path + "/content", "--theme", EndToEndTests.theme, "--output", reference.path,
             "--as-of", "2026-11-29"], in: elsewhere)
        #expect(withTheme.status == 0, "\(withTheme.standardError)")
        let pages = try DrillbookTestSupport.files(in: site).map(\.path).filter { $0.hasSuffix(".html") || $0.hasSuffix(".css") }
        #expect(pages.count > 20)
        for page in pages {
            #expect(
                FileManager.default.contents(atPath: site.path + "/" + page) == FileManager.default.contents(atPath: reference.path + "/" + page),
                "\(page)")
        }
    }

    /// init never overwrites: a folder that is not empty is refused with 2 and left as it was.
    @Test func initRefusesAFolderThatIsNotEmpty() async throws {
        let folder = try temporaryFolder("init")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("ours\n".utf8).write(to: folder.appendingPathComponent("README.md"))
        let refused = try await Self.run(["init", "."], in: folder)
        #expect(refused.status == 2)
        #expect(
            refused.standardError
                == "drillbook: error: refused: . is not empty (init never overwrites); pass a new or empty folder; nothing was written\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["README.md"])
        #expect(FileManager.default.contents(atPath: folder.path + "/README.md") == Data("ours\n".utf8))
        // An empty folder is fine.
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try await Self.run(["init", "empty"], in: folder).status == 0)
    }

    @Test func aNewIncidentTakesTheNextIdOfTheYear() throws {
        let folder = try temporaryFolder("new-id")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(NewCommand.nextIncidentId(year: "2026", in: folder) == "INC-2026-001")
        for name in ["INC-2026-041.log", "INC-2026-007.json", "INC-2025-099.json", "notes.txt", "INC-2026-x.json"] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        #expect(NewCommand.nextIncidentId(year: "2026", in: folder) == "INC-2026-042")
        #expect(NewCommand.nextIncidentId(year: "2025", in: folder) == "INC-2025-100")
        #expect(NewCommand.nextIncidentId(year: "2027", in: folder) == "INC-2027-001")
    }

    /// A new incident is rejected by check while a placeholder is left, one located error each;
    /// once every placeholder is filled in it checks clean (the negative control: the check is
    /// about placeholders, not the file).
    @Test func checkRejectsANewIncidentUntilEveryPlaceholderIsReplaced() async throws {
        let folder = try temporaryFolder("new-incident")
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try await Self.run(["new", "incident", "--output", "content/incidents"], in: folder)
        #expect(created.status == 0, "\(created.standardError)")
        let path = created.standardOutput.trimmingCharacters(in: .newlines)
        let name = URL(fileURLWithPath: path).lastPathComponent
        let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
        #expect(name == "INC-\(year)-001.txt")
        let url = folder.appendingPathComponent("content/incidents/" + name)
        var text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("Incident ID: INC-\(year)-001\n"))
        #expect(try await Self.run(["check"], in: folder).status == 1)

        // Times filled in (the parser rejects "[Time]" itself): every other placeholder is an error at its line.
        let declared = try #require(text.split(separator: "\n").first { $0.hasPrefix("Time: ") }).dropFirst("Time: ".count)
        text = text.replacingOccurrences(of: "[Time]", with: String(declared)).replacingOccurrences(of: "[Duration]", with: "1m")
        try Data(text.utf8).write(to: url)
        let rejected = try await Self.run(["check"], in: folder)
        #expect(rejected.status == 1)
        let file = "content/incidents/" + name
        let errors = rejected.errorLines.filter { $0.contains("template placeholder") }
        #expect(errors.count == 13)
        #expect(errors.contains(file + ":6: template placeholder \"[Type]\" is still in the record; replace it with what happened"))
        #expect(errors.contains(file + ":47: template placeholder \"[Root cause description]\" is still in the record; replace it with what happened"))
        #expect(errors.contains(file + ":56: template placeholder \"[Lesson 1]\" is still in the record; replace it with what happened"))

        var filled = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            filled += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "]") else { break }
            filled += "Filled " + rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
        }
        filled += rest
        try Data(filled.utf8).write(to: url)
        let clean = try await Self.run(["check"], in: folder)
        #expect(clean.status == 0, "\(clean.standardError)")
    }

    @Test func placeholdersAreTemplateTextNotLinksOrTags() {
        #expect(
            PlaceholderChecks.placeholders(in: "See [Redis failover runbook](https://x), [NR], [x] and [Root cause description].")
                == ["[Root cause description]"])
        #expect(PlaceholderChecks.placeholders(in: "- [Impact 1]\n[Next Step 1] [Ref]: https://x") == ["[Impact 1]", "[Next Step 1]"])
    }
}
