import DrillbookModel

/// A realistic first quarter of drills and incidents: three drills, runs that passed, failed and
/// were aborted, incidents with and without optional instants, action items in several states with
/// status updates (one dated after `asOf`, which must not count yet).
///
/// `text` wraps every free-text field, so the hostile-input test can put an attack in all of them.
enum HistoryFixture {
    static let asOf = CalendarDay(year: 2026, month: 3, day: 31)!

    static func at(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso8601: text)! }

    static func history(text t: (String) -> String = { $0 }) -> DrillHistory {
        DrillHistory(
            drills: drills(t), runs: runs(t), incidents: incidents(t), actionUpdates: updates(t))
    }

    static func drills(_ t: (String) -> String) -> [DrillDefinition] {
        [
            DrillDefinition(
                id: "redis-sentinel-failover", playbookSection: "1.2", title: t("Redis Sentinel Failover"),
                category: .infrastructureResilience,
                objective: t("Test Redis Sentinel failover and **data consistency** when the master dies."),
                scenario: [t("Kill the Redis master with `kill -9`"), t("Watch Sentinel elect a new master")],
                expectedBehaviour: [t("Sentinel promotes a replica within 30 s"), t("Clients reconnect without data loss")],
                successCriteria: [
                    SuccessCriterion(
                        id: "failover-time", text: t("Failover completed within 30s"), metric: "failover_seconds",
                        comparison: .lessThanOrEqual, target: 30, unit: "s"),
                    SuccessCriterion(
                        id: "data-loss", text: t("No data loss"), metric: "lost_keys", comparison: .equal, target: 0,
                        unit: "count"),
                    SuccessCriterion(id: "alerts", text: t("Alerts fired and were acknowledged")),
                ],
                recoveryTarget: RecoveryTarget(metric: "failover_seconds", seconds: 30, source: t("Appendix B: REDIS_FAILOVER")),
                observabilityChecks: [t("redis-cli -p 26379 sentinel masters"), t("redis-cli info replication")],
                allocatedDuration: t("45m"), environment: t("staging"),
                preparationChecklist: [t("Announce the drill in #sre"), t("Confirm backups are recent")],
                rollbackChecklist: [t("Restore the original master"), t("Verify replication offsets match")],
                impact: t("Up to 30 s of write errors on order placement."),
                rollbackPlan: t("Promote the old master back with `SENTINEL FAILOVER`.")),
            DrillDefinition(
                id: "single-provider-failure", playbookSection: "2.1", title: t("Single Provider Failure"),
                category: .dataProviderOutage,
                objective: t("Check that quotes fall back to the secondary provider."),
                scenario: [t("Block the primary provider's API")],
                expectedBehaviour: [t("Fallback within 10 s")],
                successCriteria: [
                    SuccessCriterion(
                        id: "fallback-time", text: t("Fallback within 10s"), metric: "fallback_seconds",
                        comparison: .lessThanOrEqual, target: 10, unit: "s"),
                    SuccessCriterion(
                        id: "stale-quotes", text: t("Stale quotes below 1 %"), metric: "stale_ratio",
                        comparison: .lessThan, target: 1, unit: "%"),
                ],
                allocatedDuration: t("30m")),
            DrillDefinition(
                id: "sudden-order-burst", playbookSection: "3.1", title: t("Sudden Order Burst"),
                category: .loadAndPerformance, objective: t("Handle a 10× order burst without dropping orders."),
                successCriteria: [
                    SuccessCriterion(
                        id: "p99", text: t("p99 latency under 250 ms"), metric: "p99_ms", comparison: .lessThan,
                        target: 250, unit: "ms")
                ],
                allocatedDuration: t("1h")),
        ]
    }

    static func runs(_ t: (String) -> String) -> [DrillRun] {
        [
            DrillRun(
                id: "2026-01-14-redis-sentinel-failover", drillId: "redis-sentinel-failover", environment: t("staging"),
                startedAt: at("2026-01-14T10:00:00+05:30"), endedAt: at("2026-01-14T10:38:20+05:30"),
                participants: [
                    Participant(name: t("Priya Raman"), role: t("Drill lead")),
                    Participant(name: t("Tomás Ortega"), role: t("On-call Engineer")),
                    Participant(name: t("Lee Chen"), role: t("Observer")),
                ],
                outcome: .passed, runBy: t("priya"),
                summary: t("Sentinel promoted `redis-2` in **8.2 s**. Clients reconnected on their own.\n\nSee the [Sentinel docs](https://redis.io/docs/management/sentinel/)."),
                timeline: [
                    TimelineEvent(at: at("2026-01-14T10:05:00+05:30"), event: t("fault.injected"), description: t("Master `redis-1` killed")),
                    TimelineEvent(at: at("2026-01-14T10:05:08+05:30"), event: t("master.changed"), description: t("`redis-2` promoted")),
                    TimelineEvent(at: at("2026-01-14T10:06:00+05:30"), event: t("steady-state.ok")),
                ],
                metrics: [
                    Metric(name: t("failover_seconds"), value: 8.2, unit: "s", note: t("from fault.injected to master.changed")),
                    Metric(name: t("lost_keys"), value: 0, unit: "count"),
                    Metric(name: t("write_errors"), value: 1250, unit: "count"),
                ],
                criteria: [
                    CriterionResult(
                        criterionId: "failover-time", text: t("Failover completed within 30s"), metric: "failover_seconds",
                        comparison: .lessThanOrEqual, target: 30, unit: "s", actual: 8.2, verdict: .met),
                    CriterionResult(
                        criterionId: "data-loss", text: t("No data loss"), metric: "lost_keys", comparison: .equal,
                        target: 0, unit: "count", actual: 0, verdict: .met),
                    CriterionResult(
                        criterionId: "alerts", text: t("Alerts fired and were acknowledged"),
                        note: t("Pager fired after 40 s; acknowledged by Tomás."), verdict: .met),
                ],
                observations: [t("Clients logged one reconnect each"), t("Grafana panel lagged by 15 s")],
                lessons: Lessons(
                    wentWell: [t("Failover well under target")], couldImprove: [t("Dashboard refresh is too slow")],
                    nextSteps: [t("Repeat in production in Q2")]),
                actionItems: [
                    ActionItem(
                        id: "AI-2026-001", title: t("Lower the Grafana refresh to **5 s**"), owner: t("Lee Chen"),
                        status: .open, priority: .immediate, notes: t("Panel *Redis overview*")),
                ]),
            DrillRun(
                id: "2026-02-11-single-provider-failure", drillId: "single-provider-failure", environment: t("staging"),
                startedAt: at("2026-02-11T14:00:00Z"), endedAt: at("2026-02-11T14:25:00Z"),
                participants: [Participant(name: t("Sam Okafor"), role: t("Drill lead"))],
                outcome: .failed,
                summary: t("Fallback took 42 s because the health check timeout was 30 s."),
                timeline: [TimelineEvent(at: at("2026-02-11T14:02:00Z"), event: t("fault.injected"), description: t("Primary blocked"))],
                metrics: [
                    Metric(name: t("fallback_seconds"), value: 42, unit: "s"),
                    Metric(name: t("stale_ratio"), value: 0.4, unit: "%"),
                ],
                criteria: [
                    CriterionResult(
                        criterionId: "fallback-time", text: t("Fallback within 10s"), metric: "fallback_seconds",
                        comparison: .lessThanOrEqual, target: 10, unit: "s", actual: 42, note: t("Timeout too long"),
                        verdict: .missed),
                    CriterionResult(
                        criterionId: "stale-quotes", text: t("Stale quotes below 1 %"), metric: "stale_ratio",
                        comparison: .lessThan, target: 1, unit: "%", actual: 0.4, verdict: .met),
                ],
                observations: [t("Health check timeout is 30 s, three times the target")],
                lessons: Lessons(couldImprove: [t("Health check timeout too long")]),
                actionItems: [
                    ActionItem(
                        id: "AI-2026-004", title: t("Cut the provider health check timeout to 5 s"), owner: t("Sam Okafor"),
                        status: .open, priority: .immediate),
                    ActionItem(
                        id: "AI-2026-005", title: t("Alert when fallback lasts over 1 minute"), owner: t("Priya Raman"),
                        dueDate: day("2026-04-30"), status: .inProgress, priority: .shortTerm),
                    ActionItem(
                        id: "AI-2026-006", title: t("Add a third quote provider"), owner: t("Lee Chen"), status: .open,
                        priority: .longTerm),
                ]),
            DrillRun(
                id: "2026-03-04-sudden-order-burst", drillId: "sudden-order-burst", environment: t("local"),
                startedAt: at("2026-03-04T09:00:00-05:00"), endedAt: at("2026-03-04T09:12:30-05:00"),
                participants: [Participant(name: t("Tomás Ortega"), role: t("Drill lead"))],
                outcome: .aborted, abortReason: t("p99 latency passed the abort threshold of 2 s"),
                timeline: [TimelineEvent(at: at("2026-03-04T09:05:00-05:00"), event: t("load.started"))],
                metrics: [Metric(name: t("p99_ms"), value: 2140, unit: "ms")],
                criteria: [
                    CriterionResult(
                        criterionId: "p99", text: t("p99 latency under 250 ms"), metric: "p99_ms", comparison: .lessThan,
                        target: 250, unit: "ms", verdict: .notMeasured)
                ],
                probes: [
                    ProbeSummary(
                        name: t("orders-health"), phase: t("during"), attempts: 24, failures: 9, firstSuccessAfterSeconds: 0.5,
                        lastResult: t("HTTP 503 in 2140 ms")),
                ],
                outputs: [
                    CommandOutput(
                        step: t("fault.load"), command: t("hey -z 5m -q 200 http://127.0.0.1:8080/orders"), exitStatus: 1,
                        output: t("Error distribution:\n  [9] 503 Service Unavailable"), truncated: false)
                ]),
            DrillRun(
                id: "2026-03-18-redis-sentinel-failover", drillId: "redis-sentinel-failover", environment: t("staging"),
                startedAt: at("2026-03-18T11:00:00+05:30"), endedAt: at("2026-03-18T11:31:05+05:30"),
                participants: [Participant(name: t("Lee Chen"), role: t("Drill lead"))], outcome: .passed,
                metrics: [Metric(name: t("failover_seconds"), value: 6.75, unit: "s")],
                criteria: [
                    CriterionResult(
                        criterionId: "failover-time", text: t("Failover completed within 30s"), metric: "failover_seconds",
                        comparison: .lessThanOrEqual, target: 30, unit: "s", actual: 6.75, verdict: .met)
                ]),
        ]
    }

    static func incidents(_ t: (String) -> String) -> [Incident] {
        [
            Incident(
                id: "INC-2026-003", severity: .p2, type: t("Data provider outage"), location: t("eu-west-1"),
                description: t("Quotes from the primary provider stopped during the **Single Provider Failure** drill."),
                impact: [t("Stale quotes for 42 s"), t("No orders lost")],
                initialResponse: [t("Fallback forced by hand"), t("Provider contacted")],
                declaredAt: at("2026-02-11T14:03:00Z"), startedAt: at("2026-02-11T14:02:00Z"),
                detectedAt: at("2026-02-11T14:02:40Z"), acknowledgedAt: at("2026-02-11T14:05:00Z"),
                escalatedAt: at("2026-02-11T14:20:00Z"), nextUpdate: t("14:30 UTC"),
                updates: [
                    IncidentUpdate(
                        at: at("2026-02-11T14:15:00Z"), status: t("Identified"), progress: [t("Timeout found")],
                        currentSituation: t("Secondary provider serving all quotes."), nextSteps: [t("Lower timeout")],
                        nextUpdate: t("14:45 UTC")),
                    IncidentUpdate(at: at("2026-02-11T14:40:00Z"), status: t("Monitoring")),
                ],
                resolvedAt: at("2026-02-11T14:50:00Z"), statedDuration: t("48 minutes"),
                rootCause: t("The health check timeout (30 s) was longer than the fallback target (10 s)."),
                resolutionActions: [t("Restored the primary provider")],
                preventionMeasures: [t("Timeout lowered to 5 s")],
                lessonsLearned: [t("Health check timeouts must be below the fallback target")],
                actionItems: [
                    ActionItem(
                        id: "AI-2026-007", title: t("Document the manual fallback"), owner: t("Sam Okafor"), status: .open,
                        priority: .shortTerm)
                ],
                drillRunId: "2026-02-11-single-provider-failure", extra: ["Reporter": t("Monitoring")]),
            Incident(
                id: "INC-2026-007", severity: .p1, type: t("Database failover"),
                description: t("Primary database became unreachable; writes failed."),
                impact: [t("Order placement down")], declaredAt: at("2026-03-09T02:10:00+01:00"),
                detectedAt: at("2026-03-09T02:04:00+01:00"), acknowledgedAt: at("2026-03-09T02:12:00+01:00"),
                resolvedAt: at("2026-03-09T03:40:00+01:00"),
                rootCause: t("Disk filled by WAL archives."), lessonsLearned: [t("Alert on WAL archive growth")],
                actionItems: [
                    ActionItem(
                        id: "AI-2026-009", title: t("Alert on disk usage above 80 %"), owner: t("Priya Raman"),
                        status: .open, priority: .immediate)
                ]),
            Incident(
                id: "INC-2026-009", severity: .p3, type: t("Latency"), description: t("Elevated p99 on the orders API."),
                declaredAt: at("2026-03-27T16:00:00Z")),
        ]
    }

    static func updates(_ t: (String) -> String) -> [ActionUpdate] {
        [
            ActionUpdate(actionId: "AI-2026-001", on: day("2026-01-20"), status: .done, by: t("Lee Chen"), note: t("Set to 5 s")),
            ActionUpdate(actionId: "AI-2026-004", on: day("2026-03-01"), status: .blocked, by: t("Sam Okafor"),
                note: t("Waiting for the provider"), owner: t("Tomás Ortega")),
            ActionUpdate(actionId: "AI-2026-004", on: day("2026-02-15"), status: .inProgress, by: t("Sam Okafor")),
            ActionUpdate(actionId: "AI-2026-009", on: day("2026-03-10"), status: .inProgress, dueDate: day("2026-04-15")),
            // After asOf: not yet known on 2026-03-31.
            ActionUpdate(actionId: "AI-2026-006", on: day("2026-04-05"), status: .done),
        ]
    }
}
