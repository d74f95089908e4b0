public import DrillbookSite
import DrillbookContent
import DrillbookOutput
import Foundation
import Synchronization

/// `drillbook serve`: builds the site, serves it on a loopback address, rebuilds when the content
/// or theme changes, and reloads the pages open in a browser when a build ends.
///
/// ```swift
/// let server = try DevServer(generator: generator, host: "127.0.0.1", port: 1313) { print($0.text) }
/// try await server.run()   // until the task is cancelled
/// ```
///
/// - The site is built into the output folder exactly as `drillbook build` builds it (same bytes,
///   same `OutputGuard` rules); the reload script and the error banner are added to HTML pages on
///   their way to the browser only (`SiteResponder`).
/// - A build that fails leaves the last good site in place and served; its located errors go to
///   the terminal and, with the same text, to a banner on every page served until a build succeeds.
public final class DevServer: Sendable {
    /// One line for the terminal.
    public struct Line: Sendable, Equatable {
        public var text: String
        /// Errors and warnings go to standard error, the rest to standard output.
        public var isError: Bool
    }

    public let generator: SiteGenerator
    /// The address the server listens on (`http://127.0.0.1:1313/`).
    public var address: String { "http://\(host):\(server.port)/" }
    public var port: UInt16 { server.port }
    let host: String
    let channel: ReloadChannel
    let server: LoopbackServer
    let watcher: ContentWatcher
    let log: @Sendable (Line) -> Void
    /// What browsers were sent, in order.
    let served: ServeLog
    /// Print how long each step of every build took (`drillbook serve --timings`).
    let timings: Bool

    /// Binds `host:port` (port 0: any free port) for the site `generator` builds; nothing is built yet.
    public init(
        generator: SiteGenerator, host: String, port: UInt16, pollInterval: Duration = .seconds(1), timings: Bool = false,
        log: @escaping @Sendable (Line) -> Void
    ) throws(ServeError) {
        var generator = generator
        // Decoded records are kept for the whole session: a save decodes the files it changed
        // (with the build cache, in it; without, in this record cache). The build cache file is
        // written after the browser was told to reload, off the path from a save to its page.
        generator.recordCache = generator.recordCache ?? RecordCache()
        generator.savesBuildCacheLater = true
        self.generator = generator
        self.host = host
        self.log = log
        self.timings = timings
        let channel = ReloadChannel()
        let served = ServeLog()
        let responder = SiteResponder(root: generator.builder.outputDirectory, channel: channel, log: served)
        self.channel = channel
        self.served = served
        self.server = try LoopbackServer(host: host, port: port) { [responder] request, connection in
            responder.respond(to: request, on: connection)
        }
        self.watcher = ContentWatcher(
            folders: [generator.contentDirectory, generator.builder.themeDirectory], interval: pollInterval)
    }

    /// Builds, serves, and rebuilds on every change until the task is cancelled; then stops the
    /// server and the watcher.
    public func run() async {
        let changes = watcher.changes()
        var built = await build(first: true)
        server.start()
        log(Line(text: "Serving \(generator.builder.outputDirectory.lastPathComponent)/ at \(address) (Ctrl-C stops)", isError: false))
        defer {
            watcher.stop()
            server.stop()
        }
        for await _ in changes {
            if Task.isCancelled { break }
            let clock = ContinuousClock()
            let start = clock.now
            let listing = inputsListing
            let now = listing?.fingerprint
            // Taken after the walk: every change the walk saw was made before, so its event is
            // here or still on its way (and then wakes the next round, which rebuilds for it).
            let named = watcher.takeChanges()
            guard now == nil || now != built || named?.isEmpty == false else { continue }
            // The content files inotify named, when that is all that changed: without links in
            // the content, a save of run details is read into the last history (`SiteGenerator`).
            let changed = listing?.contentLinks == 0 ? named.flatMap(contentRelative) : nil
            // The fingerprint just taken is the one before the build: not walked again.
            built = await build(first: false, taken: now, changed: changed, inputsSeconds: Self.seconds(clock.now - start))
        }
    }

    /// Stops serving and watching (`run()` then returns at its next wake-up).
    public func stop() {
        watcher.stop()
        server.stop()
    }

    private var inputs: String? { inputsListing?.fingerprint }

    private var inputsListing: (fingerprint: String, contentLinks: Int)? {
        let builder = generator.builder
        return BuildState.inputsListing(
            content: generator.contentDirectory, theme: builder.themeDirectory, asOf: builder.asOf, baseURL: builder.baseURL)
    }

