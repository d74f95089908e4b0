import DrillbookModel
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Performs fault, rollback and trigger actions: commands (one-shot or background), signals,
/// HTTP requests, waits and load steps, polling the active probes while it waits.
final class FaultActionRunner {
    private let context: RunContext
    private let activeProbes: ActiveProbes

    init(context: RunContext, activeProbes: ActiveProbes) {
        self.context = context
        self.activeProbes = activeProbes
    }

    /// Runs one action of `phase`. Throws `Halt.fail` when it fails (the rollback catches it).
    func perform(_ action: FaultAction, phase: RunPhase) async throws {
        context.report(.stepStarted(phase: phase, name: action.name))
        let timeout = action.timeout ?? 30
        var detail = ""
        do {
            if let load = action.load {
                detail = try await performLoad(load, phase: phase)
            } else if let seconds = action.wait {
                try await activeProbes.poll(for: seconds)
                detail = "waited \(ProbeEvaluator.seconds(seconds))"
            } else if action.kill != nil || action.pidFile != nil {
                detail = try await performSignal(action, phase: phase)
            } else if let request = action.http {
                detail = try await performRequest(request, action: action, phase: phase, timeout: timeout)
            } else if let run = action.run {
                detail = try await performCommand(run, action: action, phase: phase, timeout: timeout)
            } else {
                throw Halt.fail("\(phase) action \(action.name) has nothing to do (run, kill, wait, http or load)")
            }
        } catch let halt as Halt {
            if case .fail(let reason) = halt {
                context.report(.stepFinished(phase: phase, name: action.name, succeeded: false, detail: reason))
            }
            throw halt
        }
        context.recorder.event(action.event ?? phase.step(action.name).label, detail)
        context.report(.stepFinished(phase: phase, name: action.name, succeeded: true, detail: detail))
    }

    private func performRequest(_ request: String, action: FaultAction, phase: RunPhase, timeout: Double) async throws -> String {
        let parts = context.variables.substitute(request).split(separator: " ", maxSplits: 1).map(String.init)
        let (method, url) = parts.count == 2 ? (parts[0], parts[1]) : ("GET", parts.first ?? "")
        let variables = context.variables
        let http = HTTPRequest(
            method: method, url: url, headers: (action.headers ?? [:]).mapValues(variables.substitute), body: action.body.map(variables.substitute),
            timeout: timeout, caFile: action.caFile.map(variables.substitute))
        switch await context.engine.network.send(http) {
        case .failure(let error): throw Halt.fail("\(phase) action \(action.name) failed: \(error.message)")
        case .success(let response):
            if let expected = action.status {
                guard response.status == expected else {
                    throw Halt.fail("\(phase) action \(action.name) failed: HTTP \(response.status) (expected \(expected))")
                }
            } else if response.status >= 400 {
                throw Halt.fail("\(phase) action \(action.name) failed: HTTP \(response.status)")
            }
            return "HTTP \(response.status)"
        }
    }

    private func performCommand(_ run: String, action: FaultAction, phase: RunPhase, timeout: Double) async throws -> String {
        let command = context.variables.substitute(run)
        if action.background == true {
            let pid: Int32
            do { pid = try context.startBackground(command, name: action.name) } catch {
                throw Halt.fail("\(phase) action \(action.name) could not start: \(error.message)")
            }
            if let ready = action.ready {
                do {
                    try await context.waitUntilReady(ready, step: phase.step(action.name), timeout: timeout, pid: pid)
                } catch let Halt.abort(reason) {
                    // An interrupt or the budget stays an abort; the step's own failure fails the drill.
                    try context.checkHalt()
                    throw Halt.fail(reason)
                }
            }
            return "started, pid \(pid)"
        }
        let result = await context.runCommand(command, timeout: timeout)
        context.recorder.keepOutput(step: phase.step(action.name), command: command, result: result)
        try context.checkHalt()
        guard result.exitStatus == 0 else {
            throw Halt.fail("\(phase) action \(action.name) failed (\(result.timedOut ? "timed out after \(ProbeEvaluator.seconds(timeout))" : result.summary))")
        }
        return result.summary
    }

    /// The longest wait, by default, for a killed (SIGKILL, SIGTERM) step's process group to
    /// have no living member; an action's `timeout` replaces it.
    static let exitWait: Double = 5

