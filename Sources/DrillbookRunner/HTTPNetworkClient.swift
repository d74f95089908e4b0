import AsyncHTTPClient
import DrillbookModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The real network client: one AsyncHTTPClient with its own event loop and a keep-alive
/// connection pool, shared by every HTTP probe, HTTP action and load step of one run.
///
/// Loopback only, checked before any request is made (`LoopbackTarget`); the request always goes to
/// 127.0.0.1, so no host name is ever resolved. Redirects are not followed (a probe sees the 3xx),
/// every request has a deadline, and at most `bodyLimit` bytes of a body are kept (the rest is read
/// and dropped so the connection can be reused). TCP connect probes use a plain socket (`TCPConnect`).
///
/// The owner must call `shutdown()` once, when the run is over; `DrillRunner` does.
public final class HTTPNetworkClient: NetworkClient {
    /// Bytes of a response body kept for probes (the body of a load step's answer is not kept).
    static let bodyLimit = 1 << 20
    /// The deadline of each load-step request.
    static let loadRequestTimeout = 5.0

    let client: HTTPClient
    private let group: MultiThreadedEventLoopGroup

    /// A client whose pool keeps up to `connectionsPerHost` connections to each `host:port`
    /// (at least 8); size it to the largest load step's concurrency.
    public init(connectionsPerHost: Int = 8) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var pool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, min(connectionsPerHost, 1024)))
        // A refused connect fails the request at once (as a socket would), instead of retrying with
        // backoff until the deadline: a probe of a stopped server must say so within its interval.
        pool.retryConnectionEstablishment = false
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)), connectionPool: pool)
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: group, configuration: configuration)
    }

    /// Stops the client (failing anything still in flight) and then its event loop thread.
    public func shutdown() async {
        try? await client.shutdown()
        try? await group.shutdownGracefully()
    }

    /// Runs `body` with a fresh client and shuts the client down afterwards, whatever happened.
    public static func withClient<T>(
        connectionsPerHost: Int = 8, _ body: (HTTPNetworkClient) async throws -> T
    ) async rethrows -> T {
        let network = HTTPNetworkClient(connectionsPerHost: connectionsPerHost)
        do {
            let result = try await body(network)
            await network.shutdown()
            return result
        } catch {
            await network.shutdown()
            throw error
        }
    }

    public func request(method: String, url: String, timeout: Double) async -> Result<HTTPResponse, NetworkError> {
        switch LoopbackTarget.parse(url: url) {
        case .failure(let error): return .failure(error)
        case .success(let target):
            return await fetch(target, method: method, timeout: timeout, keepBody: true)
        }
    }

    public func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        await TCPConnect.probe(hostPort, timeout: timeout)
    }

    public func load(url: String, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        await LoadGenerator.run(self, url: url, rate: rate, concurrency: concurrency, duration: duration)
    }

    /// One request to an already checked target; latency runs from the call to the body's end.
    func fetch(_ target: LoopbackTarget, method: String, timeout: Double, keepBody: Bool) async -> Result<HTTPResponse, NetworkError> {
        var request = HTTPClientRequest(url: target.connectURL)
        request.method = HTTPMethod(rawValue: method.uppercased())
        request.headers.add(name: "Host", value: target.hostHeader)
        request.headers.add(name: "User-Agent", value: "drillbook")
        let limit = max(0.001, min(timeout, 86_400))
        let start = ContinuousClock.now
        do {
            let response = try await client.execute(request, deadline: .now() + .nanoseconds(Int64(limit * 1e9)))
            var body = [UInt8]()
            for try await chunk in response.body where keepBody && body.count < Self.bodyLimit {
                body.append(contentsOf: chunk.readableBytesView.prefix(Self.bodyLimit - body.count))
            }
            let latency = TCPConnect.seconds(ContinuousClock.now - start)
            return .success(HTTPResponse(status: Int(response.status.code), body: String(decoding: body, as: UTF8.self), latency: latency))
        } catch {
            return .failure(Self.describe(error, target: target, timeout: limit))
        }
    }

    /// A failure as probe details and records word it (`timed out after 2 s`, `connect to 127.0.0.1:PORT
    /// failed: Connection refused`), whatever layer of AsyncHTTPClient or SwiftNIO raised it.
    static func describe(_ error: any Error, target: LoopbackTarget, timeout: Double) -> NetworkError {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return NetworkError("timed out after \(MetricFormat.value(timeout, unit: "s"))")
            case .connectTimeout: return NetworkError("connect to 127.0.0.1:\(target.port) timed out")
            case .remoteConnectionClosed: return NetworkError("connection closed without a response")
            default: return NetworkError("HTTP request to 127.0.0.1:\(target.port) failed: \(error)")
            }
        }
        if error is CancellationError { return NetworkError("cancelled") }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return NetworkError("connect to 127.0.0.1:\(target.port) failed: \(Self.plain(first.error))")
        }
        if let error = error as? IOError, [ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ENETUNREACH, ETIMEDOUT].contains(error.errnoCode) {
            return NetworkError("connect to 127.0.0.1:\(target.port) failed: \(Self.plain(error))")
        }
        return NetworkError("request to 127.0.0.1:\(target.port) failed: \(Self.plain(error))")
    }

    /// `Connection refused` rather than `connect(descriptor:addr:size:): Connection refused (errno: 111)`.
    static func plain(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return String(describing: error)
    }
}
