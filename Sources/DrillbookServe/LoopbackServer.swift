import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A GET request as the dev server reads it: the method, the path (percent-decoded, without the
/// query) and the query text. Headers and bodies are read past, not kept: nothing served depends on them.
struct HTTPRequest: Sendable, Equatable {
    var method: String
    var path: String
    var query: String

    /// Parses the request line of `head` (`GET /runs/a.html?x=1 HTTP/1.1`); nil when it is not one.
    init?(head: String) {
        guard let line = head.split(separator: "\r\n", maxSplits: 1, omittingEmptySubsequences: false).first else { return nil }
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].hasPrefix("/") else { return nil }
        method = String(parts[0])
        let target = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let decoded = String(target[0]).removingPercentEncoding, !decoded.contains("\0") else { return nil }
        path = decoded
        query = target.count > 1 ? String(target[1]) : ""
    }
}

/// One accepted connection, written to by the responder: whole responses, or an event stream
/// kept open (`send` returns false once the browser has gone).
final class HTTPConnection: Sendable {
    let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Writes a whole response and says the connection closes after it.
    func respond(status: Int, reason: String, type: String, body: [UInt8], headOnly: Bool = false, extraHeaders: [String] = []) {
        let head = (["HTTP/1.1 \(status) \(reason)", "Content-Type: \(type)", "Content-Length: \(body.count)",
            "Cache-Control: no-store", "Connection: close"] + extraHeaders).joined(separator: "\r\n") + "\r\n\r\n"
        _ = send(Array(head.utf8) + (headOnly ? [] : body))
    }

    /// Writes `bytes` whole; false when the peer is gone.
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0, errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }
}

/// Why the dev server could not start (the address is taken, not an IPv4 address, …).
public struct ServeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A small HTTP/1.1 server on BSD sockets, for one developer's browser: one thread accepts, and
/// each connection is served on a thread of its own (at most `maxConnections` at once; more are
/// closed), then closed. No Swift concurrency thread ever blocks on a socket.
///
/// Why our own and not a library: the dev server serves files from one folder and one event
/// stream to a browser on the same machine — some 200 lines — while SwiftNIO or FlyingFox would
/// add to the fresh-build time every clone pays (the HTTP-stack issue's budget).
final class LoopbackServer: Sendable {
    /// The listening socket.
    let descriptor: Int32
    /// The port bound (the one asked for, or the one the kernel chose for port 0).
    let port: UInt16
    let maxConnections = 64
    private let open = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let handler: @Sendable (HTTPRequest, HTTPConnection) -> Void

    /// Binds `host:port` (an IPv4 address; port 0 picks a free one) and listens.
    init(host: String, port: UInt16, handler: @escaping @Sendable (HTTPRequest, HTTPConnection) -> Void) throws(ServeError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw ServeError("--host \(host) is not an IPv4 address; use 127.0.0.1 (the default) or another loopback address")
        }
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketDescriptor >= 0 else { throw ServeError("cannot open a socket (\(String(cString: strerror(errno))))") }
        var yes: Int32 = 1
        setsockopt(socketDescriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketDescriptor, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socketDescriptor)
            throw ServeError("cannot listen on \(host):\(port) (\(reason)); pick another port with --port")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        self.descriptor = socketDescriptor
        self.port = UInt16(bigEndian: actual.sin_port)
        self.handler = handler
    }

    /// Starts accepting on a thread of its own.
    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "drillbook-serve-accept"
        thread.start()
    }

    /// Stops accepting: the listening socket is shut down and closed (open connections end on their own).
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            let client = accept(descriptor, nil, nil)
            if client >= 0 { _ = fcntl(client, F_SETFD, FD_CLOEXEC) }
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return  // the socket was closed by stop()
            }
            guard open.add(1, ordering: .acquiringAndReleasing).newValue <= maxConnections else {
                open.subtract(1, ordering: .acquiringAndReleasing)
                close(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client)
                close(client)
                open.subtract(1, ordering: .acquiringAndReleasing)
            }
            thread.name = "drillbook-serve-connection"
            thread.start()
        }
    }

    /// Reads one request head (at most 16 KB, 5 s) and hands it to the handler.
    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connection = HTTPConnection(descriptor: client)
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = [13, 10, 13, 10]
        while head.count < 16 * 1024 {
            let got = recv(client, &chunk, chunk.count, 0)
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { return }
            head += chunk[..<got]
            if head.count >= 4, head.indices.dropLast(3).contains(where: { head[$0..<$0 + 4].elementsEqual(end) }) { break }
        }
        guard let request = HTTPRequest(head: String(decoding: head, as: UTF8.self)) else {
            connection.respond(status: 400, reason: "Bad Request", type: "text/plain; charset=utf-8", body: Array("bad request\n".utf8))
            return
        }
        handler(request, connection)
    }
}
