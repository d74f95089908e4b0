public import DrillbookModel

/// Every analysis of a drill history, computed once, eagerly, for one `asOf` day.
///
/// Records dated after `asOf` (runs by local start day, incidents by local declaration day, action
/// updates by their day) are left out, so a build for an earlier day reproduces that day's view.
/// Months and quarters use each record's own local day (the offset it was written with).
public struct HistoryAnalysis: Sendable, Hashable {
    public var asOf: CalendarDay
    /// Per drill: every defined drill (by id), then drill ids only runs mention (by id).
    public var drills: [DrillStatistics]
    /// Per month from the first run's month to `asOf`'s month (empty without runs).
    public var months: [PeriodOutcome]
    /// Per quarter from the first run's quarter to `asOf`'s quarter (empty without runs).
    public var quarters: [PeriodOutcome]
    /// All runs together.
    public var overall: PeriodOutcome
    /// Criteria missed at least once, most-missed first.
    public var weaknesses: [RecurringWeakness]
    public var incidents: IncidentResponseStatistics
    public var actionItems: ActionItemLedger
    public var schedule: ScheduleAdherence
    /// One review per quarter that has runs, incidents, action items or schedule slots, oldest first.
    public var reviews: [QuarterReview]

    public init(history fullHistory: DrillHistory, asOf: CalendarDay) {
        self.asOf = asOf
        var history = fullHistory
        history.runs = fullHistory.runs.filter { $0.startedAt.localDay <= asOf }
        history.incidents = fullHistory.incidents.filter { $0.declaredAt.localDay <= asOf }
        history.actionUpdates = fullHistory.actionUpdates.filter { $0.on <= asOf }
        let runs = history.runs
        let definitions = Dictionary(history.drills.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let undefined = Set(runs.map(\.drillId)).subtracting(definitions.keys).sorted()
        let statistics: [(id: String, definition: DrillDefinition?)] =
            history.drills.map { ($0.id, $0) } + undefined.map { ($0, nil) }
        drills = statistics.concurrentMap { DrillStatistics(drillId: $0.id, definition: $0.definition, runs: runs) }
        let targets = Self.recoveryTargets(history)
        let firstRunDay = runs.map(\.startedAt.localDay).min()
        // Each period looks only at its own runs (same runs, same order as filtering them all).
        let byDay = RunsByDay(runs)
        if let first = firstRunDay {
            months = first.months(through: asOf).concurrentMap { month in
                PeriodOutcome(
                    id: month.monthKey, firstDay: month, lastDay: month.lastOfMonth,
                    runs: byDay.runs(from: month, through: month.lastOfMonth), targets: targets)
            }
            quarters = first.quarter.through(asOf.quarter).concurrentMap { quarter in
                PeriodOutcome(
                    id: quarter.id, firstDay: quarter.firstDay, lastDay: quarter.lastDay,
                    runs: byDay.runs(from: quarter.firstDay, through: quarter.lastDay), targets: targets)
            }
            overall = PeriodOutcome(id: "all", firstDay: first, lastDay: asOf, runs: runs, targets: targets)
        } else {
            months = []
            quarters = []
            overall = PeriodOutcome(id: "all", firstDay: asOf, lastDay: asOf, runs: [], targets: targets)
        }
        weaknesses = RecurringWeakness.rank(runs: runs, drills: history.drills)
        incidents = IncidentResponseStatistics(incidents: history.incidents)
        let actionIndex = ActionItemIndex(history: history)
        actionItems = actionIndex.ledger(asOf: asOf)
        schedule = ScheduleAdherence(history: history, asOf: asOf)
        var days: [CalendarDay] = runs.map(\.startedAt.localDay)
        days += history.incidents.map(\.declaredAt.localDay)
        days += actionItems.items.map(\.openedOn)
        days += schedule.slots.map(\.firstDay)
        if let first = days.min() {
            let context = QuarterReview.FiguresContext(
                runs: byDay, targets: targets, asOf: asOf, adherence: schedule, incidents: incidents, actions: actionIndex)
            // Every quarter's figures once (each tracks every action item as of the quarter's end: the
            // costliest part of the analysis on a long history), in parallel; a review pairs a
            // quarter's figures with the quarter before.
            let reviewed = first.quarter.through(asOf.quarter)
            let measured = ((reviewed.first.map { [$0.previous] } ?? []) + reviewed).concurrentMap { context.figures($0) }
            let drills = history.drills
            reviews = Array(reviewed.indices).concurrentMap { index in
                QuarterReview(
                    quarter: reviewed[index], drills: drills, current: measured[index + 1],
                    previous: measured[index].figures, runsByDay: byDay, asOf: asOf)
            }
        } else {
            reviews = []
        }
    }

    /// The statistics of one drill.
    public func drill(id: String) -> DrillStatistics? { drills.first { $0.id == id } }

    /// The review of `quarter`, when the history reaches it.
    public func review(of quarter: Quarter) -> QuarterReview? { reviews.first { $0.quarter == quarter } }

    /// The recovery target each drill is judged against (own, else Appendix B heuristics), by drill id.
    static func recoveryTargets(_ history: DrillHistory) -> [String: RecoveryTarget] {
        var targets: [String: RecoveryTarget] = [:]
        for drill in history.drills where targets[drill.id] == nil {
            targets[drill.id] =
                drill.recoveryTarget ?? DrillStatistics.inferredRecoveryTarget(id: drill.id, category: drill.category)
        }
        for run in history.runs where targets[run.drillId] == nil && history.drill(id: run.drillId) == nil {
            if let inferred = DrillStatistics.inferredRecoveryTarget(id: run.drillId, category: nil) {
                targets[run.drillId] = inferred
            }
        }
        return targets
    }
}
