/// The steps the executor runs to realise a drill locally (the `execution:` block of a drill file).
///
/// Order: `setup` → `steadyState` (must hold, else nothing is injected) → `fault` (with `during`
/// and `abortIf` probes polled while it is active, and `load` steps) → `measure` → `steadyState`
/// again → `rollback` (always) → `teardown` (always) → criteria.
public struct DrillExecution: Sendable, Hashable, Codable {
    @DefaultEmpty public var setup: [CommandStep]
    @DefaultEmpty public var steadyState: [Probe]
    @DefaultEmpty public var fault: [FaultAction]
    @DefaultEmpty public var measure: [Measurement]
    @DefaultEmpty public var during: [Probe]
    @DefaultEmpty public var load: [LoadStep]
    @DefaultEmpty public var abortIf: [Probe]
    @DefaultEmpty public var rollback: [FaultAction]
    @DefaultEmpty public var teardown: [CommandStep]
    /// Metrics computed from other metrics once everything ran (ratios such as `p95_latency_ratio`).
    @DefaultEmpty public var derive: [DerivedMetric]
    /// The values the local realisation gives the variables a drill written for both a local
    /// realisation and named environments refers to (`MARKET_URL: http://127.0.0.1:${PORT_3}`);
    /// an environment file gives its own (docs/executor.md, "Environments").
    @DefaultEmpty public var variables: [String: String]

    // Monitoring as evidence: Prometheus range queries recorded into the run (as `series`) once
    // the rollback ran, while the monitoring stack still runs. Set after `init`.
    /// Prometheus range queries over the run.
    public var rangeQueries: [RangeQuery]?

    public init(
        setup: [CommandStep] = [], steadyState: [Probe] = [], fault: [FaultAction] = [],
        measure: [Measurement] = [], during: [Probe] = [], load: [LoadStep] = [], abortIf: [Probe] = [],
        rollback: [FaultAction] = [], teardown: [CommandStep] = [], derive: [DerivedMetric] = [],
        variables: [String: String] = [:]
    ) {
        self.setup = setup
        self.steadyState = steadyState
        self.fault = fault
        self.measure = measure
        self.during = during
        self.load = load
        self.abortIf = abortIf
        self.rollback = rollback
        self.teardown = teardown
        self.derive = derive
        self.variables = variables
    }

}

/// A command that starts or stops something the drill needs.
public struct CommandStep: Sendable, Hashable, Codable {
    public var name: String
    /// Run through `/bin/sh -c`.
    public var run: String
    /// Keep running in the background (a server); its pid is recorded under `name`.
    public var background: Bool?
    /// Seconds to wait for a foreground command, or for `ready` to hold.
    public var timeout: Double?
    /// A probe that must hold before the next step starts.
    public var ready: Probe?

    public init(name: String, run: String, background: Bool? = nil, timeout: Double? = nil, ready: Probe? = nil) {
        self.name = name
        self.run = run
        self.background = background
        self.timeout = timeout
        self.ready = ready
    }
}

/// A check: a command, an HTTP request or a TCP connect.
public struct Probe: Sendable, Hashable, Codable {
    public var name: String
    /// Command probe: run through `/bin/sh -c`.
    public var command: String?
    /// Command probe: expected exit status (default 0).
    public var exitStatus: Int?
    /// Command or HTTP probe: text the output or body must contain.
    public var contains: String?
    /// HTTP probe: the URL, `http://` or `https://`, any host the run may reach.
    public var http: String?
    /// HTTP probe: expected status (default 200).
    public var status: Int?
    /// HTTP probe: a JSON field (dotted path `items.0.id`, or JSON path `$.items[0].id`) and the value it must have.
    public var jsonField: String?
    public var jsonValue: String?
    /// HTTP probe: the response must arrive within this many milliseconds.
    public var maxLatencyMs: Double?
    /// TCP probe: `host:port` to connect to.
    public var tcp: String?
    /// Seconds one attempt may take.
    public var timeout: Double?
    /// Seconds between polls, where the probe is polled.
    public var interval: Double?
    /// `during` probes: record the share of failed polls (in %) as this metric.
    public var metric: String?
    // HTTP probe: the request and the checks of its answer (issue 12).
    /// HTTP probe: the request method (default `GET`).
    public var method: String?
    /// HTTP probe: request headers (`Authorization: Bearer ${secret:TOKEN}`), sent in name order.
    public var headers: [String: String]?
    /// HTTP probe: the request body.
    public var body: String?
    /// HTTP probe: a regular expression (ICU syntax) the body must match somewhere.
    public var matches: String?
    /// HTTPS probe: a PEM file of CA certificates trusted besides the system store.
    public var caFile: String?

