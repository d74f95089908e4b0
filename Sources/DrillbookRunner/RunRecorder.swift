import DrillbookModel
import Foundation

/// What a run writes down as it goes: the timeline, the metrics, the probe summaries, the kept
/// command outputs, failures and observations, and the live progress sent to the observer.
/// Instants are kept on the monotonic clock and turned into timestamps at the end.
final class RunRecorder {
    let clock: any DrillClock
    let observer: any RunObserver
    let settings: RunSettings
    let startMonotonic: Double
    let startWall: Date

    private(set) var timeline: [(at: Double, event: String, description: String?)] = []
    private(set) var metrics: [Metric] = []
    private(set) var probes = ProbeTally()
    private(set) var outputs: [CommandOutput] = []
    /// The evidence series of the run (bounded by `EvidenceSeries.seriesLimit`), in the order added.
    private(set) var series: [EvidenceSeries] = []
    var failures: [String] = []
    var observations: [String] = []

    init(clock: any DrillClock, observer: any RunObserver, settings: RunSettings) {
        self.clock = clock
        self.observer = observer
        self.settings = settings
        self.startMonotonic = clock.now()
        self.startWall = clock.wallNow()
    }

    func report(_ progress: RunProgress) { observer.observe(progress, elapsed: clock.now() - startMonotonic) }

    func event(_ name: String, _ description: String? = nil) {
        timeline.append((clock.now(), name, description))
    }

    /// An event at an earlier instant (`monitoring.detected` at the alert's start), kept in time order.
    func event(_ name: String, _ description: String?, at time: Double) {
        let index = timeline.lastIndex { $0.at <= time }.map { $0 + 1 } ?? 0
        timeline.insert((time, name, description), at: index)
    }

    /// The instant of the last event called `name`.
    func eventTime(_ name: String) -> Double? { timeline.last { $0.event == name }?.at }

    /// Marks the start of `phase` (probe summaries count their first success from it) and reports it.
    func beginPhase(_ phase: RunPhase) {
        startPhaseClock(phase)
        report(.phaseStarted(phase))
    }

    /// Marks the start of `phase` without reporting it (`during` starts with the fault).
    func startPhaseClock(_ phase: RunPhase) { probes.startPhase(phase, at: clock.now()) }

    /// Counts one probe attempt in its phase's summary and reports it; `time` is when the attempt
    /// finished (now, unless it ran concurrently and is counted later).
    func count(_ attempt: ProbeAttempt, of probe: String, in phase: RunPhase, at time: Double? = nil) {
        probes.count(attempt, of: probe, in: phase, at: time ?? clock.now(), runStart: startMonotonic)
        report(.probe(phase: phase, name: probe, holds: attempt.holds, detail: attempt.detail))
    }

    /// Records `metric`, replacing an earlier one of the same name, and reports it.
    func record(_ metric: Metric) {
        metrics.removeAll { $0.name == metric.name }
        metrics.append(metric)
        report(.metric(metric))
    }

    func keepOutput(step: PhaseStep, command: String, result: CommandResult) {
        keepOutput(step: step, command: command, exitStatus: result.exitStatus, output: result.output, truncated: result.truncated)
    }

    /// Keeps a command's output, cut to the run's output limit on a character boundary.
    func keepOutput(step: PhaseStep, command: String, exitStatus: Int?, output: String, truncated: Bool = false) {
        let limit = settings.outputLimit
        let bytes = Array(output.utf8)
        if bytes.count <= limit {
            outputs.append(CommandOutput(step: step.label, command: command, exitStatus: exitStatus, output: output, truncated: truncated))
            return
        }
        var cut = String(decoding: bytes.prefix(limit), as: UTF8.self)
        if cut.hasSuffix("\u{FFFD}") { cut.removeLast() }
        outputs.append(CommandOutput(step: step.label, command: command, exitStatus: exitStatus, output: cut, truncated: true))
    }

    /// Appends a series to the run's details (`series` in the record): at most
    /// `EvidenceSeries.seriesLimit` series, each thinned evenly to `EvidenceSeries.pointLimit`
    /// points (saying so in its note); a series beyond the limit is left out and noted.
    func appendSeries(_ added: EvidenceSeries) {
        guard series.count < EvidenceSeries.seriesLimit else {
            observations.append("Series \(added.name) was not kept: a record keeps at most \(EvidenceSeries.seriesLimit) series.")
            return
        }
        var kept = added
        let limit = EvidenceSeries.pointLimit
        if kept.points.count > limit {
            let all = kept.points
            kept.points = (0..<limit).map { all[$0 * (all.count - 1) / (limit - 1)] }
            kept.note = [added.note, "thinned evenly from \(all.count) to \(limit) points"].compactMap { $0 }.joined(separator: "; ")
        }
        series.append(kept)
    }

    /// The drill's `derive` metrics, from the metrics measured so far.
    func derive(_ rules: [DerivedMetric]) {
        for derived in rules {
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

    /// A monotonic instant as a record timestamp: the wall-clock start plus the monotonic offset.
    func timestamp(_ monotonic: Double) -> Timestamp {
        let seconds = startWall.timeIntervalSince1970 + (monotonic - startMonotonic)
        return Timestamp(secondsSince1970: (seconds * 1000).rounded() / 1000, utcOffsetSeconds: settings.utcOffsetSeconds)
    }

    var events: [TimelineEvent] { timeline.map { TimelineEvent(at: timestamp($0.at), event: $0.event, description: $0.description) } }
}
