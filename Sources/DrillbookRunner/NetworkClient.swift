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
    /// Seconds from sending the request (on a pooled connection, or a new one) to the end of the response.
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
/// executor that could be pointed at someone else's host by a typo is a hazard. The real one is
/// `HTTPNetworkClient`; unit tests inject a fake.
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

    /// The URL actually requested: always 127.0.0.1 (the `Host` header keeps the name that was
    /// written), so no name is ever resolved, and `127.example.com` cannot leave the machine.
    var connectURL: String { "http://127.0.0.1:\(port)\(path)" }
}

/// TCP connect probes: a blocking BSD socket with a deadline, on its own thread so the cooperative
/// pool never blocks. (HTTP goes through `HTTPNetworkClient`; a bare connect needs no HTTP client.)
enum TCPConnect {
    /// Seconds until a connection to the loopback `host:port` was accepted, or why it was not.
    static func probe(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        await onThread {
            switch LoopbackTarget.parse(hostPort: hostPort) {
            case .failure(let error): return .failure(error)
            case .success(let target):
                let start = ContinuousClock.now
                switch open(port: target.port, timeout: timeout) {
                case .failure(let error): return .failure(error)
                case .success(let fd):
                    close(fd)
                    return .success(seconds(ContinuousClock.now - start))
                }
            }
        }
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

#if canImport(Glibc)
private let systemConnect = Glibc.connect
#else
private let systemConnect = Darwin.connect
#endif
