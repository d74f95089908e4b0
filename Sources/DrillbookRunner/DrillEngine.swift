public import DrillbookModel
import Foundation
import Synchronization

/// Who runs a drill and how: the values that are not in the drill file.
public struct RunSettings: Sendable, Hashable {
    /// Overrides the drill's `environment` (`--environment`).
    public var environment: String?
    /// The approver of a production run (`--approve`).
    public var approvedBy: String?
    /// The user who started the run.
    public var runBy: String?
    /// Bytes of each command's output kept in the record.
    public var outputLimit: Int
    /// UTC offset for the record's instants.
    public var utcOffsetSeconds: Int

    public init(
        environment: String? = nil, approvedBy: String? = nil, runBy: String? = nil, outputLimit: Int = 4096,
        utcOffsetSeconds: Int = 0
    ) {
        self.environment = environment
        self.approvedBy = approvedBy
        self.runBy = runBy
        self.outputLimit = outputLimit
        self.utcOffsetSeconds = utcOffsetSeconds
    }
}

/// The step engine: runs a drill's `execution` and returns the record of what happened.
///
/// Order: setup → steady state (must hold, else nothing is injected) → fault actions (with
/// `abortIf` and `during` probes polled while the fault is active) → load steps → measurements →
/// steady state after recovery → rollback (always, once a fault action has started) → teardown
/// (always) → every child process group killed → criteria. Everything that waits is bounded by a
/// step timeout and by the drill's budget (its allocated duration).
public struct DrillEngine: Sendable {
    public let clock: any DrillClock
    public let launcher: any ProcessLauncher
    public let network: any NetworkClient
    public let interrupts: any InterruptSource
    public let observer: any RunObserver

    public init(
        clock: any DrillClock, launcher: any ProcessLauncher, network: any NetworkClient,
        interrupts: any InterruptSource = NoInterrupts(), observer: any RunObserver = SilentObserver()
    ) {
        self.clock = clock
        self.launcher = launcher
        self.network = network
        self.interrupts = interrupts
        self.observer = observer
    }

    /// Runs the drill. Never throws: every failure ends up in the returned record.
    public func run(_ drill: DrillDefinition, variables: RunVariables, settings: RunSettings) async -> DrillRun {
        let session = RunSession(engine: self, drill: drill, variables: variables, settings: settings)
        return await session.run()
    }
}

/// Why the main sequence stopped early.
enum Halt: Error {
    /// Stop now, roll back, record `aborted`.
    case abort(String)
    /// Stop now, roll back, record `failed`.
    case fail(String)
}

/// The mutable state of one run. Used from one task only.
final class RunSession {
    let engine: DrillEngine
    let drill: DrillDefinition
    let execution: DrillExecution
    /// The run's variables; `PID_<step>` is added as background steps start.
    var variables: RunVariables
    let settings: RunSettings
    let evaluator: ProbeEvaluator

    let startMonotonic: Double
    let startWall: Date
    let deadline: Double
    let budgetText: String

    var timeline: [(at: Double, event: String, description: String?)] = []
    var metrics: [Metric] = []
    var probeSummaries: [String: ProbeSummary] = [:]
    var probeOrder: [String] = []
    var phaseStarts: [String: Double] = [:]
    var outputs: [CommandOutput] = []
    var failures: [String] = []
    var observations: [String] = []
    var pids: [String: Int32] = [:]
    var faultStarted = false
    var haltReason: Halt?
    var steadyStateHeldBefore = false
    var steadyStateHeldAfter: Bool?

    init(engine: DrillEngine, drill: DrillDefinition, variables: RunVariables, settings: RunSettings) {
        self.engine = engine
        self.drill = drill
        self.execution = drill.execution ?? DrillExecution()
        self.variables = variables
        self.settings = settings
        self.evaluator = ProbeEvaluator(launcher: engine.launcher, network: engine.network)
        self.startMonotonic = engine.clock.now()
        self.startWall = engine.clock.wallNow()
        let budget = drill.allocatedSeconds ?? 1800
        self.deadline = startMonotonic + budget
        self.budgetText = drill.allocatedDuration
    }

