import DrillbookModel
import Foundation

/// The `measure` phase: polls each measurement's probe (after its `trigger`, once the measurements
/// it comes `after` are done) until it holds or times out, while the active probes keep being
/// polled; then the fault is no longer watched.
///
/// Every measurement is polled in a task of its own (`ProbePolls`), as are the active probes, so
/// one slow probe never delays another's sampling: a measurement's next attempt starts `interval`
/// seconds after its previous one started (at once when that one took longer), and its value is
/// taken at the instant the holding attempt finished, whatever else was running.
final class MeasurementLoop {
    private let context: RunContext
    private let activeProbes: ActiveProbes
    private let actions: FaultActionRunner

    /// A measurement not finished yet.
    private struct Pending {
        var measurement: DrillbookModel.Measurement
        var probe: Probe
        var started: Double?
        var nextPoll: Double
        /// When the running (or last) attempt started.
        var lastStart = 0.0
        var lastDetail = "never polled"
    }

    init(context: RunContext, activeProbes: ActiveProbes, actions: FaultActionRunner) {
        self.context = context
        self.activeProbes = activeProbes
        self.actions = actions
    }

    func run() async throws {
        let execution = context.execution
        let clock = context.clock
        let recorder = context.recorder
        let polls = activeProbes.polls
        if !execution.measure.isEmpty { recorder.beginPhase(.measure) }
        var pending: [Int: Pending] = [:]
        for (index, measurement) in execution.measure.enumerated() {
            pending[index] = Pending(measurement: measurement, probe: context.variables.substitute(measurement.probe), started: nil, nextPoll: 0)
        }
        var finished: Set<String> = []
        let longest = execution.measure.map { $0.timeout }.max() ?? 0
        let total = execution.measure.reduce(0) { $0 + $1.timeout }
        // Bounded twice: by the iteration count and by each measurement's timeout.
        for _ in 0..<RunContext.maxPolls(timeout: max(longest, total), interval: 0.01) {
            try context.checkHalt()
            try await activeProbes.pollDue()
            // The attempts that finished, judged at the instant each finished.
            for (index, poll) in activeProbes.takeMeasured() {
                guard var item = pending[index] else { continue }
                let attempt = poll.attempt
                context.recorder.count(attempt, of: item.probe.name, in: .measure, at: poll.at, started: poll.started)
                // An Alertmanager probe detected at its alert's `startsAt` when that is earlier (the
                // alert fired while the fault actions ran, before this poll saw it).
                let heldAt = item.probe.alertmanager == nil ? poll.at : alertStart(attempt, of: item.measurement, before: poll.at)
                if attempt.holds, let metric = metricValue(item.measurement, attempt: attempt, at: heldAt) {
                    recorder.record(metric)
                    if let name = item.measurement.event {
                        // An Alertmanager probe's event (`monitoring.detected`) is described by the alert's name.
                        if let alert = item.probe.alert?["alertname"] { recorder.event(name, alert, at: heldAt) } else {
                            recorder.event(name, "\(item.measurement.probe.name) held: \(attempt.detail)")
                        }
                    }
                    // The instant the run page marks as recovery: the first `holds` measurement that held.
                    if item.measurement.kind == .holds, recorder.eventTime("recovered") == nil {
                        recorder.event("recovered", "\(item.measurement.metric): \(item.measurement.probe.name) held")
                    }
                    context.report(.stepFinished(phase: .measure, name: item.measurement.metric, succeeded: true, detail: metric.formatted))
                    finished.insert(item.measurement.metric)
                    pending[index] = nil
                    continue
                }
                item.lastDetail = attempt.detail
                if poll.at - (item.started ?? poll.at) >= item.measurement.timeout {
                    timedOut(item.measurement, last: attempt.detail)
                    finished.insert(item.measurement.metric)
                    pending[index] = nil
                    continue
                }
                // A fixed rate: `interval` after the attempt started, or at once when it took longer.
                item.nextPoll = max(poll.at, item.lastStart + (item.measurement.interval ?? 0.25))
                pending[index] = item
            }
            if pending.isEmpty { break }
            for index in pending.keys.sorted() {
                guard var item = pending[index], !polls.isRunning(.measure(index)) else { continue }
                if (item.measurement.after ?? []).contains(where: { !finished.contains($0) }) { continue }
                if item.started == nil {
                    context.report(.stepStarted(phase: .measure, name: item.measurement.metric))
                    context.report(.waiting(
                        phase: .measure, name: item.measurement.metric, probe: item.measurement.probe.name,
                        endsAt: clock.now() - recorder.startMonotonic + item.measurement.timeout, timeout: item.measurement.timeout))
                    if let trigger = item.measurement.trigger {
                        try await actions.perform(trigger, phase: .measure)
                    }
                    item.started = clock.now()
                    item.nextPoll = item.started ?? 0
                }
                if item.nextPoll <= clock.now() {
                    item.lastStart = clock.now()
                    polls.start(item.probe, in: .measure(index))
                }
                pending[index] = item
            }
            let now = clock.now()
            let idle = pending.filter { !polls.isRunning(.measure($0.key)) && $0.value.started != nil }.map(\.value.nextPoll)
            let due = (idle + [activeProbes.nextPoll].compactMap { $0 }).min()
            context.report(.tick)
            // Wake when an attempt finishes or the next is due, and at least every 0.25 s while
            // nothing runs (interrupts and the budget are checked on each turn).
            await polls.wait(atMost: due.map { max(0.001, min(0.25, $0 - now)) } ?? (polls.anyRunning ? nil : 0.25))
        }
        for item in pending.values.sorted(by: { $0.measurement.metric < $1.measurement.metric }) { timedOut(item.measurement, last: item.lastDetail) }
        activeProbes.recordMetrics()
        recorder.event("fault.ended", "Measurements finished; the fault is no longer watched.")
    }

