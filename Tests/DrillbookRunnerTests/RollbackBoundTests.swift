import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

/// The overall bound of rollback and teardown: the sum of their steps' timeouts plus 5 s, at most
/// `RunSettings.finishingCapSeconds` (300 s by default).
@Suite("The bound of rollback and teardown")
struct FinishingBoundTests {
    @Test func theBoundIsTheStepsTimeoutsPlusSlackUpToTheCap() {
        // The Redis drill's rollback: a 40 s command and a 20 s restart.
        #expect(PhaseSequence.finishingBound([40, 20], cap: 300) == 65)
        #expect(PhaseSequence.finishingBound([600, 600], cap: 300) == 300)
        #expect(PhaseSequence.finishingBound([], cap: 300) == 5)
        #expect(PhaseSequence.seconds(of: FaultAction(name: "w", wait: 12)) == 12)
        #expect(PhaseSequence.seconds(of: FaultAction(name: "k", kill: "server")) == FaultActionRunner.exitWait)
        #expect(PhaseSequence.seconds(of: FaultAction(name: "r", run: "x", timeout: 7)) == 7)
        #expect(PhaseSequence.seconds(of: FaultAction(name: "r", run: "x")) == 30)
    }
}

extension RealDrills {
    /// A rollback step `sleep 600` (its own timeout 20 s) and a teardown step the same, after an
    /// interrupt or the budget, with the cap at 2 s: each phase is stopped at its bound (its
    /// process group killed), the rest skipped, the record aborted and saying the rollback failed,
    /// nothing left running. Before the bound, the run took 40 s (both steps to their timeouts).
    @Suite("Rollback and teardown stop at their bound")
    struct RollbackBoundTests {
        enum Stop: String, CaseIterable, Sendable { case interrupt, budget }

        static func drill(budget: String, marker: URL) -> DrillDefinition {
            DrillDefinition(
                id: "rollback-bound", title: "Rollback bound", category: .infrastructureResilience, objective: "Bound the rollback.",
                allocatedDuration: budget,
                execution: DrillExecution(
                    fault: [FaultAction(name: "inject", run: "true"), FaultAction(name: "hold", wait: 30)],
                    rollback: [FaultAction(name: "hang", run: "sleep 600", timeout: 20), FaultAction(name: "mark", run: "touch \(marker.path)")],
                    teardown: [CommandStep(name: "hang-too", run: "sleep 600", timeout: 20), CommandStep(name: "mark-too", run: "touch \(marker.path)")]))
        }

        @Test(arguments: Stop.allCases)
        func aHangingRollbackStopsAtItsBound(stop: Stop) async throws {
            let folder = try scratchFolder("rollback-bound")
            defer { try? FileManager.default.removeItem(at: folder) }
            let marker = folder.appendingPathComponent("marker")
            let launcher = PosixProcessLauncher(directory: folder)
            let interrupts: any InterruptSource = stop == .interrupt ? InterruptAfter(seconds: 1) : NoInterrupts()
            let engine = DrillEngine(clock: SystemDrillClock(), launcher: launcher, network: ConnectOnlyNetwork(), interrupts: interrupts)
            let started = ContinuousClock.now
            let run = await engine.run(
                Self.drill(budget: stop == .interrupt ? "10m" : "1s", marker: marker), variables: RunVariables(values: [:]),
                settings: RunSettings(finishingCapSeconds: 2))
            let took = ContinuousClock.now - started
            // 1 s to the stop, 2 s of rollback, 2 s of teardown, and a loaded machine's margin.
            #expect(took < .seconds(9), "took \(took)")
            let reason = stop == .interrupt ? "interrupted by SIGTERM" : "the drill's time budget of 1s was used up"
            #expect(run.outcome == .aborted && run.abortReason == reason, "\(run.outcome) \(run.abortReason ?? "")")
            let failed = try #require(run.timeline.first { $0.event == "rollback.failed" }, "\(run.timeline.map(\.event))")
            #expect(failed.description == "rollback did not finish within its overall bound of 2 s.")
            #expect(run.timeline.contains { $0.event == "teardown.timedOut" && $0.description == "teardown did not finish within its overall bound of 2 s." })
            #expect(run.observations.contains("Failure: rollback did not finish within its overall bound of 2 s: rollback action hang was stopped; not run: mark"), "\(run.observations)")
            #expect(run.observations.contains("Failure: teardown did not finish within its overall bound of 2 s: teardown step hang-too was stopped; not run: mark-too"), "\(run.observations)")
            #expect(run.summary?.contains("**Rollback failed:** the system may still be in its faulted state") == true)
            #expect(run.timeline.contains { $0.event == "processes.stopped" })
            #expect(!FileManager.default.fileExists(atPath: marker.path))
            let living = launcher.startedPids.flatMap { ProcessTable.livingMembers(ofGroup: $0) }
            #expect(living.isEmpty, "left running: \(living)")
        }
    }
}
