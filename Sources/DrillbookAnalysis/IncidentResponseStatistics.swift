public import DrillbookModel

/// The four response times of an incident, with their Appendix B targets.
///
/// Each has one definition, between two recorded instants, wherever it is shown (incident pages,
/// reviews, the incidents index): when either instant is missing the time is "not recorded",
/// never measured from a stand-in (a declaration for a missing start or detection).
public enum ResponseMeasure: String, Sendable, Hashable, CaseIterable {
    /// Started → detected, target 5 minutes.
    case detect
    /// Detected → acknowledged, target 15 minutes.
    case respond
    /// Detected → escalated, target 30 minutes.
    case escalate
    /// Started → resolved, target by severity (P1 4 h, P2 24 h, none for P3/P4).
    case resolve

    /// `started → resolved`: the two instants the time runs between, as pages state it.
    public var definition: String {
        switch self {
        case .detect: "started → detected"
        case .respond: "detected → acknowledged"
        case .escalate: "detected → escalated"
        case .resolve: "started → resolved"
        }
    }

    public var title: String {
        switch self {
        case .detect: "Time to detect"
        case .respond: "Time to first response"
        case .escalate: "Time to escalate"
        case .resolve: "Time to resolve"
        }
    }

    /// The target in seconds for an incident of `severity`, nil when Appendix B gives none.
    public func targetSeconds(for severity: Severity) -> Double? {
        switch self {
        case .detect: ResponseTargets.detectionSeconds
        case .respond: ResponseTargets.initialResponseSeconds
        case .escalate: ResponseTargets.escalationSeconds
        case .resolve: severity.resolutionTargetSeconds
        }
    }

    /// The measured seconds of `incident`, nil when not recorded (or, for resolve, still open).
    public func seconds(of incident: Incident) -> Double? {
        let ends: (Timestamp?, Timestamp?) =
            switch self {
            case .detect: (incident.startedAt, incident.detectedAt)
            case .respond: (incident.detectedAt, incident.acknowledgedAt)
            case .escalate: (incident.detectedAt, incident.escalatedAt)
            case .resolve: (incident.startedAt, incident.resolvedAt)
            }
        guard let from = ends.0, let to = ends.1 else { return nil }
        let value: Double? = from.seconds(until: to)
        return value.flatMap { $0.isFinite ? $0 : nil }
    }
}

/// One incident's response times against targets.
public struct IncidentResponse: Sendable, Hashable, Identifiable {
    public var id: String
    public var severity: Severity
    /// The local day of the declaration (it decides month and quarter).
    public var declaredOn: CalendarDay
    public var isResolved: Bool
    /// Seconds per measure, nil when not recorded.
    public var seconds: [ResponseMeasure: Double]
    /// Per measure: met the target (nil when not recorded or no target).
    public var withinTarget: [ResponseMeasure: Bool]
    /// Appendix C: who should have been called, in order.
    public var escalationPath: [String]

    public init(incident: Incident) {
        id = incident.id
        severity = incident.severity
        declaredOn = incident.declaredAt.localDay
        isResolved = incident.isResolved
        var seconds: [ResponseMeasure: Double] = [:]
        var within: [ResponseMeasure: Bool] = [:]
        for measure in ResponseMeasure.allCases {
            guard let value = measure.seconds(of: incident) else { continue }
            seconds[measure] = value
            if let target = measure.targetSeconds(for: incident.severity) { within[measure] = value <= target }
        }
        self.seconds = seconds
        withinTarget = within
        escalationPath = incident.severity.escalationPath
    }
}

/// One response measure over a group of incidents.
public struct ResponseMeasureSummary: Sendable, Hashable {
    public var measure: ResponseMeasure
    /// Incidents with the time recorded.
    public var recorded: Int
    /// Incidents without it ("not recorded"; for resolve this includes open incidents).
    public var notRecorded: Int
    public var medianSeconds: Double?
    /// Within target out of recorded incidents that have a target.
    public var withinTarget: Share
    /// The target: always for detect/respond/escalate; for resolve, the group's severity target, or
    /// the one target all its incidents share (nil for P3/P4 and for mixed groups).
    public var targetSeconds: Double?

