import DrillbookModel
import Foundation
import Synchronization
import Testing
@testable import DrillbookRunner

/// The production guard, the record's environment and realisation, and figures beside verdicts.
@Suite("Production guard, realisation, figures")
struct RunTargetTests {
    /// Every way a production run could slip through without an approver is refused.
    @Test(arguments: [
        ("production", nil as String?), (" production", nil), ("Production ", nil), ("PROD", nil), ("prod-eu", nil),
        ("local", "production"), ("local", "prod-eu"), ("staging", "production"), ("staging", " PROD"),
        ("production", "staging"), ("production", "local"), ("production", "  "),
    ])
    func productionNeedsAnApprover(declared: String, override: String?) {
        let drill = sampleDrill(environment: declared)
        let refusal = DrillPreflight.check(drill, environment: override, approvedBy: nil)
        #expect(refusal?.message.contains("refusing to run without --approve") == true, "\(declared) / \(override ?? "nil")")
        #expect(DrillPreflight.check(drill, environment: override, approvedBy: " \t") != nil)
        #expect(DrillPreflight.check(drill, environment: override, approvedBy: "Priya Shah") == nil)
    }

    /// The control: names that are not production need no approver.
    @Test(arguments: [("staging", nil as String?), ("local", nil), ("staging", "local"), ("local", "staging"), ("reprod", nil)])
    func otherEnvironmentsNeedNoApprover(declared: String, override: String?) {
        #expect(DrillPreflight.check(sampleDrill(environment: declared), environment: override, approvedBy: nil) == nil)
    }

