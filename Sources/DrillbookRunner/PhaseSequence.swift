import DrillbookModel

/// The order of one run's phases and what each phase does with the parts of the run: setup →
/// steady state → fault → measurements → steady state after recovery → rollback → teardown →
/// every child process group killed → criteria → the record. Used from one task only.
final class PhaseSequence {
    private let context: RunContext
    private let activeProbes: ActiveProbes
    private let actions: FaultActionRunner
    private let measurements: MeasurementLoop

    /// The fault phase began (its clock runs, `during` probes are polled).
    private var faultStarted = false
    /// A fault or load action began, so the system may have been changed: only then is there
    /// something to roll back. An interrupt before it (during the last steady-state probe, or a
    /// `wait` that opens the fault) rolls nothing back.
    private var faultInjected = false
    private var haltReason: Halt?
    private var steadyStateHeldBefore = false
    private var steadyStateHeldAfter: Bool?

    init(engine: DrillEngine, drill: DrillDefinition, variables: RunVariables, settings: RunSettings) {
        context = RunContext(engine: engine, drill: drill, variables: variables, settings: settings)
        activeProbes = ActiveProbes(context: context)
        actions = FaultActionRunner(context: context, activeProbes: activeProbes)
        measurements = MeasurementLoop(context: context, activeProbes: activeProbes, actions: actions)
    }

    private var execution: DrillExecution { context.execution }
    private var recorder: RunRecorder { context.recorder }

    func run() async -> DrillRun {
        let drill = context.drill
        recorder.event("drill.started", "Drill \(drill.title) started (\(context.settings.environment ?? drill.environment ?? "local")).")
        do {
            try await runSetup()
            try await checkSteadyStateBefore()
            try await runFault()
            if faultStarted { try await measurements.run() }
            await checkSteadyStateAfter()
        } catch let halt as Halt {
            haltReason = halt
            switch halt {
            case .abort(let reason):
                recorder.event("drill.aborted", reason)
                context.report(.note("aborted: " + reason))
            case .fail(let reason):
                recorder.failures.append(reason)
                recorder.event("drill.failed", reason)
                context.report(.note("failed: " + reason))
            }
        } catch {
            recorder.failures.append(String(describing: error))
        }
        context.finishing = true
        if faultStarted { activeProbes.recordMetrics() }
        await runRollback()
        await MonitoringSeries(context: context).record()
        await runTeardown()
        let killed = await context.engine.launcher.terminateAll()
        recorder.event("processes.stopped", killed.isEmpty ? "No child process was left." : "Stopped \(killed.count) child process group(s) the drill started.")
        recorder.derive(execution.derive)
        let criteria = CriteriaEvaluation.evaluate(drill.successCriteria, metrics: recorder.metrics)
        recorder.event("drill.ended")
        return makeRecord(criteria: criteria)
    }

    // MARK: - Setup and teardown

    private func runSetup() async throws {
        guard !execution.setup.isEmpty else { return }
        recorder.beginPhase(.setup)
        for step in execution.setup {
            try context.checkHalt()
            let phaseStep = RunPhase.setup.step(step.name)
            context.report(.stepStarted(phase: .setup, name: step.name))
            let command = context.variables.substitute(step.run)
            let timeout = step.timeout ?? 30
            if step.background == true {
                let pid: Int32
                do {
                    pid = try context.startBackground(command, name: step.name)
                } catch {
                    throw Halt.abort("setup step \(step.name) could not start: \(error.message)")
                }
                recorder.event(phaseStep.label + ".started", "Started `\(step.name)` (pid \(pid)).")
                if let ready = step.ready {
                    try await context.waitUntilReady(ready, step: phaseStep, timeout: timeout, pid: pid)
                }
                context.report(.stepFinished(phase: .setup, name: step.name, succeeded: true, detail: "pid \(pid)"))
            } else {
                let result = await context.runCommand(command, timeout: timeout)
                recorder.keepOutput(step: phaseStep, command: command, result: result)
                try context.checkHalt()
                guard result.exitStatus == 0 else {
                    context.report(.stepFinished(phase: .setup, name: step.name, succeeded: false, detail: result.summary))
                    throw Halt.abort("setup step \(step.name) failed (\(result.summary)); no fault was injected")
                }
                if let ready = step.ready {
                    try await context.waitUntilReady(ready, step: phaseStep, timeout: timeout, pid: nil)
                }
                context.report(.stepFinished(phase: .setup, name: step.name, succeeded: true, detail: result.summary))
            }
        }
        recorder.event("setup.completed")
    }

