import DrillbookModel
import Foundation

/// One attempt of a probe: did it hold, and what was seen.
public struct ProbeAttempt: Sendable, Hashable {
    public var holds: Bool
    /// In words: `exit 0`, `HTTP 200 in 3 ms`, `connect to 127.0.0.1:6379 failed: Connection refused`.
    public var detail: String
    /// The command's output or the response body (bounded), for `value` measurements and records.
    public var output: String

    public init(holds: Bool, detail: String, output: String = "") {
        self.holds = holds
        self.detail = detail
        self.output = output
    }
}

/// Runs one probe attempt through the launcher or the network client.
struct ProbeEvaluator: Sendable {
    let launcher: any ProcessLauncher
    let network: any NetworkClient

    func attempt(_ probe: Probe) async -> ProbeAttempt {
        let timeout = probe.timeout ?? 5
        if let command = probe.command {
            let result = await launcher.run(command, timeout: timeout)
            let expected = probe.exitStatus ?? 0
            if result.timedOut { return ProbeAttempt(holds: false, detail: "timed out after \(Self.seconds(timeout))", output: result.output) }
            guard result.exitStatus == expected else {
                return ProbeAttempt(holds: false, detail: result.summary + " (expected exit \(expected))", output: result.output)
            }
            if let needle = probe.contains, !result.output.contains(needle) {
                return ProbeAttempt(holds: false, detail: "output lacks \"\(needle)\": " + Self.firstLine(result.output), output: result.output)
            }
            return ProbeAttempt(holds: true, detail: result.summary, output: result.output)
        }
        if let url = probe.http {
            let request = HTTPRequest(
                method: probe.method ?? "GET", url: url, headers: probe.headers ?? [:], body: probe.body, timeout: timeout, caFile: probe.caFile)
            switch await network.send(request) {
            case .failure(let error):
                return ProbeAttempt(holds: false, detail: error.message)
            case .success(let response):
                let latencyMs = response.latency * 1000
                let seen = "HTTP \(response.status) in \(Self.milliseconds(latencyMs))"
                let expected = probe.status ?? 200
                guard response.status == expected else {
                    return ProbeAttempt(holds: false, detail: seen + " (expected \(expected))", output: response.body)
                }
                if let needle = probe.contains, !response.body.contains(needle) {
                    return ProbeAttempt(holds: false, detail: seen + ", body lacks \"\(needle)\"", output: response.body)
                }
                if let pattern = probe.matches, !Self.body(response.body, matches: pattern) {
                    return ProbeAttempt(holds: false, detail: seen + ", body does not match /\(pattern)/", output: response.body)
                }
                if let field = probe.jsonField {
                    let actual = Self.jsonValue(in: response.body, path: field)
                    if actual == nil || (probe.jsonValue != nil && Self.normalised(actual) != Self.normalised(probe.jsonValue)) {
                        return ProbeAttempt(
                            holds: false, detail: seen + ", \(field) is \(actual ?? "missing")" + (probe.jsonValue.map { " (expected \($0))" } ?? ""),
                            output: response.body)
                    }
                }
                if let bound = probe.maxLatencyMs, latencyMs > bound {
                    return ProbeAttempt(holds: false, detail: seen + " (slower than \(Self.milliseconds(bound)))", output: response.body)
                }
                return ProbeAttempt(holds: true, detail: seen, output: response.body)
            }
        }
        if let hostPort = probe.tcp {
            switch await network.connect(hostPort, timeout: timeout) {
            case .failure(let error): return ProbeAttempt(holds: false, detail: error.message)
            case .success(let seconds): return ProbeAttempt(holds: true, detail: "connected in \(Self.milliseconds(seconds * 1000))")
            }
        }
        if let base = probe.prometheus { return await PrometheusQuery.attempt(probe, base: base, network: network, timeout: timeout) }
        if let base = probe.alertmanager { return await AlertmanagerAlerts.attempt(probe, base: base, network: network, timeout: timeout) }
        return ProbeAttempt(holds: false, detail: "probe \"\(probe.name)\" has no command, http, tcp, prometheus or alertmanager")
    }

    /// Whether `pattern` (a regular expression, validated when the drill was read) matches somewhere in `body`.
    static func body(_ body: String, matches pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        return expression.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)) != nil
    }

    /// The value at a dotted path (`data.provider`, `items.0.id`) or JSON path (`$.items[0].id`) as text, or nil.
    static func jsonValue(in body: String, path: String) -> String? {
        guard var current = try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]),
            let keys = Probe.jsonFieldKeys(path)
        else {
            return nil
        }
        for key in keys {
            if let object = current as? [String: Any], let next = object[String(key)] {
                current = next
            } else if let array = current as? [Any], let index = Int(key), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        switch current {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        case is NSNull: return "null"
        default: return String(describing: current)
        }
    }

    /// JSON booleans come back as numbers on some platforms: compare `true`/`1` and `false`/`0` alike.
    static func normalised(_ text: String?) -> String? {
        switch text {
        case "true": "1"
        case "false": "0"
        default: text
        }
    }

    static func firstLine(_ text: String) -> String {
        String((text.split(whereSeparator: \.isNewline).first ?? "").prefix(120))
    }

    static func seconds(_ value: Double) -> String { MetricFormat.value(value, unit: "s") }
    static func milliseconds(_ value: Double) -> String { MetricFormat.value(value.rounded(), unit: "ms") }
}
