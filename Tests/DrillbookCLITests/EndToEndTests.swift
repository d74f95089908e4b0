@testable import DrillbookCLI
import DrillbookTestSupport
import Foundation
import Testing

/// The commands as a user runs them, over the repository's own sample content.
@Suite("End to end", .serialized)
struct EndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let content = root.appendingPathComponent("content").path
    static let theme = root.appendingPathComponent("themes/default").path

    /// Runs one `drillbook` command line in process, as `main.swift` does; returns the exit status.
    static func drillbook(_ arguments: [String]) async -> Int32 {
        await DrillbookCommand.runAsMain(arguments)
    }

    @Test func sampleContentChecksClean() async {
        #expect(await Self.drillbook(["check", "--content", Self.content, "--strict"]) == 0)
    }

    @Test func sampleSiteBuildsAndEveryInternalLinkResolves() async throws {
        let folder = try temporaryFolder("e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("site")
        let status = await Self.drillbook([
            "build", "--content", Self.content, "--theme", Self.theme, "--output", output.path, "--as-of", "2026-11-29",
        ])
        #expect(status == 0)
        let files = try DrillbookTestSupport.files(in: output).map(\.path)
        #expect(files.contains("index.html"))
        #expect(files.contains("schema/drill-run.schema.json"))
        let pages = files.filter { $0.hasSuffix(".html") }
        #expect(pages.count > 80)
        let links = try SiteLinkReport(site: output)
        #expect(links.problems == [])
        #expect(links.checked > 1000)
    }

    @Test func buildIsByteIdenticalForTheSameDay() async throws {
        let folder = try temporaryFolder("e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        var snapshots: [[String: Data]] = []
        for name in ["a", "b"] {
            let output = folder.appendingPathComponent(name)
            let status = await Self.drillbook([
                "build", "--content", Self.content, "--theme", Self.theme, "--output", output.path, "--as-of",
                "2026-11-29",
            ])
            #expect(status == 0)
            var bytes: [String: Data] = [:]
            for file in try files(in: output) { bytes[file.path] = file.data }
            snapshots.append(bytes)
        }
        #expect(snapshots[0].keys.sorted() == snapshots[1].keys.sorted())
        #expect(snapshots[0] == snapshots[1])
    }

    @Test func badContentFailsTheBuildAndKeepsThePreviousOutput() async throws {
        let folder = try temporaryFolder("e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = folder.appendingPathComponent("content")
        try FileManager.default.copyItem(atPath: Self.content, toPath: content.path)
        let output = folder.appendingPathComponent("site")
        let arguments = ["build", "--content", content.path, "--theme", Self.theme, "--output", output.path, "--as-of", "2026-11-29"]
        #expect(await Self.drillbook(arguments) == 0)
        let before = try Data(contentsOf: output.appendingPathComponent("index.html"))

        // A run record cut off half-way, as an interrupted editor might leave it.
        let runs = content.appendingPathComponent("runs/2026")
        let victim = try #require(FileManager.default.contentsOfDirectory(atPath: runs.path).sorted().first)
        let bytes = try Data(contentsOf: runs.appendingPathComponent(victim))
        try bytes.prefix(bytes.count / 2).write(to: runs.appendingPathComponent(victim))

        #expect(await Self.drillbook(["check", "--content", content.path]) == 1)
        #expect(await Self.drillbook(arguments) == 1)
        #expect(try Data(contentsOf: output.appendingPathComponent("index.html")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "content" && $0 != "site" && $0 != ".site.build-cache" }
        #expect(leftovers.isEmpty, "temporary folders left behind: \(leftovers)")
    }

    @Test func usageErrorsAreReportedNotCrashed() async {
        // A file or folder that does not exist has its own code (4); a malformed value is usage (2).
        #expect(await Self.drillbook(["build", "--content", "/nonexistent/content"]) == 4)
        #expect(await Self.drillbook(["build", "--as-of", "29/11/2026", "--content", Self.content]) == 2)
        #expect(await Self.drillbook(["inspect", "/nonexistent/file.json"]) == 4)
    }

}

@Suite("Drill arguments")
struct DrillArgumentTests {
    @Test func anIdIsLookedUpInTheContentFolder() async {
        let content = EndToEndTests.content
        #expect(DrillArgument.url(for: "redis-sentinel-failover", contentFolder: content).path == content + "/drills/redis-sentinel-failover.yaml")
        // Paths stay paths, even when the file is missing (the reader names it in its error).
        #expect(DrillArgument.url(for: "drills/x.yaml", contentFolder: content).relativePath == "drills/x.yaml")
        #expect(DrillArgument.url(for: "no-such-drill", contentFolder: content).relativePath == "no-such-drill")
    }

    @Test func announceReadsADrillAndRefusesAMissingOne() async {
        let status = await EndToEndTests.drillbook(["announce", EndToEndTests.content + "/drills/redis-sentinel-failover.yaml", "--at", "2026-12-07 10:00 UTC"])
        #expect(status == 0)
        #expect(await EndToEndTests.drillbook(["announce", "no-such-drill", "--at", "2026-12-07 10:00 UTC"]) == 3)
    }
}
