import DrillbookModel
import Foundation

/// The checks of a drill's `execution:` block that the executor relies on, made by `drillbook
/// check` and `drillbook run` alike (both decode drills through `ContentLoader.decodeDrill`):
/// every signal is one the executor can send, every `kill` names a background step started
/// before it, every `after` names a measurement, and every interval, timeout and duration is a
/// positive number of seconds. Each problem is an error at the value's line and JSON path.
enum ExecutionChecks {
    static func check(_ execution: DrillExecution, file: String, source: SourceText) -> [ContentIssue] {
        var checker = Checker(file: file, source: source)
        checker.check(execution)
        return checker.issues
    }

    /// An unknown-key warning under `$.execution` as an error that says the executor refuses it;
    /// every other issue as it is.
    static func refusingUnknownKeys(_ issue: ContentIssue) -> ContentIssue {
        guard issue.severity == .warning, let path = issue.location?.jsonPath, path.hasPrefix("$.execution."),
            issue.message.hasPrefix("unknown key "), issue.message.contains("; it is ignored")
        else { return issue }
        var refused = issue
        refused.severity = .error
        refused.message = issue.message.replacing("; it is ignored", with: "; the executor would skip it, so it is refused")
        return refused
    }

    private struct Checker {
        let file: String
        let source: SourceText
        var issues: [ContentIssue] = []
        /// Background steps and actions started so far, in run order: what `kill` may name.
        var started: [String] = []

        init(file: String, source: SourceText) {
            self.file = file
            self.source = source
        }

        mutating func error(_ path: [PathElement], _ message: String) {
            issues.append(.error(file, source.location(path), message))
        }

        mutating func check(_ execution: DrillExecution) {
            let root: [PathElement] = [.key("execution")]
            for (index, step) in execution.setup.enumerated() {
                command(step, at: root + [.key("setup"), .index(index)])
            }
            for (index, probe) in execution.steadyState.enumerated() {
                self.probe(probe, at: root + [.key("steadyState"), .index(index)])
            }
            for (index, probe) in execution.abortIf.enumerated() {
                self.probe(probe, at: root + [.key("abortIf"), .index(index)])
            }
            for (index, probe) in execution.during.enumerated() {
                self.probe(probe, at: root + [.key("during"), .index(index)])
            }
            for (index, action) in execution.fault.enumerated() {
                self.action(action, at: root + [.key("fault"), .index(index)])
            }
            for (index, step) in execution.load.enumerated() {
                load(step, at: root + [.key("load"), .index(index)])
            }
            let metrics = Set(execution.measure.map(\.metric))
            var seenMetrics: Set<String> = []
            for (index, measurement) in execution.measure.enumerated() {
                let path = root + [.key("measure"), .index(index)]
                if !seenMetrics.insert(measurement.metric).inserted {
                    error(path + [.key("metric")], "the metric " + quoted(measurement.metric) + " is measured twice; expected one measurement per metric")
                }
                if (measurement.kind ?? .elapsed) == .elapsed, (measurement.from ?? "").trimmingSpaces.isEmpty {
                    error(path, "an elapsed measurement needs `from`, the timeline event its clock starts at (such as fault.injected)")
                }
                positive(measurement.interval, at: path + [.key("interval")])
                positive(measurement.timeout, at: path + [.key("timeout")])
                probe(measurement.probe, at: path + [.key("probe")])
                if let trigger = measurement.trigger { action(trigger, at: path + [.key("trigger")]) }
                if measurement.onTimeout != nil, (measurement.kind ?? .elapsed) != .elapsed {
                    error(path + [.key("onTimeout")], "onTimeout: window records the time watched, so it needs an elapsed measurement, not " + (measurement.kind?.rawValue ?? "elapsed"))
                }
                for (position, name) in (measurement.after ?? []).enumerated() where !metrics.contains(name) || name == measurement.metric {
                    error(
                        path + [.key("after"), .index(position)],
                        "expected the metric of another measurement ("
                            + execution.measure.map(\.metric).filter { $0 != measurement.metric }.joined(separator: ", ")
                            + "), got " + quoted(name))
                }
            }
            for (index, action) in execution.rollback.enumerated() {
                self.action(action, at: root + [.key("rollback"), .index(index)])
            }
            for (index, step) in execution.teardown.enumerated() {
                command(step, at: root + [.key("teardown"), .index(index)])
            }
            for (index, query) in (execution.rangeQueries ?? []).enumerated() {
                let path = root + [.key("rangeQueries"), .index(index)]
                positive(query.step, at: path + [.key("step")])
                if query.query.trimmingSpaces.isEmpty { error(path + [.key("query")], "expected a PromQL expression, got an empty string") }
            }
        }

