"""The BondX drill history, October 2025 to November 2026, as plain data.

generate.py turns this into content/runs, content/incidents and content/actions.
Action items are referred to by a `key`; generate.py numbers them AI-YYYY-NNN in date order.
A run's `m` holds its measured metrics (criteria metrics plus a few extras); verdicts and
outcome are computed from the drill's criteria, so they cannot disagree with the numbers.
"""

ONCALL_ROTATION = ["Arjun Mehta", "Meera Nair", "Daniel Okafor"]

SPECIALIST = {
    "websocket-node-failure": ("Rohan Deshpande", "Backend Engineer"),
    "redis-sentinel-failover": ("Arjun Mehta", "SRE"),
    "database-replica-lag": ("Kavya Iyer", "DBA"),
    "single-provider-failure": ("Rohan Deshpande", "Backend Engineer"),
    "multiple-provider-failure": ("Rohan Deshpande", "Backend Engineer"),
    "sudden-order-burst": ("Rohan Deshpande", "Backend Engineer"),
    "memory-cpu-pressure": ("Daniel Okafor", "SRE"),
    "incident-response-tabletop": ("Vikram Joshi", "DevOps Manager"),
    "full-system-failure-recovery": ("Kavya Iyer", "DBA"),
    "region-evacuation": ("Meera Nair", "Platform Engineer"),
    "credential-compromise-response": ("Hannah Lindqvist", "Security Engineer"),
    "audit-trail-gap": ("Ananya Ghosh", "Compliance Officer"),
}

EXTRA_UNITS = {
    "peak_connections": "count",
    "reconnect_p95_seconds": "s",
    "lb_detection_seconds": "s",
    "sentinel_down_after_ms": "ms",
    "client_reconnect_seconds": "s",
    "write_errors": "count",
    "peak_write_tps": "tps",
    "primary_cpu_percent": "%",
    "stale_quote_seconds": "s",
    "instruments_without_fallback": "count",
    "banner_seconds": "s",
    "peak_orders_per_second": "orders/s",
    "baseline_p95_ms": "ms",
    "burst_p95_ms": "ms",
    "pods_added": "count",
    "peak_memory_percent": "%",
    "status_updates_sent": "count",
    "participants": "count",
    "services_restarted": "count",
    "manual_interventions": "count",
    "replica_promotion_seconds": "s",
    "services_redeployed": "count",
    "records_affected": "count",
    "error_budget_burn_rate": "x",
}


# ---------------------------------------------------------------------------
# Timelines: (seconds after start, event, description). The last event is drill.ended.


def _ws(m):
    fo = m["failover_seconds"]
    det = m.get("lb_detection_seconds", 6)
    return [
        (0, "drill.started", "Bridge opened; k6 holding %s concurrent WebSocket clients on staging." % f"{int(m.get('peak_connections', 12000)):,}"),
        (300, "steady-state.verified", "3 of 3 `ws-gateway` pods Ready, price broadcast p95 steady, no reconnects in the last 5 minutes."),
        (540, "fault.injected", "`kubectl delete pod ws-gateway-1 --grace-period=0` on the node holding the most sessions."),
        (540 + det, "failure.detected", "NLB health check marked the target unhealthy."),
        (540 + fo, "failover.completed", "All sessions now served by the two remaining pods."),
        (540 + fo + 300, "recovery.verified", "Reconnection rate %s %%, %d messages lost according to the sequence-gap checker." % (m["reconnection_success_rate"], m["messages_lost"])),
        (540 + fo + 900, "rollback.completed", "Replacement pod Ready; sessions rebalanced after the next deploy-free drain window."),
        (540 + fo + 1140, "drill.ended", "Debrief held on the bridge."),
    ]


def _redis(m):
    det = m["detection_seconds"]
    fo = m["failover_seconds"]
    rc = m.get("client_reconnect_seconds", 4)
    return [
        (0, "drill.started", "Drill lead confirmed the change window with #staging-announce."),
        (240, "steady-state.verified", "`redis-cli -p 26379 sentinel master bondx-cache` reports 2 replicas and 3 sentinels; write probe green."),
        (420, "fault.injected", "`docker stop redis-master` on the current master."),
        (420 + det, "failure.detected", "Sentinels agreed on `+odown` for the master."),
        (420 + fo, "master.changed", "`+switch-master` published; the replica on redis-2 promoted."),
        (420 + fo + rc, "clients.reconnected", "Order API and quote cache clients reconnected to the new master."),
        (420 + fo + 360, "recovery.verified", "Key-count and checksum comparison finished: %d keys lost." % m["keys_lost"]),
        (420 + fo + 840, "rollback.completed", "Old master restarted as a replica; `master_link_status:up`."),
        (420 + fo + 1020, "drill.ended", "Results read back to the group."),
    ]


