import DrillbookModel

/// The probes polled while the fault is active: `abortIf` (one failure aborts the run) and
/// `during` (counted; a probe with a `metric` gives the share of its failed polls).
final class ActiveProbes {
    private let context: RunContext
    /// Next poll time of each `during` and `abortIf` probe, by index.
    private var nextDuring: [Int: Double] = [:]
    private var nextAbort: [Int: Double] = [:]
    private var metricsRecorded = false

    init(context: RunContext) { self.context = context }

    /// Polls the probes that are due; throws `Halt.abort` when an abort probe fails.
    func pollDue() async throws {
        let execution = context.execution
        let now = context.clock.now()
        for (index, probe) in execution.abortIf.enumerated() where (nextAbort[index] ?? 0) <= now {
            let attempt = await context.attemptProbe(context.variables.substitute(probe), phase: .abortIf)
            nextAbort[index] = context.clock.now() + (probe.interval ?? 1)
            if !attempt.holds {
                throw Halt.abort("abort condition \(probe.name) failed: \(attempt.detail)")
            }
        }
        for (index, probe) in execution.during.enumerated() where (nextDuring[index] ?? 0) <= now {
            _ = await context.attemptProbe(context.variables.substitute(probe), phase: .during)
            nextDuring[index] = context.clock.now() + (probe.interval ?? 1)
        }
    }

    /// The earliest next poll, or nil when none has been polled yet.
    var nextPoll: Double? { (Array(nextDuring.values) + Array(nextAbort.values)).min() }

    /// A `wait` action: keeps polling the active probes for `seconds`.
    func poll(for seconds: Double) async throws {
        let clock = context.clock
        let end = clock.now() + seconds
        for _ in 0..<RunContext.maxPolls(timeout: seconds, interval: 0.01) {
            try context.checkHalt()
            try await pollDue()
            let now = clock.now()
            if now >= end { return }
            let next = min(end, nextPoll ?? end)
            context.report(.tick)
            await clock.sleep(seconds: max(0.01, min(0.25, next - now)))
        }
    }

    /// Records each `during` probe's failed share as its metric (once, when the fault stops being watched).
    func recordMetrics() {
        guard !metricsRecorded else { return }
        metricsRecorded = true
        for probe in context.execution.during {
            guard let summary = context.recorder.probes.summary(of: probe.name, in: .during) else { continue }
            if let metric = probe.metric, summary.attempts > 0 {
                let share = (Double(summary.failures) / Double(summary.attempts) * 10_000).rounded() / 100
                context.recorder.record(Metric(name: metric, value: share, unit: "%", note: "\(summary.failures) of \(summary.attempts) polls of \(probe.name) failed"))
            }
        }
    }

    /// The `during` probes' summaries, in the drill's order, for the run's summary text.
    var summaries: [ProbeSummary] { context.execution.during.compactMap { context.recorder.probes.summary(of: $0.name, in: .during) } }
}
