import DrillbookModel
@testable import DrillbookServe
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `drillbook serve` with a real browser: headless Chromium opens a run page, a record is edited,
/// and the page reloads by itself (the server sent `reload` on the page's event stream and the
/// browser asked for the page again) and shows the edit; then a broken edit puts its located
/// error over the last good site. Bounded in time; Chromium is killed by its process group.
@Suite("drillbook serve in Chromium", .serialized)
struct LiveReloadBrowserTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "needs chromium (apt-get install chromium)"),
          .timeLimit(.minutes(3)))
    func editReloadsTheOpenPageAndABrokenEditShowsItsError() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("serve-browser-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: work) }
        let content = work.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("content"), to: content)
        let record = content.appendingPathComponent("runs/2025/2025-10-01-websocket-node-failure.json")
        let page = "/runs/2025-10-01-websocket-node-failure.html"

        let builder = SiteBuilder(
            themeDirectory: Self.repository.appendingPathComponent("themes/default"),
            outputDirectory: work.appendingPathComponent("site"), asOf: CalendarDay(iso8601: "2026-11-29")!)
        let server = try DevServer(
            generator: SiteGenerator(contentDirectory: content, builder: builder), host: "127.0.0.1", port: 0,
            pollInterval: .milliseconds(200)) { _ in }
        let serving = Task { await server.run() }
        defer {
            serving.cancel()
            server.stop()
        }
        let url = "http://127.0.0.1:\(server.port)" + page
        let browser = try Chromium(url: url, profile: work.appendingPathComponent("profile"))
        defer { browser.kill() }

        // The page is open and listening for builds.
        try await Self.waitFor("the page and its event stream", seconds: 60) {
            server.served.all.contains(.served(path: page)) && server.served.all.contains(.served(path: SiteResponder.scriptPath))
        }
        try await Task.sleep(for: .milliseconds(500))
        let before = server.served.all.count

        // An edit: the server tells the page, the page asks for itself again and shows the edit.
        let text = try String(contentsOf: record, encoding: .utf8)
        try text.replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Edited-in-the-browser-test. ")
            .write(to: record, atomically: true, encoding: .utf8)
        try await Self.waitFor("the reload after an edit", seconds: 60) {
            let after = server.served.all.dropFirst(before)
            guard let sent = after.firstIndex(where: { if case .reloadSent = $0 { true } else { false } }) else { return false }
            return after[sent...].contains(.served(path: page))
        }
        let edited = try HeadlessChromium.dumpDOM(url, profile: work.appendingPathComponent("dump"))
        #expect(edited.contains("Edited-in-the-browser-test."))
        #expect(!edited.contains(SiteResponder.bannerId))
        // The reload script is served to the browser, never written into the site.
        let onDisk = try String(contentsOf: builder.outputDirectory.appendingPathComponent(String(page.dropFirst())), encoding: .utf8)
        #expect(onDisk.contains("Edited-in-the-browser-test."))
        #expect(!onDisk.contains("__drillbook"))

        // A broken edit: the same page, reloaded, shows the located error; the last good site stays.
        let reloadsBefore = server.served.all.filter { if case .reloadSent = $0 { true } else { false } }.count
        let mark = server.served.all.count
        try Data("{ \"id\": <broken>".utf8).write(to: content.appendingPathComponent("runs/2025/zz-broken.json"))
        try await Self.waitFor("the reload after a broken edit", seconds: 60) {
            let after = server.served.all.dropFirst(mark)
            let reloads = server.served.all.filter { if case .reloadSent = $0 { true } else { false } }.count
            return reloads > reloadsBefore && after.contains(.served(path: page))
        }
        let broken = try HeadlessChromium.dumpDOM(url, profile: work.appendingPathComponent("dump"))
        #expect(broken.contains(SiteResponder.bannerId))
        #expect(broken.contains("runs/2025/zz-broken.json:1:9: malformed JSON"))
        #expect(broken.contains("Edited-in-the-browser-test."))
        #expect(!broken.contains("<broken>"))
    }

    static func waitFor(_ what: String, seconds: Double, _ condition: () -> Bool) async throws {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !condition() {
            guard Date() < deadline else {
                Issue.record("timed out waiting for \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// Headless Chromium with a profile folder of its own: killed with its helpers, found by their
/// process ids (their command lines name the profile, which no other process does).
struct Chromium {
    let pid: pid_t
    let profile: URL

    init(url: String, profile: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        process.arguments = HeadlessChromium.arguments(profile: profile) + ["--remote-debugging-port=0", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        pid = process.processIdentifier
        self.profile = profile
    }

    func kill() {
        Glibc.kill(pid, SIGKILL)
        HeadlessChromium.killAll(using: profile)
    }
}

