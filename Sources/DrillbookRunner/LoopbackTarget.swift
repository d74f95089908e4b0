import Foundation

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

