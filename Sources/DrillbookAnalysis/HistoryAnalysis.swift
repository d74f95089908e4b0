public import DrillbookModel

/// Every analysis of a drill history, computed once, eagerly, for one `asOf` day.
///
/// Records dated after `asOf` (runs by local start day, incidents by local declaration day, action
/// updates by their day) are left out, so a build for an earlier day reproduces that day's view.
/// Months and quarters use each record's own local day (the offset it was written with).
///
/// Leadership figures (months, quarters, the overall pass rate, reviews, schedule adherence and
/// recurring weaknesses) leave out local realisations (`RunOverview.isLocalRealisation`: a drill
/// rehearsed against servers on the operator's machine) unless the site configuration's
/// `includeLocalRuns` asks for them; `localRunsLeftOut` counts what was left out. Per-drill
/// statistics count every run.
public struct HistoryAnalysis: Sendable, Hashable {
    public var asOf: CalendarDay
    /// Whether local realisations count in leadership figures (`site.yaml`'s `includeLocalRuns`).
    public var includesLocalRuns: Bool
    /// Start days of the local realisations up to `asOf` that leadership figures left out
    /// (empty when `includesLocalRuns`).
    public var localRunDaysLeftOut: [CalendarDay]
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
        let allRuns = history.runs
        includesLocalRuns = fullHistory.site.countsLocalRuns
        localRunDaysLeftOut = includesLocalRuns ? [] : allRuns.filter(\.isLocalRealisation).map(\.startedAt.localDay)
        // Action items raised by any run are tracked; only the drill figures leave local runs out.
        let actionIndex = ActionItemIndex(history: history)
        let targets = Self.recoveryTargets(history)
        if !includesLocalRuns { history.runs = allRuns.filter { !$0.isLocalRealisation } }
        let runs = history.runs
        let definitions = Dictionary(history.drills.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let undefined = Set(allRuns.map(\.drillId)).subtracting(definitions.keys).sorted()
        let statistics: [(id: String, definition: DrillDefinition?)] =
            history.drills.map { ($0.id, $0) } + undefined.map { ($0, nil) }
        drills = statistics.concurrentMap { DrillStatistics(drillId: $0.id, definition: $0.definition, runs: allRuns) }
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

    /// How many local realisations leadership figures left out between `first` and `last`.
    public func localRunsLeftOut(from first: CalendarDay, through last: CalendarDay) -> Int {
        localRunDaysLeftOut.filter { $0 >= first && $0 <= last }.count
    }

    /// How many local realisations leadership figures left out, up to `asOf`.
    public var localRunsLeftOut: Int { localRunDaysLeftOut.count }

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
