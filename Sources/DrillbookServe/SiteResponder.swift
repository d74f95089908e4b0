import DrillbookContent
import DrillbookText
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Answers the dev server's requests: files of the output folder as they are, except that every
/// HTML page gets the live-reload script (and, after a failed build, the banner with its errors)
/// on its way to the browser. The files on disk stay exactly what `drillbook build` writes.
///
/// - `/__drillbook/live.js?since=N`: the script; it opens the event stream and reloads the page
///   when a build ends. A file of its own, not inline, so a theme's `script-src 'self'` allows it.
/// - `/__drillbook/events?since=N`: a server-sent event stream that sends `reload` once the
///   generation is no longer N (at once when it already is not), and a comment every 10 s meanwhile.
struct SiteResponder: Sendable {
    /// The output folder being served.
    let root: URL
    let channel: ReloadChannel
    /// Told of every request answered (by path) and every `reload` sent, when set.
    var log: ServeLog?

    static let scriptPath = "/__drillbook/live.js"
    static let eventsPath = "/__drillbook/events"
    static let bannerId = "drillbook-serve-error"

    func respond(to request: HTTPRequest, on connection: HTTPConnection) {
        guard request.method == "GET" || request.method == "HEAD" else {
            connection.respond(
                status: 405, reason: "Method Not Allowed", type: "text/plain; charset=utf-8",
                body: Array("drillbook serve answers GET and HEAD only\n".utf8), extraHeaders: ["Allow: GET, HEAD"])
            return
        }
        let headOnly = request.method == "HEAD"
        log?.append(.served(path: request.path))
        switch request.path {
        case Self.scriptPath:
            connection.respond(status: 200, reason: "OK", type: "text/javascript; charset=utf-8", body: Array(Self.script.utf8), headOnly: headOnly)
        case Self.eventsPath:
            streamEvents(since: Self.since(request.query), on: connection)
        default:
            serveFile(request.path, on: connection, headOnly: headOnly)
        }
    }

    // MARK: - Files

    private func serveFile(_ path: String, on connection: HTTPConnection, headOnly: Bool) {
        guard let file = resolve(path) else {
            connection.respond(status: 404, reason: "Not Found", type: "text/html; charset=utf-8", body: page(Self.notFound(path)), headOnly: headOnly)
            return
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            connection.respond(status: 404, reason: "Not Found", type: "text/html; charset=utf-8", body: page(Self.notFound(path)), headOnly: headOnly)
            return
        }
        let type = Self.contentType(of: file)
        let body = type.hasPrefix("text/html") ? page(Array(data)) : Array(data)
        connection.respond(status: 200, reason: "OK", type: type, body: body, headOnly: headOnly)
    }

    /// The regular file under the output folder a request path names (a folder's `index.html`),
    /// or nil: `..` segments, hidden names (the marker, `.gitkeep`) and anything whose real path
    /// leaves the folder are never served.
    func resolve(_ path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.allSatisfy({ !$0.hasPrefix(".") && !$0.contains("\\") }) else { return nil }
        let rootPath = root.standardizedFileURL.path
        var candidate = rootPath + (segments.isEmpty ? "" : "/" + segments.joined(separator: "/"))
        var info = stat()
        guard stat(candidate, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            candidate += "/index.html"
            guard stat(candidate, &info) == 0 else { return nil }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG, let real = Self.realPath(candidate), let realRoot = Self.realPath(rootPath),
            RealPath.isWithin(real, realRoot)
        else { return nil }
        return candidate
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func contentType(of file: String) -> String {
        switch (file as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "xml": "application/xml; charset=utf-8"
        case "json": "application/json"
        case "csv": "text/csv; charset=utf-8"
        case "ics": "text/calendar; charset=utf-8"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    // MARK: - What pages get

    /// `html` with the reload script, and the failure banner when the last build failed, before
    /// its last `</body>` (at the end when it has none).
    func page(_ html: [UInt8]) -> [UInt8] {
        let state = channel.state
        var added = ""
        if let failure = state.failure { added += Self.banner(failure) }
        added += "<script src=\"\(Self.scriptPath)?since=\(state.generation)\"></script>\n"
        let closing = Array("</body>".utf8)
        var at = html.count
        if html.count >= closing.count {
            for index in stride(from: html.count - closing.count, through: 0, by: -1)
            where html[index..<index + closing.count].elementsEqual(closing) {
                at = index
                break
            }
        }
        return Array(html[..<at]) + Array(added.utf8) + Array(html[at...])
    }

    /// The failure shown over the page: the terminal's lines, escaped for HTML.
    static func banner(_ failure: String) -> String {
        "<div id=\"\(bannerId)\" role=\"alert\" style=\"position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:60vh;"
            + "overflow:auto;margin:0;padding:1rem;background:#fff0f0;color:#5c0000;border-bottom:3px solid #b00020;"
            + "font:14px/1.4 ui-monospace,monospace\"><strong>drillbook serve: the last edit did not build; "
            + "this is the last good site.</strong>\n<pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">"
            + MarkupText.escape(failure) + "</pre></div>\n"
    }

    private static func notFound(_ path: String) -> [UInt8] {
        Array(("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body>\n"
            + "<h1>Not found</h1>\n<p>The site has no page at " + MarkupText.escape(path) + ".</p>\n</body>\n</html>\n").utf8)
    }

    static let script = """
        // drillbook serve: reloads this page when a build ends. Served only by `drillbook serve`.
        (function () {
          var since = new URL(document.currentScript.src).searchParams.get("since") || "0";
          var events = new EventSource("\(eventsPath)?since=" + encodeURIComponent(since));
          events.addEventListener("reload", function () { events.close(); location.reload(); });
        })();

        """

    // MARK: - The event stream

    static func since(_ query: String) -> Int {
        for pair in query.split(separator: "&") where pair.hasPrefix("since=") {
            return Int(pair.dropFirst("since=".count)) ?? 0
        }
        return 0
    }

    /// Holds the connection until the generation moves past `since`, then sends `reload`. Bounded:
    /// a comment every 10 s finds a closed browser tab, and the stream ends after an hour (the
    /// browser then reconnects).
    private func streamEvents(since: Int, on connection: HTTPConnection) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n"
        guard connection.send(Array(head.utf8)) else { return }
        for _ in 0..<360 {
            let state = channel.wait(whileAt: since, timeout: 10)
            if state.generation != since {
                if connection.send(Array("event: reload\ndata: \(state.generation)\n\n".utf8)) {
                    log?.append(.reloadSent(generation: state.generation))
                }
                return
            }
            guard connection.send(Array(": waiting\n\n".utf8)) else { return }
        }
    }
}
