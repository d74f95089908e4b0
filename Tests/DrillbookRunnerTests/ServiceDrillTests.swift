import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

/// Negative controls of the provider and load drills (2.1, 2.2, 3.1, 3.2): each runs a broken
/// variant of the shipped drill — a copy of its YAML (and of `support/`) in a temporary folder with
/// the few differences written out below — and asserts exactly which criteria miss and that the
/// run fails. Listed in docs/executor.md, "Negative controls: provider and load drills".
extension RealDrills {
    @Suite("Provider and load drills: negative controls", .enabled(if: NginxAvailability.installed, NginxAvailability.message))
    struct ServiceDrillControls {
        /// Writes `file` with each `(old, new)` replaced (every `old` must occur) into a fresh folder
        /// beside a copy of `support/`, after `supportEdits` (path under support, old, new), and reads it
        /// with the steady-state latency bounds raised to 5 s (a loaded machine is not the fault).
        static func variant(
            _ file: String, _ edits: [(String, String)] = [], support supportEdits: [(String, String, String)] = []
        ) throws -> (drill: DrillDefinition, file: URL, folder: URL) {
            let drills = RealDrills.NginxDrillIntegrationTests.drills
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-control-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: drills.appendingPathComponent("support"), to: folder.appendingPathComponent("support"))
            for (path, old, new) in supportEdits {
                let url = folder.appendingPathComponent("support").appendingPathComponent(path)
                let text = try String(contentsOf: url, encoding: .utf8)
                try #require(text.contains(old), "support/\(path) lacks \(old)")
                try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
            }
            var text = try String(contentsOf: drills.appendingPathComponent(file), encoding: .utf8)
            for (old, new) in edits {
                try #require(text.contains(old), "\(file) lacks \(old)")
                text = text.replacingOccurrences(of: old, with: new)
            }
            let url = folder.appendingPathComponent(file)
            try text.write(to: url, atomically: true, encoding: .utf8)
            var drill = try DrillFileReader.read(url)
            for index in drill.execution?.steadyState.indices ?? 0..<0 {
                if let bound = drill.execution?.steadyState[index].maxLatencyMs {
                    drill.execution?.steadyState[index].maxLatencyMs = max(bound, 5000)
                }
            }
            return (drill, url, folder)
        }

