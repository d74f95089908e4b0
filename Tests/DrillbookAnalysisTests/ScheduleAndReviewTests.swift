import DrillbookAnalysis
import DrillbookModel
import Testing

@Suite struct ScheduleAndReviewTests {
    typealias F = Fixtures

    @Test func slotsAreFilledMissedOrPending() {
        let history = DrillHistory(
            drills: [F.redis, F.burst, F.fullSystem],
            runs: [
                F.run("jan-w1", drill: F.redis.id, start: "2026-01-05T10:00:00Z"),
                F.run("jan-w2-load", drill: F.burst.id, start: "2026-01-14T10:00:00Z"),
                F.run("jan-w3", drill: F.burst.id, start: "2026-01-21T10:00:00Z"),
                // 23:30 -08:00 on Feb 7 is Feb 8 in UTC; the local day (week 1) counts.
                F.run("feb-w1", drill: F.redis.id, start: "2026-02-07T23:30:00-08:00"),
                F.run("after-asof", drill: F.fullSystem.id, start: "2026-02-28T10:00:00Z"),
            ])
        let adherence = ScheduleAdherence(history: history, asOf: F.day("2026-02-10"))
        #expect(adherence.startsOn == F.day("2026-01-01"))
        #expect(adherence.slots.map(\.id) == [
            "2026-01-w1", "2026-01-w2", "2026-01-w3", "2026-01-w4", "2026-02-w1", "2026-02-w2", "2026-Q1-theme",
        ])
        #expect(adherence.slots.map(\.status) == [.filled, .missed, .filled, .missed, .filled, .pending, .pending])
        #expect(adherence.slots[0].runIds == ["jan-w1"])
        #expect(adherence.slots[2].runIds == ["jan-w3"])
        #expect(adherence.slots[3].firstDay == F.day("2026-01-22"))
        #expect(adherence.slots[3].lastDay == F.day("2026-01-31"))
        let q1 = adherence.adherence(in: Quarter("2026-Q1")!)
        #expect((q1.planned, q1.filled, q1.missed, q1.pending) == (7, 3, 2, 2))
        #expect(q1.adherence == Share(count: 3, total: 5))
        #expect(adherence.themeSlot(in: Quarter("2026-Q1")!)?.category == .fullSystemFailure)
    }

    @Test func weekFourOfALeapFebruaryEndsOnThe29th() {
        let practice = DrillDefinition(id: "practice", title: "Practice", category: .incidentResponsePractice, objective: "o", allocatedDuration: "1h")
        let history = DrillHistory(
            drills: [practice], runs: [F.run("leap", drill: "practice", start: "2028-02-29T09:00:00Z")],
            schedule: DrillSchedule(monthly: [.init(week: 4, category: .incidentResponsePractice)], quarterly: [], startsOn: F.day("2028-02-01")))
        let adherence = ScheduleAdherence(history: history, asOf: F.day("2028-03-31"))
        #expect(adherence.slots.map(\.id) == ["2028-02-w4", "2028-03-w4"])
        #expect(adherence.slots[0].lastDay == F.day("2028-02-29"))
        #expect(adherence.slots[0].runIds == ["leap"])
        #expect(adherence.slots[1].status == .pending)
    }

    @Test func startsOnMidMonthDropsEarlierSlotsAndRuns() {
        let history = DrillHistory(
            drills: [F.redis], runs: [F.run("before", drill: F.redis.id, start: "2026-01-02T10:00:00Z")],
            schedule: DrillSchedule(monthly: DrillSchedule.playbook.monthly, quarterly: [], startsOn: F.day("2026-01-10")))
        let adherence = ScheduleAdherence(history: history, asOf: F.day("2026-01-31"))
        #expect(adherence.slots.map(\.id) == ["2026-01-w2", "2026-01-w3", "2026-01-w4"])
        #expect(adherence.slots.allSatisfy { $0.status != .filled })
    }

    var reviewHistory: DrillHistory {
        DrillHistory(
            drills: [F.redis, F.burst, F.fullSystem],
            runs: [
                F.run("q4a", drill: F.redis.id, start: "2025-10-06T10:00:00Z", metrics: [F.failover(25)]),
                F.run("q4b", drill: F.burst.id, start: "2025-11-17T10:00:00Z", outcome: .failed,
                      criteria: [F.verdict("p95", "p95 under 500ms", .missed)],
                      actions: [ActionItem(id: "AI-1", title: "Tune pool", owner: "al", status: .open, priority: .immediate)]),
                F.run("q1a", drill: F.redis.id, start: "2026-01-05T10:00:00Z", metrics: [F.failover(35)],
                      criteria: [F.verdict("failover-30s", "Failover completed within 30s", .missed)]),
                F.run("q1b", drill: F.burst.id, start: "2026-01-19T10:00:00Z", outcome: .failed,
                      criteria: [F.verdict("p95", "p95 under 500ms", .missed)]),
                F.run("q1c", drill: F.fullSystem.id, start: "2026-02-10T10:00:00Z"),
            ],
            incidents: [Incident(id: "INC-1", severity: .p2, type: "t", description: "d", declaredAt: F.time("2026-02-01T10:00:00Z"))],
            schedule: DrillSchedule(monthly: DrillSchedule.playbook.monthly, quarterly: DrillSchedule.playbook.quarterly, startsOn: F.day("2025-10-01")))
    }

    @Test func quarterReviewComparesWithThePreviousQuarter() throws {
        let analysis = HistoryAnalysis(history: reviewHistory, asOf: F.day("2026-03-15"))
        #expect(analysis.reviews.map(\.id) == ["2025-Q4", "2026-Q1"])
        let review = try #require(analysis.review(of: Quarter("2026-Q1")!))
        #expect(review.isPartial)
        #expect(review.current.measuredOn == F.day("2026-03-15"))
        #expect(review.current.drillsRun == 3)
        #expect(review.previous.drillsRun == 2)
        #expect(review.drillsRunChange == 1)
        #expect(review.current.passRate == Share(count: 2, total: 3))
        #expect(abs(review.passRateChange! - (200.0 / 3.0 - 50)) < 1e-9)
        #expect(review.current.recoveryAttainment == Share(count: 0, total: 1))
        #expect(review.recoveryAttainmentChange == -100)
        #expect(review.current.drillsPlanned == 12)
        #expect(review.current.scheduleAdherence == Share(count: 3, total: 11))
        #expect(review.previous.drillsPlanned == 13)
        #expect(review.previous.scheduleAdherence == Share(count: 2, total: 13))
        #expect(review.current.themeDrill?.status == .filled)
        #expect(review.current.themeDrill?.runIds == ["q1c"])
        #expect(review.previous.themeDrill?.status == .missed)
        #expect(review.current.incidents.bySeverity[.p2] == 1)
        #expect(review.incidentCountChange == 1)
        #expect(review.topWeaknesses.map(\.drillId) == ["redis-sentinel-failover", "sudden-order-burst"])
        #expect(review.previous.actionsOpened == 1)
        #expect(review.current.actionsOpened == 0)
        #expect(review.previous.actionsOverdueAtEnd == 1)
        #expect(review.current.actionsOverdueAtEnd == 1)
        #expect(review.oldestOverdue.map(\.id) == ["AI-1"])
        #expect(review.oldestOverdue.first?.daysOverdue == 111)
        let q4 = try #require(analysis.review(of: Quarter("2025-Q4")!))
        #expect(!q4.isPartial)
        #expect(q4.current.measuredOn == F.day("2025-12-31"))
        #expect(q4.oldestOverdue.first?.daysOverdue == 37)
        #expect(q4.previous.drillsRun == 0)
        #expect(q4.passRateChange == nil)
    }

    @Test func emptyHistory() {
        let analysis = HistoryAnalysis(history: DrillHistory(), asOf: F.day("2026-01-01"))
        #expect(analysis.drills.isEmpty)
        #expect(analysis.months.isEmpty)
        #expect(analysis.quarters.isEmpty)
        #expect(analysis.overall.passRate.value == nil)
        #expect(analysis.weaknesses.isEmpty)
        #expect(analysis.incidents.responses.isEmpty)
        #expect(analysis.actionItems.items.isEmpty)
        #expect(analysis.schedule.slots.isEmpty)
        #expect(analysis.reviews.isEmpty)
    }

    @Test func singleRunOfAnUndefinedDrill() throws {
        let history = DrillHistory(runs: [F.run("only", drill: "mystery-db-drill", start: "2026-05-20T10:00:00Z", metrics: [F.failover(100)])])
        let analysis = HistoryAnalysis(history: history, asOf: F.day("2026-05-31"))
        let stats = try #require(analysis.drill(id: "mystery-db-drill"))
        #expect(stats.recovery?.targetSeconds == 120)
        #expect(stats.recovery?.trend.direction == .insufficientData)
        #expect(analysis.months.map(\.id) == ["2026-05"])
        #expect(analysis.quarters.map(\.recoveryAttainment) == [Share(count: 1, total: 1)])
        // No definition, so the run fills no slot; the plan starts at the run's month.
        #expect(analysis.schedule.startsOn == F.day("2026-05-01"))
        #expect(analysis.schedule.slots.filter { $0.status == .filled }.isEmpty)
        #expect(analysis.reviews.map(\.id) == ["2026-Q2"])
    }
}
