public import DrillbookContent
import DrillbookModel
import DrillbookOutput
public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole `drillbook build`: load and validate a content folder, then build the site from it.
///
/// Content errors stop the build before anything is written, so the previous output stays intact;
/// warnings are returned with the result for the caller to show.
public struct SiteGenerator: Sendable {
    public var contentDirectory: URL
    public var builder: SiteBuilder
    /// Decoded records kept between generations (`drillbook serve`) when the build cache has none
    /// to offer (none yet, or `usesBuildCache` is false); nil then decodes every file each time.
    public var recordCache: RecordCache?
    /// Keep the build cache (`BuildCache`: decoded records and page fingerprints) beside the output
    /// and use it (`--no-cache` turns it off): a rebuild decodes and renders only what changed.
    public var usesBuildCache = true
    /// Leave writing the build cache to `saveBuildCache()` (`drillbook serve` writes it after the
    /// browser was told to reload); the next generation uses it from memory either way.
    public var savesBuildCacheLater = false
    /// The last build's cache, kept in memory for the next generation (shared by copies).
    let lastCache = LastBuildCache()
    /// The last build's site index, taken again by a build that changed no overview (shared by copies).
    let lastSite = LastSiteIndex()
    /// The last build's history (shared by copies), for a save that changed runs' details alone.
    let lastLoad = LastLoad()

    public init(contentDirectory: URL, builder: SiteBuilder) {
        self.contentDirectory = contentDirectory
        self.builder = builder
    }

    /// Reads the build cache from disk into memory, when it is usable, so the next generation
    /// starts from it (`drillbook serve`, after a first build that found the site up to date).
    public func warmBuildCache() {
        let key = BuildCache.Key.current(content: contentDirectory)
        guard usesBuildCache, lastCache.cache(for: builder.outputDirectory, key: key) == nil,
            let cache = BuildCache.read(for: builder.outputDirectory, key: key).cache
        else { return }
        lastCache.keep(cache, for: builder.outputDirectory, key: key, pending: false)
    }

    /// Writes the build cache of the last successful generation, when `savesBuildCacheLater` held it back.
    public func saveBuildCache() {
        guard let pending = lastCache.takePending() else { return }
        pending.write(for: builder.outputDirectory, key: BuildCache.Key.current(content: contentDirectory), keepingEncoded: true)
    }

    /// What a successful generation did.
    public struct Result: Sendable {
        /// Warnings found while loading (errors stop the build instead).
        public var warnings: [ContentIssue]
        /// Seconds spent loading and validating content.
        public var loadSeconds: Double
        /// Counts of what was loaded.
        public var drills: Int
        public var runs: Int
        public var incidents: Int
        public var report: SiteBuildReport
        /// True when the content, theme, `asOf`, tool and output were exactly as the last
        /// successful build left them, so nothing was loaded or written (`report` lists no pages).
        public var upToDate = false
        /// When the build cache could not be used (damaged, another version or content folder, the
        /// output changed since): one line saying it was rebuilt, and why.
        public var cacheNote: String?
        /// Pages and data files taken from the previous output (their inputs had not changed).
        public var reusedPages = 0
        /// How the content's files were found: reused from the cache or decoded (nil without a cache).
        public var recordCounts: RecordCache.Counts?
        /// Seconds spent fingerprinting the output folder before and after the build and writing
        /// the build state (`drillbook serve --timings`).
        public var stateSeconds: Double = 0
        /// The part of `stateSeconds` before loading (counted in `loadSeconds` too).
        public var stateBeforeSeconds: Double = 0
        /// Run files whose details were read into the last build's history instead of loading
        /// the folder (`generate(changedFiles:)`); nil when the folder was loaded.
        public var reloadedDetails: Int?
    }

    /// Why generation stopped.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The content folder has errors (warnings come along so every problem is shown).
        case content([ContentIssue])
        /// The site build failed in one of its steps.
        case build(SiteBuildError, warnings: [ContentIssue])
        /// The output folder may not be replaced (`OutputGuard`); nothing was read or written.
        case refused(SiteBuildError)

