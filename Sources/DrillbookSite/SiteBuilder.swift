public import DrillbookModel
public import Foundation
import Mustache

/// Builds the static site from a loaded history: a pipeline of named steps (`SiteBuildStep`)
/// that writes into a temporary folder next to the output folder and swaps it in at the end.
///
/// ```swift
/// let builder = SiteBuilder(themeDirectory: theme, outputDirectory: output, asOf: today)
/// let report = try await builder.build(history)
/// ```
///
/// - Every link is relative, so the site works from `file://` and under any sub-path.
/// - The same history and `asOf` give byte-identical files, whether pages render in parallel or not.
/// - A failed build leaves the previous output byte-for-byte intact and removes its temporary folder.
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
            let start = clock.now
            let value = try body()
            timings.append(.init(step: step, seconds: Self.seconds(clock.now - start)))
            return value
        }

        let theme = try timed(.loadTheme) { () throws(SiteBuildError) in try Theme.load(from: themeDirectory) }
        let pages = try timed(.buildViewModels) { () throws(SiteBuildError) in
            try SiteContext(history: history, asOf: asOf, baseURL: baseURL).pages()
        }
        let staging = try timed(.prepareOutput) { () throws(SiteBuildError) in try OutputFolder.prepare(outputDirectory) }
        do {
            let start = clock.now
            let written = try await render(pages, theme: theme, into: staging.temporary)
            timings.append(.init(step: .renderPages, seconds: Self.seconds(clock.now - start)))
            let assets = try timed(.writeAssets) { () throws(SiteBuildError) in
                try writeAssets(theme.assets, into: staging.temporary)
            }
            let extras = try timed(.writeExtraFiles) { () throws(SiteBuildError) in
                try writeExtraFiles(extraFiles, into: staging.temporary, taken: Set(written + assets))
            }
            let carried = try timed(.swapOutput) { () throws(SiteBuildError) in try staging.swap() }
            return SiteBuildReport(
                outputPath: outputDirectory.path, pages: written.sorted(), assets: assets, extraFiles: extras,
                carriedOver: carried, timings: timings)
        } catch {
            staging.discard()
            throw error
        }
    }

    // MARK: - Steps

    private func render(_ pages: [PageSpec], theme: Theme, into folder: URL) async throws(SiteBuildError) -> [String] {
        let folders = Set(pages.map { ($0.path as NSString).deletingLastPathComponent }).filter { !$0.isEmpty }
        for sub in folders.sorted() {
            try makeDirectory(folder.appendingPathComponent(sub, isDirectory: true), step: .renderPages, path: sub)
        }
        let library = theme.library
        if !parallel {
            for page in pages { try Self.renderPage(page, library: library, into: folder) }
            return pages.map(\.path)
        }
        let width = max(2, ProcessInfo.processInfo.activeProcessorCount)
        let failure: SiteBuildError? = await withTaskGroup(of: SiteBuildError?.self) { group in
            var next = 0
            var inFlight = 0
            var firstError: SiteBuildError?
            while next < pages.count || inFlight > 0 {
                while firstError == nil, next < pages.count, inFlight < width {
                    let page = pages[next]
                    next += 1
                    inFlight += 1
                    group.addTask {
                        do throws(SiteBuildError) {
                            try Self.renderPage(page, library: library, into: folder)
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                guard inFlight > 0, let result = await group.next() else { break }
                inFlight -= 1
                // Keep the error of the earliest page path, so the message does not depend on timing.
                if let result, firstError.map({ result.path ?? "" < $0.path ?? "" }) ?? true { firstError = result }
            }
            return firstError
        }
        if let failure { throw failure }
        return pages.map(\.path)
    }

    /// Builds one page's model, renders it and writes it; nothing of it stays in memory afterwards.
    private static func renderPage(_ page: PageSpec, library: MustacheLibrary, into folder: URL) throws(SiteBuildError) {
        let model = page.makeModel()
        guard let html = library.render(model, withTemplate: page.template) else {
            throw SiteBuildError(
                step: .renderPages, path: "templates/" + page.template + ".mustache",
                message: "the theme has no \"\(page.template)\" template to render \(page.path)")
        }
        try write(Data(html.utf8), to: folder.appendingPathComponent(page.path), step: .renderPages, path: page.path)
    }

    private func writeAssets(_ assets: [(path: String, url: URL)], into folder: URL) throws(SiteBuildError) -> [String] {
        var written: [String] = []
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
            try Self.write(data, to: target, step: .writeAssets, path: path)
            written.append(path)
        }
        return written
    }

    private func writeExtraFiles(
        _ files: [(path: String, contents: Data)], into folder: URL, taken: Set<String>
    ) throws(SiteBuildError) -> [String] {
        var written: Set<String> = []
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
            try Self.write(file.contents, to: target, step: .writeExtraFiles, path: file.path)
            written.insert(file.path)
        }
        return written.sorted()
    }

    // MARK: - Files

    private func makeDirectory(_ url: URL, step: SiteBuildStep, path: String) throws(SiteBuildError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw SiteBuildError(step: step, path: path, message: "cannot create the folder (\(Self.reason(error)))")
        }
    }

    private static func write(_ data: Data, to url: URL, step: SiteBuildStep, path: String) throws(SiteBuildError) {
        do {
            try data.write(to: url)
        } catch {
            throw SiteBuildError(step: step, path: path, message: "cannot write the file (\(reason(error)))")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return error.localizedDescription
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