    var elapsed: Double { engine.clock.now() - startMonotonic }

    func report(_ progress: RunProgress) { engine.observer.observe(progress, elapsed: elapsed) }

    func event(_ name: String, _ description: String? = nil) {
        timeline.append((engine.clock.now(), name, description))
    }

    func eventTime(_ name: String) -> Double? { timeline.last { $0.event == name }?.at }

    // MARK: - The sequence

    func run() async -> DrillRun {
        event("drill.started", "Drill \(drill.title) started (\(settings.environment ?? drill.environment ?? "local")).")
        do {
            try await runSetup()
            try await checkSteadyState(phase: "steadyState.before")
            try await runFault()
            try await runMeasurements()
            await checkSteadyStateAfter()
        } catch let halt as Halt {
            haltReason = halt
            switch halt {
            case .abort(let reason):
                event("drill.aborted", reason)
                report(.note("aborted: " + reason))
            case .fail(let reason):
                failures.append(reason)
                event("drill.failed", reason)
                report(.note("failed: " + reason))
            }
        } catch {
            failures.append(String(describing: error))
        }
        finishing = true
        if faultStarted { finishDuringMetrics() }
        await runRollback()
        await runTeardown()
        let killed = await engine.launcher.terminateAll()
        event("processes.stopped", killed.isEmpty ? "No child process was left." : "Stopped \(killed.count) child process group(s) the drill started.")
        deriveMetrics()
        let criteria = CriteriaEvaluation.evaluate(drill.successCriteria, metrics: metrics)
        event("drill.ended")
        return makeRecord(criteria: criteria)
    }

    /// Rollback and teardown finish whatever happens: interrupts and the budget no longer stop
    /// them (each of their steps is still bounded by its own timeout).
    var finishing = false

    func checkHalt() throws(Halt) {
        if finishing { return }
        if let reason = engine.interrupts.pending { throw .abort(reason) }
        if engine.clock.now() > deadline { throw .abort("the drill's time budget of \(budgetText) was used up") }
    }

    // MARK: - Setup and teardown

    func runSetup() async throws {
        guard !execution.setup.isEmpty else { return }
        beginPhase("setup")
        for step in execution.setup {
            try checkHalt()
            report(.stepStarted(phase: "setup", name: step.name))
            let command = variables.substitute(step.run)
            let timeout = step.timeout ?? 30
            if step.background == true {
                let pid: Int32
                do {
                    pid = try engine.launcher.start(command, name: step.name)
                } catch {
                    throw Halt.abort("setup step \(step.name) could not start: \(error.message)")
                }
                pids[step.name] = pid
                variables.values["PID_" + step.name] = String(pid)
                event("setup.\(step.name).started", "Started `\(step.name)` (pid \(pid)).")
                if let ready = step.ready {
                    try await waitUntilReady(ready, phase: "setup", step: step.name, timeout: timeout, pid: pid)
                }
                report(.stepFinished(phase: "setup", name: step.name, succeeded: true, detail: "pid \(pid)"))
            } else {
                let result = await engine.launcher.run(command, timeout: timeout)
                keepOutput(step: "setup.\(step.name)", command: command, result: result)
                guard result.exitStatus == 0 else {
                    report(.stepFinished(phase: "setup", name: step.name, succeeded: false, detail: result.summary))
                    throw Halt.abort("setup step \(step.name) failed (\(result.summary)); no fault was injected")
                }
                if let ready = step.ready {
                    try await waitUntilReady(ready, phase: "setup", step: step.name, timeout: timeout, pid: nil)
                }
                report(.stepFinished(phase: "setup", name: step.name, succeeded: true, detail: result.summary))
            }
        }
        event("setup.completed")
    }

