import DrillbookModel
import Foundation
import Synchronization
import Testing
@testable import DrillbookRunner

@Suite("Step engine with a fake clock and launcher")
struct DrillEngineTests {
    static let variables = RunVariables(values: ["PORT_1": "40001", "RUN_DIR": "/tmp/x"])

    /// Rules where the system recovers on the sixth poll after the fault.
    static func healthyRules() -> [FakeLauncher.Rule] {
        let polls = Atomic<Int>(0)
        return [
            .init(match: "check-up") { _ in CommandResult(exitStatus: 0, output: "up") },
            .init(match: "check-healthy") { _ in CommandResult(exitStatus: 0, output: "ok") },
            .init(match: "check-recovered") { _ in
                polls.add(1, ordering: .relaxed).newValue >= 6 ? CommandResult(exitStatus: 0, output: "ok") : CommandResult(exitStatus: 1, output: "not yet")
            },
        ]
    }

    func engine(_ clock: FakeClock, _ launcher: FakeLauncher, interrupts: any InterruptSource = NoInterrupts(), observer: any RunObserver = SilentObserver()) -> DrillEngine {
        DrillEngine(clock: clock, launcher: launcher, network: FakeNetwork(), interrupts: interrupts, observer: observer)
    }

    @Test func aPassingRunMeasuresRecoveryRollsBackAndTearsDown() async throws {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules())
        let observer = CollectingObserver()
        let run = await engine(clock, launcher, observer: observer).run(sampleDrill(), variables: Self.variables, settings: RunSettings(runBy: "tester"))
        #expect(run.outcome == .passed)
        let recovery = try #require(run.metric(named: "recovery_seconds"))
        #expect(recovery.value > 2 && recovery.value < 3.5)
        #expect(run.criteria.map(\.verdict) == [.met])
        #expect(launcher.log.contains("start server --port 40001"))
        #expect(launcher.signals == ["\(SIGKILL)->101"])
        #expect(launcher.log.contains("restore-server"))
        #expect(launcher.log.last == "cleanup-files")
        let events = run.timeline.map(\.event)
        #expect(events.firstIndex(of: "fault.injected")! < events.firstIndex(of: "recovered")!)
        #expect(events.firstIndex(of: "recovered")! < events.firstIndex(of: "rollback.started")!)
        #expect(run.runBy == "tester")
        #expect(run.lessons.isEmpty)
        #expect(run.startedAt.secondsSince1970 == 1_780_000_000)
        #expect(run.probes.contains { $0.name == "recovered" && $0.attempts == 6 && $0.failures == 5 })
        #expect(run.summary?.contains("passed") == true)
        #expect(observer.progress.contains(.rollbackStarted("after the drill")))
    }

    @Test func aFailedFaultActionFailsTheRunAndStillRollsBack() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules() + [.init(match: "inject-fault") { _ in CommandResult(exitStatus: 3, output: "permission denied") }])
        let drill = sampleDrill(fault: [FaultAction(name: "break-it", run: "inject-fault")])
        let run = await engine(clock, launcher).run(drill, variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .failed)
        #expect(launcher.log.contains("restore-server"))
        #expect(launcher.log.contains("cleanup-files"))
        #expect(!launcher.log.contains("check-recovered"))
        #expect(run.observations.contains { $0.contains("break-it failed") && $0.contains("exit 3") })
        #expect(run.criteria.map(\.verdict) == [.notMeasured])
    }

    @Test func aFaultActionThatTimesOutFailsTheRunAndStillRollsBack() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules() + [.init(match: "hang", answer: { _ in CommandResult(exitStatus: 0, output: "") }, takes: 120)])
        let drill = sampleDrill(fault: [FaultAction(name: "hang-forever", run: "hang", timeout: 2)])
        let run = await engine(clock, launcher).run(drill, variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .failed)
        #expect(run.observations.contains { $0.contains("timed out after 2 s") })
        #expect(launcher.log.contains("restore-server"))
    }

    @Test func aMeasurementThatNeverHoldsIsNotMeasuredAndFailsTheRun() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules().filter { $0.match != "check-recovered" } + [.init(match: "check-recovered") { _ in CommandResult(exitStatus: 1, output: "down") }])
        let run = await engine(clock, launcher).run(sampleDrill(measureTimeout: 5), variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .failed)
        #expect(run.metric(named: "recovery_seconds") == nil)
        #expect(run.criteria.first?.verdict == .notMeasured)
        #expect(run.timeline.contains { $0.event == "measure.recovery_seconds.timedOut" })
        #expect(launcher.log.contains("restore-server"))
    }

    @Test func aFailingAbortProbeAbortsAtOnceAndRollsBack() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: [.init(match: "guard-ok") { _ in CommandResult(exitStatus: 2, output: "error budget exceeded") }] + Self.healthyRules().filter { $0.match != "check-recovered" }
            + [.init(match: "check-recovered") { _ in CommandResult(exitStatus: 1, output: "down") }])
        let drill = sampleDrill(abortIf: [Probe(name: "error budget", command: "guard-ok")])
        let run = await engine(clock, launcher).run(drill, variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .aborted)
        #expect(run.abortReason?.contains("abort condition error budget failed") == true)
        #expect(launcher.log.contains("restore-server"))
        #expect(launcher.log.contains("cleanup-files"))
        #expect(run.timeline.contains { $0.event == "drill.aborted" })
    }

    @Test func anInterruptMidFaultAbortsAndRollsBack() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules().filter { $0.match != "check-recovered" } + [.init(match: "check-recovered") { _ in CommandResult(exitStatus: 1, output: "down") }])
        let interrupt = ClockInterrupt(clock: clock, at: clock.now() + 3)
        let run = await engine(clock, launcher, interrupts: interrupt).run(sampleDrill(), variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .aborted)
        #expect(run.abortReason == "interrupted by SIGTERM")
        #expect(launcher.log.contains("restore-server"))
        #expect(run.summary?.contains("The rollback ran") == true)
    }

    @Test func anInterruptDoesNotStopTheRollbackItself() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules().filter { $0.match != "check-recovered" } + [.init(match: "check-recovered") { _ in CommandResult(exitStatus: 1, output: "down") }])
        var drill = sampleDrill()
        drill.execution?.rollback = [
            FaultAction(name: "settle", wait: 2),
            FaultAction(name: "restart", run: "server --replica", background: true, ready: Probe(name: "back", command: "check-up")),
        ]
        let interrupt = ClockInterrupt(clock: clock, at: clock.now() + 3)
        let run = await engine(clock, launcher, interrupts: interrupt).run(drill, variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .aborted)
        #expect(run.timeline.contains { $0.event == "rollback.completed" })
        #expect(launcher.log.contains("start server --replica"))
    }

    @Test func theTimeBudgetStopsTheDrill() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules().filter { $0.match != "check-recovered" } + [.init(match: "check-recovered") { _ in CommandResult(exitStatus: 1, output: "down") }])
        let run = await engine(clock, launcher).run(sampleDrill(measureTimeout: 600, allocated: "20s"), variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .aborted)
        #expect(run.abortReason?.contains("time budget of 20s") == true)
        #expect(launcher.log.contains("restore-server"))
    }

    @Test func anUnhealthySystemGetsNoFaultAndNoRollback() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: [.init(match: "check-healthy") { _ in CommandResult(exitStatus: 1, output: "replica lagging") }] + Self.healthyRules())
        let run = await engine(clock, launcher).run(sampleDrill(), variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .aborted)
        #expect(run.abortReason?.contains("steady state did not hold before the fault") == true)
        #expect(launcher.signals.isEmpty)
        #expect(!launcher.log.contains("restore-server"))
        #expect(launcher.log.contains("cleanup-files"))
    }

    @Test func aFailedRollbackFailsTheRun() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules() + [.init(match: "restore-server") { _ in CommandResult(exitStatus: 1, output: "cannot restore") }])
        let run = await engine(clock, launcher).run(sampleDrill(), variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .failed)
        #expect(run.timeline.contains { $0.event == "rollback.failed" })
    }

    @Test func loadStepsRecordPercentilesAndDerivedMetrics() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules())
        var drill = sampleDrill(fault: [
            FaultAction(name: "baseline", load: LoadStep(name: "baseline", url: "http://127.0.0.1:1/", rate: 10, duration: 1, metricPrefix: "baseline")),
            FaultAction(name: "burst", load: LoadStep(name: "burst", url: "http://127.0.0.1:1/", rate: 100, duration: 1, metricPrefix: "burst")),
        ])
        drill.execution?.measure = []
        drill.execution?.derive = [DerivedMetric(metric: "load_multiplier", numerator: "burst_offered_rps", denominator: "baseline_offered_rps", unit: "x")]
        let run = await engine(clock, launcher).run(drill, variables: Self.variables, settings: RunSettings())
        #expect(run.metric(named: "burst_p95_ms")?.value == 4)
        #expect(run.metric(named: "burst_p50_ms")?.value == 2)
        #expect(run.metric(named: "load_multiplier")?.value == 10)
    }

    @Test func aFailingAbortProbeStopsALoadStepAtOnce() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules() + [.init(match: "guard-ok") { _ in CommandResult(exitStatus: 1, output: "overloaded") }])
        var drill = sampleDrill(
            fault: [FaultAction(name: "burst", load: LoadStep(name: "burst", url: "http://127.0.0.1:1/", rate: 100, duration: 60, metricPrefix: "burst"))],
            abortIf: [Probe(name: "backend healthy", command: "guard-ok")])
        drill.execution?.measure = []
        let engine = DrillEngine(clock: clock, launcher: launcher, network: FakeNetwork(loadHangs: true))
        let run = await engine.run(drill, variables: Self.variables, settings: RunSettings())
        #expect(run.outcome == .aborted)
        #expect(run.abortReason?.contains("backend healthy") == true)
        #expect(run.metric(named: "burst_requests") == nil)
        #expect(launcher.log.contains("restore-server"))
    }

    @Test func recordsAreDeterministicForTheSameInputs() async throws {
        func once() async throws -> Data {
            let clock = FakeClock()
            let launcher = FakeLauncher(clock: clock, rules: Self.healthyRules())
            let run = await engine(clock, launcher).run(sampleDrill(), variables: Self.variables, settings: RunSettings())
            return try RunRecordWriter.encode(run)
        }
        #expect(try await once() == once())
    }
}

