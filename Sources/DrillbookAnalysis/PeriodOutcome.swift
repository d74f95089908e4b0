public import DrillbookModel

/// Runs and criteria of all drills in one month (`2026-03`) or quarter (`2026-Q1`).
///
/// Runs belong to the period of their **local** start day (the day in the offset the record was
/// written with): a run started 2026-03-31T23:30+05:30 is in March and Q1, although it is
/// 18:00 UTC the same day; one started 2026-04-01T00:30+05:30 is in April and Q2.
public struct PeriodOutcome: Sendable, Hashable, Identifiable {
    /// `YYYY-MM` or `YYYY-Qn`.
    public var id: String
    public var firstDay: CalendarDay
    public var lastDay: CalendarDay
    public var runIds: [String]
    public var passed: Int
    public var failed: Int
    public var aborted: Int
    /// Passed out of all runs.
    public var passRate: Share { Share(count: passed, total: runIds.count) }
    /// Criteria met out of criteria judged (met + missed) over all runs.
    public var criteriaAttainment: Share
    /// Criterion results that were not measured.
    public var criteriaNotMeasured: Int
    /// Runs whose recovery time met the drill's recovery target, out of runs that measured it.
    public var recoveryAttainment: Share

    init(id: String, firstDay: CalendarDay, lastDay: CalendarDay, runs: [RunOverview], targets: [String: RecoveryTarget]) {
        self.id = id
        self.firstDay = firstDay
        self.lastDay = lastDay
        // One pass over the runs, reading fields in place: filtering copied every run of the
        // period several times (and every criterion once), for each month and quarter.
        var ids: [String] = []
        var passed = 0
        var failed = 0
        var aborted = 0
        var met = 0
        var missed = 0
        var notMeasured = 0
        var recovery = Share.empty
        for index in runs.indices {
            let day = runs[index].startedAt.localDay
            guard day >= firstDay && day <= lastDay else { continue }
            ids.append(runs[index].id)
            switch runs[index].outcome {
            case .passed: passed += 1
            case .failed: failed += 1
            case .aborted: aborted += 1
            }
            let criteria = runs[index].criteria
            for criterion in criteria.indices {
                switch criteria[criterion].verdict {
                case .met: met += 1
                case .missed: missed += 1
                case .notMeasured: notMeasured += 1
                }
            }
            guard let target = targets[runs[index].drillId], let metric = runs[index].metric(named: target.metric),
                metric.value.isFinite
            else { continue }
            recovery.total += 1
            if Statistics.seconds(metric.value, unit: metric.unit) <= target.seconds { recovery.count += 1 }
        }
        runIds = ids
        self.passed = passed
        self.failed = failed
        self.aborted = aborted
        criteriaAttainment = Share(count: met, total: met + missed)
        criteriaNotMeasured = notMeasured
        recoveryAttainment = recovery
    }
}

/// A criterion that keeps failing: how often it was missed in the runs where it was judged.
public struct RecurringWeakness: Sendable, Hashable {
    public var drillId: String
    public var drillTitle: String
    public var criterionId: String
    /// The drill's criterion sentence (or the latest run's copy when the drill no longer has it).
    public var text: String
    public var missed: Int
    /// Met + missed.
    public var evaluated: Int
    /// Runs where it was missed, oldest first.
    public var missedRunIds: [String]
    public var missRate: Share { Share(count: missed, total: evaluated) }

    /// Criteria missed at least once in `runs`, most-missed first; ties by miss rate (higher first),
    /// then drill id, then criterion id, so the order is deterministic.
    public static func rank(runs: [RunOverview], drills: [DrillDefinition]) -> [RecurringWeakness] {
        struct Key: Hashable { var drill: String; var criterion: String }
        var table: [Key: RecurringWeakness] = [:]
        let sortedRuns = runs.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        for run in sortedRuns {
            let drill = drills.first { $0.id == run.drillId }
            for result in run.criteria where result.verdict != .notMeasured {
                let key = Key(drill: run.drillId, criterion: result.criterionId)
                var entry =
                    table[key]
                    ?? RecurringWeakness(
                        drillId: run.drillId, drillTitle: drill?.title ?? run.drillId, criterionId: result.criterionId,
                        text: result.text, missed: 0, evaluated: 0, missedRunIds: [])
                if let defined = drill?.successCriteria.first(where: { $0.id == result.criterionId }) {
                    entry.text = defined.text
                } else {
                    entry.text = result.text
                }
                entry.evaluated += 1
                if result.verdict == .missed {
                    entry.missed += 1
                    entry.missedRunIds.append(run.id)
                }
                table[key] = entry
            }
        }
        return table.values.filter { $0.missed > 0 }.sorted { a, b in
            if a.missed != b.missed { return a.missed > b.missed }
            let left = a.missed * b.evaluated
            let right = b.missed * a.evaluated
            if left != right { return left > right }
            return (a.drillId, a.criterionId) < (b.drillId, b.criterionId)
        }
    }
}
