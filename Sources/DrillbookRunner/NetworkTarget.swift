import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A host a probe, action or load step names, parsed from `https://api.staging.example:8443/path`
/// or `db.staging.example:5432`.
///
/// The host is used as given and resolved normally: an address (`127.0.0.2`, `::1`) is connected to
/// as written, and a name goes to what the system resolver says (for HTTP, libcurl resolves it).
/// Which hosts may be reached is `BlastRadius`'s decision, made before anything is sent.
struct NetworkTarget: Sendable, Hashable {
    /// `http`, `https`, or `tcp` for a bare `host:port`.
    var scheme: String
    /// The host as written, without the brackets of an IPv6 address.
    var host: String
    var port: UInt16
    /// `host:port` as written (`[::1]:8080`), for messages: the place the drill named.
    var hostPort: String
    /// The URL as given, handed to the HTTP client unchanged (empty for `tcp`).
    var url: String
    /// The numeric address connected to: for `tcp` targets the resolver's first answer (IPv4
    /// first); for URLs the host as written (the HTTP client resolves it).
    var address: String

    static func parse(url: String) -> Result<NetworkTarget, NetworkError> {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return .failure(NetworkError("not an http:// or https:// URL: \(url)")) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { return .failure(NetworkError("bad port in \(url)")) }
        let bare = Self.bare(host)
        return .success(NetworkTarget(
            scheme: scheme, host: bare, port: UInt16(port), hostPort: "\(Self.bracketed(bare)):\(port)", url: url, address: bare))
    }

    /// A `host:port` target (TCP probes), its host resolved.
    static func parse(hostPort: String) -> Result<NetworkTarget, NetworkError> {
        guard let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]),
            (1...65535).contains(port), colon > hostPort.startIndex
        else { return .failure(NetworkError("expected host:port, got \(hostPort)")) }
        let host = bare(String(hostPort[..<colon]))
        guard let resolved = addresses(of: host, numericOnly: false), !resolved.isEmpty else {
            return .failure(NetworkError("could not resolve \(host)"))
        }
        let preferred = resolved.first { $0.family == AF_INET } ?? resolved[0]
        return .success(NetworkTarget(
            scheme: "tcp", host: host, port: UInt16(port), hostPort: "\(bracketed(host)):\(port)", url: "", address: preferred.text))
    }

    /// The host a URL (`https://host:port/…`) or a `host:port` names, as the blast-radius check sees
    /// it (IPv6 without brackets): the one place that turns what a drill wrote into the host to
    /// check. Nil when it is neither.
    static func host(of urlOrHostPort: String) -> String? {
        if urlOrHostPort.contains("://") { return try? parse(url: urlOrHostPort).get().host }
        guard let colon = urlOrHostPort.lastIndex(of: ":"), colon > urlOrHostPort.startIndex,
            Int(urlOrHostPort[urlOrHostPort.index(after: colon)...]) != nil
        else { return nil }
        return bare(String(urlOrHostPort[..<colon]))
    }

    /// `127.0.0.2:8080` or `[::1]:8080`: the address connected to, for messages.
    var addressAndPort: String { "\(Self.bracketed(address)):\(port)" }

    static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    static func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

    /// One address as `getaddrinfo` gave it.
    struct Address: Sendable, Hashable {
        var family: Int32
        /// Network-order bytes: 4 for IPv4, 16 for IPv6.
        var bytes: [UInt8]
        var text: String
    }

    static func isLoopback(_ address: Address) -> Bool {
        if address.family == AF_INET { return address.bytes.first == 127 }
        // ::1, or an IPv4-mapped 127.x address (::ffff:127.0.0.1).
        if address.bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
        return address.bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] && address.bytes[12] == 127
    }

    /// The addresses of `host` (nil when it is not numeric and `numericOnly`, or does not resolve).
    static func addresses(of host: String, numericOnly: Bool) -> [Address]? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        if numericOnly { hints.ai_flags = AI_NUMERICHOST }
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(first) }
        var found: [Address] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        // Bounded: a resolver's list is finite; 64 answers are plenty.
        while let entry = next, found.count < 64 {
            next = entry.pointee.ai_next
            guard let socketAddress = entry.pointee.ai_addr else { continue }
            let family = entry.pointee.ai_family
            var bytes: [UInt8] = []
            if family == AF_INET {
                socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin_addr) { bytes = Array($0) }
                }
            } else if family == AF_INET6 {
                socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { bytes = Array($0) }
                }
            } else {
                continue
            }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            let shown = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
            guard shown != nil else { continue }
            let address = Address(family: family, bytes: bytes, text: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            if !found.contains(address) { found.append(address) }
        }
        return found
    }
}
