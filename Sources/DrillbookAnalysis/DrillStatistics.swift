public import DrillbookModel

/// One run's value of a timed metric, judged against its target.
public struct RunMeasurement: Sendable, Hashable {
    public var runId: String
    /// The run's start, for plotting over time.
    public var startedAt: Timestamp
    /// The run's local start day (the day the record was written in).
    public var day: CalendarDay
    /// The measured value in seconds.
    public var seconds: Double
    /// The target in seconds; nil when the metric has none.
    public var targetSeconds: Double?
    /// True when `seconds ≤ targetSeconds`; nil without a target.
    public var metTarget: Bool?
    public var outcome: RunOutcome
}

/// A timed metric (recovery or detection) across the runs of one drill.
///
/// Runs that did not record the metric are skipped for this series and listed in `skippedRunIds`.
public struct MetricSeries: Sendable, Hashable {
    /// The metric name in run records (`failover_seconds`, `detection_seconds`).
    public var metric: String
    /// The target in seconds, when there is one.
    public var targetSeconds: Double?
    /// Where the target comes from (`Appendix B: REDIS_FAILOVER`, a criterion id, …).
    public var targetSource: String?
    /// The measured runs, oldest first.
    public var measurements: [RunMeasurement]
    /// Runs without the metric, oldest first.
    public var skippedRunIds: [String]
    /// How many runs were skipped for want of the metric.
    public var skippedCount: Int { skippedRunIds.count }
    /// Measured runs that met the target, out of measured runs (empty without a target).
    public var attainment: Share
    public var medianSeconds: Double?
    public var bestSeconds: Double?
    public var worstSeconds: Double?
    /// Least-squares trend per quarter (smaller is better).
    public var trend: TrendLine

    init(metric: String, targetSeconds: Double?, targetSource: String?, runs: [RunOverview]) {
        self.metric = metric
        self.targetSeconds = targetSeconds
        self.targetSource = targetSource
        var measurements: [RunMeasurement] = []
        var skipped: [String] = []
        for run in runs {
            guard let value = run.metric(named: metric), value.value.isFinite else {
                skipped.append(run.id)
                continue
            }
            let seconds = Statistics.seconds(value.value, unit: value.unit)
            measurements.append(
                RunMeasurement(
                    runId: run.id, startedAt: run.startedAt, day: run.startedAt.localDay, seconds: seconds,
                    targetSeconds: targetSeconds, metTarget: targetSeconds.map { seconds <= $0 },
                    outcome: run.outcome))
        }
        self.measurements = measurements
        skippedRunIds = skipped
        attainment =
            targetSeconds == nil
            ? .empty : Share(count: measurements.filter { $0.metTarget == true }.count, total: measurements.count)
        let values = measurements.map(\.seconds)
        medianSeconds = Statistics.median(values)
        bestSeconds = values.min()
        worstSeconds = values.max()
        trend = TrendLine(points: measurements.map { ($0.startedAt.secondsSince1970, $0.seconds) })
    }
}

/// How long one run took against the drill's allocated time.
public struct RunTimeUsage: Sendable, Hashable {
    public var runId: String
    public var usedSeconds: Double
    /// `DrillDefinition.allocatedSeconds`; nil when the drill's duration text is not a duration.
    public var allocatedSeconds: Double?
    /// `usedSeconds / allocatedSeconds`; nil without an allocation.
    public var ratio: Double? { allocatedSeconds.flatMap { $0 > 0 ? usedSeconds / $0 : nil } }
    /// True when the run took longer than allocated.
    public var isOverAllocation: Bool { allocatedSeconds.map { usedSeconds > $0 } ?? false }
}

/// How one success criterion fared over a drill's runs.
public struct CriterionStatistics: Sendable, Hashable {
    public var criterionId: String
    public var text: String
    public var met: Int
    public var missed: Int
    public var notMeasured: Int
    /// Met out of met + missed (not-measured results are not counted).
    public var attainment: Share { Share(count: met, total: met + missed) }
}

/// Everything measured about one drill over its runs.
///
/// Recovery target: the drill's own `recoveryTarget`, else Appendix B by these heuristics on the id
/// and category (see `inferredRecoveryTarget(for:)`). Detection: the `detection_seconds` metric, with the
/// target of the drill's criterion on that metric when it has one, else Appendix B's 5 minutes.
public struct DrillStatistics: Sendable, Hashable, Identifiable {
    /// The drill id (runs may name a drill that has no definition; then `definition` is nil).
    public var id: String
    public var title: String
    public var category: DrillCategory?
    public var definition: DrillDefinition?
    /// Run ids, oldest first.
    public var runIds: [String]
    public var passed: Int
    public var failed: Int
    public var aborted: Int
    /// Passed runs out of all runs (aborted runs count as not passed).
    public var passRate: Share { Share(count: passed, total: runIds.count) }
    /// The target used for `recovery`.
    public var recoveryTarget: RecoveryTarget?
    /// True when `recoveryTarget` came from Appendix B heuristics rather than the drill file.
    public var recoveryTargetIsInferred: Bool
    /// Recovery time per run; nil when the drill has no recovery target at all.
    public var recovery: MetricSeries?
    /// `detection_seconds` per run.
    public var detection: MetricSeries
    /// Time used per run against `DrillDefinition.allocatedSeconds`, oldest first.
    public var timeUsage: [RunTimeUsage]
    public var medianUsedSeconds: Double?
    /// Runs that took longer than allocated, out of runs with an allocation.
    public var overAllocation: Share
    /// Per criterion, in the drill's order, then criteria only runs mention (by id).
    public var criteria: [CriterionStatistics]
    /// The latest run's id and day.
    public var lastRunId: String?
    public var lastRunDay: CalendarDay?

