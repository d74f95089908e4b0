import DrillbookModel
import Foundation
import Synchronization
@testable import DrillbookRunner

/// A clock that only moves when the engine sleeps (or a fake command takes time).
final class FakeClock: DrillClock {
    private let time = Mutex<Double>(1000)
    func now() -> Double { time.withLock { $0 } }
    func wallNow() -> Date { Date(timeIntervalSince1970: 1_780_000_000) }
    func sleep(seconds: Double) async { advance(max(0, seconds)) }
    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
}

/// A launcher that runs nothing: each command is answered by the first rule whose text it contains.
final class FakeLauncher: ProcessLauncher {
    struct Rule: Sendable {
        var match: String
        var answer: @Sendable (_ now: Double) -> CommandResult
        var takes: Double = 0.01
    }

    let clock: FakeClock
    let rules: [Rule]
    private let state = Mutex<(log: [String], running: Set<Int32>, nextPid: Int32, signals: [String])>(([], [], 100, []))

    init(clock: FakeClock, rules: [Rule]) {
        self.clock = clock
        self.rules = rules
    }

    var log: [String] { state.withLock { $0.log } }
    var signals: [String] { state.withLock { $0.signals } }

    func run(_ command: String, timeout: Double) async -> CommandResult {
        state.withLock { $0.log.append(command) }
        guard let rule = rules.first(where: { command.contains($0.match) }) else {
            clock.advance(0.01)
            return CommandResult(exitStatus: 0, output: "")
        }
        if rule.takes > timeout {
            clock.advance(timeout)
            return CommandResult(exitStatus: nil, output: "", timedOut: true)
        }
        clock.advance(rule.takes)
        return rule.answer(clock.now())
    }

    func start(_ command: String, name: String) throws(LaunchError) -> Int32 {
        state.withLock {
            $0.log.append("start " + command)
            $0.nextPid += 1
            $0.running.insert($0.nextPid)
            return $0.nextPid
        }
    }

    func send(signal: Int32, to pid: Int32, group: Bool) throws(LaunchError) {
        try state.withLock { (s) throws(LaunchError) in
            guard s.running.contains(pid) else { throw LaunchError("no such process \(pid)") }
            s.signals.append("\(signal)->\(pid)")
            if signal == SIGKILL || signal == SIGTERM { s.running.remove(pid) }
        }
    }

    func isRunning(_ pid: Int32) -> Bool { state.withLock { $0.running.contains(pid) } }
    func output(of pid: Int32) -> String { "" }

    func terminateAll() async -> [Int32] {
        state.withLock { s in
            defer { s.running = [] }
            return s.running.sorted()
        }
    }
}

/// No network: every request and connect fails, every load step reports four fast requests
/// (or, with `loadHangs`, waits until it is cancelled).
struct FakeNetwork: NetworkClient {
    var loadHangs = false

    func send(_ request: HTTPRequest) async -> Result<HTTPResponse, NetworkError> {
        .failure(NetworkError("no network in unit tests"))
    }
    func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        .failure(NetworkError("no network in unit tests"))
    }
    func load(_ request: HTTPRequest, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        if loadHangs { try? await Task.sleep(for: .seconds(600)) }
        return LoadReport(acceptedLatenciesMs: [1, 2, 3, 4], requests: 4, errors: 0, rateLimited: 0, seconds: duration)
    }
}

/// Interrupts once the fake clock passes an instant.
struct ClockInterrupt: InterruptSource {
    let clock: FakeClock
    let at: Double
    var pending: String? { clock.now() >= at ? "interrupted by SIGTERM" : nil }
}

/// Collects progress for assertions.
final class CollectingObserver: RunObserver {
    private let items = Mutex<[RunProgress]>([])
    func observe(_ progress: RunProgress, elapsed: Double) { items.withLock { $0.append(progress) } }
    var progress: [RunProgress] { items.withLock { $0 } }
}

/// A small drill: a server, a steady-state check, a kill, one measurement, a rollback, a teardown.
func sampleDrill(
    fault: [FaultAction] = [FaultAction(name: "kill-server", kill: "server")],
    measureTimeout: Double = 30, abortIf: [Probe] = [], allocated: String = "30m", environment: String? = "local"
) -> DrillDefinition {
    DrillDefinition(
        id: "sample-drill", title: "Sample", category: .infrastructureResilience, objective: "Prove recovery.",
        successCriteria: [
            SuccessCriterion(id: "recovers", text: "Recovers within 10s", metric: "recovery_seconds", comparison: .lessThanOrEqual, target: 10, unit: "s")
        ],
        allocatedDuration: allocated, environment: environment,
        execution: DrillExecution(
            setup: [CommandStep(name: "server", run: "server --port ${PORT_1}", background: true, timeout: 5, ready: Probe(name: "server up", command: "check-up"))],
            steadyState: [Probe(name: "healthy", command: "check-healthy")],
            fault: fault,
            measure: [DrillbookModel.Measurement(metric: "recovery_seconds", from: "fault.injected", event: "recovered", probe: Probe(name: "recovered", command: "check-recovered"), interval: 0.5, timeout: measureTimeout)],
            abortIf: abortIf,
            rollback: [FaultAction(name: "restore", run: "restore-server")],
            teardown: [CommandStep(name: "cleanup", run: "cleanup-files")]
        )
    )
}