    /// Polls a readiness probe until it holds; stops early when the background process died.
    func waitUntilReady(_ probe: Probe, phase: String, step: String, timeout: Double, pid: Int32?) async throws {
        let probe = variables.substitute(probe)
        let start = engine.clock.now()
        let interval = probe.interval ?? 0.1
        var last = ""
        for _ in 0..<Self.maxPolls(timeout: timeout, interval: interval) {
            try checkHalt()
            let attempt = await attemptProbe(probe, phase: phase)
            if attempt.holds { return }
            last = attempt.detail
            if let pid, !engine.launcher.isRunning(pid) {
                let output = engine.launcher.output(of: pid)
                outputs.append(Self.bounded(step: "\(phase).\(step)", command: "(background)", exitStatus: nil, output: output, limit: settings.outputLimit))
                throw Halt.abort("\(phase) step \(step) exited before it was ready: \(ProbeEvaluator.firstLine(output))")
            }
            if engine.clock.now() - start >= timeout { break }
            await engine.clock.sleep(seconds: interval)
        }
        throw Halt.abort("\(phase) step \(step) was not ready within \(ProbeEvaluator.seconds(timeout)): \(last)")
    }

    func runTeardown() async {
        guard !execution.teardown.isEmpty else { return }
        beginPhase("teardown")
        for step in execution.teardown {
            report(.stepStarted(phase: "teardown", name: step.name))
            let command = variables.substitute(step.run)
            let result = await engine.launcher.run(command, timeout: step.timeout ?? 30)
            keepOutput(step: "teardown.\(step.name)", command: command, result: result)
            let ok = result.exitStatus == 0
            if !ok { failures.append("teardown step \(step.name) failed (\(result.summary))") }
            report(.stepFinished(phase: "teardown", name: step.name, succeeded: ok, detail: result.summary))
        }
        event("teardown.completed")
    }

    // MARK: - Steady state

    func checkSteadyState(phase: String) async throws {
        guard !execution.steadyState.isEmpty else {
            steadyStateHeldBefore = true
            return
        }
        beginPhase(phase)
        for probe in execution.steadyState {
            try checkHalt()
            report(.stepStarted(phase: phase, name: probe.name))
            let attempt = await attemptProbe(variables.substitute(probe), phase: phase)
            report(.stepFinished(phase: phase, name: probe.name, succeeded: attempt.holds, detail: attempt.detail))
            guard attempt.holds else {
                throw Halt.abort("steady state did not hold before the fault (\(probe.name): \(attempt.detail)); no fault was injected")
            }
        }
        steadyStateHeldBefore = true
        event("steadyState.verified", "The steady state held before the fault.")
    }

    /// After recovery each steady-state probe may take a moment to settle: poll it for up to 30 s.
    func checkSteadyStateAfter() async {
        guard !execution.steadyState.isEmpty else { return }
        let phase = "steadyState.after"
        beginPhase(phase)
        var held = true
        for probe in execution.steadyState {
            report(.stepStarted(phase: phase, name: probe.name))
            let substituted = variables.substitute(probe)
            let interval = probe.interval ?? 0.5
            let start = engine.clock.now()
            var attempt = ProbeAttempt(holds: false, detail: "not tried")
            for _ in 0..<Self.maxPolls(timeout: 30, interval: interval) {
                if engine.interrupts.pending != nil || engine.clock.now() > deadline { break }
                attempt = await attemptProbe(substituted, phase: phase)
                if attempt.holds || engine.clock.now() - start >= 30 { break }
                await engine.clock.sleep(seconds: interval)
            }
            report(.stepFinished(phase: phase, name: probe.name, succeeded: attempt.holds, detail: attempt.detail))
            if !attempt.holds {
                held = false
                failures.append("steady state did not return after recovery (\(probe.name): \(attempt.detail))")
            }
        }
        steadyStateHeldAfter = held
        event(held ? "steadyState.restored" : "steadyState.notRestored")
    }

    // MARK: - Fault

