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
    /// Every attempt of the steady-state, `abortIf`, `during` and measurement probes (bounded).
    private(set) var probeEvidence = ProbeEvidence()
    /// Series other parts of the run hand in (`record(series:)`), after the probes' own.
    private(set) var addedSeries: [EvidenceSeries] = []
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

    /// Counts one probe attempt in its phase's summary, keeps it as evidence and reports it; `time`
    /// is when the attempt finished (now, unless it ran concurrently and is counted later) and
    /// `started` when it began (its latency is the difference; none when not known).
    func count(_ attempt: ProbeAttempt, of probe: String, in phase: RunPhase, at time: Double? = nil, started: Double? = nil) {
        let finished = time ?? clock.now()
        probes.count(attempt, of: probe, in: phase, at: finished, runStart: startMonotonic)
        probeEvidence.note(
            probe: probe, phase: phase, t: finished - startMonotonic, latency: started.map { finished - $0 }, ok: attempt.holds)
        report(.probe(phase: phase, name: probe, holds: attempt.holds, detail: attempt.detail))
    }

    /// Records `metric`, replacing an earlier one of the same name, and reports it.
    func record(_ metric: Metric) {
        metrics.removeAll { $0.name == metric.name }
        metrics.append(metric)
        report(.metric(metric))
    }

    /// Appends a series the run watched (a Prometheus range query, say) to the record's evidence,
    /// after the probes' own series: thinned evenly to `EvidenceSeries.pointLimit` points (its
    /// `note` says so); beyond `EvidenceSeries.seriesLimit` series in all it is left out and an
    /// observation says which. Point instants are seconds after the run's start
    /// (`startMonotonic`; `seconds(sinceStartAt:)` turns a monotonic instant into one).
    func record(series: EvidenceSeries) {
        addedSeries.append(series.bounded())
    }

    /// A monotonic instant as an evidence point's `t`: seconds after the run's start.
    func seconds(sinceStartAt monotonic: Double) -> Double { ProbeEvidence.rounded(monotonic - startMonotonic, 1000) }

    /// The record's evidence: the probe series (queries as `query` gives them, unsubstituted),
    /// then the added ones, at most `EvidenceSeries.seriesLimit` (an observation names the rest).
    func evidenceSeries(query: (ProbeEvidence.Role, String) -> String?) -> [EvidenceSeries] {
        let all = probeEvidence.series(query: query) + addedSeries
        guard all.count > EvidenceSeries.seriesLimit else { return all }
        let left = all.dropFirst(EvidenceSeries.seriesLimit).map(\.name)
        observations.append("Evidence series left out (at most \(EvidenceSeries.seriesLimit) per run): \(left.joined(separator: ", ")).")
        return Array(all.prefix(EvidenceSeries.seriesLimit))
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
