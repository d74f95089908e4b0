import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

/// Drills 2.1, 2.2 and 3.1 for real: Python providers and services (3.1 behind nginx) on 127.0.0.1.
/// Skipped (with a message) only when nginx or python3 is not installed.
extension RealDrills {
    @Suite("nginx drills, end to end", .enabled(if: NginxAvailability.installed, NginxAvailability.message))
    struct NginxDrillIntegrationTests {
        static let drills = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content/drills")

        /// The shipped drill with its steady-state latency bounds (500 ms) raised to 5 s. On a loaded
        /// 2-core machine a Python provider behind nginx may answer slower than 500 ms, which aborts the
        /// drill before its fault: a verdict on the machine, not on the executor these tests are about.
        static func readForALoadedMachine(_ name: String) throws -> (drill: DrillDefinition, file: URL) {
            let file = drills.appendingPathComponent(name)
            var drill = try DrillFileReader.read(file)
            for index in drill.execution?.steadyState.indices ?? 0..<0 {
                if let bound = drill.execution?.steadyState[index].maxLatencyMs {
                    drill.execution?.steadyState[index].maxLatencyMs = max(bound, 5000)
                }
            }
            return (drill, file)
        }

        /// What must hold whatever the machine's speed: the drill ran to its end (no abort, no failed
        /// step, rollback or steady state), every criterion was measured, and the criteria that do not
        /// depend on timing were met. Timing criteria (a fallback within 5 s, under 1 % failed polls)
        /// judge the machine and may be missed under load; the exact figures are checked below them.
        static func expectRanToTheEnd(_ run: DrillRun, met untimed: [String]) {
            #expect(run.outcome != .aborted, "\(run.abortReason ?? "")")
            #expect(!run.observations.contains { $0.hasPrefix("Failure: ") }, "\(run.observations)")
            for criterion in run.criteria { #expect(criterion.verdict != .notMeasured, "\(criterion.criterionId)") }
            for id in untimed { #expect(run.criteria.first { $0.criterionId == id }?.verdict == .met, "\(id)") }
        }

        @Test func singleProviderFailureFallsBackAndRecovers() async throws {
            let (drill, file) = try Self.readForALoadedMachine("single-provider-failure.yaml")
            let (run, pids) = await DrillRunner().run(drill, drillFile: file, settings: RunSettings())
            Self.expectRanToTheEnd(run, met: ["data-quality", "automatic-recovery"])
            // The service decided the fallback; quality is what users were served, judged against the
            // reference feed (the no-fallback control in ServiceDrillTests scores below 90 %).
            let fallback = try #require(run.metric(named: "fallback_seconds")).value
            #expect(fallback > 0 && fallback < 8)
            #expect((run.metric(named: "data_quality_score")?.value ?? 0) > 90)
            #expect(run.metric(named: "recovered")?.value == 1)
            #expect(run.metric(named: "failed_request_rate") != nil)
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty) }
        }

        @Test func multipleProviderFailureServesMockDataAndKeepsOrdersFlowing() async throws {
            let (drill, file) = try Self.readForALoadedMachine("multiple-provider-failure.yaml")
            let (run, pids) = await DrillRunner().run(drill, drillFile: file, settings: RunSettings())
            Self.expectRanToTheEnd(run, met: ["users-notified", "trading-maintained"])
            let fallback = try #require(run.metric(named: "mock_fallback_seconds")).value
            #expect(fallback > 0 && fallback < 8)
            #expect(run.metric(named: "users_notified")?.value == 1)
            #expect(run.metric(named: "providers_recovered")?.value == 1)
            #expect(run.metric(named: "order_success_rate") != nil)
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty) }
        }

        @Test func suddenOrderBurstRecordsPercentilesAndRateLimiting() async throws {
            let file = Self.drills.appendingPathComponent("sudden-order-burst.yaml")
            let drill = try DrillFileReader.read(file)
            let (run, pids) = await DrillRunner().run(drill, drillFile: file, settings: RunSettings())
            #expect(run.outcome != .aborted, "\(run.abortReason ?? "")")
            for name in ["client_baseline_p95_ms", "client_burst_p99_ms", "burst_successful_rps", "baseline_successful_rps", "p95_latency_ratio", "error_rate"] {
                #expect(run.metric(named: name) != nil, "missing \(name)")
            }
            #expect((run.metric(named: "rate_limited_share")?.value ?? 0) > 0)
            // Successful (2xx) throughput, measured: the limiter lets through at most 12x the baseline.
            let multiplier = try #require(run.metric(named: "load_multiplier")).value
            #expect(multiplier >= 10 && multiplier < 13.5)
            let p50 = try #require(run.metric(named: "client_burst_p50_ms")).value
            let p99 = try #require(run.metric(named: "client_burst_p99_ms")).value
            #expect(p50 <= p99)
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty) }
        }
    }
}