def _replica(m):
    lag = m["replica_lag_seconds"]
    rec = m["recovery_seconds"]
    return [
        (0, "drill.started", "pgbench write profile loaded; replicas at zero lag."),
        (300, "steady-state.verified", "`pg_stat_replication` shows both replicas streaming; read p95 nominal."),
        (480, "fault.injected", "Write load ramped to %s tps on the primary." % f"{int(m.get('peak_write_tps', 4200)):,}"),
        (1080, "replica-lag.peaked", "Peak replay lag %.1f s on replica-2." % lag),
        (1200, "reads.rerouted", "Lag-aware router stopped sending reads to the lagging replica (%d misrouted reads)." % m["misrouted_reads"]),
        (1500, "load.stopped", "Write load stopped."),
        (1500 + rec, "recovery.verified", "Both replicas back under 100 ms of lag."),
        (1500 + rec + 600, "rollback.completed", "pgbench tables dropped and vacuumed."),
        (1500 + rec + 780, "drill.ended", "Debrief held."),
    ]


def _single(m):
    fb = m["fallback_seconds"]
    return [
        (0, "drill.started", "Market-data replay running against staging."),
        (180, "steady-state.verified", "NSE primary, BSE secondary; quote freshness under 1 s for all tracked ISINs."),
        (360, "fault.injected", "Toxiproxy `nse-feed` toxic set to drop all traffic."),
        (360 + fb, "fallback.activated", "Provider router switched to BSE after %.1f s." % fb),
        (960, "provider.restored", "Toxic removed; NSE feed reconnecting."),
        (1020, "recovery.verified", "Router returned to NSE; quality score back to baseline."),
        (1320, "rollback.completed", "Toxiproxy configuration reset."),
        (1500, "drill.ended", "Debrief held."),
    ]


def _multiple(m):
    fb = m["mock_fallback_seconds"]
    banner = m.get("banner_seconds", fb + 4)
    return [
        (0, "drill.started", "Both provider feeds healthy on staging."),
        (180, "steady-state.verified", "Quote freshness and order flow normal."),
        (360, "fault.injected", "NSE and BSE feeds cut at the egress proxy."),
        (360 + fb, "mock-fallback.activated", "Indicative-price service switched to the mock curve."),
        (360 + banner, "users.notified", "Data-degraded banner state checked in the web client."),
        (1260, "provider.restored", "Egress rules restored; live feeds back."),
        (1500, "rollback.completed", "Mock mode disabled; caches flushed."),
        (1680, "drill.ended", "Debrief held."),
    ]


def _burst(m):
    return [
        (0, "drill.started", "Order simulator warmed up at baseline rate."),
        (240, "steady-state.verified", "Baseline order API p95 %d ms." % m.get("baseline_p95_ms", 80)),
        (360, "fault.injected", "Burst profile started: ramp to %sx baseline over 60 s." % m["load_multiplier"]),
        (420, "load.peaked", "Peak %s orders/s; p95 %d ms." % (f"{int(m.get('peak_orders_per_second', 2400)):,}", m.get("burst_p95_ms", 130))),
        (480, "rate-limit.engaged", "%.1f %% of requests answered 429." % m["rate_limited_share"]),
        (960, "load.stopped", "Burst profile stopped."),
        (1080, "recovery.verified", "Latency and error rate back to baseline."),
        (1320, "rollback.completed", "Synthetic orders cancelled and test accounts reset."),
        (1440, "drill.ended", "Debrief held."),
    ]


def _pressure(m):
    so = m["scale_out_seconds"]
    return [
        (0, "drill.started", "HPA at 3 replicas for `order-api`."),
        (240, "steady-state.verified", "CPU around 35 %, memory around 50 %."),
        (360, "fault.injected", "`stress-ng` sidecar started: 4 CPU workers and a 70 % memory hog on each pod."),
        (360 + so, "scale-out.completed", "HPA added %d pods; new pods Ready." % m.get("pods_added", 3)),
        (1560, "pressure.removed", "stress-ng sidecars removed."),
        (2040, "recovery.verified", "HPA scaled back in; latency at baseline."),
        (2280, "rollback.completed", "Sidecar patch reverted."),
        (2400, "drill.ended", "Debrief held."),
    ]


def _tabletop(m):
    d = m["time_to_declare_seconds"]
    u = m["time_to_first_update_seconds"]
    e = m["time_to_escalate_seconds"]
    return [
        (0, "drill.started", "Facilitator briefed the room; the exercise clock starts at the first alert."),
        (120, "alert.fired", "First simulated alert posted in #alerts."),
        (120 + d, "incident.declared", "On-call posted the Incident Declaration template."),
        (120 + u, "status-update.sent", "First Status Update posted in #incident."),
        (120 + e, "escalation.paged", "DevOps Manager paged by phone."),
        (120 + max(e, u) + 300, "twist.injected", "Facilitator injected a second alert and a client ETA request."),
        (120 + max(e, u) + 900, "incident.resolved", "Practice incident resolved with the Incident Resolution template."),
        (120 + max(e, u) + 1200, "drill.ended", "Lessons captured."),
    ]