    /// `paths` (real paths, from the watcher) relative to the content folder; nil when one is
    /// outside it (a theme file: the whole content is loaded).
    private func contentRelative(_ paths: Set<String>) -> Set<String>? {
        guard let real = realpath(generator.contentDirectory.path, nil) else { return nil }
        let root = String(cString: real) + "/"
        free(real)
        var relative: Set<String> = []
        for path in paths {
            guard path.hasPrefix(root) else { return nil }
            relative.insert(String(path.dropFirst(root.count)))
        }
        return relative
    }

    /// One build; tells the terminal and the pages how it went. Returns the inputs' fingerprint
    /// taken before it started (a change during the build is then seen at the next wake-up).
    private func build(first: Bool, taken: String?? = nil, changed: Set<String>? = nil, inputsSeconds: Double = 0) async -> String? {
        let fingerprint = taken ?? inputs
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try await generator.generate(knownInputs: fingerprint, changedFiles: changed)
            if result.upToDate, generator.usesBuildCache {
                // Nothing was loaded (the output was up to date): the first save starts from the cache on disk.
                generator.warmBuildCache()
            } else if result.upToDate, let cache = generator.recordCache {
                // Nothing was loaded (the output was up to date): load once so the first save finds the records kept.
                var loader = ContentLoader(contentDirectory: generator.contentDirectory)
                loader.cache = cache
                _ = loader.load()
            }
            for warning in result.warnings { log(Line(text: warning.description, isError: true)) }
            if let note = result.cacheNote { log(Line(text: note, isError: true)) }
            let seconds = Self.seconds(clock.now - start)
            let changed = result.upToDate ? 0 : result.report.changedFiles.count
            log(Line(
                text: (first ? "Built" : "Rebuilt") + " \(result.drills) drills, \(result.runs) runs and \(result.incidents) incidents in "
                    + String(format: "%.2f", seconds) + " s (\(changed) file\(changed == 1 ? "" : "s") changed)",
                isError: false))
            channel.buildEnded(failure: nil)
            let reloaded = clock.now
            generator.saveBuildCache()
            if timings {
                let steps = result.report.timings.reduce(0) { $0 + $1.seconds }
                let load = result.reloadedDetails.map { "read \($0) changed" } ?? "load content"
                var lines = [
                    ("fingerprint inputs", inputsSeconds), ("output state before", result.stateBeforeSeconds),
                    (load, result.loadSeconds - result.stateBeforeSeconds),
                ]
                lines += result.report.timings.map { ($0.step.rawValue, $0.seconds) }
                lines.append(("output state after", result.stateSeconds - result.stateBeforeSeconds))
                lines.append(("the rest", seconds - result.loadSeconds - steps - (result.stateSeconds - result.stateBeforeSeconds)))
                lines.append(("write build cache", Self.seconds(clock.now - reloaded)))
                for (step, time) in lines {
                    log(Line(text: "  " + step.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%8.1f ms", time * 1000), isError: false))
                }
            }
        } catch {
            let lines = Self.failureLines(error, output: generator.builder.outputDirectory.lastPathComponent)
            for line in lines { log(Line(text: line, isError: true)) }
            channel.buildEnded(failure: lines.joined(separator: "\n"))
        }
        return fingerprint
    }

    /// The lines `drillbook build` prints for a failure, each issue first; the page banner shows the same.
    static func failureLines(_ failure: SiteGenerator.Failure, output: String) -> [String] {
        switch failure {
        case .content(let issues):
            return issues.map(\.description) + ["error: " + failure.description + "; the last good site is still served"]
        case .build(_, let warnings):
            return warnings.map(\.description) + ["error: " + failure.description + "; the last good site is still served"]
        case .refused:
            return ["error: " + failure.description + "; nothing was written"]
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// What the server did for browsers, in order: the paths it answered and the `reload` events it
/// sent (tests read it to tell that a real browser reloaded a page).
final class ServeLog: Sendable {
    enum Event: Sendable, Equatable {
        /// A GET or HEAD of `path` (the page, the script, the event stream, a missing file).
        case served(path: String)
        case reloadSent(generation: Int)
    }

    private let events = Mutex<[Event]>([])

    func append(_ event: Event) { events.withLock { $0.append(event) } }

    var all: [Event] { events.withLock { $0 } }
}