@Suite("Criteria, guard, plan")
struct CriteriaAndSafetyTests {
    let criteria = [
        SuccessCriterion(id: "fast", text: "Fast", metric: "failover_seconds", comparison: .lessThanOrEqual, target: 30, unit: "s"),
        SuccessCriterion(id: "no-loss", text: "No loss", metric: "keys_lost", comparison: .equal, target: 0, unit: "count"),
        SuccessCriterion(id: "unmeasured", text: "Measured elsewhere", metric: "latency_ms", comparison: .lessThan, target: 5, unit: "ms"),
        SuccessCriterion(id: "judged", text: "Team coordinated well"),
    ]

    @Test func criteriaAreJudgedAgainstMetrics() {
        let results = CriteriaEvaluation.evaluate(criteria, metrics: [
            Metric(name: "failover_seconds", value: 12.5, unit: "s"), Metric(name: "keys_lost", value: 3, unit: "count"),
        ])
        #expect(results.map(\.verdict) == [.met, .missed, .notMeasured, .notMeasured])
        #expect(results[0].actual == 12.5)
        #expect(results[2].note?.contains("did not measure") == true)
        #expect(!CriteriaEvaluation.allMet(results))
        #expect(CriteriaEvaluation.allMet(Array(results.prefix(1))))
    }