    // Monitoring probes: what Prometheus and Alertmanager saw (`docs/executor.md`, "Monitoring as
    // evidence"). Set after `init`; nil unless the drill names them.
    /// Prometheus probe: the server's base URL (`http://127.0.0.1:9090`); with `query`.
    public var prometheus: String?
    /// Prometheus probe: a PromQL instant query; it holds when its one result compares with
    /// `threshold` as `compare` says (an empty result, NaN or an error is a failed attempt).
    public var query: String?
    public var compare: Comparison?
    public var threshold: Double?
    /// Alertmanager probe: the server's base URL; it holds when an alert carrying every label of
    /// `alert` (`alertname` and any others) is firing, and its output is that alert's `startsAt`.
    public var alertmanager: String?
    public var alert: [String: String]?

    public init(
        name: String, command: String? = nil, exitStatus: Int? = nil, contains: String? = nil, http: String? = nil,
        status: Int? = nil, jsonField: String? = nil, jsonValue: String? = nil, maxLatencyMs: Double? = nil,
        tcp: String? = nil, timeout: Double? = nil, interval: Double? = nil, metric: String? = nil,
        method: String? = nil, headers: [String: String]? = nil, body: String? = nil, matches: String? = nil, caFile: String? = nil
    ) {
        self.name = name
        self.command = command
        self.exitStatus = exitStatus
        self.contains = contains
        self.http = http
        self.status = status
        self.jsonField = jsonField
        self.jsonValue = jsonValue
        self.maxLatencyMs = maxLatencyMs
        self.tcp = tcp
        self.timeout = timeout
        self.interval = interval
        self.metric = metric
        self.method = method
        self.headers = headers
        self.body = body
        self.matches = matches
        self.caFile = caFile
    }
}

/// One fault or rollback action.
public struct FaultAction: Sendable, Hashable, Codable {
    public var name: String
    /// Run a command through `/bin/sh -c`; a non-zero exit fails the action.
    public var run: String?
    /// Kill the process a setup step recorded (its step name) or whose pid is in this file.
    public var kill: String?
    public var pidFile: String?
    /// Signal to send (`SIGKILL` default for kill, `SIGSTOP`, `SIGCONT`, `SIGTERM`).
    public var signal: String?
    /// Seconds to wait.
    public var wait: Double?
    /// HTTP request: `METHOD URL` (`http://` or `https://`, any host the run may reach); fails on a
    /// transport error or an answer of 400 or above, unless `status` names the one expected.
    public var http: String?
    /// Event name recorded on the timeline when the action completes (default `fault.<name>`).
    public var event: String?
    public var timeout: Double?
    /// With `run`: start the command in the background (a server, e.g. the old master restarted by
    /// a rollback); its pid is recorded under `name`.
    public var background: Bool?
    /// With `background`: a probe that must hold before the next action starts.
    public var ready: Probe?
    /// The built-in HTTP load step, run as this action.
    public var load: LoadStep?
    // HTTP action: the request besides `http`'s method and URL (issue 12).
    /// HTTP action: request headers, sent in name order.
    public var headers: [String: String]?
    /// HTTP action: the request body.
    public var body: String?
    /// HTTP action: the status the answer must have (default: any below 400).
    public var status: Int?
    /// HTTPS action: a PEM file of CA certificates trusted besides the system store.
    public var caFile: String?

    public init(
        name: String, run: String? = nil, kill: String? = nil, pidFile: String? = nil, signal: String? = nil,
        wait: Double? = nil, http: String? = nil, event: String? = nil, timeout: Double? = nil,
        background: Bool? = nil, ready: Probe? = nil, load: LoadStep? = nil,
        headers: [String: String]? = nil, body: String? = nil, status: Int? = nil, caFile: String? = nil
    ) {
        self.name = name
        self.run = run
        self.kill = kill
        self.pidFile = pidFile
        self.signal = signal
        self.wait = wait
        self.http = http
        self.event = event
        self.timeout = timeout
        self.background = background
        self.ready = ready
        self.load = load
        self.headers = headers
        self.body = body
        self.status = status
        self.caFile = caFile
    }
}

/// What a measurement records.
public enum MeasurementKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Seconds (or ms) from the event `from` until the probe first holds (the default).
    case elapsed
    /// 1 when the probe holds within the timeout, else 0 (unit `bool`).
    case holds
    /// The number a command probe prints (or an HTTP probe's `jsonField`), once it holds.
    case value
}

/// A timed measurement: poll `probe` every `interval` seconds until it holds (or `timeout` passes),
/// and record the seconds since the event `from` as metric `metric` (see `kind` for other forms).
public struct Measurement: Sendable, Hashable, Codable {
    public var metric: String
    /// `elapsed` (default), `holds` or `value`.
    public var kind: MeasurementKind?
    /// The timeline event the clock starts at (e.g. `fault.injected`); needed for `elapsed`.
    public var from: String?
    /// The event recorded when the probe first holds (e.g. `master.changed`).
    public var event: String?
    public var probe: Probe
    public var interval: Double?
    public var timeout: Double
    /// Unit of the recorded metric: `s` (default for `elapsed`) or `ms`; `bool`, `count`, … otherwise.
    public var unit: String?
    /// Start polling only after the measurements named here have finished (e.g. check data once the
    /// new master is elected).
    public var after: [String]?
    /// An action performed when the measurement starts (e.g. the failed provider returns), so
    /// recovery can be measured from its event.
    public var trigger: FaultAction?

