/// A drill as the playbook describes it (`content/drills/<id>.yaml`), plus the optional steps the
/// executor runs to realise it locally (`execution`).
public struct DrillDefinition: Sendable, Hashable, Codable, Identifiable {
    /// Stable kebab-case id, also the file name and page slug (`redis-sentinel-failover`).
    public var id: String
    /// Section number in the playbook (`1.2`), when the drill comes from it.
    public var playbookSection: String?
    public var title: String
    public var category: DrillCategory
    /// Markdown.
    public var objective: String
    /// The scenario's steps, Markdown each.
    @DefaultEmpty public var scenario: [String]
    /// Expected behaviour, Markdown each.
    @DefaultEmpty public var expectedBehaviour: [String]
    public var successCriteria: [SuccessCriterion]
    /// The recovery-time target (Appendix B), when the drill has one.
    public var recoveryTarget: RecoveryTarget?
    /// Commands of the playbook's "Observability Checks".
    @DefaultEmpty public var observabilityChecks: [String]
    /// Time allotted to the whole drill, as written (`45m`, `1h 30m`).
    @DurationString public var allocatedDuration: String
    /// Where the drill is meant to run (`local`, `staging`, `production`). Production needs approval.
    public var environment: String?
    /// The playbook's preparation checklist items for this drill.
    @DefaultEmpty public var preparationChecklist: [String]
    /// The playbook's rollback checklist items for this drill.
    @DefaultEmpty public var rollbackChecklist: [String]
    /// Expected impact, for the notification e-mail.
    public var impact: String?
    /// Rollback plan in one sentence, for the notification e-mail.
    public var rollbackPlan: String?
    /// The steps the executor runs; absent for drills that are only run by hand.
    public var execution: DrillExecution?

    public init(
        id: String, playbookSection: String? = nil, title: String, category: DrillCategory, objective: String,
        scenario: [String] = [], expectedBehaviour: [String] = [], successCriteria: [SuccessCriterion] = [],
        recoveryTarget: RecoveryTarget? = nil, observabilityChecks: [String] = [], allocatedDuration: String,
        environment: String? = nil, preparationChecklist: [String] = [], rollbackChecklist: [String] = [],
        impact: String? = nil, rollbackPlan: String? = nil, execution: DrillExecution? = nil
    ) {
        self.id = id
        self.playbookSection = playbookSection
        self.title = title
        self.category = category
        self.objective = objective
        self.scenario = scenario
        self.expectedBehaviour = expectedBehaviour
        self.successCriteria = successCriteria
        self.recoveryTarget = recoveryTarget
        self.observabilityChecks = observabilityChecks
        self.allocatedDuration = allocatedDuration
        self.environment = environment
        self.preparationChecklist = preparationChecklist
        self.rollbackChecklist = rollbackChecklist
        self.impact = impact
        self.rollbackPlan = rollbackPlan
        self.execution = execution
    }

    /// The allocated duration in seconds, or nil when the text is not a duration.
    public var allocatedSeconds: Double? { DurationText.seconds(allocatedDuration) }
}

/// A duration as written (`45m`, `1h 30m`): pages and the executor's budget read it as a
/// duration, so text `DurationText` cannot read fails decoding at its key, not as a blank figure
/// later. (The loader's shape check, `RecordShape.StringFormat.duration`, reports it first, with the
/// file's other errors.)
@propertyWrapper
public struct DurationString: Sendable, Hashable, Codable {
    public var wrappedValue: String

    public init(wrappedValue: String) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard DurationText.seconds(text) != nil else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a duration like 45m, 1h 30m, 90 minutes or PT1H30M")
        }
        wrappedValue = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

/// A recovery-time objective, e.g. Appendix B's `REDIS_FAILOVER: "≤ 30 seconds"`.
public struct RecoveryTarget: Sendable, Hashable, Codable {
    /// The metric runs record for recovery (`failover_seconds`, `recovery_seconds`).
    public var metric: String
    /// The target in seconds (recovery must take at most this long).
    public var seconds: Double
    /// Where the target comes from, e.g. `Appendix B: REDIS_FAILOVER`.
    public var source: String?

    public init(metric: String, seconds: Double, source: String? = nil) {
        self.metric = metric
        self.seconds = seconds
        self.source = source
    }

    /// Appendix B's recovery-time targets, used when a drill states none of its own.
    public static let appendixB: [String: RecoveryTarget] = [
        "WEB_SOCKET_FAILOVER": RecoveryTarget(metric: "failover_seconds", seconds: 30, source: "Appendix B: WEB_SOCKET_FAILOVER"),
        "REDIS_FAILOVER": RecoveryTarget(metric: "failover_seconds", seconds: 30, source: "Appendix B: REDIS_FAILOVER"),
        "DATABASE_FAILOVER": RecoveryTarget(metric: "failover_seconds", seconds: 120, source: "Appendix B: DATABASE_FAILOVER"),
        "FULL_SYSTEM_RECOVERY": RecoveryTarget(metric: "recovery_seconds", seconds: 900, source: "Appendix B: FULL_SYSTEM_RECOVERY"),
    ]
}
