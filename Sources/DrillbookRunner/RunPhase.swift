/// The phases of a run, in the order the engine enters them. `during` and `abortIf` are the
/// probes polled while the fault is active; they are phases of their own in probe summaries.
///
/// `name` is the text a record, a progress line and a probe summary show; it is part of the
/// record format (`ProbeSummary.phase`, timeline event names) and never changes.
public enum RunPhase: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case setup
    case steadyStateBefore = "steadyState.before"
    case fault
    case during
    case abortIf
    case measure
    case steadyStateAfter = "steadyState.after"
    case rollback
    case teardown

    /// `setup`, `steadyState.before`, `during`, …
    public var name: String { rawValue }
    public var description: String { rawValue }

    /// A step of this phase: `setup.server`, `fault.kill-master`.
    func step(_ name: String) -> PhaseStep { PhaseStep(phase: self, name: name) }
}

/// A named step (or action, or measurement) of a phase. Its `label`, `<phase>.<name>`, is how a
/// record names the step: the `step` of a kept command output and the default timeline event of
/// a fault or rollback action.
struct PhaseStep: Sendable, Hashable, CustomStringConvertible {
    var phase: RunPhase
    var name: String

    /// `setup.server`; `measure.failover_seconds`.
    var label: String { phase.name + "." + name }
    var description: String { label }
}

/// One probe's tally within one phase: the same probe polled in two phases has two summaries.
struct ProbeKey: Sendable, Hashable {
    var phase: RunPhase
    var probe: String
}
