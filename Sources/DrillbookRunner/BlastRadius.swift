public import DrillbookContent
import Foundation

/// The hosts one run may touch, and the check every target passes before anything is sent: at
/// validation (`DrillPreflight.blastRadius`, before setup) and again at send time, after
/// substitution (`BlastRadiusNetwork`). An environment file's `hosts:`, else the loopback range,
/// `::1` and `localhost` (a local realisation).
public struct BlastRadius: Sendable, Hashable {
    public var allowlist: HostAllowlist
    /// Who allows these hosts, for messages: `environment staging`, `a local realisation`.
    public var owner: String

    public init(allowlist: HostAllowlist, owner: String) {
        self.allowlist = allowlist
        self.owner = owner
    }

    /// A local realisation's: 127.0.0.0/8, ::1, localhost.
    public static let localRealisation = BlastRadius(allowlist: .localRealisation, owner: "a local realisation")

    /// Why `host` may not be touched, or nil when it may. A listed name is allowed as written; an
    /// address must lie in a listed address or range; any other name is resolved and allowed only
    /// when every address it resolves to is inside (so a name cannot smuggle a target out).
    public func refusal(host: String) -> String? {
        let outside = "is not among the hosts \(owner) allows (\(allowlist))"
        if allowlist.allowsName(host) { return nil }
        if let bytes = HostAllowlist.addressBytes(host) { return allowlist.allowsAddress(bytes) ? nil : "\(host) \(outside)" }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard let resolved = NetworkTarget.addresses(of: bare, numericOnly: false), !resolved.isEmpty else {
            return "\(host) could not be resolved, and it \(outside)"
        }
        if let address = resolved.first(where: { !allowlist.allowsAddress($0.bytes) }) {
            return "\(host) (it resolves to \(address.text)) \(outside)"
        }
        return nil
    }

    /// Why the host `urlOrHostPort` names may not be touched, or nil when it may (or it names none).
    public func refusal(ofTarget urlOrHostPort: String) -> String? {
        NetworkTarget.host(of: urlOrHostPort).flatMap { refusal(host: $0) }
    }

    /// The host of `url` (`http://10.20.5.12:8080/x` → `10.20.5.12`), or nil when it has none:
    /// `NetworkTarget.host(of:)`, the one reading of what a drill wrote.
    public static func host(ofURL url: String) -> String? { NetworkTarget.host(of: url) }

    /// The host of `host:port` (`[::1]:6379` → `::1`), or nil.
    public static func host(ofHostPort hostPort: String) -> String? { NetworkTarget.host(of: hostPort) }

    /// The URL of an HTTP action, `METHOD URL` (or a bare URL).
    public static func url(ofRequest request: String) -> String {
        let parts = request.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        return parts.count == 2 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : request.trimmingCharacters(in: .whitespaces)
    }
}

/// The network as a run sees it: every request, connect and load step is checked against the
/// run's blast radius after substitution, and refused without sending anything when its host is
/// outside; `${secret:NAME}` is resolved only here, at the moment of sending, and every answer,
/// body and error that comes back has the secrets' values redacted.
struct BlastRadiusNetwork: NetworkClient {
    let base: any NetworkClient
    let radius: BlastRadius
    let secrets: SecretValues

    func refused(_ host: String?, target: String) -> NetworkError? {
        guard let host else { return NetworkError("refused: no host in \(target); nothing was sent") }
        return radius.refusal(host: host).map { NetworkError("refused: \($0); nothing was sent") }
    }

    func send(_ request: HTTPRequest) async -> Result<HTTPResponse, NetworkError> {
        let resolved = resolve(request)
        if let error = refused(BlastRadius.host(ofURL: resolved.url), target: request.url) { return .failure(redacted(error)) }
        switch await base.send(resolved) {
        case .success(var response):
            response.body = secrets.redact(response.body)
            return .success(response)
        case .failure(let error):
            return .failure(redacted(error))
        }
    }

    func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        let resolved = secrets.resolve(hostPort)
        if let error = refused(BlastRadius.host(ofHostPort: resolved), target: hostPort) { return .failure(redacted(error)) }
        return await base.connect(resolved, timeout: timeout).mapError(redacted)
    }

    func load(_ request: HTTPRequest, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        let resolved = resolve(request)
        if refused(BlastRadius.host(ofURL: resolved.url), target: request.url) != nil {
            // Nothing is sent. Unreachable for a drill that passed `DrillPreflight.blastRadius`,
            // which refuses a load step whose host is outside or unknown before the run.
            return LoadReport()
        }
        return await base.load(resolved, rate: rate, concurrency: concurrency, duration: duration)
    }

    /// `request` with `${secret:NAME}` resolved in its URL, header values and body: here, at the
    /// moment of sending, and nowhere else.
    private func resolve(_ request: HTTPRequest) -> HTTPRequest {
        var copy = request
        copy.url = secrets.resolve(request.url)
        copy.headers = request.headers.mapValues { secrets.resolve($0) }
        copy.body = request.body.map { secrets.resolve($0) }
        return copy
    }

    private func redacted(_ error: NetworkError) -> NetworkError { NetworkError(secrets.redact(error.message)) }
}
