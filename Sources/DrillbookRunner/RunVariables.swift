public import DrillbookModel
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The run-scoped values a drill's commands refer to: `${RUN_DIR}` (a fresh temporary directory),
/// `${DRILL_DIR}` (the folder of the drill file, for support programs), and `${PORT_1}`, `${PORT_2}`, …
/// (free loopback ports chosen when the run starts).
public struct RunVariables: Sendable, Hashable {
    public var values: [String: String]

    public init(values: [String: String]) { self.values = values }

    /// Replaces every `${NAME}` whose name is known; unknown names are left as they are, so shell
    /// variables (`$M`, `${M}`) keep working.
    public func substitute(_ text: String) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        // Bounded: each iteration consumes at least two characters.
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let name = String(after[..<close])
            if let value = values[name] { result += value } else { result += "${" + name + "}" }
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }

    /// Applies `substitute` to every string of a probe.
    public func substitute(_ probe: Probe) -> Probe {
        var copy = probe
        copy.command = probe.command.map(substitute)
        copy.contains = probe.contains.map(substitute)
        copy.http = probe.http.map(substitute)
        copy.tcp = probe.tcp.map(substitute)
        copy.jsonValue = probe.jsonValue.map(substitute)
        copy.headers = probe.headers.map { $0.mapValues(substitute) }
        copy.body = probe.body.map(substitute)
        copy.caFile = probe.caFile.map(substitute)
        return copy
    }

    /// The highest `n` of the `${PORT_n}` names a text refers to.
    public static func portCount(in texts: [String]) -> Int {
        var highest = 0
        for text in texts {
            var rest = Substring(text)
            while let range = rest.range(of: "${PORT_") {
                let digits = rest[range.upperBound...].prefix { $0.isNumber }
                if let n = Int(digits), n <= 64 { highest = max(highest, n) }
                rest = rest[range.upperBound...]
            }
        }
        return highest
    }

    /// `count` distinct free TCP ports on 127.0.0.1, found by binding to port 0. All sockets stay
    /// open until every port is chosen, so the kernel hands out distinct ones.
    public static func freePorts(_ count: Int) -> [Int] {
        var sockets: [Int32] = []
        var ports: [Int] = []
        defer { for fd in sockets { close(fd) } }
        for _ in 0..<count {
            #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard fd >= 0 else { continue }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            if bound { ports.append(Int(UInt16(bigEndian: address.sin_port))) }
        }
        return ports
    }
}