        mutating func command(_ step: CommandStep, at path: [PathElement]) {
            positive(step.timeout, at: path + [.key("timeout")])
            if let ready = step.ready { probe(ready, at: path + [.key("ready")]) }
            if step.background == true { started.append(step.name) }
        }

        mutating func probe(_ probe: Probe, at path: [PathElement]) {
            positive(probe.timeout, at: path + [.key("timeout")])
            positive(probe.interval, at: path + [.key("interval")])
            let kinds = [probe.command, probe.http, probe.tcp, probe.prometheus, probe.alertmanager].compactMap { $0 }.count
            if kinds != 1 {
                error(path, "expected exactly one of command, http, tcp, prometheus or alertmanager; found \(kinds)")
            }
            monitoring(probe, at: path)
        }

        /// A Prometheus probe needs its query, comparison and threshold (and nothing else has them);
        /// an Alertmanager probe needs the alert's labels, `alertname` among them.
        mutating func monitoring(_ probe: Probe, at path: [PathElement]) {
            if probe.prometheus != nil {
                for (key, present) in [("query", probe.query != nil), ("compare", probe.compare != nil), ("threshold", probe.threshold != nil)]
                where !present {
                    error(path, "a Prometheus probe needs `\(key)` (query, compare and threshold: the instant query's value is compared with the threshold)")
                }
                if let query = probe.query, query.trimmingSpaces.isEmpty { error(path + [.key("query")], "expected a PromQL expression, got an empty string") }
                if let threshold = probe.threshold, !threshold.isFinite { error(path + [.key("threshold")], "expected a finite number") }
            } else {
                for (key, present) in [("query", probe.query != nil), ("compare", probe.compare != nil), ("threshold", probe.threshold != nil)] where present {
                    error(path + [.key(key)], "`\(key)` belongs to a Prometheus probe; this probe has no `prometheus` URL")
                }
            }
            if probe.alertmanager != nil {
                if (probe.alert?["alertname"] ?? "").trimmingSpaces.isEmpty {
                    error(path, "an Alertmanager probe needs `alert` with at least `alertname`, the labels of the alert that must be firing")
                }
            } else if probe.alert != nil {
                error(path + [.key("alert")], "`alert` belongs to an Alertmanager probe; this probe has no `alertmanager` URL")
            }
            httpProbe(probe, at: path)
        }

        mutating func load(_ step: LoadStep, at path: [PathElement]) {
            positive(step.duration, at: path + [.key("duration")])
            positive(step.rate, at: path + [.key("rate")])
            if let workers = step.concurrency, workers < 1 {
                error(path + [.key("concurrency")], "expected a positive number of workers, got \(workers)")
            }
            positive(step.timeout, at: path + [.key("timeout")])
            httpRequest(url: step.url, method: step.method, headers: step.headers, caFile: step.caFile, at: path, urlKey: "url")
        }

        mutating func action(_ action: FaultAction, at path: [PathElement]) {
            positive(action.timeout, at: path + [.key("timeout")])
            if let wait = action.wait, !(wait >= 0) {
                error(path + [.key("wait")], "expected a number of seconds of at least 0, got " + MetricFormat.number(wait))
            }
            if let signal = action.signal, FaultAction.signalName(signal) == nil {
                error(
                    path + [.key("signal")],
                    "expected one of " + FaultAction.signals.joined(separator: ", ") + ", got " + quoted(signal))
            }
            if let target = action.kill, !started.contains(target) {
                error(
                    path + [.key("kill")],
                    "expected the name of a background step started before this action"
                        + (started.isEmpty ? " (there is none)" : " (" + started.joined(separator: ", ") + ")")
                        + ", got " + quoted(target))
            }
            if let ready = action.ready { probe(ready, at: path + [.key("ready")]) }
            if let load = action.load { self.load(load, at: path + [.key("load")]) }
            httpAction(action, at: path)
            if action.background == true { started.append(action.name) }
        }

        // HTTP requests of probes, actions and load steps (issue 12): a URL the client can send, a
        // method and header names that are HTTP tokens, header values on one line, a valid regular
        // expression and JSON path, a status code, and request fields only where a request is made.