        public var description: String {
            switch self {
            case .content(let issues):
                let errors = issues.filter(\.isError).count
                return "\(errors) error\(errors == 1 ? "" : "s") in the content; the site was not built"
            case .build(let error, _):
                return error.description
            case .refused(let error):
                return "refusing to build: " + error.message
            }
        }
    }

    /// Checks the output folder may be replaced, then loads, validates and builds. The output
    /// folder changes only when everything succeeded.
    /// `knownInputs`: the inputs' fingerprint (`BuildState.inputs`) when the caller has just taken
    /// it (`drillbook serve`, to see whether a wake-up changed anything), so it is not walked twice.
    /// `changedFiles`: the files (relative to the content folder) that are all that changed in
    /// the content since the last generation, when the caller knows (`drillbook serve`, from
    /// inotify, for a content folder without links); when they are run files whose overviews did
    /// not change, their details are read into the last build's history instead of loading the
    /// whole folder again (`reloadingDetails`).
    public func generate(knownInputs: String?? = nil, changedFiles: Set<String>? = nil) async throws(Failure) -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let output = builder.outputDirectory
        do throws(OutputError) {
            try OutputGuard.checkPlacement(
                of: output, protecting: [("content folder", contentDirectory), ("theme folder", builder.themeDirectory)])
            try OutputGuard.checkReplaceable(output)
        } catch {
            throw .refused(SiteBuildError(step: .checkOutput, path: error.path, message: error.message))
        }
        let inputs = knownInputs ?? BuildState.inputs(
            content: contentDirectory, theme: builder.themeDirectory, asOf: builder.asOf, baseURL: builder.baseURL)
        let stateStart = clock.now
        let listingBefore = BuildState.outputListing(output)
        var stateDuration = clock.now - stateStart
        let stateBefore = stateDuration
        let outputBefore = listingBefore?.fingerprint
        if let inputs, let state = BuildState.read(for: output), state.inputs == inputs,
            state.output == outputBefore
        {
            return Result(
                warnings: [], loadSeconds: 0, drills: state.drills, runs: state.runs, incidents: state.incidents,
                report: SiteBuildReport(
                    outputPath: output.path, pages: [], assets: [], extraFiles: [], carriedOver: [],
                    removedLeftovers: OutputFolder.removeLeftovers(of: output), timings: [], changedFiles: [],
                    outputReplaced: false),
                upToDate: true)
        }
        // A build that fails or is interrupted must not leave a state that vouches for its output.
        BuildState.forget(for: output)
        // Nor a history that a later save's details would be read into.
        let lastHistory = lastLoad.take()
        // The build cache: records by file identity and content, pages by the fingerprint of their inputs.
        let cacheKey = BuildCache.Key.current(content: contentDirectory)
        let opened: (records: RecordCache?, pages: [String: UInt64], note: String?) =
            usesBuildCache ? openBuildCache(key: cacheKey, outputNow: outputBefore) : (nil, [:], nil)
        let records = opened.records ?? recordCache ?? (usesBuildCache ? RecordCache() : nil)
        let loaded: ContentLoadResult
        // The digests of files read since the record cache last saw them (`reloadingDetails`).
        var newerDigests: [String: UInt64] = [:]
        var reloaded = false
        if let changedFiles, usesBuildCache, records != nil, let fast = reloadingDetails(changedFiles, from: lastHistory) {
            (loaded, newerDigests) = fast
            reloaded = true
        } else {
            var loader = ContentLoader(contentDirectory: contentDirectory)
            loader.cache = records
            loaded = loader.load()
        }
        let loadDuration = clock.now - start
        if loaded.hasErrors { throw .content(loaded.issues) }
        let warnings = loaded.issues.filter { !$0.isError }
        let schemas = RecordSchemas.files.map { (path: "schema/" + $0.name, contents: Data($0.json.utf8)) }
        var builder = builder
        let reuse = usesBuildCache ? records.map { records in
            var digests = records.digests
            for (path, digest) in newerDigests { digests[path] = digest }
            return PageReuse(digests: digests, overviews: records.overviews, tool: cacheKey.tool, previous: opened.pages, lastSite: lastSite)
        } : nil
        builder.reuse = reuse
        // Pages the cache vouches for: a rebuild that changes a few files puts those in place alone.
        builder.previousEntries = opened.pages.isEmpty ? nil : listingBefore?.names
        do {
            let report = try await builder.build(loaded.history, extraFiles: schemas)
            let stateAfter = clock.now
            let built = BuildState.output(output)
            if let inputs, warnings.isEmpty, let built {
                BuildState(
                    inputs: inputs, output: built, drills: loaded.history.drills.count, runs: loaded.history.runs.count,
                    incidents: loaded.history.incidents.count, pages: report.pages.count
                ).write(for: output)
            }
            stateDuration += clock.now - stateAfter
            lastLoad.keep(warnings.isEmpty ? (loaded.history, newerDigests, contentDirectory.standardizedFileURL.path) : nil)
            if let records, let reuse, let built {
                let cache = BuildCache(records: records, pages: reuse.fingerprints, output: built)
                lastCache.keep(cache, for: output, key: cacheKey, pending: savesBuildCacheLater)
                if !savesBuildCacheLater { cache.write(for: output, key: cacheKey) }
            }
            let parts = loadDuration.components
            var result = Result(
                warnings: warnings, loadSeconds: Double(parts.seconds) + Double(parts.attoseconds) / 1e18,
                drills: loaded.history.drills.count, runs: loaded.history.runs.count,
                incidents: loaded.history.incidents.count, report: report)
            result.cacheNote = opened.note
            result.reusedPages = reuse?.reusedPages ?? 0
            result.recordCounts = records?.lastCounts
            result.reloadedDetails = reloaded ? changedFiles?.count : nil
            let state = stateDuration.components
            result.stateSeconds = Double(state.seconds) + Double(state.attoseconds) / 1e18
            let before = stateBefore.components
            result.stateBeforeSeconds = Double(before.seconds) + Double(before.attoseconds) / 1e18
            return result
        } catch {
            // The builder checks the output again; a refusal there (the folder changed meanwhile) is one still.
            if error.step == .checkOutput { throw .refused(error) }
            throw .build(error, warnings: warnings)
        }
    }
}