    /// Teardown, within its overall bound (`finishingBound`): past it, the running step is killed
    /// (its process group), the rest are skipped and the teardown is recorded as failed.
    private func runTeardown() async {
        guard !execution.teardown.isEmpty else { return }
        recorder.beginPhase(.teardown)
        let bound = beginBound(.teardown, seconds: execution.teardown.map { $0.timeout ?? 30 })
        defer { context.finishingBound = nil }
        var timedOut = false
        for (index, step) in execution.teardown.enumerated() {
            if context.clock.now() > bound.deadline {
                recorder.failures.append(bound.reason + Self.skipped(execution.teardown[index...].map(\.name)))
                timedOut = true
                break
            }
            context.report(.stepStarted(phase: .teardown, name: step.name))
            let command = context.variables.substitute(step.run)
            let result = await context.runCommand(command, timeout: step.timeout ?? 30)
            recorder.keepOutput(step: RunPhase.teardown.step(step.name), command: command, result: result)
            let ok = result.exitStatus == 0
            if result.stopped {
                recorder.failures.append(bound.reason + ": teardown step \(step.name) was stopped" + Self.skipped(execution.teardown[(index + 1)...].map(\.name)))
                context.report(.stepFinished(phase: .teardown, name: step.name, succeeded: false, detail: bound.reason))
                timedOut = true
                break
            }
            if !ok { recorder.failures.append("teardown step \(step.name) failed (\(result.summary))") }
            context.report(.stepFinished(phase: .teardown, name: step.name, succeeded: ok, detail: result.summary))
        }
        recorder.event(timedOut ? "teardown.timedOut" : "teardown.completed", timedOut ? bound.reason + "." : nil)
    }

    // MARK: - The bound of rollback and teardown

    /// Slack added to the sum of a finishing phase's step timeouts (starting and reaping children).
    static let finishingSlack: Double = 5

    /// The overall bound of a rollback or teardown whose steps may take `seconds` each: their sum
    /// plus `finishingSlack`, at most `cap` (`RunSettings.finishingCapSeconds`, 300 s by default).
    /// Interrupts and the budget do not cut these phases short; this bound does.
    static func finishingBound(_ seconds: [Double], cap: Double) -> Double {
        min(max(0, cap), seconds.reduce(0) { $0 + max(0, $1) } + finishingSlack)
    }

    /// The seconds one rollback action may take: its wait, its load's duration plus the 30 s
    /// grace, a signal's wait for the group to go (`FaultActionRunner.exitWait`), else its timeout.
    static func seconds(of action: FaultAction) -> Double {
        if let wait = action.wait { return wait }
        if let load = action.load { return load.duration + 30 }
        if action.kill != nil || action.pidFile != nil { return FaultActionRunner.exitWait }
        return action.timeout ?? 30
    }

    /// Starts the bound of `phase` now; the running command is killed when it passes.
    private func beginBound(_ phase: RunPhase, seconds: [Double]) -> (deadline: Double, reason: String) {
        let limit = Self.finishingBound(seconds, cap: context.settings.finishingCapSeconds)
        let bound = (deadline: context.clock.now() + limit, reason: "\(phase) did not finish within its overall bound of \(ProbeEvaluator.seconds(limit))")
        context.finishingBound = bound
        return bound
    }

    /// `; not run: a, b`, or nothing.
    private static func skipped(_ names: some Collection<String>) -> String {
        names.isEmpty ? "" : "; not run: " + names.joined(separator: ", ")
    }

    // MARK: - Steady state

    private func checkSteadyStateBefore() async throws {
        guard !execution.steadyState.isEmpty else {
            steadyStateHeldBefore = true
            return
        }
        recorder.beginPhase(.steadyStateBefore)
        for probe in execution.steadyState {
            try context.checkHalt()
            context.report(.stepStarted(phase: .steadyStateBefore, name: probe.name))
            let attempt = await context.attemptProbe(context.variables.substitute(probe), phase: .steadyStateBefore)
            try context.checkHalt()
            context.report(.stepFinished(phase: .steadyStateBefore, name: probe.name, succeeded: attempt.holds, detail: attempt.detail))
            guard attempt.holds else {
                throw Halt.abort("steady state did not hold before the fault (\(probe.name): \(attempt.detail)); no fault was injected")
            }
        }
        steadyStateHeldBefore = true
        recorder.event("steadyState.verified", "The steady state held before the fault.")
    }

    /// After recovery each steady-state probe may take a moment to settle: poll it for up to 30 s.
    private func checkSteadyStateAfter() async {
        guard !execution.steadyState.isEmpty else { return }
        let phase = RunPhase.steadyStateAfter
        let clock = context.clock
        recorder.beginPhase(phase)
        var held = true
        for probe in execution.steadyState {
            context.report(.stepStarted(phase: phase, name: probe.name))
            let substituted = context.variables.substitute(probe)
            let interval = probe.interval ?? 0.5
            let start = clock.now()
            var attempt = ProbeAttempt(holds: false, detail: "not tried")
            for _ in 0..<RunContext.maxPolls(timeout: 30, interval: interval) {
                if context.engine.interrupts.pending != nil || clock.now() > context.deadline { break }
                attempt = await context.attemptProbe(substituted, phase: phase)
                if attempt.holds || clock.now() - start >= 30 { break }
                await clock.sleep(seconds: interval)
            }
            context.report(.stepFinished(phase: phase, name: probe.name, succeeded: attempt.holds, detail: attempt.detail))
            if !attempt.holds {
                held = false
                recorder.failures.append("steady state did not return after recovery (\(probe.name): \(attempt.detail))")
            }
        }
        steadyStateHeldAfter = held
        recorder.event(held ? "steadyState.restored" : "steadyState.notRestored")
    }

