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

