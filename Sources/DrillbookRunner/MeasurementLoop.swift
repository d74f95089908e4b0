import DrillbookModel
import Foundation

/// The `measure` phase: polls each measurement's probe (after its `trigger`, once the measurements
/// it comes `after` are done) until it holds or times out, while the active probes keep being
/// polled; then the fault is no longer watched.
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
        if !execution.measure.isEmpty { recorder.beginPhase(.measure) }
        var pending = execution.measure.map { Pending(measurement: $0, probe: context.variables.substitute($0.probe), started: nil, nextPoll: 0) }
        var finished: Set<String> = []
        let longest = execution.measure.map { $0.timeout }.max() ?? 0
        let total = execution.measure.reduce(0) { $0 + $1.timeout }
        // Bounded twice: by the iteration count and by each measurement's timeout.
        for _ in 0..<RunContext.maxPolls(timeout: max(longest, total), interval: 0.01) {
            try context.checkHalt()
            try await activeProbes.pollDue()
            if pending.isEmpty { break }
            var index = 0
            while index < pending.count {
                var item = pending[index]
                let now = clock.now()
                let waitingFor = (item.measurement.after ?? []).filter { !finished.contains($0) }
                if !waitingFor.isEmpty {
                    index += 1
                    continue
                }
                if item.started == nil {
                    context.report(.stepStarted(phase: .measure, name: item.measurement.metric))
                    if let trigger = item.measurement.trigger {
                        try await actions.perform(trigger, phase: .measure)
                    }
                    item.started = clock.now()
                    item.nextPoll = item.started ?? now
                }
                guard item.nextPoll <= now else {
                    pending[index] = item
                    index += 1
                    continue
                }
                let attempt = await context.attemptProbe(item.probe, phase: .measure)
                let after = clock.now()
                if attempt.holds, let metric = metricValue(item.measurement, attempt: attempt, at: after) {
                    recorder.record(metric)
                    if let name = item.measurement.event { recorder.event(name, "\(item.measurement.probe.name) held: \(attempt.detail)") }
                    context.report(.stepFinished(phase: .measure, name: item.measurement.metric, succeeded: true, detail: metric.formatted))
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
            let now = clock.now()
            let due = (pending.filter { $0.started != nil }.map(\.nextPoll) + [activeProbes.nextPoll ?? now + 0.25]).min() ?? now
            context.report(.tick)
            await clock.sleep(seconds: max(0.01, min(0.25, due - now)))
        }
        for item in pending { timedOut(item.measurement, last: "never polled") }
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

    private func timedOut(_ measurement: DrillbookModel.Measurement, last: String) {
        let text = "\(measurement.metric) not reached within \(ProbeEvaluator.seconds(measurement.timeout)) (last: \(last))"
        if measurement.kind == .holds {
            context.recorder.record(Metric(name: measurement.metric, value: 0, unit: measurement.unit ?? "bool", note: text))
        } else {
            context.recorder.observations.append(text)
        }
        context.recorder.event(RunPhase.measure.step(measurement.metric).label + ".timedOut", text)
        context.report(.stepFinished(phase: .measure, name: measurement.metric, succeeded: false, detail: text))
    }
}
