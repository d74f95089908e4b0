import DrillbookAnalysis
import DrillbookModel
import Testing

/// The indexed paths used for large histories give what the direct definitions give.
@Suite struct AnalysisScaleTests {
    typealias F = Fixtures

    @Test func indexedLedgerEqualsTheLedgerOnEveryDay() {
        let history = ActionItemLedgerTests().history
        let index = ActionItemIndex(history: history)
        for offset in stride(from: -5, through: 90, by: 5) {
            let day = F.day("2026-01-01").adding(days: offset)
            #expect(index.ledger(asOf: day) == ActionItemLedger(history: history, asOf: day))
        }
    }

    @Test func slotRunsMatchABruteForceScanWithMixedOffsets() {
        let offsets = ["Z", "+05:30", "-08:00", "+14:00", "-11:00"]
        var runs: [DrillRun] = []
        for index in 0..<120 {
            let day = F.day("2026-01-01").adding(days: index % 60)
            let hour = (index * 7) % 24
            let drill = [F.redis, F.burst, F.fullSystem][index % 3]
            runs.append(F.run(
                "run-" + String(index), drill: drill.id,
                start: day.iso8601 + "T" + (hour < 10 ? "0" : "") + String(hour) + ":00:00" + offsets[index % offsets.count]))
        }
        let history = DrillHistory(
            drills: [F.redis, F.burst, F.fullSystem], runs: runs.reversed(),
            schedule: DrillSchedule(monthly: DrillSchedule.playbook.monthly, quarterly: DrillSchedule.playbook.quarterly, startsOn: F.day("2026-01-01")))
        let asOf = F.day("2026-02-20")
        let adherence = ScheduleAdherence(history: history, asOf: asOf)
        let categories = Dictionary(uniqueKeysWithValues: history.drills.map { ($0.id, $0.category) })
        let ordered = history.runs.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        #expect(!adherence.slots.isEmpty)
        for slot in adherence.slots {
            let expected = ordered.filter {
                let day = $0.startedAt.localDay
                return categories[$0.drillId] == slot.category && day >= slot.firstDay && day <= slot.lastDay && day <= asOf
                    && day >= F.day("2026-01-01")
            }.map(\.id)
            #expect(slot.runIds == expected, "slot \(slot.id)")
        }
    }
}

@Suite struct AnalysisIndexEquivalenceTests {
    typealias F = Fixtures

    /// Months and quarters computed from runs bucketed by day equal those computed from all runs.
    @Test func periodsAndReviewsMatchTheDirectDefinitions() {
        let offsets = ["Z", "+05:30", "-08:00", "+14:00", "-11:00"]
        var runs: [DrillRun] = []
        for index in 0..<90 {
            let day = F.day("2025-11-20").adding(days: index * 2)
            let hour = (index * 5) % 24
            let drill = [F.redis, F.burst, F.fullSystem][index % 3]
            runs.append(F.run(
                "run-" + String(index), drill: drill.id,
                start: day.iso8601 + "T" + (hour < 10 ? "0" : "") + String(hour) + ":00:00" + offsets[index % offsets.count],
                outcome: index % 4 == 0 ? .failed : .passed, metrics: [F.failover(Double(10 + index % 40))],
                criteria: index % 4 == 0 ? [F.verdict("failover-30s", "Failover completed within 30s", .missed)] : []))
        }
        let history = DrillHistory(drills: [F.redis, F.burst, F.fullSystem], runs: runs.shuffledDeterministically())
        let asOf = F.day("2026-05-10")
        let analysis = HistoryAnalysis(history: history, asOf: asOf)
        let counted = history.runs.filter { $0.startedAt.localDay <= asOf }
        for month in analysis.months {
            let direct = counted.filter { $0.startedAt.localDay >= month.firstDay && $0.startedAt.localDay <= month.lastDay }
            #expect(month.runIds == direct.map(\.id), "month \(month.id)")
        }
        var filtered = history
        filtered.runs = counted
        for review in analysis.reviews {
            #expect(review == QuarterReview(quarter: review.quarter, history: filtered, asOf: asOf))
            #expect(review.current.drillsRun == counted.filter { review.quarter.contains($0.startedAt.localDay) }.count)
        }
        #expect(analysis.reviews.count == 3)
    }
}

extension Array {
    /// A fixed reordering (reverse the odd positions after the even ones), so tests do not depend on input order.
    func shuffledDeterministically() -> [Element] {
        enumerated().filter { $0.offset % 2 == 0 }.map(\.element) + enumerated().filter { $0.offset % 2 == 1 }.map(\.element).reversed()
    }
}
