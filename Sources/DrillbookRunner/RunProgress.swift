public import DrillbookModel

/// What the engine reports while a drill runs, for live progress.
public enum RunProgress: Sendable, Hashable {
    /// A phase began (`setup`, `steadyState.before`, `fault`, `measure`, `steadyState.after`, `rollback`, `teardown`).
    case phaseStarted(RunPhase)
    /// A step of a phase began.
    case stepStarted(phase: RunPhase, name: String)
    /// A step waits for a probe to hold, until `endsAt` (seconds since the run started) at the
    /// latest, `timeout` seconds in all: for the status line's "waiting for … · 12s of 60s left".
    case waiting(phase: RunPhase, name: String, probe: String, endsAt: Double, timeout: Double)
    /// A step ended; `detail` says what was seen.
    case stepFinished(phase: RunPhase, name: String, succeeded: Bool, detail: String)
    /// A probe attempt ended.
    case probe(phase: RunPhase, name: String, holds: Bool, detail: String)
    /// A metric was recorded.
    case metric(Metric)
    /// Something notable that is not a step (an abort, the interrupt, leftover processes).
    case note(String)
    /// Rollback is starting, with the reason (`after an abort: …`).
    case rollbackStarted(String)
    /// The engine is waiting; sent about every poll so a spinner can turn.
    case tick
}

/// Receives progress; the CLI prints it, tests collect it.
public protocol RunObserver: Sendable {
    /// `elapsed` is seconds since the run started, on the monotonic clock.
    func observe(_ progress: RunProgress, elapsed: Double)
}

/// An observer that ignores everything.
public struct SilentObserver: RunObserver {
    public init() {}
    public func observe(_ progress: RunProgress, elapsed: Double) {}
}

/// Tells the engine that the operator asked it to stop (Ctrl-C, SIGTERM).
public protocol InterruptSource: Sendable {
    /// The reason to stop (`interrupted by SIGINT`), or nil to go on.
    var pending: String? { get }
}

/// Never interrupts.
public struct NoInterrupts: InterruptSource {
    public init() {}
    public var pending: String? { nil }
}
