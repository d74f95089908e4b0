// The playbook drills and Appendix A schedule, copied from content/ so a corpus is complete on its own.
// Regenerate when content/drills changes: the corpus test checks every drill loads.

/// The repository's drill definitions and schedule, as the files hold them.
enum PlaybookFiles {
    /// `drills/<id>.yaml` files by name, sorted by name.
    static let drills: [(name: String, yaml: String)] = [
        ("audit-trail-gap.yaml", #"""
# Quarterly theme for Q4 (Appendix A): compliance violation.
id: audit-trail-gap
title: Order Audit-Trail Gap
category: compliance-violation
objective: Practise detecting, containing and reporting a gap in the order audit trail that exchanges and the regulator require us to keep
environment: staging
allocatedDuration: 5h
scenario:
  - Silently stop the audit-trail writer for a subset of order events in staging
  - Wait for the reconciliation job or alerts to flag the missing records
  - Notify the Compliance Officer and decide whether trading must pause
  - Rebuild the missing records from the order journal and prepare the draft exchange report
expectedBehaviour:
  - The gap is detected within 15 minutes
  - The Compliance Officer is notified within 30 minutes of detection
  - Every missing audit record is reconstructed from the journal
  - A draft report is ready within 4 hours
successCriteria:
  - id: gap-detected-within-15m
    text: Audit-trail gap detected within 15 minutes
    metric: detection_seconds
    comparison: "<="
    target: 900
    unit: s
  - id: compliance-notified-within-30m
    text: Compliance Officer notified within 30 minutes of detection
    metric: compliance_notify_seconds
    comparison: "<="
    target: 1800
    unit: s
  - id: records-reconstructed
    text: All missing audit records reconstructed
    metric: audit_records_missing
    comparison: "=="
    target: 0
    unit: count
  - id: report-ready-within-4h
    text: Draft exchange report ready within 4 hours
    metric: report_ready_seconds
    comparison: "<="
    target: 14400
    unit: s
observabilityChecks:
  - Audit-trail reconciliation job output
  - Order journal versus audit store row counts per minute
  - Compliance mailbox and incident channel timestamps
impact: Staging order events are missing from the audit store for up to 30 minutes; no effect on production reporting.
rollbackPlan: Restart the audit-trail writer, replay the order journal for the gap window and verify row counts match.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("credential-compromise-response.yaml", #"""
# Quarterly theme for Q3 (Appendix A): security incident.
id: credential-compromise-response
title: Compromised Provider API Key
category: security-incident
objective: Practise detecting and containing a leaked market-data provider API key before it can be abused
environment: staging
allocatedDuration: 1h30m
scenario:
  - The security engineer "leaks" a staging NSE data API key by using it from an unknown network
  - Detection rules should flag the anomalous use; the on-call engineer declares a security incident
  - The team revokes and rotates the key, redeploys the ingestors with the new secret and confirms the old key is dead
  - Evidence (access logs, secret-manager audit trail) is preserved for the post-incident review
expectedBehaviour:
  - Anomalous key use detected within 5 minutes
  - Key revoked and rotated within 15 minutes of detection
  - No successful call with the old key after revocation
  - Logs and audit trail preserved and attached to the incident
successCriteria:
  - id: misuse-detected-within-5m
    text: Anomalous key use detected within 5 minutes
    metric: detection_seconds
    comparison: "<="
    target: 300
    unit: s
  - id: key-revoked-within-15m
    text: Key revoked and rotated within 15 minutes
    metric: credential_revoke_seconds
    comparison: "<="
    target: 900
    unit: s
  - id: no-use-after-revocation
    text: No successful call with the revoked key
    metric: calls_after_revocation
    comparison: "=="
    target: 0
    unit: count
  - id: evidence-preserved
    text: Evidence preserved for the review
    metric: evidence_preserved
    comparison: "=="
    target: 1
    unit: bool
observabilityChecks:
  - Secret manager audit log
  - Provider gateway access logs by source ASN
  - SIEM alert history
impact: The staging NSE ingestor restarts once with a new secret; staging prices may pause for up to a minute.
rollbackPlan: Re-enable the previous key from the secret manager's version history if the new key fails provider validation.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("database-replica-lag.yaml", #"""
# Playbook 1.3. The executor's local realisation is added under `execution:`.
id: database-replica-lag
playbookSection: "1.3"
title: Database Replica Lag
category: infrastructure-resilience
objective: Test database performance under load
environment: staging
allocatedDuration: 1h
scenario:
  - Generate heavy write load on primary
  - Monitor replica lag increase
  - Test read replica failover
  - Validate query performance
expectedBehaviour:
  - Replica lag increases under load
  - Read queries routed to healthy replicas
  - Performance degradation within acceptable limits
  - Automatic recovery when load decreases
successCriteria:
  - id: replica-lag-under-2s
    text: Replica lag < 2s under load
    metric: replica_lag_seconds
    comparison: "<"
    target: 2
    unit: s
  - id: reads-routed
    text: Read queries routed correctly
    metric: misrouted_reads
    comparison: "=="
    target: 0
    unit: count
  - id: performance-within-sla
    text: Performance within SLA limits
    metric: p95_query_ms
    comparison: "<="
    target: 250
    unit: ms
  - id: automatic-recovery
    text: Automatic recovery observed
    metric: recovery_seconds
    comparison: "<="
    target: 120
    unit: s
recoveryTarget:
  metric: recovery_seconds
  seconds: 120
  source: "Appendix B: DATABASE_FAILOVER"
observabilityChecks:
  - make monitor-db-performance
  - make check-replica-lag
  - make validate-query-routing
impact: Read queries may be served from a lagging replica; no writes are refused.
rollbackPlan: Stop the write load and confirm replica lag returns to under one second.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("full-system-failure-recovery.yaml", #"""
# Quarterly theme for Q1 (Appendix A): full system failure.
id: full-system-failure-recovery
title: Full System Failure and Cold Start
category: full-system-failure
objective: Prove that the whole BondX staging stack can be restored from a total outage within the 15-minute full-system recovery target
environment: staging
allocatedDuration: 2h
scenario:
  - Stop every BondX service in staging at once (order API, WebSocket gateway, market-data ingestors, Redis, PostgreSQL primary and replicas)
  - Declare a simulated P1 and follow the cold-start runbook
  - Bring up the data tier first, then market data, then the order API and WebSocket gateway
  - Run the smoke-test suite and reconcile open orders against the order journal
expectedBehaviour:
  - Services start in dependency order without manual fixes
  - Full recovery within 15 minutes of the start of the restore
  - No acknowledged order is lost
  - The status page is updated within 10 minutes of the outage
successCriteria:
  - id: full-recovery-within-15m
    text: Full system recovered within 15 minutes
    metric: recovery_seconds
    comparison: "<="
    target: 900
    unit: s
  - id: zero-orders-lost
    text: No acknowledged order lost
    metric: orders_lost
    comparison: "=="
    target: 0
    unit: count
  - id: status-page-updated
    text: Status page updated within 10 minutes
    metric: status_page_update_seconds
    comparison: "<="
    target: 600
    unit: s
  - id: smoke-tests-pass
    text: All smoke tests pass after recovery
    metric: smoke_test_pass_rate
    comparison: ">="
    target: 100
    unit: "%"
recoveryTarget:
  metric: recovery_seconds
  seconds: 900
  source: "Appendix B: FULL_SYSTEM_RECOVERY"
observabilityChecks:
  - make monitor-system-performance
  - make validate-system-stability
  - Order journal reconciliation report
impact: Staging is completely unavailable for up to 30 minutes; other teams are asked not to deploy during the window.
rollbackPlan: If the cold start stalls for more than 30 minutes, restore the staging snapshot taken before the drill and restart services from the platform defaults.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("incident-response-tabletop.yaml", #"""
# Week 4 of Appendix A: incident response practice, run as a P1 tabletop exercise.
id: incident-response-tabletop
title: P1 Incident Response Tabletop
category: incident-response-practice
objective: Practise declaring, communicating and escalating a P1 incident against the playbook's response-time targets
environment: staging
allocatedDuration: 1h
scenario:
  - The facilitator presents a P1 scenario (for example order API returning 5xx for all clients during market hours) as a sequence of alerts and dashboard screenshots
  - The on-call engineer triages and declares the incident using the Incident Declaration template
  - The team posts status updates using the Status Update template on the incident channel
  - The on-call engineer escalates along the P1 escalation matrix (DevOps Manager, Head of Engineering, CTO)
  - The facilitator injects a twist (a second alert, a stakeholder asking for an ETA) mid-exercise
  - The team closes the incident with the Incident Resolution template and captures lessons learned
expectedBehaviour:
  - Incident declared within 5 minutes of the first alert
  - First status update sent within 15 minutes
  - Escalation reaches the DevOps Manager within 30 minutes
  - Escalation follows the P1 matrix in order, over the right channels (phone and SMS first)
successCriteria:
  - id: declared-within-5m
    text: Incident declared within 5 minutes of the first alert
    metric: time_to_declare_seconds
    comparison: "<="
    target: 300
    unit: s
  - id: first-update-within-15m
    text: First status update sent within 15 minutes
    metric: time_to_first_update_seconds
    comparison: "<="
    target: 900
    unit: s
  - id: escalated-within-30m
    text: Escalated to the DevOps Manager within 30 minutes
    metric: time_to_escalate_seconds
    comparison: "<="
    target: 1800
    unit: s
  - id: escalation-path-followed
    text: P1 escalation matrix followed in order
    metric: escalation_path_followed
    comparison: "=="
    target: 1
    unit: bool
observabilityChecks:
  - Incident channel timestamps for declaration, updates and escalation pages
  - PagerDuty incident log for acknowledgement and escalation times
  - Status page draft history
impact: None on systems; participants are unavailable for about an hour. No real pages are sent to people outside the exercise.
rollbackPlan: Nothing to roll back; the facilitator ends the exercise and resolves the practice incident in PagerDuty.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("memory-cpu-pressure.yaml", #"""
# Playbook 3.2. The executor's local realisation is added under `execution:`.
id: memory-cpu-pressure
playbookSection: "3.2"
title: Memory and CPU Pressure
category: load-and-performance
objective: Test resource management under pressure
environment: staging
allocatedDuration: 45m
scenario:
  - Generate memory/CPU pressure
  - Monitor resource utilization
  - Test auto-scaling behavior
  - Validate graceful degradation
expectedBehaviour:
  - Auto-scaling triggers appropriately
  - Resource utilization optimized
  - Graceful degradation when needed
  - System remains stable
successCriteria:
  - id: autoscaling-triggers
    text: Auto-scaling triggers correctly
    metric: scale_out_seconds
    comparison: "<="
    target: 120
    unit: s
  - id: utilization-optimized
    text: Resource utilization optimized
    metric: peak_cpu_percent
    comparison: "<="
    target: 90
    unit: "%"
  - id: graceful-degradation
    text: Graceful degradation observed
    metric: p95_latency_ratio
    comparison: "<="
    target: 3
    unit: x
  - id: stability-maintained
    text: System stability maintained
    metric: error_rate
    comparison: "<"
    target: 1
    unit: "%"
observabilityChecks:
  - make monitor-resource-usage
  - make check-auto-scaling
  - make validate-system-stability
impact: Service latency rises while CPU and memory are saturated on one host.
rollbackPlan: Stop the stress workers and confirm CPU and memory return to baseline.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("multiple-provider-failure.yaml", #"""
# Playbook 2.2. The executor's local realisation is added under `execution:`.
id: multiple-provider-failure
playbookSection: "2.2"
title: Multiple Provider Failure
category: data-provider-outage
objective: Test system behavior under complete data outage
environment: staging
allocatedDuration: 45m
scenario:
  - Simulate all external provider failures
  - Verify mock data fallback
  - Test user notifications
  - Monitor system stability
expectedBehaviour:
  - Mock data fallback activated
  - Users notified of data limitations
  - System remains stable
  - Trading continues with mock data
successCriteria:
  - id: mock-fallback-within-10s
    text: Mock fallback activated within 10s
    metric: mock_fallback_seconds
    comparison: "<="
    target: 10
    unit: s
  - id: users-notified
    text: Users notified appropriately
    metric: users_notified
    comparison: "=="
    target: 1
    unit: bool
  - id: system-stable
    text: System remains stable
    metric: error_rate
    comparison: "<"
    target: 1
    unit: "%"
  - id: trading-maintained
    text: Trading functionality maintained
    metric: order_success_rate
    comparison: ">="
    target: 99
    unit: "%"
recoveryTarget:
  metric: mock_fallback_seconds
  seconds: 10
  source: Playbook 2.2 success criteria
observabilityChecks:
  - make monitor-fallback-activation
  - make check-user-notifications
  - make validate-system-stability
impact: All market data comes from the mock feed; users see a data-limitation banner.
rollbackPlan: Restore every external provider and clear the data-limitation banner.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("redis-sentinel-failover.yaml", #"""
# Playbook 1.2. The executor's local realisation is added under `execution:`.
id: redis-sentinel-failover
playbookSection: "1.2"
title: Redis Sentinel Failover
category: infrastructure-resilience
objective: Test Redis high availability and failover
environment: staging
allocatedDuration: 30m
scenario:
  - Stop Redis master node
  - Verify sentinel election of new master
  - Test application reconnection
  - Validate data consistency
expectedBehaviour:
  - Sentinel detects master failure within 10s
  - New master elected within 30s
  - Applications reconnect automatically
  - Zero data loss during failover
successCriteria:
  - id: failover-detected
    text: Failover detected within 10s
    metric: detection_seconds
    comparison: "<="
    target: 10
    unit: s
  - id: new-master-elected
    text: New master elected within 30s
    metric: failover_seconds
    comparison: "<="
    target: 30
    unit: s
  - id: applications-reconnect
    text: Applications reconnect successfully
    metric: clients_reconnected
    comparison: "=="
    target: 1
    unit: bool
  - id: data-integrity
    text: Data integrity maintained
    metric: keys_lost
    comparison: "=="
    target: 0
    unit: count
recoveryTarget:
  metric: failover_seconds
  seconds: 30
  source: "Appendix B: REDIS_FAILOVER"
observabilityChecks:
  - make monitor-redis-health
  - make check-sentinel-status
  - make validate-data-consistency
impact: Redis writes fail for up to 30 seconds while Sentinel promotes the replica.
rollbackPlan: Restart the old master as a replica of the new one and confirm replication is in sync.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("region-evacuation.yaml", #"""
# Quarterly theme for Q2 (Appendix A): multi-region outage.
id: region-evacuation
title: Region Evacuation (Mumbai to Hyderabad)
category: multi-region-outage
objective: Verify that BondX can move trading traffic from the primary region (Mumbai) to the secondary region (Hyderabad) when the primary region is lost
environment: staging
allocatedDuration: 2h
scenario:
  - Black-hole all traffic to the staging primary region with a network ACL
  - Promote the cross-region PostgreSQL replica and the standby Redis in the secondary region
  - Fail DNS over to the secondary region's load balancers
  - Run the smoke-test suite from outside both regions and measure data loss at the cut-over point
expectedBehaviour:
  - DNS points at the secondary region within 5 minutes
  - Trading is available again within 15 minutes
  - At most 5 seconds of committed writes are lost (RPO)
  - The secondary region carries full production-shaped load without throttling
successCriteria:
  - id: dns-failover-within-5m
    text: DNS failed over within 5 minutes
    metric: dns_failover_seconds
    comparison: "<="
    target: 300
    unit: s
  - id: trading-restored-within-15m
    text: Trading restored in the secondary region within 15 minutes
    metric: recovery_seconds
    comparison: "<="
    target: 900
    unit: s
  - id: rpo-within-5s
    text: Data loss at cut-over no more than 5 seconds
    metric: data_loss_seconds
    comparison: "<="
    target: 5
    unit: s
  - id: secondary-capacity
    text: Secondary region serves full load
    metric: secondary_capacity_percent
    comparison: ">="
    target: 100
    unit: "%"
recoveryTarget:
  metric: recovery_seconds
  seconds: 900
  source: "Appendix B: FULL_SYSTEM_RECOVERY"
observabilityChecks:
  - make monitor-system-performance
  - make check-replica-lag
  - Route 53 health-check and record change history
impact: Staging in the primary region is unreachable for up to an hour; the secondary region's staging replica is promoted and must be re-seeded afterwards.
rollbackPlan: Remove the network ACL, fail DNS back to the primary region, and re-seed the primary from the promoted secondary before handing staging back.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("single-provider-failure.yaml", #"""
# Playbook 2.1. The executor's local realisation is added under `execution:`.
id: single-provider-failure
playbookSection: "2.1"
title: Single Provider Failure
category: data-provider-outage
objective: Test fallback mechanisms for data providers
environment: staging
allocatedDuration: 30m
scenario:
  - Simulate NSE API outage
  - Verify fallback to BSE data
  - Test data quality validation
  - Monitor user impact
expectedBehaviour:
  - Fallback triggered within 5s
  - Data quality maintained
  - Minimal user impact
  - Automatic recovery when NSE returns
successCriteria:
  - id: fallback-within-5s
    text: Fallback triggered within 5s
    metric: fallback_seconds
    comparison: "<="
    target: 5
    unit: s
  - id: data-quality
    text: Data quality score > 90%
    metric: data_quality_score
    comparison: ">"
    target: 90
    unit: "%"
  - id: user-impact
    text: User impact < 1%
    metric: failed_request_rate
    comparison: "<"
    target: 1
    unit: "%"
  - id: automatic-recovery
    text: Automatic recovery successful
    metric: recovered
    comparison: "=="
    target: 1
    unit: bool
recoveryTarget:
  metric: fallback_seconds
  seconds: 5
  source: Playbook 2.1 expected behaviour
observabilityChecks:
  - make monitor-provider-health
  - make check-fallback-triggering
  - make validate-data-quality
impact: Market data served from BSE instead of NSE for the length of the drill.
rollbackPlan: Restore the NSE provider and confirm traffic returns to it.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("sudden-order-burst.yaml", #"""
# Playbook 3.1. The executor's local realisation is added under `execution:`.
id: sudden-order-burst
playbookSection: "3.1"
title: Sudden Order Burst
category: load-and-performance
objective: Test system performance under extreme load
environment: staging
allocatedDuration: 30m
scenario:
  - Generate 10x normal order volume
  - Monitor system response times
  - Test rate limiting effectiveness
  - Validate error handling
expectedBehaviour:
  - System handles increased load gracefully
  - Response times increase but remain within SLA
  - Rate limiting prevents overload
  - Error rates remain low
successCriteria:
  - id: handles-10x
    text: System handles 10x load
    metric: load_multiplier
    comparison: ">="
    target: 10
    unit: x
  - id: response-under-2x
    text: Response times < 2x normal
    metric: p95_latency_ratio
    comparison: "<"
    target: 2
    unit: x
  - id: error-rate-under-1
    text: Error rate < 1%
    metric: error_rate
    comparison: "<"
    target: 1
    unit: "%"
  - id: rate-limiting-effective
    text: Rate limiting effective
    metric: rate_limited_share
    comparison: ">"
    target: 0
    unit: "%"
observabilityChecks:
  - make monitor-system-performance
  - make check-response-times
  - make validate-error-rates
impact: Order API latency rises; excess requests are rate-limited with HTTP 429/503.
rollbackPlan: Stop the load generator and confirm latency returns to its baseline.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
        ("websocket-node-failure.yaml", #"""
# Playbook 1.1. The executor's local realisation is added under `execution:`.
id: websocket-node-failure
playbookSection: "1.1"
title: WebSocket Node Failure
category: infrastructure-resilience
objective: Validate WebSocket service resilience and failover
environment: staging
allocatedDuration: 45m
scenario:
  - Kill one WebSocket node during peak load
  - Verify automatic failover to healthy nodes
  - Test client reconnection behavior
  - Validate message delivery continuity
expectedBehaviour:
  - Automatic failover within 30 seconds
  - Client reconnection success rate > 99%
  - Message delivery continues without interruption
  - Load balancer redirects traffic to healthy nodes
successCriteria:
  - id: failover-within-30s
    text: Failover completed within 30s
    metric: failover_seconds
    comparison: "<="
    target: 30
    unit: s
  - id: zero-message-loss
    text: Zero message loss during transition
    metric: messages_lost
    comparison: "=="
    target: 0
    unit: count
  - id: reconnection-rate
    text: Client reconnection success rate > 99%
    metric: reconnection_success_rate
    comparison: ">"
    target: 99
    unit: "%"
  - id: performance-maintained
    text: System performance maintained
    metric: p95_latency_ratio
    comparison: "<="
    target: 1.5
    unit: x
recoveryTarget:
  metric: failover_seconds
  seconds: 30
  source: "Appendix B: WEB_SOCKET_FAILOVER"
observabilityChecks:
  - make monitor-websocket-health
  - make check-client-reconnections
  - make validate-message-delivery
impact: One WebSocket node unavailable; connected clients reconnect to the remaining nodes.
rollbackPlan: Restart the stopped node and confirm it rejoins the load balancer pool.
preparationChecklist:
  - Current system state backed up
  - Monitoring and alerting verified
  - Rollback procedures tested
  - Team members briefed
  - Stakeholders notified
  - Rollback scripts ready
  - Emergency contacts available
rollbackChecklist:
  - Previous configurations backed up
  - Rollback scripts tested
  - Rollback procedures documented
  - Team trained on rollback
  - Rollback success criteria defined
"""#),
    ]

    /// `schedule.yaml`.
    static let schedule = #"""
# The drill plan of the playbook's Appendix A. Change it to match your team's rhythm.
# Weeks: 1 = days 1-7, 2 = days 8-14, 3 = days 15-21, 4 = day 22 to the end of the month.
startsOn: "2025-10-01"
monthly:
  - week: 1
    category: infrastructure-resilience
  - week: 2
    category: data-provider-outage
  - week: 3
    category: load-and-performance
  - week: 4
    category: incident-response-practice
quarterly:
  - quarter: 1
    category: full-system-failure
  - quarter: 2
    category: multi-region-outage
  - quarter: 3
    category: security-incident
  - quarter: 4
    category: compliance-violation
"""#
}