        mutating func httpProbe(_ probe: Probe, at path: [PathElement]) {
            guard let url = probe.http else {
                let requestOnly: [(String, Bool)] = [
                    ("method", probe.method != nil), ("headers", probe.headers != nil), ("body", probe.body != nil),
                    ("matches", probe.matches != nil), ("caFile", probe.caFile != nil), ("status", probe.status != nil),
                    ("jsonField", probe.jsonField != nil), ("jsonValue", probe.jsonValue != nil), ("maxLatencyMs", probe.maxLatencyMs != nil),
                ]
                for (key, present) in requestOnly where present {
                    error(path + [.key(key)], "`\(key)` is for HTTP probes; this probe has no `http` URL")
                }
                return
            }
            httpRequest(url: url, method: probe.method, headers: probe.headers, caFile: probe.caFile, at: path, urlKey: "http")
            statusCode(probe.status, at: path + [.key("status")])
            if let pattern = probe.matches {
                if (try? NSRegularExpression(pattern: pattern)) == nil {
                    error(path + [.key("matches")], "expected a regular expression, got " + quoted(pattern) + " (it does not compile)")
                }
            }
            if let field = probe.jsonField, Probe.jsonFieldKeys(field) == nil {
                error(
                    path + [.key("jsonField")],
                    "expected a dotted path (items.0.id) or a JSON path ($.items[0].id), got " + quoted(field))
            }
            if probe.jsonValue != nil, probe.jsonField == nil {
                error(path + [.key("jsonValue")], "`jsonValue` needs `jsonField`, the field it is compared with")
            }
        }

        mutating func httpAction(_ action: FaultAction, at path: [PathElement]) {
            guard let request = action.http else {
                let requestOnly: [(String, Bool)] = [
                    ("headers", action.headers != nil), ("body", action.body != nil), ("status", action.status != nil), ("caFile", action.caFile != nil),
                ]
                for (key, present) in requestOnly where present {
                    error(path + [.key(key)], "`\(key)` is for HTTP actions; this action has no `http` request")
                }
                return
            }
            let parts = request.split(separator: " ", maxSplits: 1).map(String.init)
            let (method, url) = parts.count == 2 ? (parts[0], parts[1]) : (nil, parts.first ?? "")
            httpRequest(url: url, method: method, headers: action.headers, caFile: action.caFile, at: path, urlKey: "http", methodKey: "http")
            statusCode(action.status, at: path + [.key("status")])
        }

        mutating func httpRequest(
            url: String, method: String?, headers: [String: String]?, caFile: String?, at path: [PathElement], urlKey: String,
            methodKey: String = "method"
        ) {
            let lowered = url.trimmingSpaces.lowercased()
            let secure = lowered.hasPrefix("https://")
            // A URL that starts with a variable (`${MARKET_URL}/quote`) gets its scheme from the drill's
            // or the environment's value, which the blast-radius check reads before the run.
            let fromVariable = lowered.hasPrefix("${")
            if !secure, !fromVariable, !lowered.hasPrefix("http://") || lowered.count <= "http://".count {
                error(path + [.key(urlKey)], "expected an http:// or https:// URL, got " + quoted(url))
            }
            if let method, !Self.isToken(method) {
                error(path + [.key(methodKey)], "expected an HTTP method such as GET or POST, got " + quoted(method))
            }
            for (name, value) in (headers ?? [:]).sorted(by: { $0.key < $1.key }) {
                if !Self.isToken(name) {
                    error(path + [.key("headers"), .key(name)], "expected a header name (letters, digits and !#$%&'*+-.^_`|~), got " + quoted(name))
                }
                // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
                if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                    error(path + [.key("headers"), .key(name)], "expected a header value on one line, got a line break or NUL in " + quoted(name))
                }
            }
            if caFile != nil, lowered.hasPrefix("http://") {
                error(path + [.key("caFile")], "`caFile` is for https:// URLs; this one is " + quoted(url))
            }
        }

        mutating func statusCode(_ status: Int?, at path: [PathElement]) {
            guard let status, !(100...599).contains(status) else { return }
            error(path, "expected an HTTP status from 100 to 599, got \(status)")
        }

        /// An HTTP token (RFC 9110): a method or a header name.
        static func isToken(_ text: String) -> Bool {
            !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
            }
        }

        mutating func positive(_ value: Double?, at path: [PathElement]) {
            guard let value, !(value > 0) else { return }
            error(path, "expected a positive number of seconds, got " + MetricFormat.number(value))
        }
    }
}