    /// `window`: when the probe never holds within `timeout`, record the time watched (from `from`
    /// to the end of the window) as the metric, noting that it was not reached; the event took
    /// longer than that, so a target shorter than the window misses (time to detection by
    /// monitoring when the alert never fired). Without it the metric is not measured.
    public var onTimeout: MeasurementTimeout?

    public init(
        metric: String, kind: MeasurementKind? = nil, from: String? = nil, event: String? = nil, probe: Probe,
        interval: Double? = nil, timeout: Double, unit: String? = nil, after: [String]? = nil, trigger: FaultAction? = nil
    ) {
        self.metric = metric
        self.kind = kind
        self.from = from
        self.event = event
        self.probe = probe
        self.interval = interval
        self.timeout = timeout
        self.unit = unit
        self.after = after
        self.trigger = trigger
    }
}

/// What an `elapsed` measurement records when its probe never held within its window.
public enum MeasurementTimeout: String, Sendable, Hashable, Codable, CaseIterable {
    /// The time watched, as a lower bound of the real time (see `Measurement.onTimeout`).
    case window
}

/// A Prometheus range query recorded over the run, from its start to the end of the rollback,
/// into the record as an `EvidenceSeries` with source `prometheus` (one series per query: the
/// first of its result; each point `t` seconds after the run's start).
public struct RangeQuery: Sendable, Hashable, Codable {
    public var name: String
    /// The Prometheus server's base URL.
    public var prometheus: String
    /// The PromQL expression.
    public var query: String
    /// Seconds between points (default 1).
    public var step: Double?
    /// The unit of the values (default empty).
    public var unit: String?

    public init(name: String, prometheus: String, query: String, step: Double? = nil, unit: String? = nil) {
        self.name = name
        self.prometheus = prometheus
        self.query = query
        self.step = step
        self.unit = unit
    }
}

/// A metric computed from others after the run: `numerator × factor / denominator`, subtracted
/// from `subtractFrom` when given (a success rate from a failure share: `100 − x`).
public struct DerivedMetric: Sendable, Hashable, Codable {
    public var metric: String
    public var numerator: String
    public var denominator: String?
    public var factor: Double?
    public var subtractFrom: Double?
    public var unit: String?

    public init(
        metric: String, numerator: String, denominator: String? = nil, factor: Double? = nil, subtractFrom: Double? = nil,
        unit: String? = nil
    ) {
        self.metric = metric
        self.numerator = numerator
        self.denominator = denominator
        self.factor = factor
        self.subtractFrom = subtractFrom
        self.unit = unit
    }
}

/// A built-in HTTP load step: records throughput, latency percentiles and error rate.
public struct LoadStep: Sendable, Hashable, Codable {
    public var name: String
    public var url: String
    /// Requests per second (open model); omit for a closed model driven by `concurrency`.
    public var rate: Double?
    public var concurrency: Int?
    /// Seconds.
    public var duration: Double
    /// Prefix of the metric names it records (`<prefix>_p95_ms`, `<prefix>_error_rate`, …).
    public var metricPrefix: String
    // The request each worker sends (issue 12); `url` is `http://` or `https://`, any host the run may reach.
    /// The request method (default `GET`).
    public var method: String?
    /// Request headers, sent in name order.
    public var headers: [String: String]?
    /// The request body.
    public var body: String?
    /// HTTPS: a PEM file of CA certificates trusted besides the system store.
    public var caFile: String?
    /// Seconds each request may take (default 5); a slower one counts as an error.
    public var timeout: Double?

    public init(
        name: String, url: String, rate: Double? = nil, concurrency: Int? = nil, duration: Double, metricPrefix: String,
        method: String? = nil, headers: [String: String]? = nil, body: String? = nil, caFile: String? = nil, timeout: Double? = nil
    ) {
        self.name = name
        self.url = url
        self.rate = rate
        self.concurrency = concurrency
        self.duration = duration
        self.metricPrefix = metricPrefix
        self.method = method
        self.headers = headers
        self.body = body
        self.caFile = caFile
        self.timeout = timeout
    }
}

extension FaultAction {
    /// The signals a fault or rollback action may send: the ones a drill needs to kill, stop,
    /// resume or ask a process to quit. Written with or without `SIG`, in any case.
    public static let signals = ["SIGKILL", "SIGTERM", "SIGINT", "SIGHUP", "SIGSTOP", "SIGCONT"]

    /// `signal` as one of `signals` (`term` → `SIGTERM`), or nil when it is none of them.
    public static func signalName(_ signal: String) -> String? {
        let upper = signal.trimmingSpaces.uppercased()
        let name = upper.hasPrefix("SIG") ? upper : "SIG" + upper
        return signals.contains(name) ? name : nil
    }
}
