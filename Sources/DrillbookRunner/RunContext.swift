import DrillbookModel

/// Why the main sequence stopped early.
enum Halt: Error {
    /// Stop now, roll back, record `aborted`.
    case abort(String)
    /// Stop now, roll back, record `failed`.
    case fail(String)
}

/// What every part of one run shares: the drill and its variables, the engine's clock, launcher
/// and network, the time budget and the recorder. Used from one task only.
final class RunContext {
    let engine: DrillEngine
    let drill: DrillDefinition
    let execution: DrillExecution
    /// The run's variables; `PID_<step>` is added as background steps start.
    var variables: RunVariables
    let settings: RunSettings
    let evaluator: ProbeEvaluator
    let recorder: RunRecorder
    /// Monotonic instant at which the drill's budget (its allocated duration) is used up.
    let deadline: Double
    let budgetText: String
    /// Background steps and actions by name, for kill/signal actions.
    var pids: [String: Int32] = [:]
    /// Rollback and teardown finish whatever happens: interrupts and the budget no longer stop
    /// them (each of their steps is still bounded by its own timeout, and the phase by `finishingBound`).
    var finishing = false
    /// While finishing: the monotonic instant at which the running rollback or teardown is out of
    /// its overall bound (`PhaseSequence.finishingBound`), and the failure that says so. Past it,
    /// the running command is killed (its process group) and `checkHalt()` throws `Halt.fail`.
    var finishingBound: (deadline: Double, reason: String)?

    init(engine: DrillEngine, drill: DrillDefinition, variables: RunVariables, settings: RunSettings) {
        self.engine = engine
        self.drill = drill
        self.execution = drill.execution ?? DrillExecution()
        self.variables = variables
        self.settings = settings
        self.evaluator = ProbeEvaluator(launcher: engine.launcher, network: engine.network)
        self.recorder = RunRecorder(clock: engine.clock, observer: engine.observer, settings: settings)
        self.deadline = recorder.startMonotonic + (drill.allocatedSeconds ?? 1800)
        self.budgetText = drill.allocatedDuration
    }

    var clock: any DrillClock { engine.clock }

    func report(_ progress: RunProgress) { recorder.report(progress) }

    /// Throws when the operator interrupted the run or its budget is used up (not while finishing).
    func checkHalt() throws(Halt) {
        if finishing {
            if let bound = finishingBound, clock.now() > bound.deadline { throw .fail(bound.reason) }
            return
        }
        if let reason = engine.interrupts.pending { throw .abort(reason) }
        if clock.now() > deadline { throw .abort("the drill's time budget of \(budgetText) was used up") }
    }

    /// One attempt of `probe`, counted in its phase's summary and reported. An interrupt or the
    /// budget stops it at once (`stoppable`); a stopped attempt is not counted, does not hold, and
    /// the caller's next `checkHalt()` says why.
    func attemptProbe(_ probe: Probe, phase: RunPhase) async -> ProbeAttempt {
        let evaluator = self.evaluator
        let started = clock.now()
        let (attempt, stopped) = await stoppable { await evaluator.attempt(probe) }
        if let stopped { return ProbeAttempt(holds: false, detail: "stopped: " + stopped) }
        recorder.count(attempt, of: probe.name, in: phase, started: started)
        return attempt
    }

    /// Runs a one-shot command; an interrupt or the budget kills its process group at once
    /// (the result is then `stopped`; the caller's next `checkHalt()` throws).
    func runCommand(_ command: String, timeout: Double) async -> CommandResult {
        let launcher = engine.launcher
        return await stoppable { await launcher.run(command, timeout: timeout) }.value
    }

    /// Runs `body` (a command or a probe) to its end, or, until the run is finishing, until an
    /// interrupt arrives or the budget is used up: then `body`'s task is cancelled, which kills a
    /// command's process group or cancels a request, and `stopped` says why. Rollback and
    /// teardown are not stopped by interrupts or the budget, only at their overall bound.
    func stoppable<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> (value: T, stopped: String?) {
        if finishing && finishingBound == nil { return (await body(), nil) }
        let interrupts: (any InterruptSource)? = finishing ? nil : engine.interrupts
        let clock = self.clock
        let deadline = finishingBound?.deadline ?? self.deadline
        let stopReason = finishingBound?.reason ?? "the drill's time budget of \(budgetText) was used up"
        return await withTaskGroup(of: (T?, String?).self) { group in
            group.addTask { (await body(), nil) }
            group.addTask {
                // Every 10 ms until `body` ends (this task is then cancelled; `body` is bounded by its
                // own timeout); no wait blocks a thread.
                while !Task.isCancelled {
                    if let reason = interrupts?.pending { return (nil, reason) }
                    if clock.now() > deadline { return (nil, stopReason) }
                    try? await Task.sleep(for: .milliseconds(10))
                }
                return (nil, nil)
            }
            var value: T?
            var stopped: String?
            // Two results: whichever comes first decides; the other follows at once (a killed
            // command is reaped within moments, a cancelled watcher returns).
            while let (result, reason) = await group.next() {
                if let result {
                    value = result
                    group.cancelAll()
                } else if let reason {
                    stopped = stopped ?? reason
                    group.cancelAll()
                }
            }
            // The body always yields a value, stopped or not.
            return (value!, stopped)
        }
    }

    /// Starts a background step or action and records its pid as `PID_<name>`.
    func startBackground(_ command: String, name: String) throws(LaunchError) -> Int32 {
        let pid = try engine.launcher.start(command, name: name)
        pids[name] = pid
        variables.values["PID_" + name] = String(pid)
        return pid
    }

    /// Polls a readiness probe until it holds; stops early when the background process died.
    func waitUntilReady(_ probe: Probe, step: PhaseStep, timeout: Double, pid: Int32?) async throws {
        let probe = variables.substitute(probe)
        let start = clock.now()
        report(.waiting(phase: step.phase, name: step.name, probe: probe.name, endsAt: start - recorder.startMonotonic + timeout, timeout: timeout))
        let interval = probe.interval ?? 0.1
        var last = ""
        for _ in 0..<Self.maxPolls(timeout: timeout, interval: interval) {
            try checkHalt()
            let attempt = await attemptProbe(probe, phase: step.phase)
            if attempt.holds { return }
            last = attempt.detail
            if let pid, !engine.launcher.isRunning(pid) {
                let output = engine.launcher.output(of: pid)
                recorder.keepOutput(step: step, command: "(background)", exitStatus: nil, output: output)
                throw Halt.abort("\(step.phase) step \(step.name) exited before it was ready: \(ProbeEvaluator.firstLine(output))")
            }
            if clock.now() - start >= timeout { break }
            await clock.sleep(seconds: interval)
        }
        throw Halt.abort("\(step.phase) step \(step.name) was not ready within \(ProbeEvaluator.seconds(timeout)): \(last)")
    }

    /// An upper bound on the polls of a loop that runs for `timeout` seconds every `interval`.
    static func maxPolls(timeout: Double, interval: Double) -> Int {
        let count = (max(0, timeout) / max(0.01, interval)).rounded(.up)
        return Int(min(1_000_000, count)) + 2
    }
}
