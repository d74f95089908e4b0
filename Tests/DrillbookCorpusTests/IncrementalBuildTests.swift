import DrillbookContent
import DrillbookCorpus
import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

/// Builds of a generated corpus: they succeed, a rebuild with no change writes nothing, and an
/// edit to one record rewrites only the pages that show it.
@Suite struct IncrementalBuildTests {
    static let theme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes/default", isDirectory: true)
    static let asOf = CalendarDay(year: 2026, month: 11, day: 29)!

    func generator(content: URL, output: URL, parallel: Bool = true) -> SiteGenerator {
        SiteGenerator(
            contentDirectory: content,
            builder: SiteBuilder(themeDirectory: Self.theme, outputDirectory: output, asOf: Self.asOf, parallel: parallel))
    }

    /// Inode and modification time of every entry under `folder`, by relative path.
    func stamps(_ folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let manager = FileManager.default
        for path in try manager.subpathsOfDirectory(atPath: folder.path) {
            let attributes = try manager.attributesOfItem(atPath: folder.appendingPathComponent(path).path)
            let inode = (attributes[.systemFileNumber] as? NSNumber)?.stringValue ?? "?"
            let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            result[path] = inode + "@" + String(time)
        }
        return result
    }

    @Test func corpusBuildsAndRebuildingWithoutChangeWritesNothing() async throws {
        let root = try temporaryFolder("corpus-incremental")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content")
        let output = root.appendingPathComponent("site")
        try CorpusGenerator(playbook: repositoryContent, runs: 120, incidents: 14, seed: 5).write(to: content)
        let first = try await generator(content: content, output: output).generate()
        #expect(first.warnings.isEmpty)
        let pages = first.report.pages
        #expect(pages.filter { $0.hasPrefix("runs/") && $0 != "runs/index.html" }.count == 120)
        #expect(pages.filter { $0.hasPrefix("incidents/") && $0 != "incidents/index.html" }.count == 14)
        #expect(pages.filter { $0.hasPrefix("drills/") && $0 != "drills/index.html" }.count == 13)
        #expect(first.report.outputReplaced)
        let before = try stamps(output)
        let folderStamp = try stamps(root)["site"]

        // Nothing changed: the recorded state says so and nothing is loaded or written.
        let second = try await generator(content: content, output: output).generate()
        #expect(second.upToDate)
        #expect(second.report.changedFiles == [])
        #expect(!second.report.outputReplaced)
        #expect(second.runs == 120)
        #expect(try stamps(output) == before)
        #expect(try stamps(root)["site"] == folderStamp)
        // Only the build state and the build cache are kept beside the output.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == [".site.build-cache", ".site.build-state", "content", "site"])

        // A content file rewritten with the same bytes: a full build, which finds every page
        // unchanged, stages them as hard links, and skips the swap.
        let drill = content.appendingPathComponent("drills/redis-sentinel-failover.yaml")
        try AtomicFile.write(try Data(contentsOf: drill), to: drill)
        let third = try await generator(content: content, output: output).generate()
        #expect(!third.upToDate)
        #expect(third.report.changedFiles == [])
        #expect(!third.report.outputReplaced)
        #expect(try stamps(output) == before)

        // A built page deleted by hand: the next build notices and puts it back.
        let page = output.appendingPathComponent("drills/index.html")
        let bytes = try Data(contentsOf: page)
        try FileManager.default.removeItem(at: page)
        let fourth = try await generator(content: content, output: output).generate()
        #expect(!fourth.upToDate)
        #expect(fourth.report.changedFiles == ["drills/index.html"])
        #expect(try Data(contentsOf: page) == bytes)
    }

    @Test func editingOneRunRewritesOnlyThePagesThatShowIt() async throws {
        let root = try temporaryFolder("corpus-edit")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content")
        let output = root.appendingPathComponent("site")
        try CorpusGenerator(playbook: repositoryContent, runs: 80, incidents: 6, seed: 11).write(to: content)
        _ = try await generator(content: content, output: output).generate()
        let before = try stamps(output)

        // Edit one run: its summary (shown on its page and in the feed) and a lesson (also on its
        // quarter's lessons page, and counted on the lessons landing page).
        let loaded = ContentLoader(contentDirectory: content).load()
        var run = loaded.history.fullRuns[40]
        run.summary = (run.summary ?? "") + "\n\nEdited after the retrospective."
        run.lessons.wentWell.append("The pager rotation worked.")
        let file = content.appendingPathComponent("runs/" + String(run.startedAt.localDay.year) + "/" + run.id + ".json")
        try AtomicFile.write(try RecordJSON.encode(run), to: file)

        let report = try await generator(content: content, output: output).generate().report
        // The quarter's lessons go on over pages of 400 (`lessons/<quarter>-2.html`, …): a lesson
        // added moves the entries after it, so the quarter's later pages change too, and no other.
        let quarter = "lessons/" + run.startedAt.localDay.quarter.id
        let quarterPages = report.changedFiles.filter { $0 == quarter + ".html" || $0.hasPrefix(quarter + "-") }
        #expect(quarterPages.contains(quarter + ".html"))
        #expect(
            report.changedFiles.filter { !quarterPages.contains($0) } == [
                "feed.xml", "lessons/index.html", "runs/" + run.id + ".html",
            ])
        let after = try stamps(output)
        #expect(Set(after.keys) == Set(before.keys))
        for (path, stamp) in after where !report.changedFiles.contains(path) && path.contains(".") {
            #expect(stamp == before[path], "\(path) was rewritten")
        }
        for path in report.changedFiles { #expect(after[path] != before[path]) }
    }

    /// The generator's build (load, then build) writes the site a build from a history loaded
    /// beforehand writes, byte for byte, details of executor runs included.
    @Test func generatorAndBuilderWriteTheSameSite() async throws {
        let root = try temporaryFolder("corpus-details")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content")
        try CorpusGenerator(playbook: repositoryContent, runs: 60, incidents: 8, seed: 3).write(to: content)
        // The sample content's real executor run has probes and command output as well.
        let executed = repositoryContent.appendingPathComponent("runs/2026/2026-12-01-redis-sentinel-failover.json")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("runs/2026"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: executed, to: content.appendingPathComponent("runs/2026/executed.json"))
        _ = try await generator(content: content, output: root.appendingPathComponent("streamed")).generate()
        let full = ContentLoader(contentDirectory: content).load()
        #expect(!full.hasErrors)
        #expect(full.history.fullRuns.contains { !$0.probes.isEmpty && !$0.outputs.isEmpty && !$0.timeline.isEmpty })
        let schemas = RecordSchemas.files.map { (path: "schema/" + $0.name, contents: Data($0.json.utf8)) }
        _ = try await SiteBuilder(themeDirectory: Self.theme, outputDirectory: root.appendingPathComponent("held"), asOf: Self.asOf)
            .build(full.history, extraFiles: schemas)
        let streamed = try files(in: root.appendingPathComponent("streamed"))
        #expect(streamed.count > 150)
        #expect(try streamed == files(in: root.appendingPathComponent("held")))
    }

    @Test func parallelAndSerialBuildsOfACorpusAreIdentical() async throws {
        let root = try temporaryFolder("corpus-serial")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("content")
        try CorpusGenerator(playbook: repositoryContent, runs: 60, incidents: 8, seed: 2).write(to: content)
        _ = try await generator(content: content, output: root.appendingPathComponent("a"), parallel: true).generate()
        _ = try await generator(content: content, output: root.appendingPathComponent("b"), parallel: false).generate()
        #expect(try files(in: root.appendingPathComponent("a")) == files(in: root.appendingPathComponent("b")))
    }
}
