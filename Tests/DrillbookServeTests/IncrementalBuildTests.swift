import DrillbookContent
import DrillbookModel
import DrillbookSite
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The record cache `drillbook serve` keeps: unchanged files are not decoded again, every kind of
/// change is seen (an edit that keeps the modification time too), and a build that used it is
/// byte-identical to a cold build of the same content.
@Suite("drillbook serve: incremental builds", .serialized)
struct IncrementalBuildTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A copy of the sample content in a scratch folder.
    static func scratch() throws -> URL {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("serve-incremental-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repository.appendingPathComponent("content"), to: work.appendingPathComponent("content"))
        return work
    }

    static func runFiles(_ content: URL) -> [String] {
        (FileManager.default.enumerator(atPath: content.appendingPathComponent("runs").path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".json") }.sorted().map { "runs/" + $0 }
    }

    /// Rewrites `relative` and sets its modification time back to what it was.
    static func edit(_ content: URL, _ relative: String, keepingTime: Bool, _ change: (String) -> String) throws {
        let path = content.appendingPathComponent(relative).path
        var before = stat()
        stat(path, &before)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try change(text).write(toFile: path, atomically: false, encoding: .utf8)
        if keepingTime {
            var times = [before.st_atim, before.st_mtim]
            #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        }
    }

    @Test func unchangedFilesAreReusedAndEveryChangeIsSeen() throws {
        let work = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: work) }
        let content = work.appendingPathComponent("content")
        let cache = RecordCache()
        var loader = ContentLoader(contentDirectory: content)
        loader.cache = cache
        let cold = loader.load()
        let files = cache.lastCounts.decoded
        #expect(files > 60)
        #expect(cache.lastCounts.byIdentity == 0)

        // Nothing changed: nothing decoded.
        #expect(loader.load().history == cold.history)
        #expect(cache.lastCounts == .init(byIdentity: files, byContent: 0, decoded: 0))

        // Saved with the same bytes (a new inode and times): reused by content.
        let run = Self.runFiles(content)[0]
        try Self.edit(content, run, keepingTime: false) { $0 }
        #expect(loader.load().history == cold.history)
        #expect(cache.lastCounts == .init(byIdentity: files - 1, byContent: 1, decoded: 0))

        // Negative control: an edit that keeps size and modification time is still decoded again.
        try Self.edit(content, run, keepingTime: true) { $0.replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"X") .replacingOccurrences(of: "\n}", with: "}") }
        let edited = loader.load()
        #expect(cache.lastCounts.decoded == 1)
        #expect(edited.history != cold.history)
        #expect(edited.history == ContentLoader(contentDirectory: content).load().history)

        // A deleted file is gone from the next load, and forgotten.
        try FileManager.default.removeItem(at: content.appendingPathComponent(run))
        let deleted = loader.load()
        #expect(deleted.history.runs.count == cold.history.runs.count - 1)
        #expect(deleted.history == ContentLoader(contentDirectory: content).load().history)
        #expect(cache.lastCounts == .init(byIdentity: files - 1, byContent: 0, decoded: 0))

        // A broken file's issues are kept as they were found.
        try Data("{ broken".utf8).write(to: content.appendingPathComponent("runs/zz.json"))
        let broken = loader.load().issues.map(\.description)
        #expect(broken.contains { $0.contains("runs/zz.json:1:3: malformed JSON") })
        #expect(loader.load().issues.map(\.description) == broken)
        #expect(cache.lastCounts.decoded == 0)
    }

    /// Seeded random edits, additions and deletions: after each, a build through the cache and a
    /// cold build (no cache, empty output) end the same way, with byte-identical trees.
    @Test(.timeLimit(.minutes(5))) func cachedBuildsMatchColdBuildsAfterRandomChanges() async throws {
        let work = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: work) }
        let content = work.appendingPathComponent("content")
        let theme = Self.repository.appendingPathComponent("themes/default")
        let day = CalendarDay(iso8601: "2026-11-29")!
        var cached = SiteGenerator(
            contentDirectory: content, builder: SiteBuilder(themeDirectory: theme, outputDirectory: work.appendingPathComponent("cached"), asOf: day))
        cached.recordCache = RecordCache()
        let cold = SiteGenerator(
            contentDirectory: content, builder: SiteBuilder(themeDirectory: theme, outputDirectory: work.appendingPathComponent("cold"), asOf: day))
        var random = SeededRandom(seed: 14)
        _ = try? await cached.generate()
        for round in 0..<10 {
            let runs = Self.runFiles(content)
            let pick = runs[Int(random.next() % UInt64(runs.count))]
            switch random.next() % 6 {
            case 0:  // an edit of the summary
                try Self.edit(content, pick, keepingTime: false) { $0.replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Round \(round). ") }
            case 1:  // the same edit, with the modification time set back
                try Self.edit(content, pick, keepingTime: true) { $0.replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"R\(round) ") }
            case 2:  // a new run: a copy under a new id (its action items then clash: both builds must fail alike)
                let id = (pick as NSString).lastPathComponent.replacingOccurrences(of: ".json", with: "")
                let text = try String(contentsOf: content.appendingPathComponent(pick), encoding: .utf8)
                try text.replacingOccurrences(of: "\"id\": \"" + id + "\"", with: "\"id\": \"" + id + "-copy\"")
                    .write(to: content.appendingPathComponent(pick.replacingOccurrences(of: ".json", with: "-copy.json")), atomically: true, encoding: .utf8)
            case 3:  // an edit of the overview (what indexes and analysis read: the site index is worked out again)
                try Self.edit(content, pick, keepingTime: false) { $0.replacingOccurrences(of: "\"environment\": \"", with: "\"environment\": \"r\(round)-") }
            case 4:  // an edit of a timeline event's description (details only: the last site index is taken again)
                try Self.edit(content, pick, keepingTime: false) { $0.replacingOccurrences(of: "\"description\": \"", with: "\"description\": \"Round \(round). ") }
            default:  // a deletion
                try FileManager.default.removeItem(at: content.appendingPathComponent(pick))
            }
            try? FileManager.default.removeItem(at: cold.builder.outputDirectory)
            let viaCache = await Self.outcome(cached)
            let viaCold = await Self.outcome(cold)
            #expect(viaCache == viaCold, "round \(round)")
            if case .success = viaCold {
                #expect(try Self.tree(cached.builder.outputDirectory) == Self.tree(cold.builder.outputDirectory), "round \(round)")
            }
        }
    }

    /// A save that changed run details alone, named by the caller (`drillbook serve`'s watcher),
    /// is read into the last build's history: the site is the cold build's. Negative controls: a
    /// named file whose overview changed, a new file and a removed record are not taken that way
    /// (the folder is loaded; a fast path that took them would leave a site unlike the cold one).
    @Test(.timeLimit(.minutes(5))) func namedDetailsSavesAreReadIntoTheLastHistory() async throws {
        let work = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: work) }
        let content = work.appendingPathComponent("content")
        let theme = Self.repository.appendingPathComponent("themes/default")
        let day = CalendarDay(iso8601: "2026-11-29")!
        var cached = SiteGenerator(
            contentDirectory: content, builder: SiteBuilder(themeDirectory: theme, outputDirectory: work.appendingPathComponent("cached"), asOf: day))
        cached.recordCache = RecordCache()
        cached.savesBuildCacheLater = true
        let cold = SiteGenerator(
            contentDirectory: content, builder: SiteBuilder(themeDirectory: theme, outputDirectory: work.appendingPathComponent("cold"), asOf: day))
        _ = try await cached.generate()
        let runs = Self.runFiles(content)
        func matchesCold() async throws -> Bool {
            try? FileManager.default.removeItem(at: cold.builder.outputDirectory)
            _ = try await cold.generate()
            return try Self.tree(cached.builder.outputDirectory) == Self.tree(cold.builder.outputDirectory)
        }
        // Details: two runs' summaries (one keeping its modification time), then the first again (read from the first read).
        let details: [(String, String, String)] = [
            (runs[0], "\"summary\": \"", "Named 1. "), (runs[1], "\"summary\": \"", "Named 2. "),
            (runs[0], "\"summary\": \"", "Named 3. "),
        ]
        for (round, (file, key, marker)) in details.enumerated() {
            try Self.edit(content, file, keepingTime: round == 1) { $0.replacingOccurrences(of: key, with: key + marker) }
            // An editor's temporary file, gone by now, is named too.
            let result = try await cached.generate(changedFiles: [file, "runs/.\(round).swp"])
            #expect(result.reloadedDetails == 2, "round \(round)")
            #expect(try await matchesCold(), "round \(round)")
        }
        // Negative controls: each loads the folder, and the site is still the cold build's.
        try Self.edit(content, runs[2], keepingTime: false) { $0.replacingOccurrences(of: "\"environment\": \"", with: "\"environment\": \"named-") }
        #expect(try await cached.generate(changedFiles: [runs[2]]).reloadedDetails == nil)
        #expect(try await matchesCold())
        let copy = runs[3].replacingOccurrences(of: ".json", with: "-copy.json")
        let text = try String(contentsOf: content.appendingPathComponent(runs[3]), encoding: .utf8)
        try text.replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Copy. ")
            .write(to: content.appendingPathComponent(copy), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: content.appendingPathComponent(runs[3]))
        #expect(try await cached.generate(changedFiles: [copy, runs[3]]).reloadedDetails == nil)
        #expect(try await matchesCold())
        // After a folder load, a details save is read the quick way again.
        try Self.edit(content, runs[4], keepingTime: false) { $0.replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Again. ") }
        #expect(try await cached.generate(changedFiles: [runs[4]]).reloadedDetails == 1)
        #expect(try await matchesCold())
    }

    enum Outcome: Equatable { case success(pages: Int), failure([String]) }

    static func outcome(_ generator: SiteGenerator) async -> Outcome {
        do {
            let result = try await generator.generate()
            return .success(pages: result.upToDate ? -1 : result.report.pages.count)
        } catch {
            switch error {
            case .content(let issues): return .failure(issues.map(\.description))
            default: return .failure([error.description])
            }
        }
    }

    /// Every file under `root` by relative path, with its bytes.
    static func tree(_ root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: root.path)! {
            let url = root.appendingPathComponent(path)
            if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true { files[path] = try Data(contentsOf: url) }
        }
        return files
    }
}

/// SplitMix64: the same changes on every run of the test.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
