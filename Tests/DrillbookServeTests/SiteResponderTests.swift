@testable import DrillbookServe
import Foundation
import Testing

@Suite("drillbook serve: what pages get")
struct SiteResponderTests {
    @Test func requestLineIsParsedAndDecoded() {
        let request = HTTPRequest(head: "GET /runs/a%20b.html?since=3 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(request?.method == "GET")
        #expect(request?.path == "/runs/a b.html")
        #expect(request?.query == "since=3")
        #expect(SiteResponder.since("x=1&since=42") == 42)
        // Negative controls: not a request line, a NUL smuggled in, a target that is not a path.
        #expect(HTTPRequest(head: "hello\r\n\r\n") == nil)
        #expect(HTTPRequest(head: "GET /a%00b HTTP/1.1\r\n\r\n") == nil)
        #expect(HTTPRequest(head: "GET http://x/ HTTP/1.1\r\n\r\n") == nil)
    }

    @Test func scriptGoesBeforeTheLastBodyEndAndBannerIsEscaped() {
        let channel = ReloadChannel()
        let responder = SiteResponder(root: URL(fileURLWithPath: "/nonexistent"), channel: channel)
        let plain = String(decoding: responder.page(Array("<html><body><p>x</p></body></html>".utf8)), as: UTF8.self)
        #expect(plain == "<html><body><p>x</p><script src=\"/__drillbook/live.js?since=1\"></script>\n</body></html>")
        #expect(!plain.contains(SiteResponder.bannerId))

        channel.buildEnded(failure: "runs/a.json:3: $.summary: expected a string <script>alert(1)</script>")
        let broken = String(decoding: responder.page(Array("<p>no body end</p>".utf8)), as: UTF8.self)
        #expect(broken.hasPrefix("<p>no body end</p><div id=\"drillbook-serve-error\""))
        #expect(broken.contains("runs/a.json:3: $.summary: expected a string &lt;script&gt;alert(1)&lt;/script&gt;</pre>"))
        #expect(!broken.contains("<script>alert"))
        #expect(broken.hasSuffix("<script src=\"/__drillbook/live.js?since=2\"></script>\n"))

        channel.buildEnded(failure: nil)
        #expect(!String(decoding: responder.page([]), as: UTF8.self).contains(SiteResponder.bannerId))
    }

    @Test func onlyRegularFilesInsideTheOutputAreServed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-resolve-" + UUID().uuidString)
        let outside = root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-secret")
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: outside)
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("runs"), withIntermediateDirectories: true)
        try Data("<p>home</p>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("<p>run</p>".utf8).write(to: root.appendingPathComponent("runs/index.html"))
        try Data("marker".utf8).write(to: root.appendingPathComponent(".drillbook-site"))
        try Data("secret".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("leak.html").path, withDestinationPath: outside.path)
        let responder = SiteResponder(root: root, channel: ReloadChannel())
        #expect(responder.resolve("/") == root.path + "/index.html")
        #expect(responder.resolve("/runs/") == root.path + "/runs/index.html")
        #expect(responder.resolve("/runs") == root.path + "/runs/index.html")
        // Negative controls: a way out, a hidden file, a link leading out, a missing page.
        #expect(responder.resolve("/../" + outside.lastPathComponent) == nil)
        #expect(responder.resolve("/runs/../../" + outside.lastPathComponent) == nil)
        #expect(responder.resolve("/.drillbook-site") == nil)
        #expect(responder.resolve("/leak.html") == nil)
        #expect(responder.resolve("/nothing.html") == nil)
    }

    @Test func waitersWakeWhenABuildEndsAndTimeOutOtherwise() async {
        let channel = ReloadChannel()
        let start = Date()
        #expect(channel.wait(whileAt: 1, timeout: 0.05).generation == 1)
        #expect(Date().timeIntervalSince(start) >= 0.04)
        // A stale generation returns at once.
        #expect(channel.wait(whileAt: 0, timeout: 5).generation == 1)
        let woken = Task.detached { channel.wait(whileAt: 1, timeout: 10) }
        try? await Task.sleep(for: .milliseconds(50))
        channel.buildEnded(failure: "x")
        let state = await woken.value
        #expect(state == .init(generation: 2, failure: "x"))
    }
}
