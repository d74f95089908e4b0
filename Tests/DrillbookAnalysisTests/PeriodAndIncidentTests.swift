import DrillbookAnalysis
import DrillbookModel
import Testing

@Suite struct PeriodAndIncidentTests {
    typealias F = Fixtures

    @Test func periodsUseTheRecordsOwnLocalDay() {
        // 23:30 +05:30 on Mar 31 is 18:00 UTC: still March and Q1.
        // 00:30 +05:30 on Apr 1 is 19:00 UTC on Mar 31, but the team's day is April: Q2.
        // 22:00 -05:00 on Mar 31 is 03:00 UTC on Apr 1, but the team's day is March: Q1.
        let history = DrillHistory(
            drills: [F.redis],
            runs: [
                F.run("a", drill: F.redis.id, start: "2026-03-31T23:30:00+05:30", metrics: [F.failover(10)]),
                F.run("b", drill: F.redis.id, start: "2026-04-01T00:30:00+05:30", outcome: .failed, metrics: [F.failover(50)]),
                F.run("c", drill: F.redis.id, start: "2026-03-31T22:00:00-05:00", outcome: .aborted,
                      criteria: [F.verdict("failover-30s", "x", .notMeasured), F.verdict("no-data-loss", "y", .met)]),
            ], schedule: DrillSchedule(monthly: [], quarterly: []))
        let analysis = HistoryAnalysis(history: history, asOf: F.day("2026-04-30"))
        #expect(analysis.months.map(\.id) == ["2026-03", "2026-04"])
        #expect(analysis.months[0].runIds.sorted() == ["a", "c"])
        #expect(analysis.months[1].runIds == ["b"])
        #expect(analysis.quarters.map(\.id) == ["2026-Q1", "2026-Q2"])
        #expect(analysis.quarters[0].passRate == Share(count: 1, total: 2))
        #expect(analysis.quarters[0].criteriaAttainment == Share(count: 1, total: 1))
        #expect(analysis.quarters[0].criteriaNotMeasured == 1)
        #expect(analysis.quarters[0].recoveryAttainment == Share(count: 1, total: 1))
        #expect(analysis.quarters[1].recoveryAttainment == Share(count: 0, total: 1))
        #expect(analysis.overall.passRate == Share(count: 1, total: 3))
    }

    @Test func recordsAfterAsOfAreLeftOut() {
        let history = DrillHistory(
            drills: [F.redis],
            runs: [F.run("a", drill: F.redis.id, start: "2026-03-01T10:00:00Z"),
                   F.run("later", drill: F.redis.id, start: "2026-03-02T10:00:00Z")])
        let analysis = HistoryAnalysis(history: history, asOf: F.day("2026-03-01"))
        #expect(analysis.drills[0].runIds == ["a"])
        #expect(analysis.months.map(\.id) == ["2026-03"])
    }

    @Test func recurringWeaknessesAreSortedDeterministically() {
        let runs = [
            F.run("1", drill: "b-drill", start: "2026-01-01T00:00:00Z", criteria: [F.verdict("x", "X", .missed), F.verdict("y", "Y", .missed)]),
            F.run("2", drill: "b-drill", start: "2026-01-02T00:00:00Z", criteria: [F.verdict("x", "X", .missed), F.verdict("y", "Y", .met)]),
            F.run("3", drill: "a-drill", start: "2026-01-03T00:00:00Z", criteria: [F.verdict("z", "Z", .missed), F.verdict("w", "W", .notMeasured)]),
            F.run("4", drill: "a-drill", start: "2026-01-04T00:00:00Z", criteria: [F.verdict("q", "Q", .missed), F.verdict("ok", "OK", .met)]),
        ]
        let ranked = RecurringWeakness.rank(runs: runs.map(\.overview), drills: [])
        // x: 2/2; then 1-miss ties: z 1/1 and q 1/1 (rate 1, a-drill first, q < z), then y 1/2.
        #expect(ranked.map(\.criterionId) == ["x", "q", "z", "y"])
        #expect(ranked[0].missedRunIds == ["1", "2"])
        #expect(ranked[3].missRate == Share(count: 1, total: 2))
        let defined = RecurringWeakness.rank(
            runs: [F.run("r", drill: F.redis.id, start: "2026-01-01T00:00:00Z", criteria: [F.verdict("no-data-loss", "old text", .missed)]).overview],
            drills: [F.redis])
        #expect(defined[0].text == "No data loss")
        #expect(defined[0].drillTitle == "Redis Sentinel Failover")
    }