    private func metricValue(_ measurement: DrillbookModel.Measurement, attempt: ProbeAttempt, at time: Double) -> Metric? {
        switch measurement.kind ?? .elapsed {
        case .elapsed:
            guard let from = measurement.from, let start = context.recorder.eventTime(from) else {
                context.recorder.failures.append("measurement \(measurement.metric): the event \(measurement.from ?? "(none)") never happened")
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
                context.recorder.failures.append("measurement \(measurement.metric): \(measurement.probe.name) printed no number (\(ProbeEvaluator.firstLine(text)))")
                return nil
            }
            return Metric(name: measurement.metric, value: number, unit: measurement.unit ?? "count", note: "printed by \(measurement.probe.name)")
        }
    }

    /// The monotonic instant of the alert's `startsAt` (the attempt's output), when it parses and
    /// lies between the measurement's `from` event and `seen`; else `seen` (an alert that started
    /// before the fault is not taken as its detection).
    private func alertStart(_ attempt: ProbeAttempt, of measurement: DrillbookModel.Measurement, before seen: Double) -> Double {
        let formats: [Date.ISO8601FormatStyle] = [.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted), .iso8601]
        let text = attempt.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let date = formats.lazy.compactMap({ try? Date(text, strategy: $0) }).first else { return seen }
        let recorder = context.recorder
        let instant = recorder.startMonotonic + date.timeIntervalSince(recorder.startWall)
        guard let from = measurement.from.flatMap(recorder.eventTime), instant >= from else { return seen }
        return min(seen, instant)
    }

    private func timedOut(_ measurement: DrillbookModel.Measurement, last: String) {
        let text = "\(measurement.metric) not reached within \(ProbeEvaluator.seconds(measurement.timeout)) (last: \(last))"
        if measurement.onTimeout == .window, (measurement.kind ?? .elapsed) == .elapsed, let from = measurement.from,
            let start = context.recorder.eventTime(from)
        {
            // The time watched: a lower bound of the real time, so a target shorter than it misses.
            let seconds = context.clock.now() - start
            let unit = measurement.unit ?? "s"
            let value = unit == "ms" ? (seconds * 1000).rounded() : (seconds * 1000).rounded() / 1000
            context.recorder.record(Metric(name: measurement.metric, value: value, unit: unit, note: "not reached: \(text); the time watched from \(from) is recorded"))
        } else if measurement.kind == .holds {
            context.recorder.record(Metric(name: measurement.metric, value: 0, unit: measurement.unit ?? "bool", note: text))
        } else {
            context.recorder.observations.append(text)
        }
        context.recorder.event(RunPhase.measure.step(measurement.metric).label + ".timedOut", text)
        context.report(.stepFinished(phase: .measure, name: measurement.metric, succeeded: false, detail: text))
    }
}