    // MARK: - Fault and rollback

    private func runFault() async throws {
        guard !execution.fault.isEmpty || !execution.load.isEmpty else { return }
        try context.checkHalt()
        recorder.beginPhase(.fault)
        recorder.startPhaseClock(.during)
        faultStarted = true
        recorder.event("fault.started")
        var injected = false
        for action in execution.fault {
            try context.checkHalt()
            if action.wait == nil { faultInjected = true }
            try await actions.perform(action, phase: .fault)
            if !injected && action.wait == nil {
                injected = true
                recorder.event("fault.injected", "Fault injected: \(action.name).")
            }
        }
        for step in execution.load {
            try context.checkHalt()
            faultInjected = true
            try await actions.perform(FaultAction(name: step.name, load: step), phase: .fault)
        }
    }

    private func runRollback() async {
        guard faultInjected else {
            if !execution.rollback.isEmpty { recorder.observations.append("Rollback was not needed: no fault was injected.") }
            return
        }
        let why: String
        switch haltReason {
        case .abort(let reason): why = "after an abort: " + reason
        case .fail(let reason): why = "after a failure: " + reason
        case nil: why = "after the drill"
        }
        context.report(.rollbackStarted(why))
        recorder.beginPhase(.rollback)
        recorder.event("rollback.started", "Rollback " + why + ".")
        // Bounded in all (`finishingBound`): past it, the running action is stopped (a command's
        // process group killed), the rest are skipped, and the rollback counts as failed.
        let bound = beginBound(.rollback, seconds: execution.rollback.map(Self.seconds(of:)))
        defer { context.finishingBound = nil }
        var ok = true
        var timedOut = false
        for (index, action) in execution.rollback.enumerated() {
            if context.clock.now() > bound.deadline {
                recorder.failures.append(bound.reason + Self.skipped(execution.rollback[index...].map(\.name)))
                ok = false
                timedOut = true
                break
            }
            do {
                try await actions.perform(action, phase: .rollback)
            } catch let Halt.fail(reason) where reason == bound.reason {
                recorder.failures.append(bound.reason + ": rollback action \(action.name) was stopped" + Self.skipped(execution.rollback[(index + 1)...].map(\.name)))
                ok = false
                timedOut = true
                break
            } catch let Halt.fail(reason) {
                ok = false
                recorder.failures.append(reason)
            } catch {
                ok = false
                recorder.failures.append("rollback action \(action.name) failed: \(error)")
            }
        }
        recorder.event(ok ? "rollback.completed" : "rollback.failed", timedOut ? bound.reason + "." : nil)
    }

    // MARK: - The record

    private func makeRecord(criteria: [CriterionResult]) -> DrillRun {
        let drill = context.drill
        let settings = context.settings
        let failures = recorder.failures
        let outcome: RunOutcome
        var abortReason: String?
        if case .abort(let reason) = haltReason {
            outcome = .aborted
            abortReason = reason
        } else if !failures.isEmpty || criteria.contains(where: { $0.verdict != .met }) {
            outcome = .failed
        } else {
            outcome = .passed
        }
        let start = recorder.timestamp(recorder.startMonotonic)
        let end = recorder.timestamp(context.clock.now())
        let finiteMetrics = recorder.metrics.filter { $0.value.isFinite }
        let series = recorder.evidenceSeries { role, name in Self.query(of: name, in: role, of: execution) }
        let summary = RunSummaryText.summary(
            drill: drill, outcome: outcome, abortReason: abortReason, failures: failures, criteria: criteria,
            metrics: finiteMetrics, steadyStateHeldBefore: steadyStateHeldBefore, steadyStateHeldAfter: steadyStateHeldAfter,
            faultStarted: faultInjected, during: activeProbes.summaries, rollbackFailed: recorder.eventTime("rollback.failed") != nil)
        return DrillRun(
            // The name without a suffix; the writer sets the name it could claim (`RunRecordWriter`).
            id: RunRecordId.executed(drillId: drill.id, startedAt: start), drillId: drill.id,
            environment: settings.environment ?? drill.environment ?? "local", startedAt: start, endedAt: end,
            outcome: outcome, abortReason: abortReason, approvedBy: settings.approvedBy, runBy: settings.runBy,
            summary: summary, timeline: recorder.events, metrics: finiteMetrics, criteria: criteria,
            observations: recorder.observations + failures.map { "Failure: " + $0 },
            lessons: Lessons(), probes: recorder.probes.all, outputs: recorder.outputs, series: series)
    }

    /// What an evidence series watched, as the drill writes it (unsubstituted).
    static func query(of name: String, in role: ProbeEvidence.Role, of execution: DrillExecution) -> String? {
        let probes: [Probe]
        switch role {
        case .steadyState: probes = execution.steadyState
        case .abortIf: probes = execution.abortIf
        case .during: probes = execution.during
        case .measure: probes = execution.measure.map(\.probe)
        }
        guard let probe = probes.first(where: { $0.name == name }) else { return nil }
        return probe.command ?? probe.http ?? probe.tcp.map { "tcp " + $0 }
    }
}