    let incidents = [
        Incident(
            id: "INC-1", severity: .p1, type: "outage", description: "d", declaredAt: F.time("2026-03-10T10:05:00Z"),
            startedAt: F.time("2026-03-10T10:00:00Z"), detectedAt: F.time("2026-03-10T10:04:00Z"),
            acknowledgedAt: F.time("2026-03-10T10:10:00Z"), escalatedAt: F.time("2026-03-10T10:40:00Z"),
            resolvedAt: F.time("2026-03-10T13:00:00Z")),
        Incident(
            id: "INC-2", severity: .p1, type: "outage", description: "d", declaredAt: F.time("2026-03-31T23:30:00+05:30"),
            acknowledgedAt: F.time("2026-04-01T00:00:00+05:30")),
        Incident(
            id: "INC-3", severity: .p3, type: "slow", description: "d", declaredAt: F.time("2026-04-02T10:00:00Z"),
            startedAt: F.time("2026-04-02T09:00:00Z"), detectedAt: F.time("2026-04-02T09:20:00Z"),
            resolvedAt: F.time("2026-04-03T09:00:00Z")),
    ]

    @Test func responseTimesPerSeverity() {
        let stats = IncidentResponseStatistics(incidents: incidents)
        let p1 = stats.bySeverity[0]
        #expect(p1.id == "P1")
        #expect(p1.count == 2)
        #expect(p1.resolved == 1)
        #expect(p1.open == 1)
        let detect = p1.summary(of: .detect)
        #expect((detect.recorded, detect.notRecorded, detect.medianSeconds) == (1, 1, 240))
        #expect(detect.withinTarget == Share(count: 1, total: 1))
        #expect(detect.targetSeconds == 300)
        // Detected → acknowledged only: the incident without a detection time is not recorded
        // (it was measured from its declaration before, a second definition).
        let respond = p1.summary(of: .respond)
        #expect(respond.medianSeconds == 360)
        #expect(respond.withinTarget == Share(count: 1, total: 1))
        #expect(respond.notRecorded == 1)
        let escalate = p1.summary(of: .escalate)
        #expect(escalate.withinTarget == Share(count: 0, total: 1))
        #expect(escalate.notRecorded == 1)
        let resolve = p1.summary(of: .resolve)
        #expect((resolve.recorded, resolve.medianSeconds, resolve.targetSeconds) == (1, 10_800, 14_400))
        #expect(resolve.withinTarget == Share(count: 1, total: 1))
        let p3 = stats.bySeverity[2]
        #expect(p3.summary(of: .resolve).withinTarget == .empty)
        #expect(p3.summary(of: .resolve).targetSeconds == nil)
        #expect(p3.summary(of: .detect).withinTarget == Share(count: 0, total: 1))
        #expect(stats.bySeverity[3].count == 0)
        #expect(stats.bySeverity[3].summary(of: .resolve).targetSeconds == nil)
        #expect(stats.bySeverity[1].summary(of: .resolve).targetSeconds == 86_400)
        #expect(stats.bySeverity[1].summary(of: .detect).targetSeconds == 300)
        #expect(stats.bySeverity[3].summary(of: .detect).medianSeconds == nil)
        #expect(stats.overall.summary(of: .resolve).targetSeconds == nil)
        #expect(stats.responses[2].escalationPath == ["On-call Engineer", "DevOps Manager"])
    }

    @Test func incidentsPerQuarterUseTheLocalDeclarationDay() {
        let stats = IncidentResponseStatistics(incidents: incidents)
        #expect(stats.byQuarter.map(\.id) == ["2026-Q1", "2026-Q2"])
        #expect(stats.byQuarter[0].incidentIds == ["INC-1", "INC-2"])
        #expect(stats.byQuarter[0].bySeverity[.p1] == 2)
        #expect(stats.byQuarter[1].incidentIds == ["INC-3"])
        #expect(stats.group(for: Quarter("2025-Q4")!).count == 0)
        #expect(IncidentResponseStatistics(incidents: []).byQuarter.isEmpty)
    }
}
