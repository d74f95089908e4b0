import DrillbookModel

/// The probes polled while the fault is active: `abortIf` (one failure aborts the run) and
/// `during` (counted; a probe with a `metric` gives the share of its failed polls).
///
/// Each probe is polled in a task of its own (`ProbePolls`, shared with the measurements), every
/// `interval` seconds after its previous attempt finished, so a slow probe delays only itself.
final class ActiveProbes {
    private let context: RunContext
    /// The attempts running now, of these probes and of the measurements.
    let polls: ProbePolls
    /// When each probe's next attempt is due (after its previous one finished).
    private var due: [PollSlot: Double] = [:]
    /// Finished measurement attempts collected here, for `MeasurementLoop`.
    private var measured: [(index: Int, poll: FinishedPoll)] = []
    private var stopped = false
    private var metricsRecorded = false

    init(context: RunContext) {
        self.context = context
        self.polls = ProbePolls(evaluator: context.evaluator, clock: context.clock)
    }

    /// Collects the attempts that finished, starts the ones that are due; throws `Halt.abort`
    /// when an abort probe failed. Never waits for an attempt.
    func pollDue() async throws {
        guard !stopped else { return }
        try collect()
        let execution = context.execution
        let now = context.clock.now()
        for (index, probe) in execution.abortIf.enumerated() { startIfDue(probe, in: .abortIf(index), now: now) }
        for (index, probe) in execution.during.enumerated() { startIfDue(probe, in: .during(index), now: now) }
    }

    private func startIfDue(_ probe: Probe, in slot: PollSlot, now: Double) {
        guard !polls.isRunning(slot), (due[slot] ?? 0) <= now else { return }
        polls.start(context.variables.substitute(probe), in: slot)
    }

    /// Counts every finished attempt in its phase (at the instant it finished); keeps measurement
    /// attempts for `takeMeasured`. Throws when an abort probe failed.
    private func collect() throws {
        let execution = context.execution
        var abort: String?
        for (slot, poll) in polls.collect() {
            switch slot {
            case .abortIf(let index):
                let probe = execution.abortIf[index]
                context.recorder.count(poll.attempt, of: probe.name, in: .abortIf, at: poll.at, started: poll.started)
                due[slot] = poll.at + (probe.interval ?? 1)
                if !poll.attempt.holds, abort == nil { abort = "abort condition \(probe.name) failed: \(poll.attempt.detail)" }
            case .during(let index):
                let probe = execution.during[index]
                context.recorder.count(poll.attempt, of: probe.name, in: .during, at: poll.at, started: poll.started)
                due[slot] = poll.at + (probe.interval ?? 1)
            case .measure(let index):
                measured.append((index, poll))
            }
        }
        if let abort { throw Halt.abort(abort) }
    }

    /// The measurement attempts finished since the last call (collected by `pollDue`).
    func takeMeasured() -> [(index: Int, poll: FinishedPoll)] {
        defer { measured = [] }
        return measured
    }

    /// The earliest instant an active probe is due that is not running now; nil when none is.
    var nextPoll: Double? {
        guard !stopped else { return nil }
        let execution = context.execution
        let slots = execution.abortIf.indices.map(PollSlot.abortIf) + execution.during.indices.map(PollSlot.during)
        return slots.filter { !polls.isRunning($0) }.map { due[$0] ?? 0 }.min()
    }

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
            await polls.wait(atMost: max(0.01, min(0.25, next - now)))
        }
    }

    /// Stops watching: cancels the attempts still running, then records each `during` probe's
    /// failed share as its metric (once, when the fault stops being watched).
    func recordMetrics() {
        stopped = true
        polls.cancelAll()
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