extension SiteGenerator {
    /// The cache this generation starts from: the last one in memory, else the one on disk; the
    /// page fingerprints only when the output folder is as the build that made them left it.
    /// `note` says, in one line, why a cache that was there could not be used.
    /// The last build's history with the details of `changed` read again, when every file of it
    /// is a run file that history holds, without warnings, and with the overview it had (what a
    /// load of the whole folder would then give, but for the runs' details): `changedFiles` of
    /// `generate`. Files that are gone and were no record (an editor's temporary file) are left
    /// out. Nil (load the folder) for anything else: a new, removed or other kind of file, an
    /// overview or warning that changed, a file that changed while it was read.
    func reloadingDetails(_ changed: Set<String>, from last: LastLoad.State?) -> (ContentLoadResult, [String: UInt64])? {
        guard let last, last.content == contentDirectory.standardizedFileURL.path, !changed.isEmpty, changed.count <= 64 else { return nil }
        var history = last.history
        var digests = last.digests
        var ids: [String: String] = [:]
        for (id, path) in history.sourcePaths where changed.contains(path) { ids[path] = id }
        let loader = ContentLoader(contentDirectory: contentDirectory)
        for relative in changed.sorted() {
            let path = contentDirectory.standardizedFileURL.path + "/" + relative
            guard let id = ids[relative] else {
                var info = stat()
                if lstat(path, &info) != 0, errno == ENOENT { continue }
                return nil
            }
            guard relative.hasPrefix("runs/"), relative.hasSuffix(".json"),
                let index = history.runs.firstIndex(where: { $0.id == id }),
                let before = FileManager.default.contents(atPath: path)
            else { return nil }
            let inspected = loader.inspectRecord(at: URL(fileURLWithPath: path))
            guard inspected.issues.isEmpty, case .run(let run)? = inspected.record, run.overview == history.runs[index],
                FileManager.default.contents(atPath: path) == before
            else { return nil }
            history.runDetails[id] = run.details
            digests[relative] = ContentDigest.of(before)
        }
        return (ContentLoadResult(history: history, issues: []), digests)
    }

    func openBuildCache(key: BuildCache.Key, outputNow: String?) -> (records: RecordCache?, pages: [String: UInt64], note: String?) {
        let output = builder.outputDirectory
        // No output folder (never built, or removed to build from scratch): the cache describes
        // nothing that is there, and the build is a cold one.
        guard outputNow != nil else { return (nil, [:], nil) }
        let cache: BuildCache
        if let kept = lastCache.cache(for: output, key: key) {
            cache = kept
        } else {
            let reading = BuildCache.read(for: output, key: key)
            guard let read = reading.cache else {
                return (nil, [:], reading.problem.map { "note: rebuilt the build cache (" + BuildCache.location(of: output).lastPathComponent + "): " + $0 })
            }
            cache = read
        }
        guard let outputNow, cache.output == outputNow else {
            return (
                cache.records, [:],
                "note: rebuilt the build cache (" + BuildCache.location(of: output).lastPathComponent
                    + "): the output folder changed since it was written, so every page is rendered again")
        }
        return (cache.records, cache.pages, nil)
    }
}

/// The build cache of a generator's last successful build, kept in memory (`drillbook serve`
/// rebuilds from it without reading the file again), and whether it still has to be written.
final class LastBuildCache: Sendable {
    private let state = Mutex<(cache: BuildCache, output: String, key: BuildCache.Key, pending: Bool)?>(nil)

    func keep(_ cache: BuildCache, for output: URL, key: BuildCache.Key, pending: Bool) {
        state.withLock { $0 = (cache, output.standardizedFileURL.path, key, pending) }
    }

    func cache(for output: URL, key: BuildCache.Key) -> BuildCache? {
        state.withLock { kept in
            guard let kept, kept.output == output.standardizedFileURL.path, kept.key == key else { return nil }
            return kept.cache
        }
    }

    /// The cache still to be written, once.
    func takePending() -> BuildCache? {
        state.withLock { kept in
            guard kept?.pending == true else { return nil }
            kept?.pending = false
            return kept?.cache
        }
    }
}

/// The history of a generator's last successful build without warnings (`drillbook serve`), the
/// digests of the files it read past the record cache, and the content folder it came from.
final class LastLoad: Sendable {
    typealias State = (history: DrillHistory, digests: [String: UInt64], content: String)
    private let state = Mutex<State?>(nil)

    func keep(_ kept: State?) { state.withLock { $0 = kept } }

    /// The kept history, forgotten until the next successful build keeps one again.
    func take() -> State? { state.withLock { kept in defer { kept = nil }; return kept } }
}
