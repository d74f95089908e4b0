import DrillbookModel
import Foundation
import Synchronization
import Testing
@testable import DrillbookRunner

/// The Prometheus and Alertmanager probes against answers written out here (no network).
@Suite("Monitoring probes: Prometheus and Alertmanager answers")
struct MonitoringProbeTests {
    /// Answers every GET with the body given for the first URL prefix it starts with.
    final class CannedNetwork: NetworkClient {
        let answers: [(prefix: String, status: Int, body: String)]
        let seen = Mutex<[String]>([])
        init(answers: [(prefix: String, status: Int, body: String)]) { self.answers = answers }

        func send(_ request: HTTPRequest) async -> Result<HTTPResponse, NetworkError> {
            let url = request.url
            seen.withLock { $0.append(url) }
            guard let answer = answers.first(where: { url.hasPrefix($0.prefix) }) else { return .failure(NetworkError("connect to 127.0.0.1:9 failed: Connection refused")) }
            return .success(HTTPResponse(status: answer.status, body: answer.body, latency: 0.001))
        }
        func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> { .failure(NetworkError("no TCP here")) }
        func load(_ request: HTTPRequest, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
            LoadReport(acceptedLatenciesMs: [], requests: 0, errors: 0, rateLimited: 0, seconds: duration)
        }
    }

    static func prometheusProbe(_ query: String, _ compare: Comparison, _ threshold: Double) -> Probe {
        var probe = Probe(name: "query")
        probe.prometheus = "http://127.0.0.1:9090/"
        probe.query = query
        probe.compare = compare
        probe.threshold = threshold
        return probe
    }

    static func vector(_ value: String) -> String {
        #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"redis"},"value":[1780000000.5,"\#(value)"]}]}}"#
    }

    static func attempt(_ probe: Probe, answering body: String, status: Int = 200) async -> (ProbeAttempt, [String]) {
        let network = CannedNetwork(answers: [("http://127.0.0.1:", status, body)])
        let attempt = await ProbeEvaluator(launcher: FakeLauncher(clock: FakeClock(), rules: []), network: network).attempt(probe)
        return (attempt, network.seen.withLock { $0 })
    }

