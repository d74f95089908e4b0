public import DrillbookModel
import DrillbookOutput
import DrillbookTemplates
public import Foundation

/// Builds the static site from a loaded history: a pipeline of named steps (`SiteBuildStep`)
/// that checks the output folder may be replaced, writes into a temporary folder next to it and
/// swaps it in at the end, in one atomic step on Linux.
///
/// ```swift
/// let builder = SiteBuilder(themeDirectory: theme, outputDirectory: output, asOf: today)
/// let report = try await builder.build(history)
/// ```
///
/// - Every link is relative, so the site works from `file://` and under any sub-path.
/// - The same history and `asOf` give byte-identical files, whether pages render in parallel or not.
/// - A failed build leaves the previous output byte-for-byte intact and removes its temporary folder.
/// - The output folder is never the theme folder, the current or home folder or one of their
///   ancestors, and an existing one must be empty or a site drillbook built (`OutputGuard`); every
///   site carries the marker `.drillbook-site`.
/// - Dot-files at the top level of the previous output (`.gitkeep`, `.htaccess`) that the build does
///   not produce are carried over.
public struct SiteBuilder: Sendable {
    /// The theme folder (`themes/default`), holding `templates/` and `assets/`.
    public var themeDirectory: URL
    /// The folder that holds the site after a successful build.
    public var outputDirectory: URL
    /// The day the site describes: overdue flags, "this quarter", action statuses.
    public var asOf: CalendarDay
    /// Render pages concurrently (same bytes either way).
    public var parallel: Bool
    /// The site's absolute address (`https://drills.example.com/`), when known: the Atom feed gets
    /// it as `xml:base` and `sitemap.xml` is written. Pages keep relative links either way.
    public var baseURL: String?
    /// Told as each step starts (the CLI's progress line); the steps are the ones `timings` reports.
    public var progress: (@Sendable (SiteBuildStep) -> Void)?
    /// The build cache's page fingerprints, when set: record pages whose inputs are those the
    /// previous output's file was built from are taken from it as they are (`PageReuse`).
    public var reuse: PageReuse?
    /// Which entries the previous output holds (`BuildState.outputListing(_:).names`), when the
    /// build expects to change a few of its files (the build cache vouches for its pages): only
    /// what changed is staged, and put in place file by file when the site keeps the same entries
    /// (`OutputFolder.apply`), instead of staging and swapping a whole tree of hard links.
    public var previousEntries: UInt64?

    public init(themeDirectory: URL, outputDirectory: URL, asOf: CalendarDay, parallel: Bool = true) {
        self.themeDirectory = themeDirectory
        self.outputDirectory = outputDirectory
        self.asOf = asOf
        self.parallel = parallel
    }