    init(measure: ResponseMeasure, responses: [IncidentResponse], severity: Severity?) {
        self.measure = measure
        let values = responses.compactMap { $0.seconds[measure] }
        recorded = values.count
        notRecorded = responses.count - values.count
        medianSeconds = Statistics.median(values)
        let judged = responses.compactMap { $0.withinTarget[measure] }
        withinTarget = Share(count: judged.filter { $0 }.count, total: judged.count)
        if let severity {
            targetSeconds = measure.targetSeconds(for: severity)
        } else if measure != .resolve {
            targetSeconds = measure.targetSeconds(for: .p1)
        } else {
            let targets = Set(responses.map { measure.targetSeconds(for: $0.severity) })
            targetSeconds = targets.count == 1 ? targets.first! : nil
        }
    }
}

/// Incidents of one severity or one quarter.
public struct IncidentGroup: Sendable, Hashable, Identifiable {
    /// `P1`…`P4`, or `2026-Q1`.
    public var id: String
    public var incidentIds: [String]
    public var count: Int { incidentIds.count }
    public var resolved: Int
    public var open: Int { count - resolved }
    /// Count per severity (every severity present, 0 when none).
    public var bySeverity: [Severity: Int]
    /// Summaries in `ResponseMeasure.allCases` order.
    public var measures: [ResponseMeasureSummary]

    /// The severity when the group holds one severity only.
    public var severity: Severity?

    init(id: String, responses: [IncidentResponse], severity: Severity? = nil) {
        self.id = id
        self.severity = severity
        incidentIds = responses.map(\.id)
        resolved = responses.filter(\.isResolved).count
        var counts: [Severity: Int] = [:]
        for severity in Severity.allCases { counts[severity] = responses.filter { $0.severity == severity }.count }
        bySeverity = counts
        measures = ResponseMeasure.allCases.map {
            ResponseMeasureSummary(measure: $0, responses: responses, severity: severity)
        }
    }

    /// The summary of one measure.
    public func summary(of measure: ResponseMeasure) -> ResponseMeasureSummary {
        measures.first { $0.measure == measure }!
    }
}

/// Response times of all incidents against Appendix B, per severity and per quarter.
public struct IncidentResponseStatistics: Sendable, Hashable {
    /// Per incident, in declaration order.
    public var responses: [IncidentResponse]
    /// All incidents together.
    public var overall: IncidentGroup
    /// P1 to P4, every severity present (empty groups included).
    public var bySeverity: [IncidentGroup]
    /// Quarters from the first to the last incident's, every quarter between included.
    public var byQuarter: [IncidentGroup]

    public init(incidents: [Incident]) {
        let sorted = incidents.sorted { ($0.declaredAt, $0.id) < ($1.declaredAt, $1.id) }
        let responses = sorted.map(IncidentResponse.init(incident:))
        self.responses = responses
        overall = IncidentGroup(id: "all", responses: responses)
        bySeverity = Severity.allCases.map { severity in
            IncidentGroup(
                id: severity.rawValue, responses: responses.filter { $0.severity == severity }, severity: severity)
        }
        if let first = responses.map(\.declaredOn).min(), let last = responses.map(\.declaredOn).max() {
            byQuarter = first.quarter.through(last.quarter).map { quarter in
                IncidentGroup(id: quarter.id, responses: responses.filter { quarter.contains($0.declaredOn) })
            }
        } else {
            byQuarter = []
        }
    }

    /// The incidents declared in `quarter` (an empty group when none).
    public func group(for quarter: Quarter) -> IncidentGroup {
        byQuarter.first { $0.id == quarter.id }
            ?? IncidentGroup(id: quarter.id, responses: responses.filter { quarter.contains($0.declaredOn) })
    }
}