    private func performSignal(_ action: FaultAction, phase: RunPhase) async throws -> String {
        let pid: Int32
        if let name = action.kill, let recorded = context.pids[name] {
            pid = recorded
        } else if let file = action.pidFile.map(context.variables.substitute) {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                let parsed = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), parsed > 1
            else { throw Halt.fail("action \(action.name): no pid in \(file)") }
            pid = parsed
        } else {
            throw Halt.fail("action \(action.name): no process was recorded as \(action.kill ?? "?")")
        }
        let name = (action.signal ?? "SIGKILL").uppercased()
        guard let number = Self.signalNumber(name) else {
            throw Halt.fail("action \(action.name): unknown signal \(name) (expected SIGKILL, SIGTERM, SIGSTOP, SIGCONT, SIGINT or SIGHUP)")
        }
        do {
            try context.engine.launcher.send(signal: number, to: pid, group: action.kill != nil)
        } catch {
            throw Halt.fail("action \(action.name) failed: \(error.message)")
        }
        let sent = "sent \(name) to pid \(pid)"
        guard let step = action.kill, number == SIGKILL || number == SIGTERM else { return sent }
        // A stopped group keeps a SIGTERM pending until it is continued (the drill's next action):
        // waiting now could only time out.
        if number == SIGTERM && !ProcessTable.stoppedMembers(ofGroup: pid).isEmpty {
            return sent + "; its process group is stopped, so it ends once continued (SIGCONT)"
        }
        // The kill is done once nothing of the step's group is alive (bounded).
        let limit = action.timeout ?? Self.exitWait
        if try await waitUntilGone(pid, within: limit, phase: phase) { return sent }
        let left = ProcessTable.livingMembers(ofGroup: pid).count
        let survived = "the process group of `\(step)` (pid \(pid)) still had \(left == 0 ? "a" : String(left)) living member\(left > 1 ? "s" : "") \(ProbeEvaluator.seconds(limit)) after \(name)"
        context.recorder.observations.append("\(phase) action \(action.name): \(survived).")
        return sent + "; " + survived
    }

    /// Waits until the process group `pid` leads has no living member, for at most `seconds`,
    /// polling the active probes meanwhile (not in rollback). True when it is gone.
    private func waitUntilGone(_ pid: Int32, within seconds: Double, phase: RunPhase) async throws -> Bool {
        let launcher = context.engine.launcher
        let clock = context.clock
        let end = clock.now() + seconds
        for _ in 0..<RunContext.maxPolls(timeout: seconds, interval: 0.01) {
            if !launcher.groupHasLivingMembers(pid) { return true }
            if clock.now() >= end { break }
            try context.checkHalt()
            if phase != .rollback { try await activeProbes.pollDue() }
            context.report(.tick)
            await clock.sleep(seconds: 0.01)
        }
        return !launcher.groupHasLivingMembers(pid)
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
    private func performLoad(_ step: LoadStep, phase: RunPhase) async throws -> String {
        let network = context.engine.network
        let clock = context.clock
        let variables = context.variables
        let request = HTTPRequest(
            method: step.method ?? "GET", url: variables.substitute(step.url), headers: (step.headers ?? [:]).mapValues(variables.substitute),
            body: step.body.map(variables.substitute), timeout: step.timeout ?? 5, caFile: step.caFile.map(variables.substitute))
        let box = LoadResultBox()
        let worker = Task {
            box.store(await network.load(request, rate: step.rate, concurrency: step.concurrency ?? 4, duration: step.duration))
        }
        var finishedReport: LoadReport?
        // Bounded by the step's duration plus a grace period, on the engine's clock.
        let limit = clock.now() + step.duration + 30
        for _ in 0..<RunContext.maxPolls(timeout: step.duration + 30, interval: 0.01) {
            if let finished = box.value {
                finishedReport = finished
                break
            }
            if phase != .rollback {
                do {
                    try context.checkHalt()
                    try await activeProbes.pollDue()
                } catch {
                    worker.cancel()
                    await worker.value
                    throw error
                }
            }
            if clock.now() > limit { break }
            context.report(.tick)
            await Task.yield()
            await clock.sleep(seconds: 0.05)
        }
        guard let finishedReport else {
            worker.cancel()
            throw Halt.fail("\(phase) action \(step.name): the load step did not finish within its duration plus 30 s")
        }
        for metric in finishedReport.metrics(prefix: step.metricPrefix, offeredRate: step.rate) {
            context.recorder.record(metric)
        }
        return finishedReport.summary
    }

    /// Where the load step's task leaves its report.
    private final class LoadResultBox: Sendable {
        private let slot = Mutex<LoadReport?>(nil)
        func store(_ report: LoadReport) { slot.withLock { $0 = report } }
        var value: LoadReport? { slot.withLock { $0 } }
    }
}