    /// Builds the site for `history` and swaps it into `outputDirectory`.
    ///
    /// - Parameter extraFiles: more files to write, by relative `/`-separated path (`schema/run.json`).
    ///   A path may not leave the output folder nor replace a page or an asset.
    public func build(
        _ history: DrillHistory, extraFiles: [(path: String, contents: Data)] = []
    ) async throws(SiteBuildError) -> SiteBuildReport {
        var timings: [SiteBuildReport.StepTiming] = []
        let clock = ContinuousClock()
        func timed<T>(_ step: SiteBuildStep, _ body: () throws(SiteBuildError) -> T) throws(SiteBuildError) -> T {
            progress?(step)
            let start = clock.now
            let value = try body()
            timings.append(.init(step: step, seconds: Self.seconds(clock.now - start)))
            return value
        }

        try timed(.checkOutput) { () throws(SiteBuildError) in
            try Self.during(.checkOutput) { () throws(OutputError) in
                try OutputGuard.checkPlacement(of: outputDirectory, protecting: [("theme folder", themeDirectory)])
                try OutputGuard.checkReplaceable(outputDirectory)
            }
        }
        let theme = try timed(.loadTheme) { () throws(SiteBuildError) in try Theme.load(from: themeDirectory) }
        let (pages, generated) = try timed(.buildViewModels) { () throws(SiteBuildError) in
            let key = reuse.map { $0.siteKey(asOf: asOf, baseURL: baseURL, themeDigest: theme.digest) }
            // The last build's index, and the pages made from it, when only runs' details changed
            // since (`drillbook serve`): the pages read those through the index, given the new history.
            if let key, let lastSite = reuse?.lastSite, let previous = lastSite.site(for: key), let made = lastSite.pages(for: key) {
                previous.takeDetails(from: history)
                reuse?.record(
                    reuse?.fingerprints(of: previous, parts: made.parts, themeDigest: theme.digest, others: made.others, siteKey: key) ?? [:])
                return (made.pages, made.generated)
            }
            let site: SiteIndex
            if let key, let previous = reuse?.lastSite?.site(for: key) {
                site = SiteIndex(reusing: previous, history: history)
            } else {
                site = try SiteIndex(history: history, asOf: asOf, baseURL: baseURL)
            }
            if let key { reuse?.lastSite?.keep(site, for: key) }
            let all = SitePages(site: site)
            let pages = all.pages()
            let generated = all.generatedFiles()
            if let reuse {
                let others = pages.map(\.path) + generated.map(\.path)
                reuse.record(reuse.fingerprints(of: site, parts: all.parts, themeDigest: theme.digest, others: others, siteKey: key))
                if let key { reuse.lastSite?.keepPages((pages, generated, all.parts, others), for: key) }
            }
            return (pages, generated)
        }
        let staging = try timed(.prepareOutput) { () throws(SiteBuildError) in
            try Self.during(.prepareOutput) { () throws(OutputError) in try OutputFolder.prepare(outputDirectory, sparse: previousEntries != nil) }
        }
        do {
            progress?(.renderPages)
            let start = clock.now
            // Data files (the action exports) are written alongside the pages, not after them.
            let kept = reuse.map { Kept(reuse: $0, fingerprints: $0.fingerprints) }
            async let writtenFiles = Self.write(generated, into: staging, reuse: kept)
            let (written, changedPages) = try await render(pages, theme: theme, into: staging, reuse: kept)
            let (made, changedMade) = try await writtenFiles.get()
            timings.append(.init(step: .renderPages, seconds: Self.seconds(clock.now - start)))
            let (assets, changedAssets) = try timed(.writeAssets) { () throws(SiteBuildError) in
                try writeAssets(theme.assets, into: staging)
            }
            let (extras, changedExtras) = try timed(.writeExtraFiles) { () throws(SiteBuildError) in
                try writeExtraFiles(extraFiles, into: staging, taken: Set(written + made + assets))
            }
            let changed = changedPages + changedMade + changedAssets + changedExtras
            let swapped = try timed(.swapOutput) { () throws(SiteBuildError) in
                try Self.during(.swapOutput) { () throws(OutputError) in
                    let paths = written + made + assets + extras
                    let same = previousEntries.map { entries in
                        entries == (reuse?.lastSite?.names(of: paths) { BuildState.names(of: $0) } ?? BuildState.names(of: paths))
                    } ?? false
                    return try staging.apply(changed: changed, paths: paths, sameEntries: same)
                }
            }
            return SiteBuildReport(
                outputPath: outputDirectory.path, pages: (written + made).sorted(), assets: assets, extraFiles: extras,
                carriedOver: swapped.carried, removedLeftovers: staging.removedLeftovers, timings: timings,
                changedFiles: changed.sorted(), outputReplaced: swapped.replaced)
        } catch {
            staging.discard()
            throw error
        }
    }

    // MARK: - Steps

