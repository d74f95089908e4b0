import DrillbookModel

/// Small corpora built in Swift, with values chosen so expectations can be computed by hand.
enum Fixtures {
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso8601: text)! }
    static func time(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }

    static let redis = DrillDefinition(
        id: "redis-sentinel-failover", title: "Redis Sentinel Failover", category: .infrastructureResilience,
        objective: "Test Redis HA",
        successCriteria: [
            SuccessCriterion(id: "failover-30s", text: "Failover completed within 30s", metric: "failover_seconds", comparison: .lessThanOrEqual, target: 30, unit: "s"),
            SuccessCriterion(id: "no-data-loss", text: "No data loss"),
            SuccessCriterion(id: "detect", text: "Detected within 60s", metric: "detection_seconds", comparison: .lessThanOrEqual, target: 60, unit: "s"),
        ],
        recoveryTarget: RecoveryTarget(metric: "failover_seconds", seconds: 30, source: "Appendix B: REDIS_FAILOVER"),
        allocatedDuration: "30m")

    /// No recovery target of its own: Appendix B's DATABASE_FAILOVER (120 s) is inferred from the id.
    static let database = DrillDefinition(
        id: "database-failover", title: "Database Failover", category: .infrastructureResilience, objective: "DB",
        successCriteria: [SuccessCriterion(id: "replica-promoted", text: "Replica promoted")],
        allocatedDuration: "1h")

    static let burst = DrillDefinition(
        id: "sudden-order-burst", title: "Sudden Order Burst", category: .loadAndPerformance, objective: "Load",
        successCriteria: [SuccessCriterion(id: "p95", text: "p95 under 500ms")], allocatedDuration: "30m")

    static let fullSystem = DrillDefinition(
        id: "full-outage", title: "Full Outage", category: .fullSystemFailure, objective: "All", allocatedDuration: "2h")

    static func run(
        _ id: String, drill: String, start: String, minutes: Double = 20, outcome: RunOutcome = .passed,
        metrics: [Metric] = [], criteria: [CriterionResult] = [], actions: [ActionItem] = []
    ) -> DrillRun {
        let started = time(start)
        return DrillRun(
            id: id, drillId: drill, environment: "staging", startedAt: started, endedAt: started.adding(seconds: minutes * 60),
            outcome: outcome, metrics: metrics, criteria: criteria, actionItems: actions)
    }

    static func failover(_ seconds: Double) -> Metric { Metric(name: "failover_seconds", value: seconds, unit: "s") }

    static func verdict(_ id: String, _ text: String, _ verdict: Verdict) -> CriterionResult {
        CriterionResult(criterionId: id, text: text, verdict: verdict)
    }
}
