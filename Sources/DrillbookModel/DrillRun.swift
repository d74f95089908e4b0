/// The record of one drill run (`content/runs/**/*.json`), written by the executor or by hand.
public struct DrillRun: Sendable, Hashable, Codable, Identifiable {
    /// The format version this record follows. Version 1 is described in `docs/formats.md`.
    public var schemaVersion: Int
    /// Unique run id, also the page slug (`2026-03-02-redis-sentinel-failover`).
    public var id: String
    /// The drill this run realised (a `DrillDefinition.id`).
    public var drillId: String
    /// `local`, `staging`, `production`, …
    public var environment: String
    public var startedAt: Timestamp
    public var endedAt: Timestamp
    public var participants: [Participant]
    public var outcome: RunOutcome
    /// Why the run was aborted, when it was.
    public var abortReason: String?
    /// Who approved a production run (`--approve`).
    public var approvedBy: String?
    /// Who started the run (the executor fills this from the user name).
    public var runBy: String?
    /// A Markdown summary for readers who were not there.
    public var summary: String?
    public var timeline: [TimelineEvent]
    public var metrics: [Metric]
    public var criteria: [CriterionResult]
    /// Markdown, one observation each.
    public var observations: [String]
    public var lessons: Lessons
    public var actionItems: [ActionItem]
    /// Executor detail: every probe summarised. Empty for runs recorded by hand.
    public var probes: [ProbeSummary]
    /// Executor detail: bounded command outputs.
    public var outputs: [CommandOutput]

    public init(
        schemaVersion: Int = 1, id: String, drillId: String, environment: String, startedAt: Timestamp,
        endedAt: Timestamp, participants: [Participant] = [], outcome: RunOutcome, abortReason: String? = nil,
        approvedBy: String? = nil, runBy: String? = nil, summary: String? = nil, timeline: [TimelineEvent] = [],
        metrics: [Metric] = [], criteria: [CriterionResult] = [], observations: [String] = [],
        lessons: Lessons = Lessons(), actionItems: [ActionItem] = [], probes: [ProbeSummary] = [],
        outputs: [CommandOutput] = []
    ) {
        self.schemaVersion = schemaVersion
        self.id = id
        self.drillId = drillId
        self.environment = environment
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.participants = participants
        self.outcome = outcome
        self.abortReason = abortReason
        self.approvedBy = approvedBy
        self.runBy = runBy
        self.summary = summary
        self.timeline = timeline
        self.metrics = metrics
        self.criteria = criteria
        self.observations = observations
        self.lessons = lessons
        self.actionItems = actionItems
        self.probes = probes
        self.outputs = outputs
    }

    /// Wall-clock length of the run in seconds.
    public var durationSeconds: Double { startedAt.seconds(until: endedAt) }

    /// The measured value of a metric, by name.
    public func metric(named name: String) -> Metric? { metrics.first { $0.name == name } }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, id, drillId, environment, startedAt, endedAt, participants, outcome, abortReason
        case approvedBy, runBy, summary, timeline, metrics, criteria, observations, lessons, actionItems
        case probes, outputs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        id = try c.decode(String.self, forKey: .id)
        drillId = try c.decode(String.self, forKey: .drillId)
        environment = try c.decode(String.self, forKey: .environment)
        startedAt = try c.decode(Timestamp.self, forKey: .startedAt)
        endedAt = try c.decode(Timestamp.self, forKey: .endedAt)
        participants = try c.decodeIfPresent([Participant].self, forKey: .participants) ?? []
        outcome = try c.decode(RunOutcome.self, forKey: .outcome)
        abortReason = try c.decodeIfPresent(String.self, forKey: .abortReason)
        approvedBy = try c.decodeIfPresent(String.self, forKey: .approvedBy)
        runBy = try c.decodeIfPresent(String.self, forKey: .runBy)
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        timeline = try c.decodeIfPresent([TimelineEvent].self, forKey: .timeline) ?? []
        metrics = try c.decodeIfPresent([Metric].self, forKey: .metrics) ?? []
        criteria = try c.decodeIfPresent([CriterionResult].self, forKey: .criteria) ?? []
        observations = try c.decodeIfPresent([String].self, forKey: .observations) ?? []
        lessons = try c.decodeIfPresent(Lessons.self, forKey: .lessons) ?? Lessons()
        actionItems = try c.decodeIfPresent([ActionItem].self, forKey: .actionItems) ?? []
        probes = try c.decodeIfPresent([ProbeSummary].self, forKey: .probes) ?? []
        outputs = try c.decodeIfPresent([CommandOutput].self, forKey: .outputs) ?? []
    }
}

/// How a run ended.
public enum RunOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every criterion held and no action failed.
    case passed
    /// The drill ran to the end but a criterion was missed or an action failed.
    case failed
    /// Stopped early (abort condition, time budget, Ctrl-C); rollback ran.
    case aborted

    public static var expectedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Someone who took part, with the role they played (`Drill lead`, `On-call Engineer`, `Observer`).
public struct Participant: Sendable, Hashable, Codable {
    public var name: String
    public var role: String

