import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A target on the loopback interface, parsed from `http://127.0.0.2:8080/path` or `127.0.0.1:6379`.
///
/// The host is never rewritten: an address (`127.0.0.2`, `::1`) is connected to as written, and a
/// name (`localhost`) goes to what the resolver says. Only loopback addresses are allowed
/// (127.0.0.0/8 and ::1): a name is refused when any address it resolves to is not one, so
/// `127.example.com` is a name like any other, not a loopback address.
struct LoopbackTarget: Sendable, Hashable {
    /// The numeric address connected to (`127.0.0.2`, `::1`).
    var address: String
    var port: UInt16
    var path: String
    /// `host:port` as written, sent as the `Host` header.
    var hostHeader: String

    static func parse(url: String) -> Result<LoopbackTarget, NetworkError> {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
            let host = components.host, !host.isEmpty
        else { return .failure(NetworkError("not an http:// URL: \(url)")) }
        let port = components.port ?? 80
        guard (1...65535).contains(port) else { return .failure(NetworkError("bad port in \(url)")) }
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?" + query }
        let written = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return loopbackAddress(of: host).map {
            LoopbackTarget(address: $0, port: UInt16(port), path: path, hostHeader: "\(written):\(port)")
        }
    }

    static func parse(hostPort: String) -> Result<LoopbackTarget, NetworkError> {
        guard let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]),
            (1...65535).contains(port), colon > hostPort.startIndex
        else { return .failure(NetworkError("expected host:port, got \(hostPort)")) }
        let host = String(hostPort[..<colon])
        return loopbackAddress(of: host).map { LoopbackTarget(address: $0, port: UInt16(port), path: "/", hostHeader: hostPort) }
    }

    /// The URL actually requested: the address itself (the `Host` header keeps the name written).
    var connectURL: String { "http://\(bracketedAddress):\(port)\(path)" }

    /// `127.0.0.2:8080` or `[::1]:8080`, for messages.
    var addressAndPort: String { "\(bracketedAddress):\(port)" }

    private var bracketedAddress: String { address.contains(":") ? "[\(address)]" : address }

    /// The loopback address `host` stands for: itself when it is an address, else the resolver's
    /// first answer (IPv4 first), refused when any answer is not a loopback address.
    static func loopbackAddress(of host: String) -> Result<String, NetworkError> {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let numeric = addresses(of: bare, numericOnly: true) {
            guard let address = numeric.first, isLoopback(address) else {
                return .failure(NetworkError("only loopback hosts are allowed, got \(host)"))
            }
            return .success(address.text)
        }
        guard let resolved = addresses(of: bare, numericOnly: false), !resolved.isEmpty else {
            return .failure(NetworkError("could not resolve \(host) (only loopback hosts are allowed)"))
        }
        if let outside = resolved.first(where: { !isLoopback($0) }) {
            return .failure(NetworkError("only loopback hosts are allowed, got \(host) (it resolves to \(outside.text))"))
        }
        let preferred = resolved.first { $0.family == AF_INET } ?? resolved[0]
        return .success(preferred.text)
    }

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
