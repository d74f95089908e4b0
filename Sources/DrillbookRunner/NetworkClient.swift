import Foundation

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

/// One HTTP request of a probe, an action or a load step: any host, `http://` or `https://`.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    /// Sent in name order (deterministic); a `User-Agent` here replaces `drillbook`.
    public var headers: [String: String]
    public var body: String?
    /// Seconds the whole exchange may take.
    public var timeout: Double
    /// HTTPS: a PEM file of CA certificates trusted besides the system store.
    public var caFile: String?

    public init(
        method: String = "GET", url: String, headers: [String: String] = [:], body: String? = nil, timeout: Double = 5,
        caFile: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.caFile = caFile
    }
}

/// HTTP requests and TCP connects for probes, actions and the load step, to the host each names
/// (used as given, resolved normally), refused before anything is sent when the run's
/// `BlastRadius` does not allow it (`BlastRadiusNetwork`). The real one is `HTTPNetworkClient`; unit tests inject a fake.
public protocol NetworkClient: Sendable {
    func send(_ request: HTTPRequest) async -> Result<HTTPResponse, NetworkError>
    func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError>
    /// The built-in load step: send `request` from `concurrency` workers for `duration` seconds,
    /// paced to `rate` requests per second in all when given (else as fast as answers come).
    func load(_ request: HTTPRequest, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport
}

extension NetworkClient {
    /// A request with no headers or body: the simple entry point (monitoring probes use it).
    public func request(method: String, url: String, timeout: Double) async -> Result<HTTPResponse, NetworkError> {
        await send(HTTPRequest(method: method, url: url, timeout: timeout))
    }

    /// A load step of plain GETs.
    public func load(url: String, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        await load(HTTPRequest(url: url), rate: rate, concurrency: concurrency, duration: duration)
    }
}