    @Test func theRefusalSaysWhyADeclaredProductionDrillIsNotLowered() {
        let refusal = DrillPreflight.check(sampleDrill(environment: "production"), environment: "staging", approvedBy: nil)
        #expect(
            refusal?.message
                == "sample-drill is declared production (--environment staging does not lower that): refusing to run without --approve \"<name of the approver>\" (playbook: never run chaos experiments in production without approval)")
    }

    /// A local realisation records `local` unless `--environment` named one; the realisation is
    /// always local; the approver is recorded trimmed.
    @Test func theRecordSaysWhereItRan() async {
        for (declared, override, recorded) in [("staging", nil, "local"), ("staging", " staging ", "staging"), ("production", "production", "production")] as [(String, String?, String)] {
            let clock = FakeClock()
            let launcher = FakeLauncher(clock: clock, rules: DrillEngineTests.healthyRules())
            let engine = DrillEngine(clock: clock, launcher: launcher, network: FakeNetwork())
            let run = await engine.run(
                sampleDrill(environment: declared), variables: DrillEngineTests.variables,
                settings: RunSettings(environment: override, approvedBy: "  Priya Shah "))
            #expect(run.environment == recorded)
            #expect(run.realisation == .local)
            #expect(run.approvedBy == "Priya Shah")
        }
    }

    @Test func thePlanSaysWhereItRuns() {
        let plan = DrillPlan.text(for: sampleDrill(environment: "staging"), environment: nil)
        #expect(plan.hasPrefix("Plan for Sample (sample-drill), environment local (local realisation on this machine; the drill declares staging), budget 30m\n"))
    }

    /// A figure never reads as its target when the verdict says it missed (30.004 s is not "30 s").
    @Test func figuresShowTheDecimalsTheirVerdictNeeds() {
        func result(_ actual: Double, _ comparison: Comparison, _ target: Double, unit: String = "s") -> CriterionResult {
            let verdict: Verdict = comparison.holds(actual: actual, target: target) ? .met : .missed
            return CriterionResult(criterionId: "c", text: "C", metric: "m", comparison: comparison, target: target, unit: unit, actual: actual, verdict: verdict)
        }
        #expect(CriteriaEvaluation.actualText(result(30.004, .lessThanOrEqual, 30)) == "30.004 s")
        #expect(CriteriaEvaluation.actualText(result(30.04, .lessThanOrEqual, 30)) == "30.04 s")
        #expect(CriteriaEvaluation.actualText(result(29.9999, .lessThan, 30)) == "29.9999 s")
        #expect(CriteriaEvaluation.actualText(result(0.0004, .equal, 0, unit: "count")) == "0.0004 count")
        // The control: a figure that already reads right keeps the usual two decimals.
        #expect(CriteriaEvaluation.actualText(result(8.2, .lessThanOrEqual, 10)) == "8.2 s")
        #expect(CriteriaEvaluation.actualText(result(12.345, .lessThanOrEqual, 10)) == "12.35 s")
    }

    @Test func theStatusLineSaysWhatItWaitsForAndTheTimeLeft() {
        #expect(ProgressPrinter.waitingText(probe: "nine connections echo", left: 11.2, timeout: 60) == "waiting for \"nine connections echo\" · 12s of 60s left")
        #expect(ProgressPrinter.waitingText(probe: "p", left: -1, timeout: 0.5) == "waiting for \"p\" · 0s of 0.5s left")
        let lines = Mutex<[String]>([])
        let printer = ProgressPrinter(live: false) { text in lines.withLock { $0.append(text) } }
        printer.observe(.waiting(phase: .measure, name: "failover_seconds", probe: "nine connections echo", endsAt: 61, timeout: 60), elapsed: 1)
        #expect(lines.withLock { $0 } == ["+1.0s measure failover_seconds: waiting for \"nine connections echo\" (up to 60 s)\n"])

        // On a terminal the status line counts down as time passes, and stops once the step is done
        // (a wide one: at 80 columns this line is cut, `TerminalWidthTests`).
        let shown = Mutex<[String]>([])
        let live = ProgressPrinter(live: true, columns: 200) { text in shown.withLock { $0.append(text) } }
        live.observe(.waiting(phase: .measure, name: "failover_seconds", probe: "nine connections echo", endsAt: 61, timeout: 60), elapsed: 1)
        live.observe(.tick, elapsed: 13.5)
        #expect(shown.withLock { $0 }.last?.contains("measure › failover_seconds: waiting for \"nine connections echo\" · 48s of 60s left") == true)
        live.observe(.stepFinished(phase: .measure, name: "failover_seconds", succeeded: true, detail: "12.5 s"), elapsed: 14)
        #expect(shown.withLock { $0 }.last?.contains("waiting for") == false)
    }

    /// A failed rollback is said in the end summary and in the record's summary.
    @Test func theSummarySaysWhenRollbackFailed() async {
        let clock = FakeClock()
        let launcher = FakeLauncher(clock: clock, rules: DrillEngineTests.healthyRules() + [.init(match: "restore-server") { _ in CommandResult(exitStatus: 1, output: "no") }])
        let run = await DrillEngine(clock: clock, launcher: launcher, network: FakeNetwork()).run(sampleDrill(), variables: DrillEngineTests.variables, settings: RunSettings())
        #expect(run.timeline.contains { $0.event == "rollback.failed" })
        #expect(run.summary?.contains("**Rollback failed:** the system may still be in its faulted state") == true)
        let text = ProgressPrinter.summary(of: run, recordPath: nil)
        #expect(text.contains("\nWhere: environment local, local realisation on this machine\n  ✗ ROLLBACK FAILED: the system may still be faulted; restore it by hand (the drill's rollback plan)\n"))
        // The control: a rollback that worked says nothing of the kind.
        let healthyClock = FakeClock()
        let healthy = await DrillEngine(clock: healthyClock, launcher: FakeLauncher(clock: healthyClock, rules: DrillEngineTests.healthyRules()), network: FakeNetwork())
            .run(sampleDrill(), variables: DrillEngineTests.variables, settings: RunSettings())
        #expect(healthy.summary?.contains("Rollback failed") == false)
        #expect(!ProgressPrinter.summary(of: healthy, recordPath: nil).contains("ROLLBACK FAILED"))
    }
}

/// The end summary, the record's summary, JUnit and the site's run page show a missed 30.004 s
/// as `30.004 s` beside "missed", through the model's one rule (`CriterionResult.actualText`).
@Suite("One rounding rule everywhere")
struct OneRoundingRuleTests {
    @Test func aMissedFigureReadsTheSameInEveryReport() {
        let missed = CriterionResult(
            criterionId: "failover", text: "Failover within 30s", metric: "failover_seconds", comparison: .lessThanOrEqual,
            target: 30, unit: "s", actual: 30.004, verdict: .missed)
        #expect(missed.actualText == "30.004 s")
        #expect(CriteriaEvaluation.actualText(missed) == missed.actualText)
        let summary = RunSummaryText.summary(
            drill: sampleDrill(), outcome: .failed, abortReason: nil, failures: [], criteria: [missed], metrics: [],
            steadyStateHeldBefore: true, steadyStateHeldAfter: true, faultStarted: true)
        #expect(summary.contains("- Failover within 30s: measured 30.004 s against ≤ 30 s (0.004 s above the target)."), "\(summary)")
        #expect(!summary.contains("30 s against") && !summary.contains("30.00 s"))
    }
}