    func runFault() async throws {
        guard !execution.fault.isEmpty || !execution.load.isEmpty else { return }
        beginPhase("fault")
        phaseStarts["during"] = engine.clock.now()
        faultStarted = true
        event("fault.started")
        var injected = false
        for action in execution.fault {
            try checkHalt()
            try await perform(action, phase: "fault")
            if !injected && action.wait == nil {
                injected = true
                event("fault.injected", "Fault injected: \(action.name).")
            }
        }
        for step in execution.load {
            try checkHalt()
            try await perform(FaultAction(name: step.name, load: step), phase: "fault")
        }
    }

    /// Runs one fault or rollback action. Throws `Halt.fail` when it fails (the rollback catches it).
    func perform(_ action: FaultAction, phase: String) async throws {
        report(.stepStarted(phase: phase, name: action.name))
        let timeout = action.timeout ?? 30
        var detail = ""
        do {
            if let load = action.load {
                detail = try await performLoad(load, phase: phase)
            } else if let seconds = action.wait {
                try await pollWhileActive(for: seconds, phase: phase)
                detail = "waited \(ProbeEvaluator.seconds(seconds))"
            } else if action.kill != nil || action.pidFile != nil {
                detail = try performSignal(action)
            } else if let request = action.http {
                let parts = variables.substitute(request).split(separator: " ", maxSplits: 1).map(String.init)
                let (method, url) = parts.count == 2 ? (parts[0], parts[1]) : ("GET", parts.first ?? "")
                switch await engine.network.request(method: method, url: url, timeout: timeout) {
                case .failure(let error): throw Halt.fail("\(phase) action \(action.name) failed: \(error.message)")
                case .success(let response):
                    detail = "HTTP \(response.status)"
                    guard response.status < 400 else { throw Halt.fail("\(phase) action \(action.name) failed: HTTP \(response.status)") }
                }
            } else if let run = action.run {
                let command = variables.substitute(run)
                if action.background == true {
                    let pid: Int32
                    do { pid = try engine.launcher.start(command, name: action.name) } catch {
                        throw Halt.fail("\(phase) action \(action.name) could not start: \(error.message)")
                    }
                    pids[action.name] = pid
                    variables.values["PID_" + action.name] = String(pid)
                    if let ready = action.ready {
                        do {
                            try await waitUntilReady(ready, phase: phase, step: action.name, timeout: timeout, pid: pid)
                        } catch let Halt.abort(reason) {
                            throw Halt.fail(reason)
                        }
                    }
                    detail = "started, pid \(pid)"
                } else {
                    let result = await engine.launcher.run(command, timeout: timeout)
                    keepOutput(step: "\(phase).\(action.name)", command: command, result: result)
                    detail = result.summary
                    guard result.exitStatus == 0 else {
                        throw Halt.fail("\(phase) action \(action.name) failed (\(result.timedOut ? "timed out after \(ProbeEvaluator.seconds(timeout))" : result.summary))")
                    }
                }
            } else {
                throw Halt.fail("\(phase) action \(action.name) has nothing to do (run, kill, wait, http or load)")
            }
        } catch let halt as Halt {
            if case .fail(let reason) = halt {
                report(.stepFinished(phase: phase, name: action.name, succeeded: false, detail: reason))
            }
            throw halt
        }
        event(action.event ?? "\(phase).\(action.name)", detail)
        report(.stepFinished(phase: phase, name: action.name, succeeded: true, detail: detail))
    }

