import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP response as a probe sees it.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var body: String
    /// Seconds from connect to the end of the response.
    public var latency: Double

    public init(status: Int, body: String, latency: Double) {
        self.status = status
        self.body = body
        self.latency = latency
    }
}

/// Why a network probe could not get an answer.
public struct NetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// HTTP requests and TCP connects for probes, actions and the load step. Loopback only: a drill
/// executor that could be pointed at someone else's host by a typo is a hazard.
public protocol NetworkClient: Sendable {
    func request(method: String, url: String, timeout: Double) async -> Result<HTTPResponse, NetworkError>
    func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError>
    /// The built-in load step: GET `url` from `concurrency` workers for `duration` seconds, paced
    /// to `rate` requests per second in all when given (else as fast as answers come).
    func load(url: String, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport
}

/// A target on the loopback interface, parsed from `http://127.0.0.1:8080/path` or `127.0.0.1:6379`.
struct LoopbackTarget: Sendable, Hashable {
    var port: UInt16
    var path: String
    var hostHeader: String

    static func parse(url: String) -> Result<LoopbackTarget, NetworkError> {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
            let host = components.host
        else { return .failure(NetworkError("not an http:// URL: \(url)")) }
        guard isLoopback(host) else { return .failure(NetworkError("only loopback hosts are allowed, got \(host)")) }
        let port = components.port ?? 80
        guard (1...65535).contains(port) else { return .failure(NetworkError("bad port in \(url)")) }
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?" + query }
        return .success(LoopbackTarget(port: UInt16(port), path: path, hostHeader: "\(host):\(port)"))
    }

    static func parse(hostPort: String) -> Result<LoopbackTarget, NetworkError> {
        guard let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]),
            (1...65535).contains(port)
        else { return .failure(NetworkError("expected host:port, got \(hostPort)")) }
        let host = String(hostPort[..<colon])
        guard isLoopback(host) else { return .failure(NetworkError("only loopback hosts are allowed, got \(host)")) }
        return .success(LoopbackTarget(port: UInt16(port), path: "/", hostHeader: hostPort))
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.")
    }
}

/// The real client: blocking BSD sockets with deadlines, each call on its own thread so the
/// cooperative pool never blocks. HTTP/1.1 with `Connection: close`; enough for probes and load.
public struct SocketNetworkClient: NetworkClient {
    public init() {}

    public func request(method: String, url: String, timeout: Double) async -> Result<HTTPResponse, NetworkError> {
        await Self.onThread { Self.requestBlocking(method: method, url: url, timeout: timeout) }
    }

    public func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        await Self.onThread {
            switch LoopbackTarget.parse(hostPort: hostPort) {
            case .failure(let error): return .failure(error)
            case .success(let target):
                let start = ContinuousClock.now
                switch Self.open(port: target.port, timeout: timeout) {
                case .failure(let error): return .failure(error)
                case .success(let fd):
                    close(fd)
                    return .success(Self.seconds(ContinuousClock.now - start))
                }
            }
        }
    }

    public func load(url: String, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        await LoadGenerator.run(url: url, rate: rate, concurrency: concurrency, duration: duration)
    }

    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.start()
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One request, synchronously; used by probes (on a thread) and by the load step's workers.
    static func requestBlocking(method: String, url: String, timeout: Double) -> Result<HTTPResponse, NetworkError> {
        let target: LoopbackTarget
        switch LoopbackTarget.parse(url: url) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): target = parsed
        }
        let start = ContinuousClock.now
        let fd: Int32
        switch open(port: target.port, timeout: timeout) {
        case .failure(let error): return .failure(error)
        case .success(let opened): fd = opened
        }
        defer { close(fd) }
        let request = "\(method) \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nUser-Agent: drillbook\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return .failure(NetworkError("send failed: \(String(cString: strerror(errno)))")) }
            sent += n
        }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let limit = 1 << 20
        while data.count < limit {
            if seconds(ContinuousClock.now - start) > timeout { return .failure(NetworkError("timed out after \(MetricFormatShim.seconds(timeout))")) }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { return .failure(NetworkError("timed out after \(MetricFormatShim.seconds(timeout))")) }
                if errno == EINTR { continue }
                if data.isEmpty { return .failure(NetworkError("receive failed: \(String(cString: strerror(errno)))")) }
                break
            }
            data.append(contentsOf: buffer[0..<n])
            if let complete = HTTPResponseParser.completeLength(data), data.count >= complete { break }
        }
        let latency = seconds(ContinuousClock.now - start)
        guard let parsed = HTTPResponseParser.parse(data) else {
            return .failure(NetworkError(data.isEmpty ? "connection closed without a response" : "malformed HTTP response"))
        }
        return .success(HTTPResponse(status: parsed.status, body: parsed.body, latency: latency))
    }

    /// Connects to 127.0.0.1:port within `timeout`, and sets send/receive timeouts on the socket.
    static func open(port: UInt16, timeout: Double) -> Result<Int32, NetworkError> {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return .failure(NetworkError("socket failed: \(String(cString: strerror(errno)))")) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: .init((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let message = String(cString: strerror(errno))
            close(fd)
            return .failure(NetworkError("connect to 127.0.0.1:\(port) failed: \(message)"))
        }
        return .success(fd)
    }
}

/// Seconds as short text for messages (`2 s`, `0.5 s`), without pulling in the model's formatting.
enum MetricFormatShim {
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

/// Parses a complete HTTP/1.x response (status line, headers, body with length or chunks).
enum HTTPResponseParser {
    struct Parsed {
        var status: Int
        var body: String
    }

    static func headerEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4)
        where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// The total length when the headers carry a Content-Length, so reading can stop early.
    static func completeLength(_ data: [UInt8]) -> Int? {
        guard let end = headerEnd(data) else { return nil }
        let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            if let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) {
                return end + length
            }
        }
        return nil
    }

    static func parse(_ data: [UInt8]) -> Parsed? {
        guard let end = headerEnd(data) else { return nil }
        let head = String(decoding: data[0..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: true)
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/") else { return nil }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var body = Array(data[end...])
        let chunked = lines.contains { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }
        if chunked { body = dechunk(body) }
        return Parsed(status: status, body: String(decoding: body, as: UTF8.self))
    }

    static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var result = [UInt8]()
        var index = 0
        // Bounded by the data: every iteration consumes at least the size line.
        while index < data.count {
            guard let lineEnd = (index..<max(index, data.count - 1)).first(where: { data[$0] == 13 && data[$0 + 1] == 10 })
            else { break }
            let sizeText = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            let stop = min(data.count, start + size)
            result.append(contentsOf: data[start..<stop])
            index = stop + 2
        }
        return result
    }
}

#if canImport(Glibc)
private let systemConnect = Glibc.connect
#else
private let systemConnect = Darwin.connect
#endif