enum NginxAvailability {
    static func has(_ tool: String) -> Bool {
        ((ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }
    static let installed = has("nginx") && has("python3")
    static let message: Comment = "nginx or python3 is not installed: skipping the real provider-failover and order-burst drills (apt-get install -y nginx)"
}

@Suite("Loopback targets and JSON fields")
struct LoopbackTargetTests {
    @Test func onlyLoopbackTargetsAreAcceptedByDefault() {
        #expect(BlastRadius.localRealisation.refusal(ofTarget: "http://example.com/") != nil)
        #expect(BlastRadius.localRealisation.refusal(ofTarget: "10.0.0.1:80") != nil)
        if case .success(let target) = NetworkTarget.parse(url: "http://127.0.0.1:8080/a?b=1") {
            #expect(target.port == 8080 && target.url == "http://127.0.0.1:8080/a?b=1" && target.hostPort == "127.0.0.1:8080")
        } else {
            Issue.record("rejected loopback")
        }
    }


    @Test func jsonFieldsByDottedPath() {
        let body = #"{"provider":"BSE","data":{"items":[{"id":7}]},"ok":true}"#
        #expect(ProbeEvaluator.jsonValue(in: body, path: "provider") == "BSE")
        #expect(ProbeEvaluator.jsonValue(in: body, path: "data.items.0.id") == "7")
        #expect(ProbeEvaluator.normalised(ProbeEvaluator.jsonValue(in: body, path: "ok")) == "1")
        #expect(ProbeEvaluator.jsonValue(in: "not json", path: "x") == nil)
    }
}

extension RealDrills {
    /// Drill 3.2 for real; skipped (with a message) when stress-ng or nginx is not installed.
    @Suite("CPU and memory pressure drill", .enabled(if: NginxAvailability.installed && NginxAvailability.has("stress-ng"), "stress-ng or nginx is not installed: skipping the CPU and memory pressure drill (apt-get install -y stress-ng nginx)"))
    struct PressureDrillIntegrationTests {
        @Test func pressureIsMeasuredAndTheAutoscalerCriterionStaysUnmeasured() async throws {
            let file = RealDrills.NginxDrillIntegrationTests.drills.appendingPathComponent("memory-cpu-pressure.yaml")
            let drill = try DrillFileReader.read(file)
            let (run, pids) = await DrillRunner().run(drill, drillFile: file, settings: RunSettings())
            #expect(run.outcome == .failed)
            #expect(run.criteria.first { $0.criterionId == "autoscaling-triggers" }?.verdict == .notMeasured)
            // The API is isolated from its noisy neighbour (stress-ng runs at `nice -n 19`, as a
            // container's CPU request would place it), so it degrades gracefully: every measurable
            // criterion is met (the no-isolation control in ServiceDrillTests misses).
            let missed = run.criteria.filter { $0.verdict == .missed }.map(\.criterionId)
            #expect(missed.isEmpty, "\(run.criteria)")
            print("healthy 3.2: " + run.criteria.map { "\($0.criterionId)=\($0.actual.map { String($0) } ?? "-")" }.joined(separator: " ")
                + " pooled=\(run.metric(named: "pooled_p95_latency_ratio")?.value ?? .nan)")
            #expect(run.metric(named: "p95_latency_ratio") != nil)
            // The order API's own CPU share, not the stressor's (which is 100 %).
            #expect((run.metric(named: "peak_cpu_percent")?.value ?? 100) < 50)
            #expect(run.timeline.contains { $0.event == "rollback.completed" })
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty) }
        }
    }
}
