#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The hosts a drill may touch (an environment's `hosts:`): host names, IP addresses and CIDR
/// ranges. A name matches itself only (case-insensitively, a final dot ignored); an address or
/// range matches the addresses inside it. Without an environment file the list is the loopback
/// range, `::1` and `localhost` (`localRealisation`).
public struct HostAllowlist: Sendable, Hashable, CustomStringConvertible {
    /// One entry of the list.
    public enum Entry: Sendable, Hashable {
        /// A host name, lowercased, without a final dot.
        case name(String)
        /// An address range: network-order bytes (4 or 16) and the prefix length in bits.
        case network(bytes: [UInt8], prefix: Int)
    }

    public private(set) var entries: [Entry]
    /// The entries as written, for messages.
    public private(set) var written: [String]

    /// The list of `hosts`, leaving out what `entry(_:)` cannot read (the content checks report it).
    public init(_ hosts: [String]) {
        entries = []
        written = []
        for host in hosts {
            guard let entry = Self.entry(host) else { continue }
            entries.append(entry)
            written.append(host.trimmingSpacesAndTabs)
        }
    }

    /// What a local realisation may touch: 127.0.0.0/8, ::1 and `localhost`.
    public static let localRealisation = HostAllowlist(["127.0.0.0/8", "::1", "localhost"])

    /// `127.0.0.2, 10.20.0.0/16, market.staging.example`.
    public var description: String { written.joined(separator: ", ") }

    /// An entry from its text, or nil when it is neither a host name, an address nor a range.
    public static func entry(_ text: String) -> Entry? {
        let trimmed = text.trimmingSpacesAndTabs
        guard !trimmed.isEmpty else { return nil }
        if let slash = trimmed.firstIndex(of: "/") {
            guard let bytes = addressBytes(String(trimmed[..<slash])),
                let prefix = Int(trimmed[trimmed.index(after: slash)...]), (0...(bytes.count * 8)).contains(prefix)
            else { return nil }
            return .network(bytes: bytes, prefix: prefix)
        }
        if let bytes = addressBytes(trimmed) { return .network(bytes: bytes, prefix: bytes.count * 8) }
        let name = normalisedName(trimmed)
        // A host name: labels of letters, digits and hyphens (and `_`, which some resolvers allow).
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.utf8.count <= 253, !labels.isEmpty,
            labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            }),
            // All digits and dots is an address that did not parse (`10.20.0.300`), not a name.
            !name.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." })
        else { return nil }
        return .name(name)
    }

    /// True when `host` is listed by name.
    public func allowsName(_ host: String) -> Bool {
        let name = Self.normalisedName(host)
        return entries.contains { $0 == .name(name) }
    }

    /// True when the address (network-order bytes, 4 or 16) lies in a listed address or range.
    /// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is judged as its IPv4 address.
    public func allowsAddress(_ bytes: [UInt8]) -> Bool {
        let address = bytes.count == 16 && bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] ? Array(bytes.suffix(4)) : bytes
        return entries.contains { entry in
            guard case .network(let network, let prefix) = entry, network.count == address.count else { return false }
            var bits = prefix
            for index in 0..<network.count where bits > 0 {
                let take = min(8, bits)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
                if network[index] & mask != address[index] & mask { return false }
                bits -= take
            }
            return true
        }
    }

    /// The bytes of a numeric IPv4 or IPv6 address (brackets allowed), or nil.
    public static func addressBytes(_ text: String) -> [UInt8]? {
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var four = in_addr()
        if inet_pton(AF_INET, bare, &four) == 1 { return withUnsafeBytes(of: &four) { Array($0) } }
        var six = in6_addr()
        if inet_pton(AF_INET6, bare, &six) == 1 { return withUnsafeBytes(of: &six) { Array($0) } }
        return nil
    }

    static func normalisedName(_ host: String) -> String {
        var name = host.trimmingSpacesAndTabs.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }
}

extension String {
    var trimmingSpacesAndTabs: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
