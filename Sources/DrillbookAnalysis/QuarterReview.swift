public import DrillbookModel

/// The headline figures of one quarter.
public struct QuarterFigures: Sendable, Hashable {
    public var quarter: Quarter
    /// The day the figures are taken on: the quarter's last day, or `asOf` when earlier.
    public var measuredOn: CalendarDay
    /// Runs (any outcome) whose local start day is in the quarter.
    public var drillsRun: Int
    /// Slots of the schedule in the quarter (filled, missed or pending).
    public var drillsPlanned: Int
    public var scheduleAdherence: Share
    public var passRate: Share
    public var criteriaAttainment: Share
    public var recoveryAttainment: Share
    /// Incidents declared in the quarter, with counts per severity and response times.
    public var incidents: IncidentGroup
    /// Action items opened in the quarter.
    public var actionsOpened: Int
    /// Action items closed (done or cancelled) in the quarter.
    public var actionsClosed: Int
    /// Items open and past due on `measuredOn`.
    public var actionsOverdueAtEnd: Int
    /// The quarterly theme slot, nil when the plan has none for this quarter.
    public var themeDrill: ScheduledSlot?
}

/// A quarter's figures beside the previous quarter's, for leadership reviews.
///
/// Changes are current minus previous: counts as integers, shares in **percentage points**
/// (nil when either quarter has no data for it).
public struct QuarterReview: Sendable, Hashable, Identifiable {
    public var quarter: Quarter
    public var id: String { quarter.id }
    public var current: QuarterFigures
    public var previous: QuarterFigures
    /// True when `asOf` falls inside the quarter (figures so far).
    public var isPartial: Bool
    public var drillsRunChange: Int { current.drillsRun - previous.drillsRun }
    public var passRateChange: Double? { Self.pointChange(current.passRate, previous.passRate) }
    public var criteriaAttainmentChange: Double? {
        Self.pointChange(current.criteriaAttainment, previous.criteriaAttainment)
    }
    public var recoveryAttainmentChange: Double? {
        Self.pointChange(current.recoveryAttainment, previous.recoveryAttainment)
    }
    public var scheduleAdherenceChange: Double? {
        Self.pointChange(current.scheduleAdherence, previous.scheduleAdherence)
    }
    public var incidentCountChange: Int { current.incidents.count - previous.incidents.count }
    public var actionsOverdueChange: Int { current.actionsOverdueAtEnd - previous.actionsOverdueAtEnd }
    /// Criteria missed in this quarter's runs, most-missed first (at most `topCount`).
    public var topWeaknesses: [RecurringWeakness]
    /// Items overdue on `current.measuredOn`, most days overdue first (at most `topCount`).
    public var oldestOverdue: [TrackedActionItem]

    /// How many weaknesses and overdue items a review lists.
    public static let topCount = 5

    public init(quarter: Quarter, history: DrillHistory, asOf: CalendarDay) {
        self.init(
            quarter: quarter, history: history, asOf: asOf,
            adherence: ScheduleAdherence(history: history, asOf: asOf),
            incidents: IncidentResponseStatistics(incidents: history.incidents), actions: ActionItemIndex(history: history),
            targets: HistoryAnalysis.recoveryTargets(history),
            runsByDay: RunsByDay(history.runs.filter { $0.startedAt.localDay <= asOf }))
    }

    /// The same review from figures computed once for every quarter (`HistoryAnalysis` builds one
    /// review per quarter): the schedule and incident statistics of `history` as of `asOf`, its
    /// recovery targets, and its runs up to `asOf` by day.
    init(
        quarter: Quarter, history: DrillHistory, asOf: CalendarDay, adherence: ScheduleAdherence,
        incidents: IncidentResponseStatistics, actions: ActionItemIndex, targets: [String: RecoveryTarget],
        runsByDay counted: RunsByDay
    ) {
        let context = FiguresContext(
            runs: counted, targets: targets, asOf: asOf, adherence: adherence, incidents: incidents, actions: actions)
        self.init(
            quarter: quarter, drills: history.drills, current: context.figures(quarter),
            previous: context.figures(quarter.previous).figures, runsByDay: counted, asOf: asOf)
    }

