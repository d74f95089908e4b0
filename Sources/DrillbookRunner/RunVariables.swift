public import DrillbookModel
import DrillbookContent
import Synchronization
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
        copy.prometheus = probe.prometheus.map(substitute)
        copy.query = probe.query.map(substitute)
        copy.alertmanager = probe.alertmanager.map(substitute)
        copy.alert = probe.alert?.mapValues(substitute)
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

// MARK: - Secrets

/// The secrets of one run: `${secret:NAME}` in a drill or environment file stands for the value of
/// the environment variable NAME, read at the moment a request or command is made. The value is
/// never written anywhere drillbook writes: requests get it (`resolve`), commands get a shell
/// reference to the variable their environment already holds (`shellReferences`: `${NAME}`, so it
/// is on no command line `ps` shows), and every text that comes back (output, bodies, errors,
/// progress, the record) has each value seen replaced by its `${secret:NAME}` (`redact`).
public final class SecretValues: Sendable {
    /// Reads an environment variable (the process environment by default; tests pass their own).
    public typealias Lookup = @Sendable (String) -> String?
    private let lookup: Lookup
    /// Every secret named so far and the values it had.
    private let seen = Mutex<[String: Set<String>]>([:])

    public init(lookup: @escaping Lookup = SecretValues.processEnvironment) { self.lookup = lookup }

    /// The value of an environment variable as the process has it now.
    public static let processEnvironment: Lookup = { name in getenv(name).map { String(cString: $0) } }

    /// The names `${secret:NAME}` refers to in `texts`, sorted, each once.
    public static func names(in texts: [String]) -> [String] {
        Array(Set(texts.flatMap(EnvironmentFile.secretNames(in:)))).sorted()
    }

    /// The names among `names` whose variable is not set (or empty).
    public func unset(_ names: [String]) -> [String] {
        names.filter { (lookup($0) ?? "").isEmpty }
    }

    /// Remembers `names`, so their values are redacted even before a request or command used them.
    public func register(_ names: [String]) {
        for name in names { note(name) }
    }

    /// `text` with every `${secret:NAME}` replaced by the variable's value now (for a request).
    public func resolve(_ text: String) -> String {
        replacing(in: text) { name in note(name) ?? "" }
    }

    /// `text` with every `${secret:NAME}` replaced by `${NAME}` (for a command: the child inherits
    /// the variable in its environment, so the value is on no command line).
    public func shellReferences(_ text: String) -> String {
        replacing(in: text) { name in
            _ = note(name)
            return "${" + name + "}"
        }
    }

    /// `text` with every value a secret had replaced by `${secret:NAME}`, longest values first.
    public func redact(_ text: String) -> String { redact(text, transform: { $0 }) }

    /// `redact`, matching each value as `transform` writes it (its JSON-escaped form in JSON text).
    func redact(_ text: String, transform: (String) -> String) -> String {
        let known = seen.withLock { $0 }
        guard !known.isEmpty else { return text }
        var pairs: [(value: String, name: String)] = []
        for (name, values) in known {
            for value in values.union([lookup(name)].compactMap { $0 }) where !value.isEmpty { pairs.append((transform(value), name)) }
        }
        var result = text
        for pair in pairs.sorted(by: { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.name < $1.name })
        where result.contains(pair.value) {
            result = result.replacingOccurrences(of: pair.value, with: "${secret:" + pair.name + "}")
        }
        return result
    }

    /// True once any secret was named in this run.
    public var isEmpty: Bool { seen.withLock { $0.isEmpty } }

    @discardableResult
    private func note(_ name: String) -> String? {
        let value = lookup(name)
        seen.withLock { $0[name, default: []].formUnion([value].compactMap { $0 }.filter { !$0.isEmpty }) }
        return value
    }

    private func replacing(in text: String, _ value: (String) -> String) -> String {
        guard text.contains("${secret:") else { return text }
        var result = ""
        var rest = Substring(text)
        // Bounded: each iteration consumes the reference it found.
        while let open = rest.range(of: "${secret:") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { break }
            result += rest[..<open.lowerBound]
            let name = String(after[..<close])
            result += EnvironmentFile.isVariableName(name) ? value(name) : String(rest[open.lowerBound...close])
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }
}

extension RunVariables {
    /// Adds a drill's own variables (`execution.variables`, or an environment's values for them),
    /// each with the run's values (`${PORT_3}`, `${RUN_DIR}`) substituted; `${secret:NAME}` is kept
    /// for the moment of use.
    public func adding(_ variables: [String: String]) -> RunVariables {
        var copy = self
        for (name, value) in variables { copy.values[name] = substitute(value) }
        // A variable may refer to another drill variable; one more pass resolves that.
        for name in variables.keys { copy.values[name] = copy.substitute(copy.values[name] ?? "") }
        return copy
    }
}
