import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

/// Drills 1.1 (WebSocket), 1.2 (Redis Sentinel) and 1.3 (replica lag) for real, healthy and broken.
/// Each negative control runs a copy of the shipped drill with one visible change (a string
/// replaced in its YAML, written to a temporary folder whose `support` links to the real one) and
/// asserts the verdict of every criterion: exactly the criteria meant to catch the defect miss (or
/// are not measured, with a reason), and the run fails.
extension RealDrills {
    @Suite("Infrastructure drills: healthy runs and negative controls")
    struct InfrastructureDrillTests {
        static let drills = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content/drills")

        /// The shipped drill, or a copy with `replacing` (which must occur exactly once) replaced.
        /// The returned folder is the copy's, to be removed by the caller (nil for the shipped drill).
        static func drill(_ name: String, replacing old: String? = nil, with new: String = "") throws -> (drill: DrillDefinition, file: URL, folder: URL?) {
            let shipped = drills.appendingPathComponent(name)
            guard let old else { return (try DrillFileReader.read(shipped), shipped, nil) }
            let text = try String(contentsOf: shipped, encoding: .utf8)
            let parts = text.components(separatedBy: old)
            #expect(parts.count == 2, "\(name) must contain exactly once: \(old)")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-variant-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("support"), withDestinationURL: drills.appendingPathComponent("support"))
            let file = folder.appendingPathComponent(name)
            try parts.joined(separator: new).write(to: file, atomically: true, encoding: .utf8)
            return (try DrillFileReader.read(file), file, folder)
        }