def _fsf(m):
    rec = m["recovery_seconds"]
    return [
        (0, "drill.started", "Staging freeze confirmed with all teams."),
        (300, "steady-state.verified", "All services healthy; order journal checkpoint taken."),
        (600, "fault.injected", "Every BondX service and data store stopped at once."),
        (660, "incident.declared", "Simulated P1 declared; cold-start runbook opened."),
        (600 + m["status_page_update_seconds"], "status-page.updated", "Status page set to Major Outage."),
        (900, "restore.started", "Restore clock started: data tier first."),
        (900 + rec, "recovery.verified", "Smoke tests finished; order journal reconciled."),
        (900 + rec + 900, "rollback.completed", "Staging handed back to the other teams."),
        (900 + rec + 1500, "drill.ended", "Debrief held."),
    ]


def _region(m):
    dns = m["dns_failover_seconds"]
    rec = m["recovery_seconds"]
    return [
        (0, "drill.started", "Both staging regions healthy; cross-region replica lag 0.4 s."),
        (300, "steady-state.verified", "Smoke tests green in Mumbai."),
        (600, "fault.injected", "Network ACL black-holes all traffic to the Mumbai staging VPC."),
        (600 + m.get("replica_promotion_seconds", 120), "database.promoted", "Hyderabad replica promoted."),
        (600 + dns, "dns.failed-over", "Route 53 records point at Hyderabad."),
        (600 + rec, "recovery.verified", "Smoke tests green from outside both regions."),
        (600 + rec + 2400, "rollback.completed", "ACL removed, DNS failed back, Mumbai re-seeded."),
        (600 + rec + 2700, "drill.ended", "Debrief held."),
    ]


def _security(m):
    det = m["detection_seconds"]
    rv = m["credential_revoke_seconds"]
    return [
        (0, "drill.started", "Scope agreed: staging NSE data key only."),
        (300, "fault.injected", "Security engineer used the staging key from an unknown cloud ASN."),
        (300 + det, "failure.detected", "SIEM rule `provider-key-unknown-asn` fired."),
        (300 + det + 240, "incident.declared", "Security incident declared (simulated P2)."),
        (300 + det + rv, "credential.revoked", "Old key revoked at the provider; new key in the secret manager."),
        (300 + det + rv + 600, "recovery.verified", "Ingestors redeployed; %d calls with the old key succeeded after revocation." % m["calls_after_revocation"]),
        (300 + det + rv + 1800, "drill.ended", "Evidence bundle reviewed."),
    ]


def _compliance(m):
    det = m["detection_seconds"]
    nt = m["compliance_notify_seconds"]
    rep = m["report_ready_seconds"]
    return [
        (0, "drill.started", "Compliance Officer briefed; exercise scoped to staging."),
        (300, "fault.injected", "Audit-trail writer stopped for `ORDER_MODIFY` events."),
        (300 + det, "failure.detected", "Reconciliation alert: journal and audit store row counts diverge."),
        (300 + det + nt, "compliance.notified", "Compliance Officer notified by phone and email."),
        (300 + det + 1800, "writer.restored", "Audit-trail writer restarted; journal replay started."),
        (300 + rep, "report.drafted", "Draft exchange report shared with Compliance."),
        (300 + rep + 600, "drill.ended", "Debrief held."),
    ]


TIMELINES = {
    "websocket-node-failure": _ws,
    "redis-sentinel-failover": _redis,
    "database-replica-lag": _replica,
    "single-provider-failure": _single,
    "multiple-provider-failure": _multiple,
    "sudden-order-burst": _burst,
    "memory-cpu-pressure": _pressure,
    "incident-response-tabletop": _tabletop,
    "full-system-failure-recovery": _fsf,
    "region-evacuation": _region,
    "credential-compromise-response": _security,
    "audit-trail-gap": _compliance,
}


def timeline(r, m):
    if "tl" in r:
        return r["tl"]
    return TIMELINES[r["drill"]](m)


def AI(key, title, owner, prio, status="open", due=None, closed=None, notes=None):
    a = {"key": key, "title": title, "owner": owner, "prio": prio, "status": status}
    if due:
        a["due"] = due
    if closed:
        a["closed"] = closed
    if notes:
        a["notes"] = notes
    return a


def U(on, status, by, note=None, owner=None, dueDate=None):
    u = {"on": on, "status": status, "by": by}
    if note:
        u["note"] = note
    if owner:
        u["owner"] = owner
    if dueDate:
        u["dueDate"] = dueDate
    return u


from story_runs import RUNS  # noqa: E402
from story_incidents import INCIDENTS, HISTORIES  # noqa: E402