        /// Runs the variant; returns the run after checking that no process was left behind.
        static func run(_ variant: (drill: DrillDefinition, file: URL, folder: URL)) async -> DrillRun {
            defer { try? FileManager.default.removeItem(at: variant.folder) }
            let (run, pids) = await DrillRunner().run(variant.drill, drillFile: variant.file, settings: RunSettings())
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty, "process group \(pid) still has members") }
            return run
        }

        static func ids(_ run: DrillRun, _ verdict: Verdict) -> Set<String> {
            Set(run.criteria.filter { $0.verdict == verdict }.map(\.criterionId))
        }

        static func figures(_ run: DrillRun) -> String {
            run.criteria.map { "\($0.criterionId)=\($0.actual.map { MetricFormat.number($0) } ?? "–")" }.joined(separator: " ")
        }

        /// The run failed, exactly `expected` missed and exactly `notMeasured` were not measured;
        /// the verdicts of `unasserted` (named by the test, with the reason) are not checked.
        static func expectFailed(_ run: DrillRun, missing expected: Set<String>, notMeasured: Set<String> = [], unasserted: Set<String> = []) {
            #expect(run.outcome == .failed, "\(run.abortReason ?? "") \(run.observations)")
            #expect(ids(run, .missed).subtracting(unasserted) == expected, "\(figures(run))")
            #expect(ids(run, .notMeasured).subtracting(unasserted) == notMeasured, "\(figures(run)) \(run.observations)")
            print("control \(run.drillId): \(figures(run))")
        }

        // MARK: 2.1 single provider failure

        @Test func singleProviderWithoutFallbackMissesFallbackQualityAndRecovery() async throws {
            // The service never asks BSE; when NSE hangs it serves its last NSE quote again (stale).
            let run = await Self.run(try Self.variant("single-provider-failure.yaml", [("--fallback on", "--fallback off")]))
            Self.expectFailed(run, missing: ["fallback-within-5s", "data-quality", "automatic-recovery"])
            #expect((run.metric(named: "data_quality_score")?.value ?? 100) < 90)
        }

        @Test func singleProviderFaultNotInjectedMissesFallbackAndRecovery() async throws {
            // SIGCONT instead of SIGSTOP: NSE never fails, so nothing falls back or recovers.
            let run = await Self.run(try Self.variant("single-provider-failure.yaml", [("signal: SIGSTOP", "signal: SIGCONT")]))
            Self.expectFailed(run, missing: ["fallback-within-5s", "automatic-recovery", "monitoring-detects"])
        }

        // MARK: 2.2 multiple provider failure

        @Test func multipleProvidersServiceThatNeverNotifiesMissesUsersNotified() async throws {
            let run = await Self.run(try Self.variant("multiple-provider-failure.yaml", [("--notice on", "--notice off")]))
            Self.expectFailed(run, missing: ["users-notified"])
        }

        @Test func multipleProvidersOrdersNeedingALivePriceMissTradingMaintained() async throws {
            let run = await Self.run(try Self.variant("multiple-provider-failure.yaml", [("--orders any-price", "--orders live-price")]))
            Self.expectFailed(run, missing: ["trading-maintained"])
            #expect((run.metric(named: "order_success_rate")?.value ?? 100) < 50)
        }

        @Test func multipleProvidersWithoutMockDataMissEveryCriterion() async throws {
            // No mock fallback: with both providers down the service answers 503 to quotes and orders.
            let run = await Self.run(try Self.variant("multiple-provider-failure.yaml", [("--mock on", "--mock off")]))
            Self.expectFailed(run, missing: ["mock-fallback-within-10s", "users-notified", "system-stable", "trading-maintained"])
        }

        @Test func multipleProvidersFaultNotInjectedMissesMockFallbackAndNotification() async throws {
            let run = await Self.run(try Self.variant("multiple-provider-failure.yaml", [("signal: SIGSTOP", "signal: SIGCONT")]))
            Self.expectFailed(run, missing: ["mock-fallback-within-10s", "users-notified", "monitoring-detects"])
        }

        // MARK: 3.1 sudden order burst

        @Test func orderBurstWithTooStrictALimiterMissesHandles10x() async throws {
            let run = await Self.run(
                try Self.variant("sudden-order-burst.yaml", support: [("nginx/order-burst.conf", "rate=120r/s", "rate=20r/s")]))
            // With 26 orders/s reaching the API in the bursts against 10 in the baselines, its
            // sub-millisecond p95 ratio is noise around 1 (0.4–1.7× seen): not what this control tests.
            Self.expectFailed(run, missing: ["handles-10x"], unasserted: ["response-under-2x"])
        }

        @Test func orderBurstWithTheBackendDeadMissesHandles10xAndErrorRate() async throws {
            // The order API is killed before the first burst (and the abort condition that would
            // stop the drill at once is left out, so the criteria are judged).
            let drill = try String(contentsOf: RealDrills.NginxDrillIntegrationTests.drills.appendingPathComponent("sudden-order-burst.yaml"), encoding: .utf8)
            let abortIf = try #require(drill.range(of: "  abortIf:\n").flatMap { start in
                drill.range(of: "  measure:\n", range: start.upperBound..<drill.endIndex).map { String(drill[start.lowerBound..<$0.lowerBound]) }
            })
            let run = await Self.run(try Self.variant("sudden-order-burst.yaml", [
                ("    - name: mark-burst-1\n", "    - name: backend-dies\n      kill: order-api\n    - name: mark-burst-1\n"),
                (abortIf, ""),
            ]))
            Self.expectFailed(run, missing: ["handles-10x", "error-rate-under-1"], notMeasured: ["response-under-2x"])
            #expect(run.metric(named: "load_multiplier")?.value == 0)
        }

        @Test func orderBurstOnAnAPIThatSlowsUnderLoadMissesResponseTimes() async throws {
            // Each order holds the matching lock 20 ms (a synchronous journal write, no CPU), so the
            // API serves at most 50 orders/s whatever the machine's load: the 10 r/s baseline fits,
            // but in every burst the limiter admits 120 r/s, orders queue for the lock and the API's
            // own p95 grows by the length of that queue. It cannot handle 10x either (at most 5x).
            // The limiter then hardly ever rejects (the clients wait on the API, so orders reach nginx
            // at about the API's pace); whether a few 429s come depends on how the client's sends
            // bunch on a loaded machine, so rate-limiting-effective is not asserted.
            let run = await Self.run(try Self.variant("sudden-order-burst.yaml", [("${RUN_DIR}/orders.log\n", "${RUN_DIR}/orders.log --hold-ms 20\n")]))
            Self.expectFailed(run, missing: ["handles-10x", "response-under-2x"], unasserted: ["rate-limiting-effective"])
            #expect((run.metric(named: "p95_latency_ratio")?.value ?? 0) > 4, "\(Self.figures(run))")
            #expect((run.metric(named: "load_multiplier")?.value ?? 99) < 7, "\(Self.figures(run))")
        }

        @Test func orderBurstFaultNotInjectedMissesHandles10xAndRateLimiting() async throws {
            // The "burst" is sent at the normal rate.
            let run = await Self.run(try Self.variant("sudden-order-burst.yaml", [("rate: 150", "rate: 10")]))
            // Equal rates: the p95 ratio of two sets of ~90 sub-millisecond handler times is noise
            // (0.4–3.7× seen), not what this control tests.
            Self.expectFailed(run, missing: ["handles-10x", "rate-limiting-effective", "monitoring-detects"], unasserted: ["response-under-2x"])
        }
    }

    /// Drill 3.2's control and point 3 (verdicts independent of the machine's load); need stress-ng.
    @Suite("Load drills under pressure: controls and a loaded machine", .enabled(if: NginxAvailability.installed && NginxAvailability.has("stress-ng"), "stress-ng or nginx is not installed: skipping (apt-get install -y stress-ng nginx)"))
    struct PressureDrillControls {
        @Test func pressureOnAServiceThatDegradesMissesGracefulDegradation() async throws {
            // No isolation from the noisy neighbour: stress-ng runs at the API's own priority (its
            // `nice -n 19` removed), and each order takes 2 ms of CPU inside one lock. Without
            // pressure that is a tenth of a core; under pressure the API gets a share of its CPU
            // with the stressor's nine workers, each order takes several times longer and orders
            // queue for the lock.
            let run = await ServiceDrillControls.run(try ServiceDrillControls.variant("memory-cpu-pressure.yaml", [
                ("${RUN_DIR}/orders.log\n", "${RUN_DIR}/orders.log --work-ms 2\n"), ("run: nice -n 19 stress-ng ", "run: stress-ng "),
            ]))
            ServiceDrillControls.expectFailed(run, missing: ["graceful-degradation"], notMeasured: ["autoscaling-triggers"])
            #expect((run.metric(named: "p95_latency_ratio")?.value ?? 0) > 3, "\(ServiceDrillControls.figures(run))")
        }

        @Test func pressureFaultNotInjectedLeavesTheCriteriaNotMeasured() async throws {
            // `sleep` instead of stress-ng: no window had pressure, so nothing is judged (never met).
            let run = await ServiceDrillControls.run(try ServiceDrillControls.variant(
                "memory-cpu-pressure.yaml", [("nice -n 19 stress-ng --cpu 8 --vm 1 --vm-bytes 256M --timeout 300s --quiet", "sleep 60")]))
            ServiceDrillControls.expectFailed(run, missing: ["monitoring-detects"], notMeasured: [
                "autoscaling-triggers", "utilization-optimized", "graceful-degradation", "stability-maintained",
            ])
        }

        /// A healthy system keeps its verdicts with one core loaded by `stress-ng --cpu 1` (started
        /// by pid for the whole of both drills, then killed): 3.1 passes, 3.2 fails only on its
        /// unmeasurable auto-scaling criterion.
        @Test func healthyLoadDrillsKeepTheirVerdictsWithOneCoreLoaded() async throws {
            // Foundation starts it as the leader of a process group of its own: one SIGKILL to the group
            // stops stress-ng and its worker (this process may block SIGTERM, which a child inherits).
            let stress = Process()
            stress.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            stress.arguments = ["stress-ng", "--cpu", "1", "--timeout", "180s", "--quiet"]
            try stress.run()
            #expect(getpgid(stress.processIdentifier) == stress.processIdentifier)
            defer {
                kill(-stress.processIdentifier, SIGKILL)
                stress.waitUntilExit()
                #expect(ProcessTable.livingMembers(ofGroup: stress.processIdentifier).isEmpty)
            }
            let burst = await ServiceDrillControls.run(try ServiceDrillControls.variant("sudden-order-burst.yaml"))
            #expect(burst.outcome == .passed, "\(ServiceDrillControls.figures(burst)) \(burst.observations)")
            let pressure = await ServiceDrillControls.run(try ServiceDrillControls.variant("memory-cpu-pressure.yaml"))
            #expect(ServiceDrillControls.ids(pressure, .missed).isEmpty, "\(ServiceDrillControls.figures(pressure))")
            #expect(ServiceDrillControls.ids(pressure, .notMeasured) == ["autoscaling-triggers"])
            print("with stress-ng --cpu 1: 3.1 \(ServiceDrillControls.figures(burst)); 3.2 \(ServiceDrillControls.figures(pressure))")
        }
    }
}