        static func run(_ name: String, replacing old: String? = nil, with new: String = "") async throws -> DrillRun {
            let (drill, file, folder) = try drill(name, replacing: old, with: new)
            defer { if let folder { try? FileManager.default.removeItem(at: folder) } }
            let (run, pids) = await DrillRunner().run(drill, drillFile: file, settings: RunSettings(runBy: "integration-test"))
            #expect(run.outcome != .aborted, "\(run.abortReason ?? "")")
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty, "process group \(pid) still has members") }
            let figures = run.criteria.map { "\($0.criterionId)=\($0.actual.map { String($0) } ?? "-") \($0.verdict.rawValue)" }
            print("\(name)\(old == nil ? "" : " (variant)"): \(figures.joined(separator: ", "))")
            return run
        }

        /// Every criterion's verdict is the one given; a `nil` verdict means met or missed (measured).
        static func expectVerdicts(_ run: DrillRun, _ expected: [String: Verdict?], sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(Set(run.criteria.map(\.criterionId)) == Set(expected.keys), sourceLocation: sourceLocation)
            for criterion in run.criteria {
                guard let wanted = expected[criterion.criterionId] else { continue }
                if let wanted {
                    #expect(criterion.verdict == wanted, "\(criterion.criterionId): \(criterion.verdict) \(criterion.actual.map { String($0) } ?? "") \(run.observations)", sourceLocation: sourceLocation)
                } else {
                    #expect(criterion.verdict != .notMeasured, "\(criterion.criterionId) not measured: \(run.observations)", sourceLocation: sourceLocation)
                }
            }
        }

        // MARK: 1.1 WebSocket node failure

        static let websocket = "websocket-node-failure.yaml"

        @Test(.enabled(if: NginxAvailability.installed, NginxAvailability.message))
        func websocketNodeFailureReconnectsEveryDisconnectedClient() async throws {
            let run = try await Self.run(Self.websocket)
            Self.expectVerdicts(run, ["failover-within-30s": .met, "zero-message-loss": .met, "reconnection-rate": .met, "performance-maintained": nil, "monitoring-detects": .met])
            let disconnected = try #require(run.metric(named: "client_disconnections")).value
            #expect(disconnected > 0 && disconnected < 30, "a third of the 30 clients were on the killed node")
            #expect(run.metric(named: "reconnection_success_rate")?.value == 100)
            #expect(run.metric(named: "messages_lost")?.value == 0)
            #expect(run.timeline.contains { $0.event == "rollback.completed" })
        }

        /// Failover disabled: nginx is given node 1 only (the lines of nodes 2 and 3 are deleted
        /// from its config), so the clients the kill disconnects have nowhere to go.
        @Test(.enabled(if: NginxAvailability.installed, NginxAvailability.message))
        func websocketWithoutOtherUpstreamsMissesTheFailoverCriteria() async throws {
            let run = try await Self.run(Self.websocket, replacing: #"sed -e "s|@RUN_DIR@|"#, with: #"sed -e "/@NODE[23]@/d" -e "s|@RUN_DIR@|"#)
            #expect(run.outcome == .failed)
            Self.expectVerdicts(run, [
                "failover-within-30s": .notMeasured, "zero-message-loss": .missed, "reconnection-rate": .missed,
                "performance-maintained": .notMeasured, "monitoring-detects": .met,
            ])
            #expect(run.metric(named: "client_disconnections")?.value == 30)
            #expect(run.metric(named: "reconnection_success_rate")?.value == 0)
            #expect(run.observations.contains { $0.contains("never received again") })
        }

        /// Fault not injected: the kill is replaced by `true`. Nobody is disconnected, so there is
        /// no failover to time, no reconnection rate and no failover window to lose messages in.
        @Test(.enabled(if: NginxAvailability.installed, NginxAvailability.message))
        func websocketWithoutTheFaultMeasuresNoFailover() async throws {
            let run = try await Self.run(Self.websocket, replacing: "      kill: node-1\n      signal: SIGKILL\n", with: "      run: \"true\"\n")
            #expect(run.outcome == .failed)
            Self.expectVerdicts(run, [
                "failover-within-30s": .notMeasured, "zero-message-loss": .notMeasured, "reconnection-rate": .notMeasured,
                "performance-maintained": nil, "monitoring-detects": .missed,
            ])
            #expect(run.metric(named: "client_disconnections")?.value == 0)
            #expect(run.observations.contains { $0.contains("no client lost its connection after the fault") })
        }

        /// Point 3: with one core kept busy by stress-ng for the whole run, a healthy 1.1 keeps its
        /// verdict (the latency ratio compares each slot with reference clients in the same slot).
        /// It used to fail about one run in six, for three causes the records showed, each fixed in
        /// the realisation rather than by a wider target: the four figures after the first were read
        /// by four Pythons started at once, which took over 5 s on a loaded machine (not measured; now
        /// awk reads a fields file); the reference clients were a third as many, on one node and not
        /// through nginx, with every client's tick at the same instant, so their slot p95s were not
        /// like the fleet's (ratios 0.4–11.7×; now 30 reference clients cross the same nginx to three
        /// reference nodes, ticks spread over the 100 ms). Once, 16 clients were on the killed node
        /// and 8 never received again within 32 s, reconnecting in steps of about 11 s (nginx's 1 s
        /// connect timeout plus 10 s fail_timeout): most likely a node's listen backlog of 5, which
        /// makes a connect wait for a SYN retransmit when many clients connect at once to a node slow
        /// to accept, so nginx marks a live node failed (now 128; not seen again in 21 runs).
        @Test(.enabled(if: NginxAvailability.installed && NginxAvailability.has("stress-ng"), "stress-ng or nginx is not installed"))
        func websocketKeepsItsVerdictWithOneCoreLoaded() async throws {
            // Killed with SIGKILL, with its worker (its process group is its pid): a child of the
            // test process inherits its blocked SIGTERM and SIGALRM, so neither a SIGTERM nor
            // stress-ng's own --timeout would stop it.
            let stress = Process()
            stress.executableURL = URL(fileURLWithPath: "/usr/bin/stress-ng")
            stress.arguments = ["--cpu", "1", "--timeout", "180", "--quiet"]
            try stress.run()
            let pid = stress.processIdentifier
            defer {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                stress.waitUntilExit()
                #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty, "stress-ng workers left")
            }
            let run = try await Self.run(Self.websocket)
            #expect(stress.isRunning, "stress-ng ran for the whole drill")
            #expect(run.outcome == .passed, "\(run.criteria.map { "\($0.criterionId) \($0.verdict) \($0.actual ?? .nan)" })")
            Self.expectVerdicts(run, ["failover-within-30s": .met, "zero-message-loss": .met, "reconnection-rate": .met, "performance-maintained": .met, "monitoring-detects": .met])
        }

        // MARK: 1.2 Redis Sentinel failover

        /// Failover disabled: the replica is started with `--replica-priority 0`, which Sentinel
        /// never promotes. Sentinel still sees the master down; the long-lived client never writes
        /// again and can read none of its acknowledged writes back.
        @Test(.enabled(if: RedisAvailability.installed, RedisAvailability.message))
        func redisWithoutAPromotableReplicaMissesReconnectionAndIntegrity() async throws {
            let run = try await Self.run(
                "redis-sentinel-failover.yaml", replacing: "--protected-mode no --replicaof 127.0.0.1 ${PORT_1}",
                with: "--protected-mode no --replica-priority 0 --replicaof 127.0.0.1 ${PORT_1}")
            #expect(run.outcome == .failed)
            Self.expectVerdicts(run, [
                "failover-detected": .met, "new-master-elected": .notMeasured, "applications-reconnect": .missed, "data-integrity": .missed,
                "monitoring-detects": .met,
            ])
            #expect((run.metric(named: "acknowledged_writes")?.value ?? 0) > 0)
            #expect(run.metric(named: "acknowledged_writes_lost")?.value == run.metric(named: "acknowledged_writes")?.value)
        }

        // MARK: 1.3 Database replica lag

        static let replicaLag = "database-replica-lag.yaml"

        @Test(.enabled(if: PostgresAvailability.installed && NginxAvailability.has("haproxy"), PostgresAvailability.message))
        func replicaLagFailsReadsOverToThePrimaryAndBack() async throws {
            let run = try await Self.run(Self.replicaLag)
            Self.expectVerdicts(run, ["replica-lag-under-2s": .met, "reads-routed": .met, "performance-within-sla": nil, "automatic-recovery": .met, "monitoring-detects": .met])
            let lag = try #require(run.metric(named: "replica_lag_seconds")).value
            #expect(lag > 0.4 && lag < 2, "the paused replay put the replica past the router's 0.4 s limit")
            #expect((run.metric(named: "reads_failed_over")?.value ?? 0) > 0, "reads went to the primary while the replica was behind")
            #expect((run.metric(named: "max_read_staleness_seconds")?.value ?? 99) <= 1)
        }

        /// Router without failover: the primary's `backup` line and the replica's agent check are
        /// deleted from the HAProxy config, so reads stay on the lagging replica.
        @Test(.enabled(if: PostgresAvailability.installed && NginxAvailability.has("haproxy"), PostgresAvailability.message))
        func replicaLagRouterWithoutFailoverMissesRoutedReads() async throws {
            let run = try await Self.run(
                Self.replicaLag, replacing: #"sed -e "s|@LISTEN@|${PORT_4}|g""#,
                with: #"sed -e "/ backup$/d" -e "s/ agent-check.*$//" -e "s|@LISTEN@|${PORT_4}|g""#)
            #expect(run.outcome == .failed)
            Self.expectVerdicts(run, ["replica-lag-under-2s": .met, "reads-routed": .missed, "performance-within-sla": nil, "automatic-recovery": .met, "monitoring-detects": .met])
            #expect(run.metric(named: "reads_failed_over")?.value == 0)
            #expect((run.metric(named: "max_read_staleness_seconds")?.value ?? 0) > 1)
        }

        /// Lag beyond the target: replay is paused for 3 s instead of 1.3 s. The router still
        /// sends reads to the primary meanwhile, so only the lag criterion misses.
        @Test(.enabled(if: PostgresAvailability.installed && NginxAvailability.has("haproxy"), PostgresAvailability.message))
        func replicaLagBeyondTheTargetMissesTheLagCriterion() async throws {
            let run = try await Self.run(Self.replicaLag, replacing: "      wait: 1.3\n", with: "      wait: 3\n")
            #expect(run.outcome == .failed)
            Self.expectVerdicts(run, ["replica-lag-under-2s": .missed, "reads-routed": .met, "performance-within-sla": nil, "automatic-recovery": .met, "monitoring-detects": .met])
            #expect((run.metric(named: "replica_lag_seconds")?.value ?? 0) > 2)
        }
    }
}

enum PostgresAvailability {
    static let installed = FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/15/bin/postgres")
        && NginxAvailability.has("pgbench") && NginxAvailability.has("psql") && NginxAvailability.has("setpriv")
        && getpwnam("postgres") != nil
    static let message: Comment = "PostgreSQL 15 server, pgbench, haproxy or the postgres user is missing: skipping the replica-lag drill (apt-get install -y postgresql haproxy)"
}
