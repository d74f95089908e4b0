/// Severity classes of the playbook's escalation matrix (Appendix C).
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"
    case p4 = "P4"

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Appendix C: who is called, in order, for this severity.
    public var escalationPath: [String] {
        switch self {
        case .p1: ["On-call Engineer", "DevOps Manager", "Head of Engineering", "CTO"]
        case .p2: ["On-call Engineer", "DevOps Manager", "Head of Engineering"]
        case .p3: ["On-call Engineer", "DevOps Manager"]
        case .p4: ["On-call Engineer"]
        }
    }

    /// Appendix B's resolution target, when the playbook gives one (P1 4 h, P2 24 h).
    public var resolutionTargetSeconds: Double? {
        switch self {
        case .p1: 4 * 3600
        case .p2: 24 * 3600
        case .p3, .p4: nil
        }
    }

    public static var expectedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Appendix B's response-time targets, in seconds.
public enum ResponseTargets {
    public static let detectionSeconds: Double = 5 * 60
    public static let initialResponseSeconds: Double = 15 * 60
    public static let escalationSeconds: Double = 30 * 60
}

/// An incident, normalised from either form of `content/incidents/`: JSON, or the playbook's
/// plain-text blocks (INCIDENT DECLARED, STATUS UPDATE…, INCIDENT RESOLVED). Written with every
/// key, absent values as `null` (the normalised form `drillbook inspect --json` prints).
public struct Incident: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var severity: Severity
    public var type: String
    @NullWhenAbsent public var location: String?
    /// Markdown.
    public var description: String
    @DefaultEmpty public var impact: [String]
    @DefaultEmpty public var initialResponse: [String]
    /// `Time:` of the declaration block.
    public var declaredAt: Timestamp
    /// When the problem began (`Started:`), when known.
    @NullWhenAbsent public var startedAt: Timestamp?
    /// When monitoring or a person noticed it (`Detected:`).
    @NullWhenAbsent public var detectedAt: Timestamp?
    /// When a responder first acted (`Acknowledged:`).
    @NullWhenAbsent public var acknowledgedAt: Timestamp?
    /// When it was escalated beyond the on-call engineer (`Escalated:`).
    @NullWhenAbsent public var escalatedAt: Timestamp?
    /// `Next Update:` of the declaration, kept as written.
    @NullWhenAbsent public var nextUpdate: String?
    @DefaultEmpty public var updates: [IncidentUpdate]
    /// `Resolution Time:`; nil while the incident is open.
    @NullWhenAbsent public var resolvedAt: Timestamp?
    /// `Duration:` as written in the resolution block.
    @NullWhenAbsent public var statedDuration: String?
    /// Markdown.
    @NullWhenAbsent public var rootCause: String?
    @DefaultEmpty public var resolutionActions: [String]
    @DefaultEmpty public var preventionMeasures: [String]
    @DefaultEmpty public var lessonsLearned: [String]
    @DefaultEmpty public var actionItems: [ActionItem]
    /// The drill run this incident was practised in, when it was a drill (`incident-response-practice`).
    @NullWhenAbsent public var drillRunId: String?
    /// Keys the record carried that drillbook does not know, kept as written.
    @DefaultEmpty public var extra: [String: String]

    public init(
        id: String, severity: Severity, type: String, location: String? = nil, description: String,
        impact: [String] = [], initialResponse: [String] = [], declaredAt: Timestamp, startedAt: Timestamp? = nil,
        detectedAt: Timestamp? = nil, acknowledgedAt: Timestamp? = nil, escalatedAt: Timestamp? = nil,
        nextUpdate: String? = nil, updates: [IncidentUpdate] = [], resolvedAt: Timestamp? = nil,
        statedDuration: String? = nil, rootCause: String? = nil, resolutionActions: [String] = [],
        preventionMeasures: [String] = [], lessonsLearned: [String] = [], actionItems: [ActionItem] = [],
        drillRunId: String? = nil, extra: [String: String] = [:]
    ) {
        self.id = id
        self.severity = severity
        self.type = type
        self.location = location
        self.description = description
        self.impact = impact
        self.initialResponse = initialResponse
        self.declaredAt = declaredAt
        self.startedAt = startedAt
        self.detectedAt = detectedAt
        self.acknowledgedAt = acknowledgedAt
        self.escalatedAt = escalatedAt
        self.nextUpdate = nextUpdate
        self.updates = updates
        self.resolvedAt = resolvedAt
        self.statedDuration = statedDuration
        self.rootCause = rootCause
        self.resolutionActions = resolutionActions
        self.preventionMeasures = preventionMeasures
        self.lessonsLearned = lessonsLearned
        self.actionItems = actionItems
        self.drillRunId = drillRunId
        self.extra = extra
    }

    /// The instant the incident is measured from: `startedAt` when recorded, else `declaredAt`.
    public var origin: Timestamp { startedAt ?? declaredAt }

    /// Seconds from origin to resolution; nil while open.
    public var durationSeconds: Double? { resolvedAt.map { origin.seconds(until: $0) } }

    /// Time to detect (origin → detected), when both are recorded.
    public var timeToDetectSeconds: Double? {
        guard let startedAt, let detectedAt else { return nil }
        return startedAt.seconds(until: detectedAt)
    }

    /// Time to first response (detected, else declared → acknowledged).
    public var timeToRespondSeconds: Double? {
        acknowledgedAt.map { (detectedAt ?? declaredAt).seconds(until: $0) }
    }

    /// Time to escalate (detected, else declared → escalated).
    public var timeToEscalateSeconds: Double? {
        escalatedAt.map { (detectedAt ?? declaredAt).seconds(until: $0) }
    }

    public var isResolved: Bool { resolvedAt != nil }

}

/// One STATUS UPDATE block.
public struct IncidentUpdate: Sendable, Hashable, Codable {
    public var at: Timestamp
    /// `Investigating`, `Identified`, `Mitigated`, `Monitoring`, … as written.
    public var status: String
    @DefaultEmpty public var progress: [String]
    /// Markdown.
    @NullWhenAbsent public var currentSituation: String?
    @DefaultEmpty public var nextSteps: [String]
    @NullWhenAbsent public var nextUpdate: String?

    public init(
        at: Timestamp, status: String, progress: [String] = [], currentSituation: String? = nil,
        nextSteps: [String] = [], nextUpdate: String? = nil
    ) {
        self.at = at
        self.status = status
        self.progress = progress
        self.currentSituation = currentSituation
        self.nextSteps = nextSteps
        self.nextUpdate = nextUpdate
    }

}