    @Test func productionNeedsAnApprover() {
        let drill = sampleDrill(environment: "production")
        #expect(DrillPreflight.check(drill, environment: nil, approvedBy: nil)?.message.contains("--approve") == true)
        #expect(DrillPreflight.check(drill, environment: nil, approvedBy: "  ") != nil)
        #expect(DrillPreflight.check(drill, environment: nil, approvedBy: "Priya Shah") == nil)
        #expect(DrillPreflight.check(sampleDrill(), environment: "production", approvedBy: nil) != nil)
        #expect(DrillPreflight.check(sampleDrill(), environment: nil, approvedBy: nil) == nil)
    }

    @Test func aDrillWithoutExecutionIsRefused() {
        var drill = sampleDrill()
        drill.execution = nil
        #expect(DrillPreflight.check(drill, environment: nil, approvedBy: nil)?.message.contains("no execution") == true)
    }

    /// The plan's text; that a dry run touches nothing is checked on the real command
    /// (DrillbookCLITests' `DryRunTests`), where the files and processes are.
    @Test func theDryRunPlanListsEverything() throws {
        let plan = DrillPlan.text(for: sampleDrill(abortIf: [Probe(name: "guard", tcp: "127.0.0.1:1")]), environment: nil)
        for expected in ["Setup:", "server: start `server --port ${PORT_1}`", "timeout 5 s", "Steady state", "kill-server: send SIGKILL",
                         "Abort at once", "recovery_seconds: seconds from fault.injected", "Rollback", "restore: run `restore-server`",
                         "Teardown", "Success criteria:", "Dry run: nothing was started."] {
            #expect(plan.contains(expected), "missing \(expected)")
        }
    }
}