    public init(name: String, role: String) {
        self.name = name
        self.role = role
    }
}

/// One moment of a run's timeline. `event` is a dotted name the executor and measurements refer to
/// (`fault.injected`, `master.changed`); `description` is Markdown for people.
public struct TimelineEvent: Sendable, Hashable, Codable {
    public var at: Timestamp
    public var event: String
    public var description: String?

    public init(at: Timestamp, event: String, description: String? = nil) {
        self.at = at
        self.event = event
        self.description = description
    }
}

/// A measured value with its unit.
public struct Metric: Sendable, Hashable, Codable {
    public var name: String
    public var value: Double
    public var unit: String
    /// How it was measured, in a sentence (`from fault.injected to master.changed`).
    public var note: String?

    public init(name: String, value: Double, unit: String, note: String? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.note = note
    }

    public var formatted: String { MetricFormat.value(value, unit: unit) }
}

/// How a criterion fared in a run.
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    case met
    case missed
    /// The metric was not measured (or the criterion is judged by people and was not judged).
    case notMeasured = "not-measured"

    public static var expectedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A success criterion as evaluated in one run: the target, what was measured, the verdict.
public struct CriterionResult: Sendable, Hashable, Codable {
    /// The `SuccessCriterion.id` of the drill.
    public var criterionId: String
    /// The criterion's sentence, copied so the record reads on its own.
    public var text: String
    public var metric: String?
    public var comparison: Comparison?
    public var target: Double?
    public var unit: String?
    /// The measured value, when measurable.
    public var actual: Double?
    /// Markdown: how it was judged, or what was seen when not measurable.
    public var note: String?
    public var verdict: Verdict

    public init(
        criterionId: String, text: String, metric: String? = nil, comparison: Comparison? = nil,
        target: Double? = nil, unit: String? = nil, actual: Double? = nil, note: String? = nil, verdict: Verdict
    ) {
        self.criterionId = criterionId
        self.text = text
        self.metric = metric
        self.comparison = comparison
        self.target = target
        self.unit = unit
        self.actual = actual
        self.note = note
        self.verdict = verdict
    }

    /// `≤ 30 s`, or nil when the criterion has no numeric target.
    public var targetText: String? {
        guard let comparison, let target else { return nil }
        return comparison.symbol + " " + MetricFormat.value(target, unit: unit ?? "")
    }

    /// `8.2 s`, or nil when nothing was measured.
    public var actualText: String? { actual.map { MetricFormat.value($0, unit: unit ?? "") } }
}

/// The playbook's lessons-learned template sections. Markdown, one entry each.
public struct Lessons: Sendable, Hashable, Codable {
    public var wentWell: [String]
    public var couldImprove: [String]
    public var nextSteps: [String]

    public init(wentWell: [String] = [], couldImprove: [String] = [], nextSteps: [String] = []) {
        self.wentWell = wentWell
        self.couldImprove = couldImprove
        self.nextSteps = nextSteps
    }

    public var isEmpty: Bool { wentWell.isEmpty && couldImprove.isEmpty && nextSteps.isEmpty }

    enum CodingKeys: String, CodingKey { case wentWell, couldImprove, nextSteps }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        wentWell = try c.decodeIfPresent([String].self, forKey: .wentWell) ?? []
        couldImprove = try c.decodeIfPresent([String].self, forKey: .couldImprove) ?? []
        nextSteps = try c.decodeIfPresent([String].self, forKey: .nextSteps) ?? []
    }
}

/// The executor's summary of one probe: how often it was polled and what it saw.
public struct ProbeSummary: Sendable, Hashable, Codable {
    /// The probe's name in the drill definition.
    public var name: String
    /// The phase it ran in (`steadyState.before`, `measure`, `during`, `steadyState.after`, …).
    public var phase: String
    public var attempts: Int
    public var failures: Int
    /// Seconds from the phase start to the first success, when there was one.
    public var firstSuccessAfterSeconds: Double?
    /// The last result, in words (`HTTP 200 in 3 ms`, `exit 1: connection refused`).
    public var lastResult: String?

    public init(
        name: String, phase: String, attempts: Int, failures: Int, firstSuccessAfterSeconds: Double? = nil,
        lastResult: String? = nil
    ) {
        self.name = name
        self.phase = phase
        self.attempts = attempts
        self.failures = failures
        self.firstSuccessAfterSeconds = firstSuccessAfterSeconds
        self.lastResult = lastResult
    }
}

/// Output of a command the executor ran, truncated to a bound.
public struct CommandOutput: Sendable, Hashable, Codable {
    /// The step that ran it (`setup.master`, `fault.kill-master`).
    public var step: String
    public var command: String
    public var exitStatus: Int?
    public var output: String
    /// True when `output` was cut to the bound.
    public var truncated: Bool

    public init(step: String, command: String, exitStatus: Int?, output: String, truncated: Bool) {
        self.step = step
        self.command = command
        self.exitStatus = exitStatus
        self.output = output
        self.truncated = truncated
    }
}