    /// Renders every page into the staging folder; returns the page paths and those that changed.
    private func render(
        _ all: [PageSpec], theme: Theme, into staging: OutputFolder, reuse kept: Kept?
    ) async throws(SiteBuildError) -> (paths: [String], changed: [String]) {
        // Staging only what changed: the pages the cache vouches for are set aside first (a look-up
        // each, nothing on disk), so neither their folders nor a task is made for them.
        let pages = staging.sparse && kept != nil ? all.filter { kept?.keepsPrevious($0.path, in: staging) != true } : all
        let paths = all.map(\.path)
        let folder = staging.temporary
        let folders = Set(pages.map { ($0.path as NSString).deletingLastPathComponent }).filter { !$0.isEmpty }
        for sub in folders.sorted() {
            try makeDirectory(folder.appendingPathComponent(sub, isDirectory: true), step: .renderPages, path: sub)
        }
        let templates = theme.templates
        if !parallel {
            var changed: [String] = []
            for page in pages where try Self.renderPage(page, templates: templates, into: staging, reuse: kept) { changed.append(page.path) }
            return (paths, changed)
        }
        // Pages are handed out in batches: one task per page costs more than a small page takes.
        let width = max(2, ProcessInfo.processInfo.activeProcessorCount)
        let batch = max(1, min(64, pages.count / (width * 8)))
        // Section indexes list every record and are by far the largest pages: start them first so
        // the last worker is not left with one of them at the end. The order of work does not
        // change any file.
        let order = pages.indices.filter { pages[$0].path.hasSuffix("index.html") }
            + pages.indices.filter { !pages[$0].path.hasSuffix("index.html") }
        let outcome: (failure: SiteBuildError?, changed: [String]) = await withTaskGroup(
            of: (SiteBuildError?, [String]).self
        ) { group in
            var next = 0
            var inFlight = 0
            var firstError: SiteBuildError?
            var changed: [String] = []
            while next < pages.count || inFlight > 0 {
                while firstError == nil, next < pages.count, inFlight < width * 2 {
                    let range = order[next..<min(pages.count, next + (next < 8 ? 1 : batch))]
                    next = range.endIndex
                    inFlight += 1
                    group.addTask {
                        var changed: [String] = []
                        for index in range {
                            do throws(SiteBuildError) {
                                if try Self.renderPage(pages[index], templates: templates, into: staging, reuse: kept) {
                                    changed.append(pages[index].path)
                                }
                            } catch {
                                return (error, changed)
                            }
                        }
                        return (nil, changed)
                    }
                }
                guard inFlight > 0, let (result, done) = await group.next() else { break }
                inFlight -= 1
                changed += done
                // Keep the error of the earliest page path, so the message does not depend on timing.
                if let result, firstError.map({ result.path ?? "" < $0.path ?? "" }) ?? true { firstError = result }
            }
            return (firstError, changed)
        }
        if let failure = outcome.failure { throw failure }
        return (paths, outcome.changed.sorted())
    }

    /// Builds one page's model, renders it and stages it; nothing of it stays in memory afterwards.
    /// Returns true when the page is new or its bytes changed.
    private static func renderPage(
        _ page: PageSpec, templates: CompiledTemplates, into staging: OutputFolder, reuse kept: Kept? = nil
    ) throws(SiteBuildError) -> Bool {
        if kept?.keepsPrevious(page.path, in: staging) == true { return false }
        let made: Result<any Encodable & Sendable, SiteBuildError> = PageParts.$pagePath.withValue(page.path) {
            do throws(SiteBuildError) { return .success(try page.makeModel()) } catch { return .failure(error) }
        }
        let model = try made.get()
        let value = try templateValue(of: model, page: page, templates: templates)
        var buffer = RenderBuffer()
        guard templates.render(value, withTemplate: page.template, into: &buffer) else {
            throw SiteBuildError(
                step: .renderPages, path: "templates/" + page.template + ".mustache",
                message: "the theme has no \"\(page.template)\" template to render \(page.path)")
        }
        return try buffer.withUnsafeBytes { bytes throws(SiteBuildError) in
            try during(.renderPages) { () throws(OutputError) in try staging.place(bytes, at: page.path) }
        }
    }

    /// This build's page fingerprints, read once, beside the reuse they came from.
    private struct Kept: Sendable {
        let reuse: PageReuse
        let fingerprints: [String: UInt64]

        /// Stages the previous output's file at `path` as it is when the cache vouches for it.
        func keepsPrevious(_ path: String, in staging: OutputFolder) -> Bool {
            guard let print = fingerprints[path], reuse.previous[path] == print, staging.keepPrevious(at: path) else { return false }
            reuse.countReused()
            return true
        }
    }

