import DrillbookAnalysis
import DrillbookModel
import Testing

/// Leadership semantics (issue 13, point 5): local realisations stay out of leadership figures
/// unless asked for, aborted slots are aborted, one definition per response time.
@Suite("Leadership figures")
struct LeadershipFigureTests {
    static let asOf = Fixtures.day("2026-03-31")

    static func history(includeLocal: Bool? = nil) -> DrillHistory {
        var local = Fixtures.run("local-1", drill: "redis-sentinel-failover", start: "2026-02-03T10:00:00Z", outcome: .failed)
        local.realisation = .local
        local.environment = "local"
        var environment = Fixtures.run("env-1", drill: "redis-sentinel-failover", start: "2026-02-04T10:00:00Z")
        environment.realisation = .environment
        return DrillHistory(
            drills: [Fixtures.redis, Fixtures.burst],
            runs: [
                local, environment,
                Fixtures.run("hand-1", drill: "redis-sentinel-failover", start: "2026-03-03T10:00:00Z"),
                Fixtures.run("aborted-1", drill: "sudden-order-burst", start: "2026-03-17T10:00:00Z", outcome: .aborted),
            ],
            site: SiteConfiguration(includeLocalRuns: includeLocal))
    }

    @Test func localRealisationsStayOutOfLeadershipFigures() {
        let analysis = HistoryAnalysis(history: Self.history(), asOf: Self.asOf)
        #expect(analysis.overall.runIds == ["env-1", "hand-1", "aborted-1"])
        #expect(analysis.overall.passRate == Share(count: 2, total: 3))
        #expect(analysis.localRunsLeftOut == 1)
        #expect(analysis.localRunsLeftOut(from: Fixtures.day("2026-02-01"), through: Fixtures.day("2026-02-28")) == 1)
        #expect(analysis.localRunsLeftOut(from: Fixtures.day("2026-03-01"), through: Self.asOf) == 0)
        #expect(analysis.review(of: Quarter(year: 2026, number: 1)!)?.current.drillsRun == 3)
        // Per-drill statistics keep every run: the drill page is the operator's record.
        #expect(analysis.drill(id: "redis-sentinel-failover")?.runIds.count == 3)
        // The schedule's week-1 slot of February is filled by the environment run only.
        let february = analysis.schedule.slots.first { $0.id == "2026-02-w1" }
        #expect(february?.runIds == ["env-1"])
    }

    @Test func includeLocalRunsCountsThem() {
        let analysis = HistoryAnalysis(history: Self.history(includeLocal: true), asOf: Self.asOf)
        #expect(analysis.overall.runIds.count == 4)
        #expect(analysis.overall.passRate == Share(count: 2, total: 4))
        #expect(analysis.localRunsLeftOut == 0)
    }

    @Test func aSlotFilledOnlyByAbortedRunsIsAborted() {
        let analysis = HistoryAnalysis(history: Self.history(), asOf: Self.asOf)
        let slot = analysis.schedule.slots.first { $0.id == "2026-03-w3" }
        #expect(slot?.status == .aborted)
        #expect(slot?.runIds == ["aborted-1"])
        let quarter = analysis.schedule.adherence(in: Quarter(year: 2026, number: 1)!)
        #expect(quarter.aborted == 1)
        // An aborted slot is judged like a missed one: it is not done.
        #expect(quarter.adherence.total == quarter.filled + quarter.missed + quarter.aborted)
    }

    @Test func eachResponseTimeHasOneDefinition() {
        let declared = Fixtures.time("2026-02-11T14:00:00Z")
        // Started recorded: time to resolve runs from the start.
        let started = Incident(
            id: "INC-1", severity: .p1, type: "x", description: "x", declaredAt: declared,
            startedAt: Fixtures.time("2026-02-11T13:50:00Z"), detectedAt: Fixtures.time("2026-02-11T13:55:00Z"),
            acknowledgedAt: Fixtures.time("2026-02-11T14:05:00Z"), resolvedAt: Fixtures.time("2026-02-11T14:30:00Z"))
        // No start, no detection: resolve, detect, respond are not recorded (never measured from
        // the declaration instead).
        let declaredOnly = Incident(
            id: "INC-2", severity: .p1, type: "x", description: "x", declaredAt: declared,
            acknowledgedAt: Fixtures.time("2026-02-11T14:05:00Z"), resolvedAt: Fixtures.time("2026-02-11T14:25:00Z"))
        #expect(ResponseMeasure.resolve.seconds(of: started) == Double(40 * 60))
        #expect(ResponseMeasure.resolve.seconds(of: declaredOnly) == nil)
        #expect(ResponseMeasure.respond.seconds(of: started) == Double(10 * 60))
        #expect(ResponseMeasure.respond.seconds(of: declaredOnly) == nil)
        #expect(ResponseMeasure.detect.seconds(of: started) == Double(5 * 60))
        let group = IncidentResponseStatistics(incidents: [started, declaredOnly]).overall.summary(of: .resolve)
        #expect(group.recorded == 1 && group.notRecorded == 1 && group.medianSeconds == Double(40 * 60))
        #expect(ResponseMeasure.resolve.definition == "started → resolved")
    }
}
