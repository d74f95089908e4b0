public import ArgumentParser
import DrillbookContent
import DrillbookModel
import DrillbookSite
import Foundation

/// `drillbook build`: the static site.
public struct BuildCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the drill-history site from a content folder.",
        usage: Usage.wrapped([
            "drillbook build", "[--content <dir>]", "[--theme <dir>]", "[--output <dir>]", "[--as-of <YYYY-MM-DD>]",
            "[--base-url <url>]", "[--timings]", "[--serial]", "[--no-cache]",
        ]),
        discussion: """
            Loads and validates every record, then renders the site into a temporary folder next to \
            the output folder and swaps it in. If anything fails, the previous output stays as it was. \
            The same content and --as-of date give byte-identical files.

            The output folder is replaced whole, so it must be a folder of its own: not the content \
            or theme folder (nor inside or around them), the current folder, an ancestor of it, / or \
            the home folder; an existing one must be empty (.gitkeep allowed) or a site drillbook \
            built (it holds .drillbook-site). Otherwise the build refuses with exit code 2.

            The default theme is built into the binary (written out once into \
            ~/.cache/drillbook/theme-<hash>/, or $XDG_CACHE_HOME/drillbook/); --theme uses a folder \
            of your own instead, such as a copy of themes/default. A build that takes over a \
            second shows its step on standard error (one updating line on a terminal; \
            DRILLBOOK_PROGRESS=never turns it off).

            Examples:
              drillbook build
              drillbook build --content content --output output --as-of 2026-11-29
              drillbook build --theme my-theme --output /srv/www/drills --timings
              drillbook build --base-url https://drills.example.com/

            Pages always link relatively. With --base-url the Atom feed (feed.xml) gets it as \
            xml:base, so its links become absolute, and sitemap.xml is written (sitemaps need \
            absolute URLs); without it there is no sitemap and the feed's links are relative to feed.xml.

            A build keeps a cache beside the output folder (.<output>.build-cache): the decoded \
            records, by file identity and content, and a fingerprint of each record page's inputs, \
            so the next build decodes only the files that changed and renders only the pages whose \
            inputs changed, with the same bytes as a build from scratch. A damaged or foreign cache \
            is rebuilt (one note line says so); --no-cache neither reads nor writes it.
            """
    )

    @OptionGroup public var contentOptions: ContentOptions

    @Option(
        help: ArgumentHelp("A theme folder (templates/ and assets/); default the built-in theme.", valueName: "dir"),
        completion: .directory)
    public var theme: String?

    @Option(help: ArgumentHelp("Where the site is written.", valueName: "dir"), completion: .directory)
    public var output: String = "output"

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("The day the site describes (overdue items, current quarter); default today (UTC).", valueName: "YYYY-MM-DD"))
    public var asOf: String?

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp(
            "The site's public address (http:// or https://), for the feed's xml:base and sitemap.xml.",
            valueName: "url"))
    public var baseURL: String?

    @Flag(help: "Print how long each build step took.")
    public var timings = false

    @Flag(help: "Render pages one at a time (same output; for comparison and debugging).")
    public var serial = false

    @Flag(name: .customLong("no-cache"), help: "Neither use nor write the build cache: decode every file and render every page.")
    public var noCache = false

    public init() {}

    public func validate() throws {
        try contentOptions.validateFolder()
        if let theme {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: theme, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ExitCodes.missing("no theme folder at \(theme); pass --theme DIR, or leave it out for the built-in theme")
            }
        }
        if let asOf { _ = try CalendarDay.argument(asOf) }
        if let baseURL {
            let lower = baseURL.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
                throw ValidationError("--base-url needs an absolute http:// or https:// address, like https://drills.example.com/")
            }
        }
    }

    public func run() async throws {
        let day = try asOf.map(CalendarDay.argument) ?? .todayUTC
        let themeDirectory: URL
        if let theme {
            themeDirectory = URL(fileURLWithPath: theme, isDirectory: true)
        } else {
            do {
                themeDirectory = try EmbeddedTheme.folder()
            } catch {
                Diagnostics.printError(Diagnostics.errorPrefix + "cannot write out the built-in theme: \(error); pass --theme DIR")
                throw ExitCodes.contentErrors
            }
        }
        let progress = ProgressLine()
        progress.update("build: load content")
        var builder = SiteBuilder(
            themeDirectory: themeDirectory,
            outputDirectory: URL(fileURLWithPath: output, isDirectory: true), asOf: day, parallel: !serial)
        builder.baseURL = baseURL
        builder.progress = { step in progress.update("build: " + step.rawValue) }
        var generator = SiteGenerator(contentDirectory: contentOptions.contentURL, builder: builder)
        generator.usesBuildCache = !noCache
        do {
            let result: SiteGenerator.Result
            do {
                defer { progress.finish() }
                result = try await generator.generate()
            }
            Diagnostics.print(result.warnings)
            if let note = result.cacheNote { Diagnostics.printError(note) }
            let report = result.report
            if result.upToDate {
                Diagnostics.printOut(
                    "Up to date: \(output)/ already holds the site of \(result.drills) drills, \(result.runs) runs and "
                        + "\(result.incidents) incidents as of \(day); nothing was written")
                return
            }
            let total = result.loadSeconds + report.totalSeconds
            Diagnostics.printOut(
                "Built \(report.pages.count) pages from \(result.drills) drills, \(result.runs) runs and "
                    + "\(result.incidents) incidents into \(output)/ as of \(day) in "
                    + String(format: "%.2f", total) + " s"
                    + (result.warnings.isEmpty ? "" : " (\(result.warnings.count) warnings)"))
            if !report.removedLeftovers.isEmpty {
                Diagnostics.printOut("Removed what interrupted builds left: " + report.removedLeftovers.joined(separator: ", "))
            }
            if timings {
                Diagnostics.printOut(Self.timingLine("load content", result.loadSeconds))
                for timing in report.timings { Diagnostics.printOut(Self.timingLine(timing.step.rawValue, timing.seconds)) }
                if let counts = result.recordCounts {
                    Diagnostics.printOut(
                        "  build cache: \(counts.decoded) files decoded, \(counts.byIdentity + counts.byContent) reused; "
                            + "\(result.reusedPages) pages reused")
                }
            }
        } catch {
            switch error {
            case .content(let issues):
                Diagnostics.print(issues)
            case .build(_, let warnings):
                Diagnostics.print(warnings)
            case .refused:
                // An output folder the build must not replace is a usage error: exit 2.
                Diagnostics.printError(Diagnostics.errorPrefix + error.description + "; nothing was written")
                throw ExitCodes.usage
            }
            Diagnostics.printError(Diagnostics.errorPrefix + error.description + "; \(output)/ was left unchanged")
            throw ExitCodes.contentErrors
        }
    }

    static func timingLine(_ step: String, _ seconds: Double) -> String {
        "  " + step.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%8.1f ms", seconds * 1000)
    }
}
