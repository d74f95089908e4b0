import DrillbookAnalysis
import DrillbookModel
import Testing

@Suite struct DrillStatisticsTests {
    typealias F = Fixtures

    let runs = [
        F.run("r1", drill: "redis-sentinel-failover", start: "2026-01-05T10:00:00Z", minutes: 25, metrics: [F.failover(40), Metric(name: "detection_seconds", value: 50, unit: "s")],
              criteria: [F.verdict("failover-30s", "Failover completed within 30s", .missed), F.verdict("no-data-loss", "No data loss", .met)]),
        F.run("r2", drill: "redis-sentinel-failover", start: "2026-04-06T10:00:00+02:00", minutes: 35, outcome: .failed,
              criteria: [F.verdict("failover-30s", "Failover completed within 30s", .notMeasured), F.verdict("no-data-loss", "No data loss", .missed)]),
        F.run("r3", drill: "redis-sentinel-failover", start: "2026-07-06T10:00:00Z", metrics: [F.failover(20_000).withUnit("ms")],
              criteria: [F.verdict("failover-30s", "Failover completed within 30s", .met), F.verdict("extra", "Ad hoc check", .met)]),
        F.run("r4", drill: "redis-sentinel-failover", start: "2026-10-05T10:00:00Z", outcome: .aborted, metrics: [F.failover(30), Metric(name: "detection_seconds", value: 90, unit: "s")]),
        F.run("other", drill: "sudden-order-burst", start: "2026-01-06T10:00:00Z"),
    ]

    @Test func countsOutcomesAndPassRate() {
        let stats = DrillStatistics(drillId: F.redis.id, definition: F.redis, runs: runs.map(\.overview))
        #expect(stats.runIds == ["r1", "r2", "r3", "r4"])
        #expect((stats.passed, stats.failed, stats.aborted) == (2, 1, 1))
        #expect(stats.passRate == Share(count: 2, total: 4))
        #expect(stats.lastRunId == "r4")
        #expect(stats.lastRunDay == F.day("2026-10-05"))
    }

    @Test func recoverySeriesSkipsRunsWithoutTheMetricAndConvertsUnits() throws {
        let stats = DrillStatistics(drillId: F.redis.id, definition: F.redis, runs: runs.map(\.overview))
        let recovery = try #require(stats.recovery)
        #expect(!stats.recoveryTargetIsInferred)
        #expect(recovery.measurements.map(\.seconds) == [40, 20, 30])
        #expect(recovery.measurements.map(\.metTarget) == [false, true, true])
        #expect(recovery.skippedRunIds == ["r2"])
        #expect(recovery.attainment == Share(count: 2, total: 3))
        #expect(recovery.medianSeconds == 30)
        #expect(recovery.bestSeconds == 20)
        #expect(recovery.worstSeconds == 40)
        #expect(recovery.trend.sampleCount == 3)
    }

    @Test func detectionUsesTheDrillsCriterionTarget() {
        let stats = DrillStatistics(drillId: F.redis.id, definition: F.redis, runs: runs.map(\.overview))
        #expect(stats.detection.targetSeconds == 60)
        #expect(stats.detection.measurements.map(\.metTarget) == [true, false])
        #expect(stats.detection.skippedRunIds == ["r2", "r3"])
        #expect(stats.detection.trend.direction == .insufficientData)
        let burst = DrillStatistics(drillId: F.burst.id, definition: F.burst, runs: runs.map(\.overview))
        #expect(burst.detection.targetSeconds == 300)
        #expect(burst.recovery == nil)
    }

    @Test func timeUsedAgainstAllocation() {
        let stats = DrillStatistics(drillId: F.redis.id, definition: F.redis, runs: runs.map(\.overview))
        #expect(stats.timeUsage.map(\.usedSeconds) == [1500, 2100, 1200, 1200])
        #expect(stats.timeUsage.map(\.allocatedSeconds) == [1800, 1800, 1800, 1800])
        #expect(stats.timeUsage[1].ratio == 2100.0 / 1800.0)
        #expect(stats.overAllocation == Share(count: 1, total: 4))
        #expect(stats.medianUsedSeconds == 1350)
    }

    @Test func criteriaInDrillOrderThenExtras() {
        let stats = DrillStatistics(drillId: F.redis.id, definition: F.redis, runs: runs.map(\.overview))
        #expect(stats.criteria.map(\.criterionId) == ["failover-30s", "no-data-loss", "detect", "extra"])
        let failover = stats.criteria[0]
        #expect((failover.met, failover.missed, failover.notMeasured) == (1, 1, 1))
        #expect(failover.attainment == Share(count: 1, total: 2))
        #expect(stats.criteria[2].attainment.value == nil)
    }

    @Test func appendixBTargetsAreInferredFromIdAndCategory() {
        #expect(DrillStatistics.inferredRecoveryTarget(id: "database-failover", category: nil)?.seconds == 120)
        #expect(DrillStatistics.inferredRecoveryTarget(id: "ws-websocket-node", category: nil)?.seconds == 30)
        #expect(DrillStatistics.inferredRecoveryTarget(id: "my-redis", category: nil)?.source == "Appendix B: REDIS_FAILOVER")
        #expect(DrillStatistics.inferredRecoveryTarget(id: "outage", category: .fullSystemFailure)?.seconds == 900)
        #expect(DrillStatistics.inferredRecoveryTarget(id: "order-burst", category: .loadAndPerformance) == nil)
        let db = DrillStatistics(drillId: F.database.id, definition: F.database, runs: [])
        #expect(db.recoveryTargetIsInferred)
        #expect(db.recovery?.metric == "failover_seconds")
        #expect(db.passRate.value == nil)
        #expect(db.recovery?.trend.direction == .insufficientData)
    }

    @Test func unknownDrillStillGetsStatistics() {
        let stats = DrillStatistics(drillId: "ghost", definition: nil, runs: [F.run("g", drill: "ghost", start: "2026-01-01T00:00:00Z").overview])
        #expect(stats.title == "ghost")
        #expect(stats.category == nil)
        #expect(stats.timeUsage.first?.allocatedSeconds == nil)
        #expect(stats.overAllocation.value == nil)
    }
}

extension Metric {
    func withUnit(_ unit: String) -> Metric { Metric(name: name, value: value, unit: unit) }
}
