import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

extension RealDrills {
    /// A `kill:` action is done (and the fault injected, its event written) only once the target's
    /// process group has no living member. The target ignores SIGTERM for 1 s (its trap sleeps 1 s
    /// and then exits); before, the action counted as done the moment the signal was sent.
    @Suite("A kill is done when the process group is gone")
    struct KillCompletionTests {
        static func drill(server: String, killTimeout: Double? = nil) -> DrillDefinition {
            DrillDefinition(
                id: "kill-completion", title: "Kill completion", category: .infrastructureResilience, objective: "Kill for real.",
                allocatedDuration: "5m",
                execution: DrillExecution(
                    setup: [CommandStep(name: "server", run: server, background: true, timeout: 5, ready: Probe(name: "server started", command: "true"))],
                    fault: [FaultAction(name: "stop-server", kill: "server", signal: "SIGTERM", timeout: killTimeout)]))
        }

        static func seconds(_ run: DrillRun, from start: String, to end: String) -> Double? {
            guard let from = run.timeline.first(where: { $0.event == start }), let to = run.timeline.first(where: { $0.event == end }) else { return nil }
            return to.at.secondsSince1970 - from.at.secondsSince1970
        }

        @Test func aKillCountsAsDoneOnlyOnceTheGroupIsGone() async throws {
            let folder = try scratchFolder("kill-completion")
            defer { try? FileManager.default.removeItem(at: folder) }
            let launcher = PosixProcessLauncher(directory: folder)
            let engine = DrillEngine(clock: SystemDrillClock(), launcher: launcher, network: ConnectOnlyNetwork())
            let run = await engine.run(
                Self.drill(server: "trap 'sleep 1; exit 0' TERM; while :; do sleep 0.05; done"), variables: RunVariables(values: [:]),
                settings: RunSettings())
            let waited = try #require(Self.seconds(run, from: "fault.started", to: "fault.injected"), "\(run.timeline.map(\.event))")
            // The trap's 1 s, and a loaded machine's margin above it (the bound is 5 s).
            #expect(waited >= 0.95 && waited < 4.5, "fault.injected \(waited) s after the fault started")
            let event = try #require(run.timeline.first { $0.event == "fault.stop-server" })
            #expect(event.description?.hasPrefix("sent SIGTERM to pid ") == true && event.description?.contains("still had") == false, "\(event.description ?? "")")
            #expect(!run.observations.contains { $0.contains("still had") }, "\(run.observations)")
        }

        /// A target that ignores SIGTERM outright survives the bounded wait (the action's `timeout`,
        /// 1 s): the record says so, and the run goes on.
        @Test func aSurvivingGroupIsNamedInTheRecord() async throws {
            let folder = try scratchFolder("kill-survivor")
            defer { try? FileManager.default.removeItem(at: folder) }
            let launcher = PosixProcessLauncher(directory: folder)
            let engine = DrillEngine(clock: SystemDrillClock(), launcher: launcher, network: ConnectOnlyNetwork())
            let run = await engine.run(
                Self.drill(server: "trap '' TERM; while :; do sleep 0.05; done", killTimeout: 1), variables: RunVariables(values: [:]),
                settings: RunSettings())
            let waited = try #require(Self.seconds(run, from: "fault.started", to: "fault.injected"))
            #expect(waited >= 0.95 && waited < 4.5, "fault.injected \(waited) s after the fault started")
            // The launcher's pids come in no particular order (the server's and the ready probe's):
            // the observation names exactly one of them.
            let pids = launcher.startedPids
            let observation = try #require(run.observations.first { $0.hasPrefix("fault action stop-server: ") }, "\(run.observations)")
            let named = pids.filter { observation.hasPrefix("fault action stop-server: the process group of `server` (pid \($0)) still had ") }
            #expect(named.count == 1, "\(observation) names none of \(pids)")
            #expect(observation.hasSuffix(" 1 s after SIGTERM."), "\(observation)")
            #expect(run.timeline.contains { $0.event == "processes.stopped" })
            #expect(pids.allSatisfy { ProcessTable.livingMembers(ofGroup: $0).isEmpty })
        }

        /// A SIGTERM to a stopped group (3.2's rollback: SIGTERM, then SIGCONT) does not wait for
        /// a death that only the SIGCONT lets happen; the group ends after it. The control: the
        /// same SIGTERM waited 5 s for nothing and left a "still had" observation.
        @Test func aSigtermToAStoppedGroupWaitsForItsContinue() async throws {
            let folder = try scratchFolder("kill-stopped")
            defer { try? FileManager.default.removeItem(at: folder) }
            let launcher = PosixProcessLauncher(directory: folder)
            let engine = DrillEngine(clock: SystemDrillClock(), launcher: launcher, network: ConnectOnlyNetwork())
            let drill = DrillDefinition(
                id: "kill-stopped", title: "Kill stopped", category: .infrastructureResilience, objective: "Stop, end, continue.",
                allocatedDuration: "5m",
                execution: DrillExecution(
                    setup: [CommandStep(name: "stress", run: "sleep 300", background: true, timeout: 5, ready: Probe(name: "started", command: "true"))],
                    fault: [
                        FaultAction(name: "pause", kill: "stress", signal: "SIGSTOP"), FaultAction(name: "settle", wait: 0.3),
                        FaultAction(name: "end", kill: "stress", signal: "SIGTERM"), FaultAction(name: "resume", kill: "stress", signal: "SIGCONT"),
                        FaultAction(name: "gone", run: "for i in $(seq 1 100); do kill -0 ${PID_stress} 2>/dev/null || exit 0; sleep 0.05; done; exit 1"),
                    ]))
            let run = await engine.run(drill, variables: RunVariables(values: [:]), settings: RunSettings())
            let waited = try #require(Self.seconds(run, from: "fault.settle", to: "fault.end"))
            #expect(waited < 2, "the SIGTERM took \(waited) s")
            let end = try #require(run.timeline.first { $0.event == "fault.end" })
            #expect(end.description?.hasSuffix("; its process group is stopped, so it ends once continued (SIGCONT)") == true, "\(end.description ?? "")")
            #expect(run.timeline.contains { $0.event == "fault.gone" }, "\(run.observations)")
            #expect(!run.observations.contains { $0.contains("still had") }, "\(run.observations)")
        }
    }
}
