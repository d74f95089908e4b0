import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

extension RealDrills {
    /// Ground truth for measured recovery: a loopback server is killed by the fault and started
    /// again `outage` seconds later by a background fault action; the server itself writes the
    /// wall-clock instant it listens again. The measured `recovery_seconds` (from `fault.injected`
    /// to the first TCP connect) may exceed the true recovery (that instant minus the fault's) by
    /// at most one measurement interval plus 50 ms, also while a slow `during` probe (0.9 s a poll)
    /// runs: probes of different kinds are polled concurrently, so it cannot delay the measurement.
    @Suite("Probe timing against a server restarted at a known instant")
    struct ProbeTimingTests {
        static let interval = 0.25
        static let outage = 2.0

        /// The server: waits the seconds given (when given), listens on the port given, appends the
        /// instant it listens to the file given, then accepts and closes connections until killed.
        static let server = """
            import socket, sys, time
            if len(sys.argv) > 3: time.sleep(float(sys.argv[3]))
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
            with open(sys.argv[2], "a") as f: f.write("%.6f\\n" % time.time())
            while True:
                c, _ = s.accept(); c.close()
            """

        /// Returns once nothing accepts connections on the port given (at most 5 s): a killed
        /// process may still accept for a moment while the kernel tears it down.
        static let down = """
            import socket, sys, time
            for _ in range(500):
                try: socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); time.sleep(0.01)
                except OSError: sys.exit(0)
            sys.exit(1)
            """

        static func drill(slowDuring: Bool) -> DrillDefinition {
            let start = "python3 ${DRILL_DIR}/server.py ${PORT_1} ${DRILL_DIR}/up"
            let execution = DrillExecution(
                setup: [CommandStep(name: "server", run: start, background: true, ready: Probe(name: "server listens", tcp: "127.0.0.1:${PORT_1}", interval: 0.05))],
                steadyState: [Probe(name: "server answers", tcp: "127.0.0.1:${PORT_1}")],
                fault: [
                    FaultAction(name: "kill-server", kill: "server", signal: "SIGKILL"),
                    FaultAction(name: "server-gone", run: "python3 ${DRILL_DIR}/down.py ${PORT_1}", timeout: 6),
                    FaultAction(name: "restart-later", run: start + " \(outage)", background: true),
                ],
                measure: [
                    Measurement(
                        metric: "recovery_seconds", from: "fault.injected", probe: Probe(name: "server answers again", tcp: "127.0.0.1:${PORT_1}", timeout: 1),
                        interval: interval, timeout: 15)
                ],
                during: slowDuring ? [Probe(name: "slow check", command: "sleep 0.9", timeout: 5, interval: 0.25)] : [])
            return DrillDefinition(
                id: "probe-timing", title: "Probe timing", category: .infrastructureResilience, objective: "Measure recovery against the truth",
                successCriteria: [], allocatedDuration: "2m", environment: "local", execution: execution)
        }

        /// measured − true recovery of one run, in seconds.
        static func error(slowDuring: Bool) async throws -> Double {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-timing-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try Data(server.utf8).write(to: folder.appendingPathComponent("server.py"))
            try Data(down.utf8).write(to: folder.appendingPathComponent("down.py"))
            let (run, pids) = await DrillRunner().run(drill(slowDuring: slowDuring), drillFile: folder.appendingPathComponent("drill.yaml"), settings: RunSettings())
            for pid in pids { #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty) }
            if run.metrics.isEmpty { print("probe timing run: \(run.outcome) \(run.abortReason ?? "") \(run.observations) \(run.timeline.map { $0.event + ": " + ($0.description ?? "") })") }
            let measured = try #require(run.metrics.first { $0.name == "recovery_seconds" }?.value, "\(run.observations) \(run.abortReason ?? "")")
            let injected = try #require(run.timeline.last { $0.event == "fault.injected" }).at.secondsSince1970
            let ups = try String(contentsOf: folder.appendingPathComponent("up"), encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
            try #require(ups.count == 2, "the server should have listened twice: \(ups)")
            let truth = ups[1] - injected
            return measured - truth
        }

        @Test(arguments: [false, true])
        func measuredRecoveryIsWithinOneIntervalOfTheTruth(slowDuring: Bool) async throws {
            var errors: [Double] = []
            for _ in 0..<3 { errors.append(try await Self.error(slowDuring: slowDuring)) }
            print("probe timing (slow during probe: \(slowDuring)): measured − true = " + errors.map { String(format: "%+.0f ms", $0 * 1000) }.joined(separator: ", "))
            for error in errors {
                #expect(error >= -0.01 && error <= Self.interval + 0.05, "measured − true = \(error) s")
            }
        }
    }
}
