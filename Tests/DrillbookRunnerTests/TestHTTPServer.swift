import Foundation
import Testing
@testable import DrillbookRunner

/// A python3 HTTP/1.1 server (keep-alive, one thread per connection) bound to one loopback address,
/// optionally over TLS, stopped by pid. `/delay/MS` sleeps MS milliseconds, `/echo` answers the
/// request (method, headers, body) as JSON, `/connections` counts the connections it accepted,
/// `/service-times` the milliseconds each `/delay` request took inside the server since the last
/// call (from its headers read to its answer flushed: the delay the machine really gave), `/redirect` is a 302, `/big` 2 MiB, `/status/N` answers N.
final class TestHTTPServer {
    static let script = #"""
import http.server, json, socketserver, ssl, sys, threading, time
connections = set()
service_ms = []
lock = threading.Lock()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: without TCP_NODELAY the body waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    def log_message(self, *args): pass
    def answer(self, status, body, ctype="application/json", extra=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra: self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD": self.wfile.write(data)
    def handle_any(self):
        with lock: connections.add(self.client_address)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        path = self.path
        if path.startswith("/delay/"):
            start = time.perf_counter()
            time.sleep(int(path.split("/")[2]) / 1000.0)
            self.answer(200, "ok", "text/plain")
            self.wfile.flush()
            with lock: service_ms.append((time.perf_counter() - start) * 1000)
            return
        if path == "/service-times":
            with lock:
                times = list(service_ms)
                service_ms.clear()
            return self.answer(200, json.dumps(times))
        if path == "/echo":
            return self.answer(200, json.dumps({"method": self.command, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body, "items": [{"id": 7}]}))
        if path == "/connections":
            with lock: n = len(connections)
            return self.answer(200, str(n), "text/plain")
        if path == "/redirect":
            return self.answer(302, "", "text/plain", [("Location", "/echo")])
        if path == "/big":
            return self.answer(200, b"a" * (2 << 20), "text/plain")
        if path.startswith("/status/"):
            return self.answer(int(path.split("/")[2]), "status", "text/plain")
        return self.answer(404, "missing", "text/plain")
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
host, port = sys.argv[1], int(sys.argv[2])
server = Server((host, port), Handler)
if len(sys.argv) > 4:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
"""#

    let folder: URL
    let launcher: PosixProcessLauncher
    let host: String
    let port: Int

    /// `tls`: the certificate and key files (PEM) the server presents.
    init(host: String, tls: (certificate: String, key: String)? = nil) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-server-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.script.utf8).write(to: folder.appendingPathComponent("server.py"))
        launcher = PosixProcessLauncher(directory: folder)
        self.host = host
        port = RunVariables.freePorts(1)[0]
        let arguments = tls.map { " \($0.certificate) \($0.key)" } ?? ""
        let pid = try launcher.start("exec python3 \(folder.path)/server.py \(host) \(port)\(arguments)", name: "server")
        // Bounded: 20 s at most for python3 to start on a busy machine.
        for _ in 0..<400 {
            if case .success = await TCPConnect.probe("\(host):\(port)", timeout: 1) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the test server did not start on \(host):\(port): \(launcher.output(of: pid))")
    }

    var base: String { "http://\(host):\(port)" }

    func stop() async {
        _ = await launcher.terminateAll()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `body` with a started server, stopping it afterwards.
    static func with(
        host: String, tls: (certificate: String, key: String)? = nil, _ body: (TestHTTPServer) async throws -> Void
    ) async throws {
        let server = try await TestHTTPServer(host: host, tls: tls)
        do { try await body(server) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// A CA and a server certificate for 127.0.0.2 (IP SAN) signed by it, made with the openssl CLI in
/// a temporary folder; plus a second CA that signed nothing the server presents.
struct TestCertificates {
    let folder: URL
    var caFile: String { folder.appendingPathComponent("ca.pem").path }
    var otherCAFile: String { folder.appendingPathComponent("other-ca.pem").path }
    var certificate: String { folder.appendingPathComponent("server.pem").path }
    var key: String { folder.appendingPathComponent("server-key.pem").path }

    static var opensslInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = """
            set -e
            cd \(folder.path)
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=drillbook test CA" -keyout ca-key.pem -out ca.pem
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=drillbook other CA" -keyout other-ca-key.pem -out other-ca.pem
            openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.2" -keyout server-key.pem -out server.csr
            printf 'subjectAltName=IP:127.0.0.2\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > ext.cnf
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile ext.cnf -out server.pem
            """
        let result = await PosixProcessLauncher(directory: folder).run(script, timeout: 60)
        #expect(result.exitStatus == 0, "openssl failed: \(result.output)")
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