    func performSignal(_ action: FaultAction) throws(Halt) -> String {
        let pid: Int32
        if let name = action.kill, let recorded = pids[name] {
            pid = recorded
        } else if let file = action.pidFile.map(variables.substitute) {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                let parsed = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), parsed > 1
            else { throw .fail("action \(action.name): no pid in \(file)") }
            pid = parsed
        } else {
            throw .fail("action \(action.name): no process was recorded as \(action.kill ?? "?")")
        }
        let name = (action.signal ?? "SIGKILL").uppercased()
        guard let number = Self.signalNumber(name) else {
            throw .fail("action \(action.name): unknown signal \(name) (expected SIGKILL, SIGTERM, SIGSTOP, SIGCONT, SIGINT or SIGHUP)")
        }
        do {
            try engine.launcher.send(signal: number, to: pid, group: action.kill != nil)
        } catch {
            throw .fail("action \(action.name) failed: \(error.message)")
        }
        return "sent \(name) to pid \(pid)"
    }

    static func signalNumber(_ name: String) -> Int32? {
        switch name.hasPrefix("SIG") ? name : "SIG" + name {
        case "SIGKILL": SIGKILL
        case "SIGTERM": SIGTERM
        case "SIGSTOP": SIGSTOP
        case "SIGCONT": SIGCONT
        case "SIGINT": SIGINT
        case "SIGHUP": SIGHUP
        default: nil
        }
    }

    /// Runs a load step while `abortIf` and `during` probes keep being polled; an abort cancels
    /// the load's workers (their requests in flight are cancelled too) and waits for them to stop.
    func performLoad(_ step: LoadStep, phase: String) async throws -> String {
        let network = engine.network
        let url = variables.substitute(step.url)
        let box = LoadResultBox()
        let worker = Task {
            box.store(await network.load(url: url, rate: step.rate, concurrency: step.concurrency ?? 4, duration: step.duration))
        }
        var finishedReport: LoadReport?
        // Bounded by the step's duration plus a grace period, on the engine's clock.
        let limit = engine.clock.now() + step.duration + 30
        for _ in 0..<Self.maxPolls(timeout: step.duration + 30, interval: 0.01) {
            if let finished = box.value {
                finishedReport = finished
                break
            }
            if phase != "rollback" {
                do {
                    try checkHalt()
                    try await pollActiveProbes()
                } catch {
                    worker.cancel()
                    await worker.value
                    throw error
                }
            }
            if engine.clock.now() > limit { break }
            report(.tick)
            await Task.yield()
            await engine.clock.sleep(seconds: 0.05)
        }
        guard let finishedReport else {
            worker.cancel()
            throw Halt.fail("\(phase) action \(step.name): the load step did not finish within its duration plus 30 s")
        }
        for metric in finishedReport.metrics(prefix: step.metricPrefix, offeredRate: step.rate) {
            record(metric)
        }
        return finishedReport.summary
    }

    /// Where the load step's task leaves its report.
    final class LoadResultBox: Sendable {
        private let slot = Mutex<LoadReport?>(nil)
        func store(_ report: LoadReport) { slot.withLock { $0 = report } }
        var value: LoadReport? { slot.withLock { $0 } }
    }

    // MARK: - Polling while the fault is active

    /// Next poll time of each `during` and `abortIf` probe.
    var nextDuring: [Int: Double] = [:]
    var nextAbort: [Int: Double] = [:]

    /// Polls `during` and `abortIf` probes that are due; throws `Halt.abort` when an abort probe fails.
    func pollActiveProbes() async throws {
        let now = engine.clock.now()
        for (index, probe) in execution.abortIf.enumerated() where (nextAbort[index] ?? 0) <= now {
            let attempt = await attemptProbe(variables.substitute(probe), phase: "abortIf")
            nextAbort[index] = engine.clock.now() + (probe.interval ?? 1)
            if !attempt.holds {
                throw Halt.abort("abort condition \(probe.name) failed: \(attempt.detail)")
            }
        }
        for (index, probe) in execution.during.enumerated() where (nextDuring[index] ?? 0) <= now {
            _ = await attemptProbe(variables.substitute(probe), phase: "during")
            nextDuring[index] = engine.clock.now() + (probe.interval ?? 1)
        }
    }

    /// The earliest next poll of the active probes, or nil when there are none.
    var nextActivePoll: Double? {
        (Array(nextDuring.values) + Array(nextAbort.values)).min()
    }

    /// A `wait` action: keep polling the active probes for `seconds`.
    func pollWhileActive(for seconds: Double, phase: String) async throws {
        let end = engine.clock.now() + seconds
        for _ in 0..<Self.maxPolls(timeout: seconds, interval: 0.01) {
            try checkHalt()
            try await pollActiveProbes()
            let now = engine.clock.now()
            if now >= end { return }
            let next = min(end, nextActivePoll ?? end)
            report(.tick)
            await engine.clock.sleep(seconds: max(0.01, min(0.25, next - now)))
        }
    }

    // MARK: - Measurements

    struct PendingMeasurement {
        var measurement: DrillbookModel.Measurement
        var probe: Probe
        var started: Double?
        var nextPoll: Double
    }

    func runMeasurements() async throws {
        guard faultStarted else { return }
        if !execution.measure.isEmpty { beginPhase("measure") }
        var pending = execution.measure.map { PendingMeasurement(measurement: $0, probe: variables.substitute($0.probe), started: nil, nextPoll: 0) }
        var finished: Set<String> = []
        let longest = execution.measure.map { $0.timeout }.max() ?? 0
        let total = execution.measure.reduce(0) { $0 + $1.timeout }
        // Bounded twice: by the iteration count and by each measurement's timeout.
        for _ in 0..<Self.maxPolls(timeout: max(longest, total), interval: 0.01) {
            try checkHalt()
            try await pollActiveProbes()
            if pending.isEmpty { break }
            var index = 0
            while index < pending.count {
                var item = pending[index]
                let now = engine.clock.now()
                let waitingFor = (item.measurement.after ?? []).filter { !finished.contains($0) }
                if !waitingFor.isEmpty {
                    index += 1
                    continue
                }
                if item.started == nil {
                    report(.stepStarted(phase: "measure", name: item.measurement.metric))
                    if let trigger = item.measurement.trigger {
                        try await perform(trigger, phase: "measure")
                    }
                    item.started = engine.clock.now()
                    item.nextPoll = item.started ?? now
                }
                guard item.nextPoll <= now else {
                    pending[index] = item
                    index += 1
                    continue
                }
                let attempt = await attemptProbe(item.probe, phase: "measure")
                let after = engine.clock.now()
                if attempt.holds, let metric = metricValue(item.measurement, attempt: attempt, at: after) {
                    record(metric)
                    if let name = item.measurement.event { event(name, "\(item.measurement.probe.name) held: \(attempt.detail)") }
                    report(.stepFinished(phase: "measure", name: item.measurement.metric, succeeded: true, detail: metric.formatted))
                    finished.insert(item.measurement.metric)
                    pending.remove(at: index)
                    continue
                }
                if after - (item.started ?? after) >= item.measurement.timeout {
                    timedOut(item.measurement, last: attempt.detail)
                    finished.insert(item.measurement.metric)
                    pending.remove(at: index)
                    continue
                }
                item.nextPoll = after + (item.measurement.interval ?? 0.25)
                pending[index] = item
                index += 1
            }
            if pending.isEmpty { break }
            let now = engine.clock.now()
            let due = (pending.filter { $0.started != nil }.map(\.nextPoll) + [nextActivePoll ?? now + 0.25]).min() ?? now
            report(.tick)
            await engine.clock.sleep(seconds: max(0.01, min(0.25, due - now)))
        }
        for item in pending { timedOut(item.measurement, last: "never polled") }
        finishDuringMetrics()
        event("fault.ended", "Measurements finished; the fault is no longer watched.")
    }

    func metricValue(_ measurement: DrillbookModel.Measurement, attempt: ProbeAttempt, at time: Double) -> Metric? {
        switch measurement.kind ?? .elapsed {
        case .elapsed:
            guard let from = measurement.from, let start = eventTime(from) else {
                failures.append("measurement \(measurement.metric): the event \(measurement.from ?? "(none)") never happened")
                return Metric(name: measurement.metric, value: .nan, unit: measurement.unit ?? "s")
            }
            let seconds = time - start
            let unit = measurement.unit ?? "s"
            let value = unit == "ms" ? (seconds * 1000).rounded() : (seconds * 1000).rounded() / 1000
            return Metric(name: measurement.metric, value: value, unit: unit, note: "from \(from) to \(measurement.event ?? "the first success of \(measurement.probe.name)")")
        case .holds:
            return Metric(name: measurement.metric, value: 1, unit: measurement.unit ?? "bool", note: "\(measurement.probe.name) held: \(attempt.detail)")
        case .value:
            let text = attempt.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let number = measurement.probe.jsonField.map { ProbeEvaluator.jsonValue(in: text, path: $0).flatMap(Double.init) }
                ?? text.split(whereSeparator: { $0.isWhitespace }).compactMap { Double($0) }.first
            guard let number else {
                failures.append("measurement \(measurement.metric): \(measurement.probe.name) printed no number (\(ProbeEvaluator.firstLine(text)))")
                return nil
            }
            return Metric(name: measurement.metric, value: number, unit: measurement.unit ?? "count", note: "printed by \(measurement.probe.name)")
        }
    }

    func timedOut(_ measurement: DrillbookModel.Measurement, last: String) {
        let text = "\(measurement.metric) not reached within \(ProbeEvaluator.seconds(measurement.timeout)) (last: \(last))"
        if measurement.kind == .holds {
            record(Metric(name: measurement.metric, value: 0, unit: measurement.unit ?? "bool", note: text))
        } else {
            observations.append(text)
        }
        event("measure.\(measurement.metric).timedOut", text)
        report(.stepFinished(phase: "measure", name: measurement.metric, succeeded: false, detail: text))
    }

    var duringFinished = false

    func finishDuringMetrics() {
        guard !duringFinished else { return }
        duringFinished = true
        for probe in execution.during {
            guard let summary = probeSummaries["during|" + probe.name] else { continue }
            if let metric = probe.metric, summary.attempts > 0 {
                let share = (Double(summary.failures) / Double(summary.attempts) * 10_000).rounded() / 100
                record(Metric(name: metric, value: share, unit: "%", note: "\(summary.failures) of \(summary.attempts) polls of \(probe.name) failed"))
            }
        }
    }

    // MARK: - Rollback

    func runRollback() async {
        guard faultStarted else {
            if !execution.rollback.isEmpty { observations.append("Rollback was not needed: no fault was injected.") }
            return
        }
        let why: String
        switch haltReason {
        case .abort(let reason): why = "after an abort: " + reason
        case .fail(let reason): why = "after a failure: " + reason
        case nil: why = "after the drill"
        }
        report(.rollbackStarted(why))
        beginPhase("rollback")
        event("rollback.started", "Rollback " + why + ".")
        var ok = true
        for action in execution.rollback {
            do {
                try await perform(action, phase: "rollback")
            } catch let Halt.fail(reason) {
                ok = false
                failures.append(reason)
            } catch {
                ok = false
                failures.append("rollback action \(action.name) failed: \(error)")
            }
        }
        event(ok ? "rollback.completed" : "rollback.failed")
    }

    // MARK: - Records

    func beginPhase(_ phase: String) {
        phaseStarts[phase] = engine.clock.now()
        report(.phaseStarted(phase))
    }

    func attemptProbe(_ probe: Probe, phase: String) async -> ProbeAttempt {
        let attempt = await evaluator.attempt(probe)
        let key = phase + "|" + probe.name
        var summary = probeSummaries[key] ?? ProbeSummary(name: probe.name, phase: phase, attempts: 0, failures: 0)
        if probeSummaries[key] == nil { probeOrder.append(key) }
        summary.attempts += 1
        if attempt.holds {
            if summary.firstSuccessAfterSeconds == nil {
                let since = engine.clock.now() - (phaseStarts[phase] ?? startMonotonic)
                summary.firstSuccessAfterSeconds = (since * 1000).rounded() / 1000
            }
        } else {
            summary.failures += 1
        }
        summary.lastResult = attempt.detail
        probeSummaries[key] = summary
        report(.probe(phase: phase, name: probe.name, holds: attempt.holds, detail: attempt.detail))
        return attempt
    }

    func record(_ metric: Metric) {
        metrics.removeAll { $0.name == metric.name }
        metrics.append(metric)
        report(.metric(metric))
    }

    func keepOutput(step: String, command: String, result: CommandResult) {
        outputs.append(Self.bounded(step: step, command: command, exitStatus: result.exitStatus, output: result.output, limit: settings.outputLimit, truncated: result.truncated))
    }

    static func bounded(step: String, command: String, exitStatus: Int?, output: String, limit: Int, truncated: Bool = false) -> CommandOutput {
        let bytes = Array(output.utf8)
        if bytes.count <= limit {
            return CommandOutput(step: step, command: command, exitStatus: exitStatus, output: output, truncated: truncated)
        }
        // Cut on a character boundary.
        var cut = String(decoding: bytes.prefix(limit), as: UTF8.self)
        if cut.hasSuffix("\u{FFFD}") { cut.removeLast() }
        return CommandOutput(step: step, command: command, exitStatus: exitStatus, output: cut, truncated: true)
    }

    func deriveMetrics() {
        for derived in execution.derive {
            guard let numerator = metrics.first(where: { $0.name == derived.numerator })?.value else { continue }
            var value = numerator * (derived.factor ?? 1)
            var note = derived.numerator
            if let name = derived.denominator {
                guard let denominator = metrics.first(where: { $0.name == name })?.value, denominator != 0 else { continue }
                value /= denominator
                note += " / " + name
            }
            if let total = derived.subtractFrom {
                value = total - value
                note = MetricFormat.number(total) + " − " + note
            }
            record(Metric(name: derived.metric, value: (value * 1000).rounded() / 1000, unit: derived.unit ?? "", note: note))
        }
    }

    static func maxPolls(timeout: Double, interval: Double) -> Int {
        let count = (max(0, timeout) / max(0.01, interval)).rounded(.up)
        return Int(min(1_000_000, count)) + 2
    }

    func timestamp(_ monotonic: Double) -> Timestamp {
        let seconds = startWall.timeIntervalSince1970 + (monotonic - startMonotonic)
        return Timestamp(secondsSince1970: (seconds * 1000).rounded() / 1000, utcOffsetSeconds: settings.utcOffsetSeconds)
    }

    func makeRecord(criteria: [CriterionResult]) -> DrillRun {
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
        let start = timestamp(startMonotonic)
        let end = timestamp(engine.clock.now())
        let events = timeline.map { TimelineEvent(at: timestamp($0.at), event: $0.event, description: $0.description) }
        let finiteMetrics = metrics.filter { $0.value.isFinite }
        var notes = observations
        notes.append(contentsOf: failures.map { "Failure: " + $0 })
        let summary = RunSummaryText.summary(
            drill: drill, outcome: outcome, abortReason: abortReason, failures: failures, criteria: criteria,
            metrics: finiteMetrics, steadyStateHeldBefore: steadyStateHeldBefore, steadyStateHeldAfter: steadyStateHeldAfter,
            faultStarted: faultStarted,
            during: execution.during.compactMap { probeSummaries["during|" + $0.name] })
        return DrillRun(
            // The name without a suffix; the writer sets the name it could claim (`RunRecordWriter`).
            id: RunRecordWriter.recordId(drillId: drill.id, startedAt: start), drillId: drill.id,
            environment: settings.environment ?? drill.environment ?? "local", startedAt: start, endedAt: end,
            outcome: outcome, abortReason: abortReason, approvedBy: settings.approvedBy, runBy: settings.runBy,
            summary: summary, timeline: events, metrics: finiteMetrics, criteria: criteria, observations: notes,
            lessons: Lessons(), probes: probeOrder.compactMap { probeSummaries[$0] }, outputs: outputs)
    }
}
