@testable import DrillbookContent
import DrillbookCorpus
import DrillbookModel
@testable import DrillbookOutput
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The build cache (`BuildCache`): an incremental build is byte-identical to a cold build of the
/// same content after every kind of change, and a cache that is damaged, foreign or stale is
/// detected and rebuilt, never trusted.
@Suite("Build cache", .serialized)
struct BuildCacheTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let asOf = CalendarDay(year: 2026, month: 11, day: 29)!

    /// A scratch folder with copies of the sample content and the default theme.
    struct Workspace {
        let root: URL
        var content: URL { root.appendingPathComponent("content") }
        var theme: URL { root.appendingPathComponent("theme") }
        var output: URL { root.appendingPathComponent("site") }
        var coldOutput: URL { root.appendingPathComponent("cold") }

        init(_ name: String) throws {
            root = try temporaryFolder(name)
            try FileManager.default.copyItem(at: repository.appendingPathComponent("content"), to: content)
            try FileManager.default.copyItem(at: repository.appendingPathComponent("themes/default"), to: theme)
        }

        func generator(content: URL? = nil, output: URL? = nil, cache: Bool = true) -> SiteGenerator {
            var generator = SiteGenerator(
                contentDirectory: content ?? self.content,
                builder: SiteBuilder(themeDirectory: theme, outputDirectory: output ?? self.output, asOf: BuildCacheTests.asOf))
            generator.usesBuildCache = cache
            return generator
        }

        /// A build from scratch (no cache, empty output) of the same content.
        func cold() async -> Outcome {
            try? FileManager.default.removeItem(at: coldOutput)
            return await BuildCacheTests.outcome(generator(output: coldOutput, cache: false))
        }

        func files(_ relative: String) -> [String] {
            (FileManager.default.enumerator(atPath: content.appendingPathComponent(relative).path)?.allObjects as? [String] ?? [])
                .filter { !$0.hasPrefix(".") && $0.contains(".") }.sorted().map { relative + "/" + $0 }
        }

        func text(_ relative: String) throws -> String {
            try String(contentsOf: content.appendingPathComponent(relative), encoding: .utf8)
        }

        func write(_ text: String, _ relative: String) throws {
            try text.write(to: content.appendingPathComponent(relative), atomically: true, encoding: .utf8)
        }
    }

    enum Outcome: Equatable {
        case success(note: String?)
        case failure([String])
    }

    static func outcome(_ generator: SiteGenerator) async -> Outcome { await reusing(generator).outcome }

    /// The outcome, and how many pages the build took from the previous output.
    static func reusing(_ generator: SiteGenerator) async -> (outcome: Outcome, reused: Int) {
        do {
            let result = try await generator.generate()
            return (.success(note: result.cacheNote), result.reusedPages)
        } catch {
            switch error {
            case .content(let issues): return (.failure(issues.map(\.description)), 0)
            default: return (.failure([error.description]), 0)
            }
        }
    }

    /// Every regular file under `root`, with its bytes.
    static func tree(_ root: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: root.path)! {
            let url = root.appendingPathComponent(path)
            if try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true { found[path] = try Data(contentsOf: url) }
        }
        return found
    }

    /// The paths whose bytes differ between two trees (missing on either side included).
    static func differences(_ a: URL, _ b: URL) throws -> [String] {
        let first = try tree(a)
        let second = try tree(b)
        return Set(first.keys).union(second.keys).filter { first[$0] != second[$0] }.sorted()
    }

    /// Builds through the cache and from scratch, and expects the same outcome and the same bytes.
    @discardableResult
    static func expectSameAsCold(_ space: Workspace, _ label: String) async throws -> (outcome: Outcome, reused: Int) {
        let (cached, reused) = await reusing(space.generator())
        let cold = await space.cold()
        switch (cached, cold) {
        case (.success, .success):
            let differing = try differences(space.output, space.coldOutput)
            #expect(differing.isEmpty, "\(label): differs from a cold build in \(differing.prefix(10))")
        default:
            #expect(cached == cold, "\(label)")
        }
        return (cached, reused)
    }

    // MARK: - Random changes

    /// Seeded random edits, additions and deletions of every kind of input (runs, incidents, action
    /// items and their updates, drills, the schedule, site.yaml, a theme template), each followed by
    /// a build through the cache and a cold build into another folder, compared file by file.
    @Test(.timeLimit(.minutes(10))) func incrementalBuildsMatchColdBuildsAfterRandomChanges() async throws {
        let space = try Workspace("build-cache-random")
        defer { try? FileManager.default.removeItem(at: space.root) }
        #expect(try await Self.expectSameAsCold(space, "first build").outcome == .success(note: nil))
        var random = SplitMix(seed: 14)
        var reused = 0
        // Every kind of change twice, in a seeded random order, on seeded random files.
        var kinds = Array(0..<16) + Array(0..<16)
        for index in kinds.indices.reversed() { kinds.swapAt(index, Int(random.next() % UInt64(index + 1))) }
        for (round, kind) in kinds.enumerated() {
            func pick(_ files: [String]) -> String { files[Int(random.next() % UInt64(files.count))] }
            let label = "round \(round), change \(kind)"
            switch kind {
            case 0:  // a run's summary
                let run = pick(space.files("runs"))
                try space.write(try space.text(run).replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Round \(round). "), run)
            case 1:  // an edit that keeps the size and the modification time
                let run = pick(space.files("runs"))
                let path = space.content.appendingPathComponent(run).path
                var before = stat()
                stat(path, &before)
                let text = try space.text(run)
                let changed = text.replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"X").replacingOccurrences(of: "\n}", with: "}")
                guard changed.utf8.count == text.utf8.count else { continue }
                try changed.write(toFile: path, atomically: false, encoding: .utf8)
                var times = [before.st_atim, before.st_mtim]
                #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
            case 2:  // an action item's owner (moves it between the owner views)
                let run = pick(space.files("runs"))
                try space.write(try space.text(run).replacingOccurrences(of: "\"owner\": \"", with: "\"owner\": \"R\(round) "), run)
            case 3:  // a new run: a copy under a new id, without its action items
                let run = pick(space.files("runs"))
                let id = ((run as NSString).lastPathComponent as NSString).deletingPathExtension
                guard var object = try JSONSerialization.jsonObject(with: Data(try space.text(run).utf8)) as? [String: Any] else { continue }
                object["id"] = id + "-copy\(round)"
                object["actionItems"] = []
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                try space.write(String(decoding: data, as: UTF8.self), run.replacingOccurrences(of: ".json", with: "-copy\(round).json"))
            case 4:  // a run deleted (its action items' update files then name no item: both builds fail alike)
                try FileManager.default.removeItem(at: space.content.appendingPathComponent(pick(space.files("runs"))))
            case 5:  // an incident's text
                let incident = pick(space.files("incidents"))
                let text = try space.text(incident)
                try space.write(
                    incident.hasSuffix(".json")
                        ? text.replacingOccurrences(of: "\"description\": \"", with: "\"description\": \"Round \(round). ")
                        : text + "\n", incident)
            case 6:  // an incident deleted
                try FileManager.default.removeItem(at: space.content.appendingPathComponent(pick(space.files("incidents"))))
            case 7:  // an action item's updates: a note changed, or the file removed
                let updates = pick(space.files("actions"))
                if random.next() % 3 == 0 {
                    try FileManager.default.removeItem(at: space.content.appendingPathComponent(updates))
                } else {
                    try space.write(try space.text(updates).replacingOccurrences(of: "note: \"", with: "note: \"Round \(round). "), updates)
                }
            case 8:  // a drill's title
                let drill = pick(space.files("drills"))
                try space.write(try space.text(drill).replacingOccurrences(of: "title: ", with: "title: R\(round) "), drill)
            case 9:  // the schedule: the first slot's drill moved to another week
                let text = try space.text("schedule.yaml")
                try space.write(text.replacingOccurrences(of: "week: 1", with: "week: 2"), "schedule.yaml")
            case 10:  // site.yaml: the organisation
                try space.write(try space.text("site.yaml").replacingOccurrences(of: "organisation: ", with: "organisation: R\(round) "), "site.yaml")
            case 11:  // a theme template (the run page's)
                let template = space.theme.appendingPathComponent("templates/run.mustache")
                let text = try String(contentsOf: template, encoding: .utf8)
                try (text + "<!-- round \(round) -->\n").write(to: template, atomically: true, encoding: .utf8)
            case 12:  // a run's overview (its environment: indexes, drill pages and analysis show it)
                let run = pick(space.files("runs"))
                try space.write(try space.text(run).replacingOccurrences(of: "\"environment\": \"", with: "\"environment\": \"r\(round)-"), run)
            case 13:  // a run's details only (a timeline event's description or an observation: its own page alone)
                let run = pick(space.files("runs"))
                let text = try space.text(run)
                let edited = text.replacingOccurrences(of: "\"description\": \"", with: "\"description\": \"Round \(round). ")
                try space.write(edited != text ? edited : text.replacingOccurrences(of: "\"observations\": [", with: "\"observations\": [\"Round \(round).\", "), run)
            case 14:  // a details edit, built, then an overview edit of the same run (what the first kept must not vouch for the second)
                let run = pick(space.files("runs"))
                try space.write(try space.text(run).replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Round \(round). "), run)
                let (between, _) = try await Self.expectSameAsCold(space, label + " (details)")
                if case .success(let note) = between { #expect(note == nil, "\(label): \(note ?? "")") }
                let text = try space.text(run)
                let flipped = text.contains("\"outcome\": \"passed\"")
                    ? text.replacingOccurrences(of: "\"outcome\": \"passed\"", with: "\"outcome\": \"failed\"")
                    : text.replacingOccurrences(of: "\"outcome\": \"failed\"", with: "\"outcome\": \"passed\"")
                try space.write(flipped, run)
            default:  // no change at all (the output is up to date, or rebuilt the same)
                break
            }
            let (result, pages) = try await Self.expectSameAsCold(space, label)
            reused += pages
            if case .success(let note) = result { #expect(note == nil, "\(label): \(note ?? "")") }
        }
        // The cache was used, not merely consistent: record pages were taken from the previous output.
        #expect(reused > 0)
    }

    /// A one-run edit renders that run's page (and the pages every build renders) and takes every
    /// other record page from the previous output; the files it decodes are the one edited.
    @Test func aOneRunEditDecodesOneFileAndReusesTheOtherRecordPages() async throws {
        let space = try Workspace("build-cache-one-edit")
        defer { try? FileManager.default.removeItem(at: space.root) }
        let first = try await space.generator().generate()
        #expect(first.recordCounts?.decoded == first.recordCounts.map { $0.decoded + $0.byIdentity + $0.byContent })
        let runs = space.files("runs")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(try space.text(runs[3]).utf8)) as? [String: Any])
        let items = (record["actionItems"] as? [Any])?.count ?? 0
        try space.write(try space.text(runs[3]).replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Edited. "), runs[3])
        let second = try await space.generator().generate()
        #expect(second.cacheNote == nil)
        #expect(second.recordCounts?.decoded == 1)
        // Rendered again: the run's page, the pages of the items it raised (they show its record) and
        // the feed (it shows run summaries). A summary is a detail: every other page and data file,
        // indexes and analysis included, is taken from the previous output.
        #expect(second.reusedPages == second.report.pages.count - 1 - items - 1)
        #expect(second.report.changedFiles.count <= 2 + items)
        #expect(await space.cold() == .success(note: nil))
        #expect(try Self.differences(space.output, space.coldOutput) == [])
    }

    /// A one-run edit of what indexes and analysis read (its environment) renders every page but
    /// the other record pages again: an overview edit is never taken for a details edit (the
    /// control of the test above: were every edit taken for a details edit, this one would fail).
    @Test func aOneRunOverviewEditRendersEveryPageButTheOtherRecordPages() async throws {
        let space = try Workspace("build-cache-overview-edit")
        defer { try? FileManager.default.removeItem(at: space.root) }
        _ = try await space.generator().generate()
        let runs = space.files("runs")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(try space.text(runs[3]).utf8)) as? [String: Any])
        let items = (record["actionItems"] as? [Any])?.count ?? 0
        try space.write(try space.text(runs[3]).replacingOccurrences(of: "\"environment\": \"", with: "\"environment\": \"edited-"), runs[3])
        let second = try await space.generator().generate()
        #expect(second.recordCounts?.decoded == 1)
        let recordPages = second.report.pages.filter {
            ($0.hasPrefix("runs/") || $0.hasPrefix("incidents/") || $0.hasPrefix("actions/ai-")) && !$0.contains("/index")
        }
        #expect(second.reusedPages == recordPages.count - 1 - items)
        #expect(await space.cold() == .success(note: nil))
        #expect(try Self.differences(space.output, space.coldOutput) == [])
    }

    // MARK: - Caches that must not be trusted

    /// Builds once (the cache is written), damages the cache with `damage`, edits a run, and
    /// expects the build to say once why it rebuilt the cache, and the same bytes as a cold build.
    func expectRebuilt(_ name: String, reason: String, content: ((Workspace) throws -> URL)? = nil,
                       damage: (Workspace, URL) throws -> Void) async throws {
        let space = try Workspace("build-cache-" + name)
        defer { try? FileManager.default.removeItem(at: space.root) }
        _ = try await space.generator().generate()
        let cache = BuildCache.location(of: space.output)
        #expect(FileManager.default.fileExists(atPath: cache.path))
        try damage(space, cache)
        let folder = try content?(space) ?? space.content
        let runs = space.files("runs")
        let edited = folder.appendingPathComponent(runs[5])
        let text = try String(contentsOf: edited, encoding: .utf8)
        try text.replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"After damage. ").write(to: edited, atomically: true, encoding: .utf8)
        let result = try await space.generator(content: folder).generate()
        #expect(result.cacheNote == "note: rebuilt the build cache (.site.build-cache): " + reason, "\(name)")
        #expect(result.reusedPages == 0, "\(name): pages were taken on the word of an untrusted cache")
        let cold = try await {
            try? FileManager.default.removeItem(at: space.coldOutput)
            return try await space.generator(content: folder, output: space.coldOutput, cache: false).generate()
        }()
        #expect(cold.cacheNote == nil)
        #expect(try Self.differences(space.output, space.coldOutput) == [], "\(name)")
        // The cache was written again: the next build uses it and says nothing.
        try text.write(to: edited, atomically: true, encoding: .utf8)
        let next = try await space.generator(content: folder).generate()
        #expect(next.cacheNote == nil, "\(name)")
        #expect(next.reusedPages > 0, "\(name)")
    }

    @Test func aTruncatedCacheIsRebuilt() async throws {
        try await expectRebuilt("truncated", reason: "it is truncated or damaged (its checksum does not match)") { _, cache in
            let bytes = try Data(contentsOf: cache)
            try bytes.prefix(bytes.count / 2).write(to: cache)
        }
    }

    @Test func aCacheCutBeforeItsHeaderIsRebuilt() async throws {
        try await expectRebuilt("cut", reason: "it is truncated") { _, cache in
            try Data("drillbook-build".utf8).write(to: cache)
        }
    }

    @Test func aCacheWithAFlippedByteIsRebuilt() async throws {
        try await expectRebuilt("flipped", reason: "it is truncated or damaged (its checksum does not match)") { _, cache in
            var bytes = [UInt8](try Data(contentsOf: cache))
            bytes[bytes.count / 3] ^= 0x10
            try Data(bytes).write(to: cache)
        }
    }

    @Test func aCacheOfAnotherFormatVersionIsRebuilt() async throws {
        try await expectRebuilt("version", reason: "it was written in another format version") { _, cache in
            // Another version with a checksum that matches: only the version check can refuse it.
            var bytes = [UInt8](try Data(contentsOf: cache))
            bytes[BuildCache.magic.count] = UInt8(BuildCache.version + 1)
            bytes.removeLast(8)
            var seal = ByteWriter()
            seal.add(BuildCache.Seal.of(bytes[...]))
            try Data(bytes + seal.bytes).write(to: cache)
        }
    }

    @Test func aCacheOfAnotherDrillbookIsRebuilt() async throws {
        try await expectRebuilt("tool", reason: "it was written by another drillbook executable") { space, cache in
            let key = BuildCache.Key.current(content: space.content)
            guard let read = BuildCache.read(for: space.output, key: key).cache else { throw CocoaError(.fileReadCorruptFile) }
            let other = BuildCache.Key(tool: key.tool + " (an older build)", content: key.content)
            try Data(read.encoded(key: other)).write(to: cache)
        }
    }

    @Test func aCacheOfAnotherContentFolderIsRebuilt() async throws {
        try await expectRebuilt(
            "folder", reason: "it was written for another content folder",
            content: { space in
                let copy = space.root.appendingPathComponent("content-copy")
                try FileManager.default.copyItem(at: space.content, to: copy)
                return copy
            }, damage: { _, _ in })
    }

    @Test func aCacheOfAnOutputChangedByHandIsNotTrustedForPages() async throws {
        try await expectRebuilt(
            "output", reason: "the output folder changed since it was written, so every page is rendered again"
        ) { space, _ in
            // A record page changed by hand: the cache's page fingerprints no longer describe the output.
            let runs = try FileManager.default.contentsOfDirectory(atPath: space.output.appendingPathComponent("runs").path).sorted()
            let page = space.output.appendingPathComponent("runs/" + runs[runs.count - 1])
            try Data("tampered".utf8).write(to: page)
        }
    }

    /// Negative control of the comparison itself: a cache that vouches for a page whose inputs did
    /// change (sealed, of this tool and folder, so every check passes) makes the incremental build
    /// differ from a cold one, and the file-by-file comparison the tests above rely on says so.
    @Test func aCacheThatLiesIsCaughtByTheComparisonWithAColdBuild() async throws {
        let space = try Workspace("build-cache-lie")
        defer { try? FileManager.default.removeItem(at: space.root) }
        _ = try await space.generator().generate()
        let run = space.files("runs")[2]
        try space.write(try space.text(run).replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Edited. "), run)
        // Work out the edited page's new fingerprint with a cache-using build into another folder...
        let probe = space.root.appendingPathComponent("probe")
        let probed = try await space.generator(output: probe).generate()
        #expect(probed.reusedPages == 0)
        let key = BuildCache.Key.current(content: space.content)
        let fresh = try #require(BuildCache.read(for: probe, key: key).cache)
        // ...and plant it in the real output's cache, as if the old page had been built from it.
        var lying = try #require(BuildCache.read(for: space.output, key: key).cache)
        lying.pages = fresh.pages
        #expect(lying.write(for: space.output, key: key))
        let result = try await space.generator().generate()
        #expect(result.cacheNote == nil)
        #expect(await space.cold() == .success(note: nil))
        let slug = ((run as NSString).lastPathComponent as NSString).deletingPathExtension
        #expect(try Self.differences(space.output, space.coldOutput) == ["runs/" + slug + ".html"])
    }

    /// Every kind of record comes back from the cache's bytes as it was decoded from its file, in
    /// the sample content and in a generated corpus.
    @Test(arguments: [false, true]) func recordsRoundTripThroughTheCacheFile(generated: Bool) throws {
        var content = Self.repository.appendingPathComponent("content")
        let scratch = try temporaryFolder("build-cache-round-trip")
        defer { try? FileManager.default.removeItem(at: scratch) }
        if generated {
            content = scratch.appendingPathComponent("content")
            try CorpusGenerator(playbook: Self.repository.appendingPathComponent("content"), runs: 150, incidents: 20, seed: 9).write(to: content)
        }
        let cache = RecordCache()
        var loader = ContentLoader(contentDirectory: content)
        loader.cache = cache
        let first = loader.load()
        let restored = try #require(RecordCache.decoding(cache.encoded()[...]))
        loader.cache = restored
        let again = loader.load()
        #expect(restored.lastCounts.decoded == 0)
        #expect(restored.lastCounts.byIdentity == cache.lastCounts.decoded)
        #expect(again.history == first.history)
        #expect(again.issues == first.issues)
        // A cache whose bytes end early or carry a wrong count is refused whole.
        let bytes = cache.encoded()
        #expect(RecordCache.decoding(bytes.dropLast(1)) == nil)
        var wrongCount = bytes
        wrongCount[0] &+= 1
        #expect(RecordCache.decoding(wrongCount[...]) == nil)
    }
}

/// SplitMix64: the same changes on every run of the test.
struct SplitMix {
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
