import DrillbookModel

/// The probe summaries of one run: attempts, failures, the last result and the first success
/// (seconds from its phase's start) of each probe in each phase, in the order first tried.
struct ProbeTally {
    private var summaries: [ProbeKey: ProbeSummary] = [:]
    private var order: [ProbeKey] = []
    private var phaseStarts: [RunPhase: Double] = [:]

    /// First successes in `phase` count from `time`.
    mutating func startPhase(_ phase: RunPhase, at time: Double) { phaseStarts[phase] = time }

    /// Counts one attempt made at `time`; `runStart` stands in for a phase never started.
    mutating func count(_ attempt: ProbeAttempt, of probe: String, in phase: RunPhase, at time: Double, runStart: Double) {
        let key = ProbeKey(phase: phase, probe: probe)
        var summary = summaries[key] ?? ProbeSummary(name: probe, phase: phase.name, attempts: 0, failures: 0)
        if summaries[key] == nil { order.append(key) }
        summary.attempts += 1
        if attempt.holds {
            if summary.firstSuccessAfterSeconds == nil {
                let since = time - (phaseStarts[phase] ?? runStart)
                summary.firstSuccessAfterSeconds = (since * 1000).rounded() / 1000
            }
        } else {
            summary.failures += 1
        }
        summary.lastResult = attempt.detail
        summaries[key] = summary
    }

    func summary(of probe: String, in phase: RunPhase) -> ProbeSummary? { summaries[ProbeKey(phase: phase, probe: probe)] }

    /// Every summary, in the order the probes were first tried.
    var all: [ProbeSummary] { order.compactMap { summaries[$0] } }
}
