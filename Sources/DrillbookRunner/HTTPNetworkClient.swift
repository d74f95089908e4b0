import DrillbookModel
import Foundation

/// The real network client: one libcurl multi handle (`CurlLoop`) with its own thread and a
/// keep-alive connection cache, shared by every HTTP probe, HTTP action and load step of one run.
///
/// Any host the URL names, `http://` or `https://`, once the run's `BlastRadius` allows it
/// (checked before anything is sent; the default allows loopback only). TLS is verified against the
/// system trust store plus a request's `caFile`. Redirects are not followed (a probe sees the 3xx),
/// every request has a deadline, a refused connect fails at once (no retries), cancelling the
/// calling task ends its request at once, and at most `bodyLimit` bytes of a body are kept (the
/// rest is read and dropped so the connection can be reused). TCP connect probes use a plain socket
/// (`TCPConnect`).
///
/// The owner must call `shutdown()` once, when the run is over; `DrillRunner` does.
public final class HTTPNetworkClient: NetworkClient {
    /// Bytes of a response body kept for probes (the body of a load step's answer is not kept).
    static let bodyLimit = 1 << 20

    private let loop: CurlLoop
    /// The hosts this client may reach, checked again here below the run's `BlastRadiusNetwork`
    /// (the same `BlastRadius.refusal`): a client made without one (a test, a tool) reaches
    /// loopback only, so nothing can leave the machine by accident.
    public let radius: BlastRadius

    /// A client keeping up to `connectionsPerHost` idle connections open (at least 8); size it to
    /// the largest load step's concurrency.
    public init(connectionsPerHost: Int = 8, radius: BlastRadius = .localRealisation) {
        loop = CurlLoop(connections: connectionsPerHost)
        self.radius = radius
    }

    /// Ends anything still in flight and then the client's thread.
    public func shutdown() async {
        await loop.stop()
    }

    /// Runs `body` with a fresh client and shuts the client down afterwards, whatever happened.
    public static func withClient<T>(
        connectionsPerHost: Int = 8, radius: BlastRadius = .localRealisation, _ body: (HTTPNetworkClient) async throws -> T
    ) async rethrows -> T {
        let network = HTTPNetworkClient(connectionsPerHost: connectionsPerHost, radius: radius)
        do {
            let result = try await body(network)
            await network.shutdown()
            return result
        } catch {
            await network.shutdown()
            throw error
        }
    }

    public func send(_ request: HTTPRequest) async -> Result<HTTPResponse, NetworkError> {
        switch checkedTarget(request.url) {
        case .failure(let error): return .failure(error)
        case .success(let target): return await fetch(request, target: target, keepBody: true)
        }
    }

    public func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        if let refusal = radius.refusal(ofTarget: hostPort) { return .failure(NetworkError("refused: \(refusal); nothing was sent")) }
        return await TCPConnect.probe(hostPort, timeout: timeout)
    }

    public func load(_ request: HTTPRequest, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        await LoadGenerator.run(self, request: request, rate: rate, concurrency: concurrency, duration: duration)
    }

    /// The parsed URL, or why nothing may be sent to it.
    func checkedTarget(_ url: String) -> Result<NetworkTarget, NetworkError> {
        NetworkTarget.parse(url: url).flatMap { target in
            radius.refusal(host: target.host).map { .failure(NetworkError("refused: \($0); nothing was sent")) } ?? .success(target)
        }
    }

    /// One request to an already checked target; the latency is libcurl's own total time of the
    /// transfer (resolve, connect, TLS, request, the body's end), to the microsecond.
    func fetch(_ request: HTTPRequest, target: NetworkTarget, keepBody: Bool) async -> Result<HTTPResponse, NetworkError> {
        let limit = max(0.001, min(request.timeout, 86_400))
        if let caFile = request.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            return .failure(NetworkError("CA file \(caFile) cannot be read"))
        }
        // A value that became two lines (a secret with a line break) would be a second header: refused.
        if let (name, _) = request.headers.first(where: { ($0.key + $0.value).unicodeScalars.contains { "\r\n\0".unicodeScalars.contains($0) } }) {
            return .failure(NetworkError("header \(name) has a line break; nothing was sent"))
        }
        let lines = request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        let outcome = await loop.perform(CurlRequest(
            url: target.url, method: request.method, headerLines: lines, body: request.body, timeout: limit,
            caFile: request.caFile, bodyLimit: keepBody ? Self.bodyLimit : 0))
        switch outcome {
        case .response(let status, let body, let seconds):
            return .success(HTTPResponse(status: status, body: String(decoding: body, as: UTF8.self), latency: seconds))
        case .cancelled:
            return .failure(NetworkError("cancelled"))
        case .failure(let code, let osErrno, let detail):
            return .failure(Self.describe(code: code, osErrno: osErrno, detail: detail, target: target, timeout: limit))
        }
    }

    /// A failure as probe details and records word it (`timed out after 2 s`, `connect to
    /// db.staging:5432 failed: Connection refused`), naming the host:port the URL names.
    static func describe(code: Int, osErrno: Int, detail: String, target: NetworkTarget, timeout: Double) -> NetworkError {
        let place = target.hostPort
        switch code {
        case CurlLoop.Code.timedOut: return NetworkError("timed out after \(MetricFormat.value(timeout, unit: "s"))")
        case CurlLoop.Code.couldNotResolve: return NetworkError("could not resolve \(target.host)")
        case CurlLoop.Code.couldNotConnect:
            let reason = osErrno != 0 ? String(cString: strerror(Int32(osErrno))) : detail
            return NetworkError("connect to \(place) failed: \(reason)")
        case CurlLoop.Code.peerVerification where detail.contains("subject name") || detail.contains("does not match"):
            return NetworkError("TLS to \(place) failed: the certificate does not name this host (\(detail))")
        case CurlLoop.Code.peerVerification:
            return NetworkError("TLS to \(place) failed: the certificate is not trusted (\(detail)); name its CA with caFile")
        case CurlLoop.Code.caFile: return NetworkError("TLS to \(place) failed: the CA file cannot be used (\(detail))")
        case CurlLoop.Code.tlsConnect: return NetworkError("TLS to \(place) failed: \(detail)")
        case CurlLoop.Code.nothingReceived, CurlLoop.Code.receiveFailed:
            return NetworkError("connection to \(place) closed without a response")
        default: return NetworkError("request to \(place) failed: \(detail)")
        }
    }
}
