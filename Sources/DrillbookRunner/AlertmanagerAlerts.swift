import DrillbookModel
import Foundation

/// Alertmanager's v2 API as an Alertmanager probe reads it: is an alert carrying given labels
/// firing, and since when (its `startsAt`, the instant Prometheus first found it firing).
enum AlertmanagerAlerts {
    /// `BASE/api/v2/alerts?active=true&silenced=false&inhibited=false`: the alerts that notify.
    static func url(base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/api/v2/alerts?active=true&silenced=false&inhibited=false"
    }

    /// An alert as Alertmanager lists it.
    struct Alert: Sendable, Hashable {
        var labels: [String: String]
        var state: String
        var startsAt: String
    }

    /// One attempt: holds when an active alert carries every label of `probe.alert`; its output
    /// is that alert's `startsAt`.
    static func attempt(_ probe: Probe, base: String, network: any NetworkClient, timeout: Double) async -> ProbeAttempt {
        let wanted = probe.alert ?? [:]
        let name = wanted["alertname"] ?? "(no alertname)"
        switch await network.request(method: "GET", url: url(base: base), timeout: timeout) {
        case .failure(let error):
            return ProbeAttempt(holds: false, detail: "Alertmanager request failed: " + error.message)
        case .success(let response):
            guard response.status == 200, let alerts = alerts(in: response.body) else {
                return ProbeAttempt(
                    holds: false, detail: "Alertmanager answered HTTP \(response.status) without its alert list: " + ProbeEvaluator.firstLine(response.body),
                    output: response.body)
            }
            let matching = alerts.filter { alert in wanted.allSatisfy { alert.labels[$0.key] == $0.value } }
            if let firing = matching.filter({ $0.state == "active" }).min(by: { $0.startsAt < $1.startsAt }) {
                return ProbeAttempt(holds: true, detail: "alert \(name) firing since \(firing.startsAt)", output: firing.startsAt)
            }
            if let other = matching.first {
                return ProbeAttempt(holds: false, detail: "alert \(name) is \(other.state), not firing")
            }
            return ProbeAttempt(holds: false, detail: "no alert \(labelText(wanted)) is firing (\(alerts.count) active alert\(alerts.count == 1 ? "" : "s"))")
        }
    }

    /// The alerts of a `GET /api/v2/alerts` answer, or nil when it is not such a list.
    static func alerts(in body: String) -> [Alert]? {
        guard let list = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]] else { return nil }
        return list.map { item in
            let labels = (item["labels"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
            let state = (item["status"] as? [String: Any])?["state"] as? String ?? "unknown"
            return Alert(labels: labels, state: state, startsAt: item["startsAt"] as? String ?? "")
        }
    }

    /// `{alertname="RedisDown", job="redis"}`, labels in name order.
    static func labelText(_ labels: [String: String]) -> String {
        "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}
