public import ArgumentParser
import DrillbookModel
import DrillbookServe
import DrillbookSite
import Foundation

/// `drillbook serve`: the site on a local address, rebuilt and reloaded in the browser on every save.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site, serve it locally and rebuild it on every change.",
        usage: Usage.wrapped([
            "drillbook serve", "[--content <dir>]", "[--theme <dir>]", "[--output <dir>]", "[--port <port>]",
            "[--host <address>]", "[--as-of <YYYY-MM-DD>]", "[--no-cache]",
        ]),
        discussion: """
            Builds the site into the output folder as `drillbook build` does, serves it at \
            http://127.0.0.1:1313/, and watches the content and theme folders: every save rebuilds \
            the site and reloads the pages open in the browser. When an edit breaks the build, its \
            errors are printed here and shown over every page, while the last good site stays served.

            The reload script is added to pages as they are served; the files in the output folder \
            are exactly those `drillbook build` writes. Ctrl-C stops the server.

            Between builds the server keeps the build cache in memory (the decoded records and the \
            fingerprints of the record pages' inputs), so a save decodes the files it changed and \
            renders the pages whose inputs changed; it also writes the cache beside the output, as \
            `drillbook build` does, after each rebuild. --no-cache neither reads nor writes that file \
            and renders every page on every save.

            Examples:
              drillbook serve
              drillbook serve --port 8080 --output /tmp/drills-preview
            """
    )

    @OptionGroup public var contentOptions: ContentOptions

    @Option(help: ArgumentHelp("The theme folder (templates/ and assets/).", valueName: "dir"))
    public var theme: String = "themes/default"

    @Option(help: ArgumentHelp("Where the site is written.", valueName: "dir"))
    public var output: String = "output"

    @Option(help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "port"))
    public var port: UInt16 = 1313

    @Option(help: ArgumentHelp(
        "The IPv4 address to listen on; by default loopback only, so no other machine can reach the preview.",
        valueName: "address"))
    public var host: String = "127.0.0.1"

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("The day the site describes; default today (UTC).", valueName: "YYYY-MM-DD"))
    public var asOf: String?

    @Flag(name: .customLong("no-cache"), help: "Neither use nor write the build cache: render every page on every save.")
    public var noCache = false

    @Flag(help: "Print how long each step of every build took.")
    public var timings = false

    public init() {}

    public func validate() throws {
        try contentOptions.validateFolder()
        if let asOf { _ = try CalendarDay.argument(asOf) }
    }

    public func run() async throws {
        let day = try asOf.map(CalendarDay.argument) ?? .todayUTC
        let builder = SiteBuilder(
            themeDirectory: URL(fileURLWithPath: theme, isDirectory: true),
            outputDirectory: URL(fileURLWithPath: output, isDirectory: true), asOf: day)
        var generator = SiteGenerator(contentDirectory: contentOptions.contentURL, builder: builder)
        generator.usesBuildCache = !noCache
        let server: DevServer
        do {
            server = try DevServer(generator: generator, host: host, port: port, timings: timings) { line in
                if line.isError { Diagnostics.printError(line.text) } else { Diagnostics.printOut(line.text) }
            }
        } catch {
            Diagnostics.printError("error: " + error.message)
            throw ExitCode(2)
        }
        await server.run()
    }
}
