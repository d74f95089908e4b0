/// The phrases synthetic records are assembled from: plausible SRE prose with the Markdown a team
/// writes (emphasis, code spans, links, lists), so rendering costs what real content costs.
enum CorpusText {
    static let people = [
        "Priya Raman", "Dev Kumar", "Asha Iyer", "Rahul Menon", "Meera Nair", "Arjun Shah", "Kavya Rao",
        "Vikram Singh", "Neha Gupta", "Sanjay Pillai", "Ananya Das", "Rohan Joshi",
    ]

    static let roles = ["On-call Engineer", "Observer", "Scribe", "Service owner", "Database engineer"]

    static let openers = [
        "The drill ran to plan and the team followed the runbook without improvising.",
        "We started on time after a short briefing in the incident channel.",
        "Steady state held for ten minutes before the fault was injected.",
        "The fault was injected from the bastion host with the usual `make` target.",
        "Two engineers joined late, so the scribe role moved to the observer.",
    ]

    static let middles = [
        "Dashboards showed the error rate climbing within **20 seconds**, and the pager fired shortly after.",
        "Clients reconnected in waves; the second wave was slower because of the *exponential back-off* cap.",
        "The runbook step to drain traffic referred to an old host name (`trade-lb-2`), which cost a minute.",
        "Replication caught up once the write load dropped, and no data was lost according to the checksum job.",
        "The synthetic order probe kept failing for longer than the health checks suggested.",
        "Alerts were routed to the right rotation, but the escalation message missed the service owner.",
    ]

    static let closers = [
        "Rollback took less time than allotted and the system returned to its steady state.",
        "We closed the drill with a short retrospective; notes are in the lessons below.",
        "Follow-ups are tracked as action items and will be reviewed at the weekly operations meeting.",
        "The observers agreed the result is representative of a real failure at peak load.",
    ]

    static let observations = [
        "The `redis-cli` health probe reported **OK** before the application could write again; probe the write path instead.",
        "Grafana's *replication lag* panel lagged the real lag by a full scrape interval, so the chart understated the peak.",
        "The on-call engineer found the runbook through search rather than the alert link; see [the runbook index](https://runbooks.example.com/).",
        "Connection pools recovered unevenly: two of six pods kept stale connections until their **idle timeout** expired.",
        "Logs from the load balancer and the application disagreed on timestamps by about 2 s, which confused the timeline.",
        "Nobody owned the customer-facing status page during the drill; it stayed green throughout.",
        "The fault-injection script printed no confirmation, so the team double-checked with `docker ps` before moving on.",
        "Memory on the standby rose to 78% during catch-up, close to the alert threshold of 80%.",
    ]

    static let wentWell = [
        "Detection was fast: the alert fired before the first customer-facing error, and the channel was opened within a minute.",
        "The rollback plan was rehearsed beforehand and worked first time, in well under the allotted duration.",
        "Roles were clear: the drill lead, scribe and observer each knew what to record and when to speak.",
        "Automated failover behaved exactly as documented in the architecture notes, including the client retry policy.",
        "The timeline was captured live by the scribe, which made the retrospective short and factual.",
    ]

    static let couldImprove = [
        "The runbook assumed a host layout that changed last quarter; several commands needed editing on the fly.",
        "Escalation to the service owner happened late because the paging policy skipped the secondary rotation.",
        "The status page was not updated; customers would not have known we were aware of the problem.",
        "Probes checked the wrong port after the move to the new load balancer, so recovery looked later than it was.",
        "Dashboards need a single view that puts error rate, latency and failover events on the same time axis.",
    ]

    static let nextSteps = [
        "Update the runbook with the current host names and add a check that fails when they drift.",
        "Repeat the drill next month with the new alert routing and compare detection times.",
        "Add a synthetic probe of the write path so recovery is measured from the customer's side.",
        "Review the paging policy with the incident commander rotation before the next quarterly drill.",
        "Share the findings at the engineering all-hands with the timeline and the two charts from this run.",
    ]

    static let actionTitles = [
        "Move sentinels off the application hosts", "Alert on replication lag above 30 s",
        "Add a write-path probe to the health check", "Fix the runbook's drain step for the new load balancer",
        "Route escalations to the secondary rotation", "Automate status page updates from the incident channel",
        "Cap client reconnect back-off at 5 s", "Document the provider fallback order",
        "Rotate the shared deploy credential", "Add retention checks for the audit log",
    ]

    static let incidentTypes = [
        "Redis failover", "WebSocket outage", "Market data delay", "Database replica lag", "Order placement errors",
        "Provider outage", "Elevated latency", "Credential exposure", "Audit log gap",
    ]

    static let locations = ["ap-south-1", "ap-south-1 / staging", "eu-west-1", "us-east-1", "ap-southeast-1"]

    static let incidentDescriptions = [
        "Order placement failed for some users after the primary became unreachable.",
        "Live prices stopped updating for a share of clients while nodes restarted.",
        "Market data from the primary provider arrived late and then stopped; the fallback took over slowly.",
        "Replication lag on the read replicas grew until reads were served stale data.",
    ]

    static let rootCauses = [
        "Two of three sentinels ran on the same host as the master, so quorum was lost when it failed.",
        "A configuration push restarted every node at once instead of in batches.",
        "The provider rotated its TLS certificate and our pinned chain rejected the new one.",
        "A long-running analytics query held locks that blocked replication apply on the replica.",
    ]
}