    @Test func theQueryIsPercentEncodedAsOneParameter() async {
        let (attempt, urls) = await Self.attempt(Self.prometheusProbe(#"sum(rate(x{a="b c"}[5s])) + 1 > 0 & é"#, .equal, 1), answering: Self.vector("1"))
        #expect(attempt.holds)
        #expect(urls == ["http://127.0.0.1:9090/api/v1/query?query=sum%28rate%28x%7Ba%3D%22b%20c%22%7D%5B5s%5D%29%29%20%2B%201%20%3E%200%20%26%20%C3%A9"])
    }

    @Test func aValueOnTheWrongSideOfTheThresholdFails() async {
        let (holds, _) = await Self.attempt(Self.prometheusProbe("redis_up", .equal, 1), answering: Self.vector("1"))
        #expect(holds.holds)
        #expect(holds.detail == "query gave 1")
        let (wrong, _) = await Self.attempt(Self.prometheusProbe("redis_up", .greaterThan, 1), answering: Self.vector("1"))
        #expect(!wrong.holds)
        #expect(wrong.detail == "query gave 1 (expected > 1)")
    }

    @Test func emptyNaNAndErrorsAreFailedAttemptsWithTheReason() async {
        let probe = Self.prometheusProbe("redis_up", .equal, 1)
        let empty = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#
        #expect(await Self.attempt(probe, answering: empty).0.detail == "query returned no series (empty result) (expected a value = 1)")
        #expect(await Self.attempt(probe, answering: Self.vector("NaN")).0.detail == "query gave NaN (expected a value = 1)")
        let error = #"{"status":"error","errorType":"bad_data","error":"1:9: parse error: unexpected \"}\""}"#
        #expect(
            await Self.attempt(probe, answering: error, status: 400).0.detail
                == #"Prometheus refused the query (HTTP 400, bad_data): 1:9: parse error: unexpected "}" (expected a value = 1)"#)
        let two = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]},{"metric":{},"value":[1,"1"]}]}}"#
        #expect(await Self.attempt(probe, answering: two).0.detail == "query returned 2 series; expected one (aggregate it) (expected a value = 1)")
        #expect(await Self.attempt(probe, answering: "<html>", status: 502).0.detail == "Prometheus answered HTTP 502 without its JSON: <html> (expected a value = 1)")
        for body in [empty, Self.vector("NaN"), error, two] { #expect(await !Self.attempt(probe, answering: body).0.holds) }
    }

    static let alerts = #"""
        [{"labels":{"alertname":"RedisMasterDown","job":"redis-master","severity":"page"},"status":{"state":"active","silencedBy":[],"inhibitedBy":[]},"startsAt":"2026-12-01T18:38:36.772Z"},
         {"labels":{"alertname":"DiskFull"},"status":{"state":"suppressed","silencedBy":["x"],"inhibitedBy":[]},"startsAt":"2026-12-01T18:00:00.000Z"}]
        """#

    static func alertProbe(_ labels: [String: String]) -> Probe {
        var probe = Probe(name: "alert")
        probe.alertmanager = "http://127.0.0.1:9093"
        probe.alert = labels
        return probe
    }

    @Test func anAlertWithEveryLabelFiringHoldsAndSaysSinceWhen() async {
        let (attempt, urls) = await Self.attempt(Self.alertProbe(["alertname": "RedisMasterDown", "severity": "page"]), answering: Self.alerts)
        #expect(attempt.holds)
        #expect(attempt.detail == "alert RedisMasterDown firing since 2026-12-01T18:38:36.772Z")
        #expect(attempt.output == "2026-12-01T18:38:36.772Z")
        #expect(urls == ["http://127.0.0.1:9093/api/v2/alerts?active=true&silenced=false&inhibited=false"])
    }

    @Test func noMatchingAlertOrOneNotFiringFails() async {
        let other = await Self.attempt(Self.alertProbe(["alertname": "RedisMasterDown", "severity": "ticket"]), answering: Self.alerts).0
        #expect(!other.holds)
        #expect(other.detail == #"no alert {alertname="RedisMasterDown", severity="ticket"} is firing (2 active alerts)"#)
        let silenced = await Self.attempt(Self.alertProbe(["alertname": "DiskFull"]), answering: Self.alerts).0
        #expect(!silenced.holds)
        #expect(silenced.detail == "alert DiskFull is suppressed, not firing")
        let none = await Self.attempt(Self.alertProbe(["alertname": "RedisMasterDown"]), answering: "[]").0
        #expect(!none.holds)
        #expect(none.detail == #"no alert {alertname="RedisMasterDown"} is firing (0 active alerts)"#)
    }

    @Test func aRangeQueryBecomesPointsAfterTheRunStart() {
        let body = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1000,"1"],[1001,"0"],[1002,"NaN"]]}]}}"#
        guard case .success(let result) = PrometheusQuery.rangePoints(status: 200, body: body, runStart: 999.5) else {
            Issue.record("no points")
            return
        }
        #expect(result.points == [EvidencePoint(t: 0.5, value: 1), EvidencePoint(t: 1.5, value: 0), EvidencePoint(t: 2.5, value: nil)])
        #expect(PrometheusQuery.rangeURL(base: "http://127.0.0.1:9090", query: "up", start: 1000, end: 1010, step: 1)
            == "http://127.0.0.1:9090/api/v1/query_range?query=up&start=1000.000&end=1010.000&step=1.000")
    }
}

/// Monitoring probes and `onTimeout` are validated like every other part of `execution:`, with
/// located messages (`run` and `check` alike); the valid drill with them is accepted.
@Suite("Monitoring probes: validation")
struct MonitoringValidationTests {
    static let probe = "      probe: { name: up, tcp: \"127.0.0.1:${PORT_1}\" }"
    static let valid = DrillValidationTests.valid.replacingOccurrences(
        of: probe,
        with: "      probe: { name: fired, alertmanager: \"http://127.0.0.1:${PORT_2}\", alert: { alertname: Down } }\n      onTimeout: window")
        + """

          rangeQueries:
            - { name: up, prometheus: "http://127.0.0.1:${PORT_3}", query: up, step: 1 }
          steadyState:
            - { name: seen, prometheus: "http://127.0.0.1:${PORT_3}", query: 'up{job="web"}', compare: "==", threshold: 1 }
        """

    @Test func theValidDrillWithMonitoringIsAccepted() throws {
        #expect(DrillValidationTests.runErrors(Self.valid) == [])
        #expect(try DrillValidationTests.checkErrors(Self.valid) == [])
    }

    @Test(arguments: [
        (
            "compare: \"==\", threshold: 1", "threshold: 1",
            "drills/v.yaml:37: $.execution.steadyState[0]: a Prometheus probe needs `compare` (query, compare and threshold: the instant query's value is compared with the threshold)"
        ),
        (
            "alert: { alertname: Down }", "alert: { job: web }",
            "drills/v.yaml:25: $.execution.measure[0].probe: an Alertmanager probe needs `alert` with at least `alertname`, the labels of the alert that must be firing"
        ),
        (
            "prometheus: \"http://127.0.0.1:${PORT_3}\", query: 'up{job=\"web\"}', compare: \"==\", threshold: 1 }",
            "http: \"http://127.0.0.1:${PORT_3}\", query: 'up{job=\"web\"}' }",
            "drills/v.yaml:37: $.execution.steadyState[0].query: `query` belongs to a Prometheus probe; this probe has no `prometheus` URL"
        ),
        (
            "compare: \"==\"", "compare: \"=\"",
            "drills/v.yaml:37: $.execution.steadyState[0].compare: expected one of <, <=, >, >=, ==, !=, got \"=\""
        ),
        (
            "query: up, step: 1", "query: up, step: 0",
            "drills/v.yaml:35: $.execution.rangeQueries[0].step: expected a positive number of seconds, got 0"
        ),
        (
            "      kind: holds\n", "      kind: holds\n      onTimeout: window\n",
            "drills/v.yaml:31: $.execution.measure[1].onTimeout: onTimeout: window records the time watched, so it needs an elapsed measurement, not holds"
        ),
    ])
    func aBrokenMonitoringProbeIsRefused(original: String, broken: String, message: String) throws {
        let yaml = Self.valid.replacingOccurrences(of: original, with: broken)
        #expect(yaml != Self.valid)
        #expect(DrillValidationTests.runErrors(yaml) == [message])
        #expect(try DrillValidationTests.checkErrors(yaml) == [message])
    }
}

enum MonitoringAvailability {
    static let tools = ["prometheus", "prometheus-alertmanager", "prometheus-redis-exporter", "prometheus-postgres-exporter", "prometheus-node-exporter"]
    static let installed = tools.allSatisfy(NginxAvailability.has)
    static let message: Comment = "Prometheus, Alertmanager or an exporter is not installed: skipping the monitoring drills (apt-get install -y prometheus prometheus-alertmanager prometheus-redis-exporter prometheus-postgres-exporter prometheus-node-exporter)"
}

extension RealDrills {
    /// Time to detection by monitoring in the real drills: a real Prometheus, Alertmanager and
    /// exporters on 127.0.0.1, healthy and with the drill's alert rule removed (negative control).
    @Suite("Monitoring as evidence: detection by Prometheus and Alertmanager", .enabled(if: MonitoringAvailability.installed, MonitoringAvailability.message))
    struct MonitoringDrillTests {
        static let drills = InfrastructureDrillTests.drills

        /// The drill with its rules file replaced by `rules` (a copy in a temporary folder whose
        /// `support` links to the real one), or the shipped drill.
        static func run(_ name: String, rulesFile: String, rules: String? = nil) async throws -> DrillRun {
            let shipped = drills.appendingPathComponent(name)
            var file = shipped
            var folder: URL?
            if let rules {
                let made = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-monitoring-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(at: made.appendingPathComponent("support"), withDestinationURL: drills.appendingPathComponent("support"))
                try rules.write(to: made.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
                let text = try String(contentsOf: shipped, encoding: .utf8)
                let old = "${DRILL_DIR}/support/monitoring/rules/" + rulesFile
                #expect(text.components(separatedBy: old).count == 2, "\(name) must name \(old) once")
                file = made.appendingPathComponent(name)
                try text.replacingOccurrences(of: old, with: "${DRILL_DIR}/rules.yml").write(to: file, atomically: true, encoding: .utf8)
                folder = made
            }
            defer { if let folder { try? FileManager.default.removeItem(at: folder) } }
            let drill = try DrillFileReader.read(file)
            let (run, pids) = await DrillRunner().run(drill, drillFile: file, settings: RunSettings(runBy: "integration-test"))
            #expect(run.outcome != .aborted, "\(run.abortReason ?? "")")
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty, "process group \(pid) still has members") }
            let detection = run.metric(named: "monitoring_detection_seconds")
            print("\(name)\(rules == nil ? "" : " (alert rule removed)"): monitoring_detection_seconds=\(detection.map { String($0.value) } ?? "-"), setup \(Self.setupSeconds(run)) s")
            return run
        }

        /// Seconds from the drill's start to the end of its setup (the stack is part of it).
        static func setupSeconds(_ run: DrillRun) -> String {
            guard let start = run.timeline.first?.at.secondsSince1970,
                let end = run.timeline.first(where: { $0.event.hasPrefix("steadyState") || $0.event == "fault.started" })?.at.secondsSince1970
            else { return "?" }
            return String(format: "%.2f", end - start)
        }

        static func expectDetected(_ run: DrillRun, alert: String, target: Double, sourceLocation: SourceLocation = #_sourceLocation) {
            let criterion = run.criteria.first { $0.metric == "monitoring_detection_seconds" }
            #expect(criterion?.verdict == .met, "\(criterion?.actual.map { String($0) } ?? "-") \(run.observations)", sourceLocation: sourceLocation)
            let detected = run.timeline.first { $0.event == "monitoring.detected" }
            #expect(detected?.description == alert, sourceLocation: sourceLocation)
            let seconds = run.metric(named: "monitoring_detection_seconds")?.value ?? .nan
            #expect(seconds > 0 && seconds <= target, sourceLocation: sourceLocation)
        }

        /// With the rule removed the alert never fires: the criterion misses (the time watched is
        /// recorded), it is not "not measured", and no `monitoring.detected` event is written.
        static func expectNeverDetected(_ run: DrillRun, window: Double, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(run.outcome == .failed, sourceLocation: sourceLocation)
            let criterion = run.criteria.first { $0.metric == "monitoring_detection_seconds" }
            #expect(criterion?.verdict == .missed, "\(criterion.map { "\($0.verdict)" } ?? "no criterion") \(run.observations)", sourceLocation: sourceLocation)
            #expect((criterion?.actual ?? 0) >= window, sourceLocation: sourceLocation)
            #expect(run.metric(named: "monitoring_detection_seconds")?.note?.hasPrefix("not reached: ") == true, sourceLocation: sourceLocation)
            #expect(!run.timeline.contains { $0.event == "monitoring.detected" }, sourceLocation: sourceLocation)
        }

        // MARK: 1.2 Redis Sentinel failover (redis exporter)

        static let redis = "redis-sentinel-failover.yaml"
        static let redisRules = "redis-sentinel-failover.yml"
        static let redisWithoutTheRule = "groups:\n  - name: redis-sentinel-failover\n    rules: []\n"

        @Test(.enabled(if: RedisAvailability.installed, RedisAvailability.message))
        func redisMasterDownIsDetectedByMonitoring() async throws {
            let run = try await Self.run(Self.redis, rulesFile: Self.redisRules)
            #expect(run.outcome == .passed, "\(run.observations)")
            Self.expectDetected(run, alert: "RedisMasterDown", target: 10)
            let series = try #require(run.details.series.first { $0.source == .prometheus })
            #expect(series.source == .prometheus && series.name == "master up (redis exporter)")
            #expect(series.points.contains { $0.value == 1 } && series.points.contains { $0.value == 0 }, "the master was up, then down: \(series.points)")
        }

        @Test(.enabled(if: RedisAvailability.installed, RedisAvailability.message))
        func redisWithoutTheAlertRuleMissesMonitoringDetection() async throws {
            let run = try await Self.run(Self.redis, rulesFile: Self.redisRules, rules: Self.redisWithoutTheRule)
            Self.expectNeverDetected(run, window: 15)
            // Everything else the drill measures is unchanged.
            for criterion in run.criteria where criterion.metric != "monitoring_detection_seconds" { #expect(criterion.verdict == .met, "\(criterion.criterionId)") }
        }

        // MARK: 1.3 Database replica lag (postgres exporter)

        static let replicaLag = "database-replica-lag.yaml"

        @Test(.enabled(if: PostgresAvailability.installed && NginxAvailability.has("haproxy"), PostgresAvailability.message))
        func replicaLagIsDetectedByMonitoring() async throws {
            let run = try await Self.run(Self.replicaLag, rulesFile: "database-replica-lag.yml")
            Self.expectDetected(run, alert: "ReplicaLagging", target: 300)
            let series = try #require(run.details.series.first { $0.source == .prometheus })
            #expect(series.source == .prometheus && series.unit == "bytes")
            #expect(series.points.contains { ($0.value ?? 0) > 16_384 }, "the paused replay put the replica more than 16 KiB behind: \(series.points.compactMap(\.value).max() ?? -1)")
        }

        /// 1.3 with its rule removed watches the full 310 s window (the target is 300 s), so it runs
        /// only when asked: `MONITORING_SLOW_CONTROLS=1`.
        @Test(.enabled(if: PostgresAvailability.installed && NginxAvailability.has("haproxy"), PostgresAvailability.message),
              .enabled(if: ProcessInfo.processInfo.environment["MONITORING_SLOW_CONTROLS"] == "1", "1.3's control watches 310 s: MONITORING_SLOW_CONTROLS=1 runs it"))
        func replicaLagWithoutTheAlertRuleMissesMonitoringDetection() async throws {
            let run = try await Self.run(Self.replicaLag, rulesFile: "database-replica-lag.yml", rules: "groups: []\n")
            Self.expectNeverDetected(run, window: 310)
        }

        // MARK: 2.1 Single provider failure (the provider's own /metrics, Prometheus' `up`)

        static let singleProvider = "single-provider-failure.yaml"
        static let singleProviderRules = "single-provider-failure.yml"

        @Test(.enabled(if: NginxAvailability.has("python3"), "python3 is not installed"))
        func providerOutageIsDetectedByMonitoring() async throws {
            let run = try await Self.run(Self.singleProvider, rulesFile: Self.singleProviderRules)
            Self.expectDetected(run, alert: "ProviderDown", target: 5)
            let series = try #require(run.details.series.first { $0.source == .prometheus })
            #expect(series.points.contains { $0.value == 0 }, "Prometheus could not scrape the frozen provider")
        }

        @Test(.enabled(if: NginxAvailability.has("python3"), "python3 is not installed"))
        func providerOutageWithoutTheAlertRuleMissesMonitoringDetection() async throws {
            let run = try await Self.run(Self.singleProvider, rulesFile: Self.singleProviderRules, rules: "groups: []\n")
            Self.expectNeverDetected(run, window: 10)
        }

        // MARK: 2.2 Multiple provider failure (the providers' /metrics, Prometheus' `up`)

        static let multipleProviders = "multiple-provider-failure.yaml"

        @Test(.enabled(if: NginxAvailability.has("python3"), "python3 is not installed"))
        func outageOfEveryProviderIsDetectedByMonitoring() async throws {
            let run = try await Self.run(Self.multipleProviders, rulesFile: "multiple-provider-failure.yml")
            Self.expectDetected(run, alert: "AllProvidersDown", target: 10)
            #expect(try #require(run.details.series.first { $0.source == .prometheus }).points.contains { $0.value == 0 }, "Prometheus could scrape neither provider")
        }

        @Test(.enabled(if: NginxAvailability.has("python3"), "python3 is not installed"))
        func outageOfEveryProviderWithoutTheAlertRuleMissesMonitoringDetection() async throws {
            let run = try await Self.run(Self.multipleProviders, rulesFile: "multiple-provider-failure.yml", rules: "groups: []\n")
            Self.expectNeverDetected(run, window: 15)
        }

        // MARK: 1.1 WebSocket node failure (each node's /metrics, Prometheus' `up`)

        static let websocket = "websocket-node-failure.yaml"
        static let websocketRules = "websocket-node-failure.yml"

        @Test(.enabled(if: NginxAvailability.installed, NginxAvailability.message))
        func deadWebSocketNodeIsDetectedByMonitoring() async throws {
            let run = try await Self.run(Self.websocket, rulesFile: Self.websocketRules)
            Self.expectDetected(run, alert: "WebSocketNodeDown", target: 30)
            let prometheus = run.details.series.filter { $0.source == .prometheus }
            let up = try #require(prometheus.first { $0.name == "node 1 up (Prometheus scrape)" })
            #expect(up.points.contains { $0.value == 1 } && up.points.contains { $0.value == 0 }, "node 1 was scraped up, then refused: \(up.points)")
            let connections = try #require(prometheus.first { $0.unit == "connections" })
            #expect(connections.points.contains { ($0.value ?? 0) >= 30 }, "the 30 clients were seen connected: \(connections.points)")
        }

        @Test(.enabled(if: NginxAvailability.installed, NginxAvailability.message))
        func deadWebSocketNodeWithoutTheAlertRuleMissesMonitoringDetection() async throws {
            let run = try await Self.run(Self.websocket, rulesFile: Self.websocketRules, rules: "groups: []\n")
            Self.expectNeverDetected(run, window: 35)
            // The failover itself is judged as before (performance-maintained is timing: not asserted).
            for id in ["failover-within-30s", "zero-message-loss", "reconnection-rate"] {
                #expect(run.criteria.first { $0.criterionId == id }?.verdict == .met, "\(id)")
            }
        }

        // MARK: 3.1 Sudden order burst (nginx's stub_status through the nginx exporter)

        static let orderBurst = "sudden-order-burst.yaml"
        static let orderBurstRules = "sudden-order-burst.yml"

        @Test(.enabled(if: NginxAvailability.installed && NginxAvailability.has("prometheus-nginx-exporter"), "nginx or prometheus-nginx-exporter is not installed"))
        func orderSurgeIsDetectedByMonitoring() async throws {
            let run = try await Self.run(Self.orderBurst, rulesFile: Self.orderBurstRules)
            Self.expectDetected(run, alert: "OrderTrafficSurge", target: 10)
            let rate = try #require(run.details.series.first { $0.source == .prometheus })
            #expect(rate.unit == "req/s")
            #expect(rate.points.contains { ($0.value ?? 0) > 30 } && rate.points.contains { ($0.value ?? 99) < 30 }, "nginx saw the bursts above its normal rate: \(rate.points)")
        }

        @Test(.enabled(if: NginxAvailability.installed && NginxAvailability.has("prometheus-nginx-exporter"), "nginx or prometheus-nginx-exporter is not installed"))
        func orderSurgeWithoutTheAlertRuleMissesMonitoringDetection() async throws {
            let run = try await Self.run(Self.orderBurst, rulesFile: Self.orderBurstRules, rules: "groups: []\n")
            Self.expectNeverDetected(run, window: 10)
            for id in ["handles-10x", "error-rate-under-1", "rate-limiting-effective"] {
                #expect(run.criteria.first { $0.criterionId == id }?.verdict == .met, "\(id)")
            }
        }

        // MARK: 3.2 Memory and CPU pressure (the drill's host processes through the process exporter)

        static let pressure = "memory-cpu-pressure.yaml"
        static let pressureRules = "memory-cpu-pressure.yml"

        @Test(.enabled(if: NginxAvailability.installed && NginxAvailability.has("stress-ng") && NginxAvailability.has("prometheus-process-exporter"), "nginx, stress-ng or prometheus-process-exporter is not installed"))
        func memoryPressureIsDetectedByMonitoring() async throws {
            let run = try await Self.run(Self.pressure, rulesFile: Self.pressureRules)
            Self.expectDetected(run, alert: "HostMemoryPressure", target: 10)
            let memory = try #require(run.details.series.first { $0.source == .prometheus && $0.unit == "bytes" })
            #expect(memory.points.contains { ($0.value ?? 0) > 67_108_864 } && memory.points.contains { ($0.value ?? .infinity) < 67_108_864 },
                    "the host's processes held under 64 MiB, then over: \(memory.points.compactMap(\.value).max() ?? -1)")
        }

        @Test(.enabled(if: NginxAvailability.installed && NginxAvailability.has("stress-ng") && NginxAvailability.has("prometheus-process-exporter"), "nginx, stress-ng or prometheus-process-exporter is not installed"))
        func memoryPressureWithoutTheAlertRuleMissesMonitoringDetection() async throws {
            let run = try await Self.run(Self.pressure, rulesFile: Self.pressureRules, rules: "groups: []\n")
            Self.expectNeverDetected(run, window: 10)
            // The drill's own verdicts: graceful degradation still met, auto-scaling still not measured.
            #expect(run.criteria.first { $0.criterionId == "graceful-degradation" }?.verdict == .met)
            #expect(run.criteria.first { $0.criterionId == "autoscaling-triggers" }?.verdict == .notMeasured)
        }
    }
}
