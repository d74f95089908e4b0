/// The record of one drill run (`content/runs/**/*.json`), written by the executor or by hand: its
/// `overview` (what indexes, lists and analysis read) and its `details` (what only the run's own
/// page and the feed show), decoded once from the same flat JSON object.
///
/// Both parts' fields read and write as the run's own (`run.outcome`, `run.timeline`), so code
/// that builds or prints a whole run does not name the parts.
@dynamicMemberLookup
public struct DrillRun: Sendable, Hashable, Codable, Identifiable {
    public var overview: RunOverview
    public var details: RunDetails

    public init(overview: RunOverview, details: RunDetails = RunDetails()) {
        self.overview = overview
        self.details = details
    }

    public init(
        schemaVersion: Int = 1, id: String, drillId: String, environment: String,
        realisation: RunRealisation? = nil, startedAt: Timestamp, endedAt: Timestamp, participants: [Participant] = [], outcome: RunOutcome, abortReason: String? = nil,
        approvedBy: String? = nil, runBy: String? = nil, summary: String? = nil, timeline: [TimelineEvent] = [],
        metrics: [Metric] = [], criteria: [CriterionResult] = [], observations: [String] = [],
        lessons: Lessons = Lessons(), actionItems: [ActionItem] = [], probes: [ProbeSummary] = [],
        outputs: [CommandOutput] = [], series: [EvidenceSeries] = []
    ) {
        overview = RunOverview(
            schemaVersion: schemaVersion, id: id, drillId: drillId, environment: environment,
            realisation: realisation, startedAt: startedAt,
            endedAt: endedAt, outcome: outcome, abortReason: abortReason, approvedBy: approvedBy, runBy: runBy,
            metrics: metrics, criteria: criteria, lessons: lessons, actionItems: actionItems)
        details = RunDetails(
            participants: participants, summary: summary, timeline: timeline, observations: observations,
            probes: probes, outputs: outputs, series: series)
    }

    /// One record is one flat object: both parts read their keys from it (each ignores the
    /// other's), and write theirs into it.
    public init(from decoder: any Decoder) throws {
        overview = try RunOverview(from: decoder)
        details = try RunDetails(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try overview.encode(to: encoder)
        try details.encode(to: encoder)
    }

    public var id: String {
        get { overview.id }
        set { overview.id = newValue }
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<RunOverview, Value>) -> Value {
        get { overview[keyPath: keyPath] }
        set { overview[keyPath: keyPath] = newValue }
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<RunOverview, Value>) -> Value { overview[keyPath: keyPath] }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<RunDetails, Value>) -> Value {
        get { details[keyPath: keyPath] }
        set { details[keyPath: keyPath] = newValue }
    }

    /// The measured value of a metric, by name.
    public func metric(named name: String) -> Metric? { overview.metric(named: name) }
}

/// What lists, indexes and analysis know of a run: when, where, how it ended, its figures,
/// criteria, lessons and action items. The rest of the record is `RunDetails`.
public struct RunOverview: Sendable, Hashable, Codable, Identifiable {
    /// The format version this record follows. Version 1 is described in `docs/formats.md`.
    public var schemaVersion: Int
    /// Unique run id, also the page slug (`2026-03-02-redis-sentinel-failover`).
    public var id: String
    /// The drill this run realised (a `DrillDefinition.id`).
    public var drillId: String
    /// `local`, `staging`, `production`, …
    public var environment: String
    /// Whether the run exercised the environment's real systems or a local realisation (servers
    /// the executor started on the operator's machine). Absent in a hand-written record, which
    /// reports a drill held in `environment` itself.
    public var realisation: RunRealisation?
    public var startedAt: Timestamp
    public var endedAt: Timestamp
    public var outcome: RunOutcome
    /// Why the run was aborted, when it was.
    public var abortReason: String?
    /// Who approved a production run (`--approve`).
    public var approvedBy: String?
    /// Who started the run (the executor fills this from the user name).
    public var runBy: String?
    @DefaultEmpty public var metrics: [Metric]
    @DefaultEmpty public var criteria: [CriterionResult]
    @DefaultEmpty public var lessons: Lessons
    @DefaultEmpty public var actionItems: [ActionItem]

    public init(
        schemaVersion: Int = 1, id: String, drillId: String, environment: String,
        realisation: RunRealisation? = nil, startedAt: Timestamp, endedAt: Timestamp, outcome: RunOutcome, abortReason: String? = nil, approvedBy: String? = nil,
        runBy: String? = nil, metrics: [Metric] = [], criteria: [CriterionResult] = [], lessons: Lessons = Lessons(),
        actionItems: [ActionItem] = []
    ) {
        self.schemaVersion = schemaVersion
        self.id = id
        self.drillId = drillId
        self.environment = environment
        self.realisation = realisation
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.abortReason = abortReason
        self.approvedBy = approvedBy
        self.runBy = runBy
        self.metrics = metrics
        self.criteria = criteria
        self.lessons = lessons
        self.actionItems = actionItems
    }

    /// True when the run exercised servers started on the operator's machine rather than the
    /// environment's real systems; leadership figures count such runs apart.
    public var isLocalRealisation: Bool { realisation == .local }

    /// Wall-clock length of the run in seconds.
    public var durationSeconds: Double { startedAt.seconds(until: endedAt) }

    /// The measured value of a metric, by name.
    public func metric(named name: String) -> Metric? { metrics.first { $0.name == name } }
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

/// Where a run's fault was injected: into a local realisation of the drill on the operator's
/// machine, or into the named environment's real systems.
public enum RunRealisation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Servers the executor started on the operator's machine stood in for the environment.
    case local
    /// The environment's own hosts, URLs and commands.
    case environment

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

    /// `8.2 s`, or nil when nothing was measured; never contradicting the verdict (`30.004 s`
    /// against `≤ 30 s`, not `30 s`: `MetricFormat.value(_:unit:judgedBy:against:)`).
    public var actualText: String? { actual.map { MetricFormat.value($0, unit: unit ?? "", judgedBy: comparison, against: target) } }
}

/// The playbook's lessons-learned template sections. Markdown, one entry each.
public struct Lessons: Sendable, Hashable, Codable, EmptyDefault {
    @DefaultEmpty public var wentWell: [String]
    @DefaultEmpty public var couldImprove: [String]
    @DefaultEmpty public var nextSteps: [String]

    public init(wentWell: [String] = [], couldImprove: [String] = [], nextSteps: [String] = []) {
        self.wentWell = wentWell
        self.couldImprove = couldImprove
        self.nextSteps = nextSteps
    }

    public static var emptyDefault: Lessons { Lessons() }

    public var isEmpty: Bool { wentWell.isEmpty && couldImprove.isEmpty && nextSteps.isEmpty }
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
