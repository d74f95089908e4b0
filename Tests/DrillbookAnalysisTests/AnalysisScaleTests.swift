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