    /// A review from the figures of its quarter and of the one before, so that a series of reviews
    /// works each quarter's figures out once.
    init(
        quarter: Quarter, drills: [DrillDefinition], current: MeasuredQuarter, previous: QuarterFigures,
        runsByDay counted: RunsByDay, asOf: CalendarDay
    ) {
        self.quarter = quarter
        self.current = current.figures
        self.previous = previous
        isPartial = quarter.contains(asOf)
        let runs = counted.runs(from: quarter.firstDay, through: quarter.lastDay)
        topWeaknesses = Array(RecurringWeakness.rank(runs: runs, drills: drills).prefix(Self.topCount))
        oldestOverdue = current.oldestOverdue
    }

    /// A quarter's figures and its oldest overdue items, from one tracking of the action items.
    struct MeasuredQuarter: Sendable {
        var figures: QuarterFigures
        var oldestOverdue: [TrackedActionItem]
    }

    /// What the figures of any quarter are computed from.
    struct FiguresContext: Sendable {
        var runs: RunsByDay
        var targets: [String: RecoveryTarget]
        var asOf: CalendarDay
        var adherence: ScheduleAdherence
        var incidents: IncidentResponseStatistics
        var actions: ActionItemIndex

        func figures(_ quarter: Quarter) -> MeasuredQuarter {
            let measuredOn = min(quarter.lastDay, asOf)
            let outcome = PeriodOutcome(
                id: quarter.id, firstDay: quarter.firstDay, lastDay: quarter.lastDay,
                runs: runs.runs(from: quarter.firstDay, through: quarter.lastDay), targets: targets)
            let slotCounts = adherence.adherence(in: quarter)
            let group = IncidentGroup(
                id: quarter.id,
                responses: incidents.responses.filter { quarter.contains($0.declaredOn) && $0.declaredOn <= asOf })
            var opened = 0
            var closed = 0
            var overdueCount = 0
            // The oldest overdue items as `ActionItemLedger.overdue` orders them (most days overdue,
            // then id), kept to `topCount` as the items go by.
            var oldest: [TrackedActionItem] = []
            func older(_ a: TrackedActionItem, _ b: TrackedActionItem) -> Bool { (b.daysOverdue, a.id) < (a.daysOverdue, b.id) }
            actions.forEachTracked(asOf: max(measuredOn, quarter.firstDay.adding(days: -1))) { item in
                if quarter.contains(item.openedOn) { opened += 1 }
                if item.closedOn.map(quarter.contains) ?? false { closed += 1 }
                guard item.isOverdue else { return }
                overdueCount += 1
                if oldest.count == QuarterReview.topCount, let last = oldest.last, !older(item, last) { return }
                oldest.insert(item, at: oldest.firstIndex { older(item, $0) } ?? oldest.endIndex)
                if oldest.count > QuarterReview.topCount { oldest.removeLast() }
            }
            let figures = QuarterFigures(
                quarter: quarter, measuredOn: measuredOn, drillsRun: outcome.runIds.count,
                drillsPlanned: slotCounts.planned, scheduleAdherence: slotCounts.adherence, passRate: outcome.passRate,
                criteriaAttainment: outcome.criteriaAttainment, recoveryAttainment: outcome.recoveryAttainment,
                incidents: group, actionsOpened: opened, actionsClosed: closed, actionsOverdueAtEnd: overdueCount,
                themeDrill: adherence.themeSlot(in: quarter))
            // As `ActionItemLedger.overdue`, without the ledger's monthly tables. Items tracked as of
            // the day before the quarter (a quarter after `asOf`) are the same as of `measuredOn`
            // for every quarter that has a review.
            return MeasuredQuarter(figures: figures, oldestOverdue: oldest)
        }
    }

    static func pointChange(_ current: Share, _ previous: Share) -> Double? {
        guard let now = current.percent, let before = previous.percent else { return nil }
        return now - before
    }
}