    /// A page's view model as the value its template renders: the one place a model becomes a `TemplateValue`.
    /// What the template sees: the model's synthesized `Encodable`, and every name the template
    /// uses checked against the model's type once (a misspelt field is a located theme error).
    private static func templateValue(
        of model: any Encodable & Sendable, page: PageSpec, templates: CompiledTemplates
    ) throws(SiteBuildError) -> TemplateValue {
        do {
            let value = try TemplateValueEncoder().encode(model)
            try templates.checkNames(of: value, withTemplate: page.template)
            return value
        } catch let error as TemplateNameError {
            throw Theme.misnamed(error)
        } catch {
            throw SiteBuildError(
                step: .renderPages, path: page.path,
                message: "cannot make the template values of \(type(of: model)): \(error)")
        }
    }

    /// Writes every generated file into the staging folder, one after the other (alongside the
    /// page render, which keeps the cores busy; one at a time keeps only one file's records in
    /// memory), streaming each; returns their paths and those that changed, or the first failure.
    private static func write(
        _ files: [GeneratedFile], into staging: OutputFolder, reuse kept: Kept?
    ) async -> Result<(paths: [String], changed: [String]), SiteBuildError> {
        var changed: [String] = []
        for file in files {
            do throws(SiteBuildError) {
                let folder = staging.temporary.appendingPathComponent(file.path).deletingLastPathComponent()
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                } catch {
                    throw SiteBuildError(step: .renderPages, path: file.path, message: "cannot create the folder (\(OutputError.reason(error)))")
                }
                if kept?.keepsPrevious(file.path, in: staging) == true { continue }
                if try during(.renderPages, { () throws(OutputError) in try staging.placeStreamed(at: file.path, file.write) }) {
                    changed.append(file.path)
                }
            } catch {
                return .failure(error)
            }
            await Task.yield()
        }
        return .success((files.map(\.path), changed))
    }

    private func writeAssets(
        _ assets: [(path: String, url: URL)], into staging: OutputFolder
    ) throws(SiteBuildError) -> (paths: [String], changed: [String]) {
        let folder = staging.temporary
        var written: [String] = []
        var changed: [String] = []
        for asset in assets {
            let path = "assets/" + asset.path
            let data: Data
            do {
                data = try Data(contentsOf: asset.url)
            } catch {
                throw SiteBuildError(step: .writeAssets, path: asset.url.path, message: "cannot read the theme asset")
            }
            let target = folder.appendingPathComponent(path)
            try makeDirectory(target.deletingLastPathComponent(), step: .writeAssets, path: path)
            if try Self.during(.writeAssets, { () throws(OutputError) in try staging.place(data, at: path) }) { changed.append(path) }
            written.append(path)
        }
        return (written, changed)
    }

    private func writeExtraFiles(
        _ files: [(path: String, contents: Data)], into staging: OutputFolder, taken: Set<String>
    ) throws(SiteBuildError) -> (paths: [String], changed: [String]) {
        let folder = staging.temporary
        var written: Set<String> = []
        var changed: [String] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            let parts = file.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !file.path.isEmpty, !file.path.hasPrefix("/"),
                parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\\") })
            else {
                throw SiteBuildError(
                    step: .writeExtraFiles, path: file.path,
                    message: "an extra file needs a relative path inside the site, like schema/run.json")
            }
            guard !taken.contains(file.path), !written.contains(file.path) else {
                throw SiteBuildError(
                    step: .writeExtraFiles, path: file.path,
                    message: "an extra file would replace a page, an asset or another extra file")
            }
            let target = folder.appendingPathComponent(file.path)
            try makeDirectory(target.deletingLastPathComponent(), step: .writeExtraFiles, path: file.path)
            if try Self.during(.writeExtraFiles, { () throws(OutputError) in try staging.place(file.contents, at: file.path) }) {
                changed.append(file.path)
            }
            written.insert(file.path)
        }
        return (written.sorted(), changed)
    }

    // MARK: - Files

    private func makeDirectory(_ url: URL, step: SiteBuildStep, path: String) throws(SiteBuildError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw SiteBuildError(step: step, path: path, message: "cannot create the folder (\(OutputError.reason(error)))")
        }
    }

    /// `body`'s output-folder failure (`DrillbookOutput`) as a failure of the build step `step`.
    static func during<T>(_ step: SiteBuildStep, _ body: () throws(OutputError) -> T) throws(SiteBuildError) -> T {
        do {
            return try body()
        } catch {
            throw SiteBuildError(step: step, path: error.path, message: error.message)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