    /// Computes the statistics of `drillId` from `runs` (any order; runs of other drills are ignored).
    public init(drillId: String, definition: DrillDefinition?, runs allRuns: [RunOverview]) {
        let runs = allRuns.filter { $0.drillId == drillId }.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        id = drillId
        title = definition?.title ?? drillId
        category = definition?.category
        self.definition = definition
        runIds = runs.map(\.id)
        passed = runs.filter { $0.outcome == .passed }.count
        failed = runs.filter { $0.outcome == .failed }.count
        aborted = runs.filter { $0.outcome == .aborted }.count
        if let own = definition?.recoveryTarget {
            recoveryTarget = own
            recoveryTargetIsInferred = false
        } else {
            recoveryTarget = Self.inferredRecoveryTarget(id: drillId, category: definition?.category)
            recoveryTargetIsInferred = recoveryTarget != nil
        }
        recovery = recoveryTarget.map {
            MetricSeries(metric: $0.metric, targetSeconds: $0.seconds, targetSource: $0.source, runs: runs)
        }
        let detectionCriterion = definition?.successCriteria.first { $0.metric == Self.detectionMetric }
        let detectionTarget: Double
        let detectionSource: String
        if let criterion = detectionCriterion, let target = criterion.target {
            detectionTarget = Statistics.seconds(target, unit: criterion.unit ?? "s")
            detectionSource = "Criterion: " + criterion.text
        } else {
            detectionTarget = ResponseTargets.detectionSeconds
            detectionSource = "Appendix B: detection within 5 minutes"
        }
        detection = MetricSeries(
            metric: Self.detectionMetric, targetSeconds: detectionTarget, targetSource: detectionSource, runs: runs)
        let allocated = definition?.allocatedSeconds
        timeUsage = runs.map {
            RunTimeUsage(runId: $0.id, usedSeconds: max(0, $0.durationSeconds), allocatedSeconds: allocated)
        }
        medianUsedSeconds = Statistics.median(timeUsage.map(\.usedSeconds))
        overAllocation =
            allocated == nil
            ? .empty : Share(count: timeUsage.filter(\.isOverAllocation).count, total: timeUsage.count)
        var order: [String] = definition?.successCriteria.map(\.id) ?? []
        var table: [String: CriterionStatistics] = [:]
        for criterion in definition?.successCriteria ?? [] {
            table[criterion.id] = CriterionStatistics(
                criterionId: criterion.id, text: criterion.text, met: 0, missed: 0, notMeasured: 0)
        }
        var extra: [String] = []
        for run in runs {
            for result in run.criteria {
                if table[result.criterionId] == nil {
                    table[result.criterionId] = CriterionStatistics(
                        criterionId: result.criterionId, text: result.text, met: 0, missed: 0, notMeasured: 0)
                    extra.append(result.criterionId)
                }
                switch result.verdict {
                case .met: table[result.criterionId]!.met += 1
                case .missed: table[result.criterionId]!.missed += 1
                case .notMeasured: table[result.criterionId]!.notMeasured += 1
                }
            }
        }
        order += extra.sorted()
        criteria = order.compactMap { table[$0] }
        lastRunId = runs.last?.id
        lastRunDay = runs.last?.startedAt.localDay
    }

    /// The run metric holding detection time.
    public static let detectionMetric = "detection_seconds"

    /// Appendix B's target for a drill that states none, by heuristics on its id and category:
    /// - id mentioning `redis` → `REDIS_FAILOVER` (30 s);
    /// - id mentioning `websocket` or `web-socket` → `WEB_SOCKET_FAILOVER` (30 s);
    /// - id mentioning `database`, `postgres`, `mysql` or `db-` → `DATABASE_FAILOVER` (120 s);
    /// - category `full-system-failure` or `multi-region-outage` → `FULL_SYSTEM_RECOVERY` (15 min);
    /// - otherwise none.
    public static func inferredRecoveryTarget(id: String, category: DrillCategory?) -> RecoveryTarget? {
        let lower = id.lowercased()
        let key: String?
        if lower.contains("redis") {
            key = "REDIS_FAILOVER"
        } else if lower.contains("websocket") || lower.contains("web-socket") {
            key = "WEB_SOCKET_FAILOVER"
        } else if lower.contains("database") || lower.contains("postgres") || lower.contains("mysql")
            || lower.hasPrefix("db-") || lower.contains("-db-") || lower.hasSuffix("-db")
        {
            key = "DATABASE_FAILOVER"
        } else if category == .fullSystemFailure || category == .multiRegionOutage {
            key = "FULL_SYSTEM_RECOVERY"
        } else {
            key = nil
        }
        return key.flatMap { RecoveryTarget.appendixB[$0] }
    }
}
