import DrillbookModel
import Foundation
import Synchronization
import Testing
@testable import DrillbookRunner

/// Every drill that runs real software: one at a time, so drills do not disturb each other's
/// timings (a CPU-pressure drill next to a failover drill would change what both measure).
@Suite("Real drills on 127.0.0.1", .serialized)
struct RealDrills {}

extension RealDrills {
    /// The Redis Sentinel drill, for real: redis-server and redis-sentinel on 127.0.0.1.
    /// Skipped (with a message) only when redis-server or redis-sentinel is not installed.
    @Suite("Redis Sentinel drill, end to end", .enabled(if: RedisAvailability.installed, RedisAvailability.message))
    struct RedisSentinelIntegrationTests {
        static let drillFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content/drills/redis-sentinel-failover.yaml")

        @Test func theDrillRunsAndTheRecordIsPlausible() async throws {
            let drill = try DrillFileReader.read(Self.drillFile)
            let (run, pids) = await DrillRunner().run(drill, drillFile: Self.drillFile, settings: RunSettings(runBy: "integration-test"))
            #expect(run.outcome == .passed, "\(run.observations) \(run.abortReason ?? "")")
            let detection = try #require(run.metric(named: "detection_seconds")).value
            let failover = try #require(run.metric(named: "failover_seconds")).value
            #expect(detection > 0 && detection < 30)
            #expect(failover >= detection && failover < 60)
            // Measured by the long-lived client writing through the failover.
            #expect(run.metric(named: "clients_reconnected")?.value == 1)
            #expect(run.metric(named: "acknowledged_writes_lost")?.value == 0)
            #expect((run.metric(named: "acknowledged_writes")?.value ?? 0) > 20, "two seconds of writes every 50 ms before the fault, and more after")
            let reconnect = try #require(run.metric(named: "client_reconnect_seconds")).value
            #expect(reconnect > 0 && reconnect < 30)
            #expect(run.timeline.contains { $0.event == "master.changed" })
            #expect(run.timeline.contains { $0.event == "rollback.completed" })
            #expect(run.criteria.allSatisfy { $0.verdict == .met })
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty, "process group \(pid) still has members") }

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-it-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let written = try RunRecordWriter(directory: folder).write(run)
            let decoded = try JSONDecoder().decode(DrillRun.self, from: Data(contentsOf: written.url))
            #expect(decoded == written.run)
            print("Redis Sentinel drill: detection \(detection) s, failover \(failover) s, \(run.durationSeconds) s in all")
        }

        @Test func sigtermMidFaultRollsBackAbortsAndLeavesNoProcess() async throws {
            let drill = try DrillFileReader.read(Self.drillFile)
            let interrupts = SignalInterrupts()
            defer { interrupts.stop() }
            // Once Sentinel has flagged the master down (mid-fault, before the failover completes),
            // send this process a real SIGTERM.
            let observer = SignalOnMetric(metric: "detection_seconds")
            let (run, pids) = await DrillRunner(observer: observer, interrupts: interrupts).run(drill, drillFile: Self.drillFile, settings: RunSettings())
            #expect(observer.sent)
            #expect(run.outcome == .aborted)
            #expect(run.abortReason == "interrupted by SIGTERM")
            #expect(run.timeline.contains { $0.event == "rollback.started" })
            #expect(run.timeline.contains { $0.event == "processes.stopped" })
            #expect(!pids.isEmpty)
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty, "process group \(pid) still has members") }
            let data = try RunRecordWriter.encode(run)
            #expect(try JSONDecoder().decode(DrillRun.self, from: data).outcome == .aborted)
        }
    }
}

/// Sends SIGTERM to this process when a metric is recorded.
final class SignalOnMetric: RunObserver {
    let metric: String
    private let done = Atomic<Bool>(false)
    init(metric: String) { self.metric = metric }
    var sent: Bool { done.load(ordering: .relaxed) }
    func observe(_ progress: RunProgress, elapsed: Double) {
        if case .metric(let recorded) = progress, recorded.name == metric, !done.exchange(true, ordering: .relaxed) {
            kill(getpid(), SIGTERM)
        }
    }
}

enum RedisAvailability {
    static let installed = ["redis-server", "redis-sentinel", "redis-cli"].allSatisfy { tool in
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }
    static let message: Comment = "redis-server, redis-sentinel or redis-cli is not installed: skipping the real Redis Sentinel drill (apt-get install -y redis-server redis-sentinel)"
}
