/// Everything a content folder holds, loaded and validated: the input of analysis and of the site.
/// Collections are sorted (drills by id, runs and incidents by time then id) so output is deterministic.
public struct DrillHistory: Sendable, Hashable {
    public var drills: [DrillDefinition]
    /// What analysis and indexes read of each run; `fullRun(_:)` adds the run's details.
    public var runs: [RunOverview]
    /// Each run's details, by run id: read with its overview when the record was loaded, and kept
    /// for the run's own page (and the feed).
    public var runDetails: [String: RunDetails]
    public var incidents: [Incident]
    /// Status changes from `content/actions/`, in file then date order.
    public var actionUpdates: [ActionUpdate]
    /// The drill plan (`content/schedule.yaml`), Appendix A when the folder has none.
    public var schedule: DrillSchedule
    /// The site's settings (`content/site.yaml`), all defaults when the folder has none.
    public var site: SiteConfiguration
    /// Where each record came from, relative to the content folder (`runs/2026/q1/….json`), by record id.
    public var sourcePaths: [String: String]

    public init(
        drills: [DrillDefinition] = [], runs: [DrillRun] = [], incidents: [Incident] = [],
        actionUpdates: [ActionUpdate] = [], schedule: DrillSchedule = .playbook, sourcePaths: [String: String] = [:],
        site: SiteConfiguration = SiteConfiguration()
    ) {
        self.schedule = schedule
        self.site = site
        self.drills = drills.sorted { $0.id < $1.id }
        let sorted = runs.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        self.runs = sorted.map(\.overview)
        var details: [String: RunDetails] = [:]
        details.reserveCapacity(sorted.count)
        for run in sorted where details[run.id] == nil { details[run.id] = run.details }
        self.runDetails = details
        self.incidents = incidents.sorted { ($0.declaredAt, $0.id) < ($1.declaredAt, $1.id) }
        self.actionUpdates = actionUpdates
        self.sourcePaths = sourcePaths
    }

    public func drill(id: String) -> DrillDefinition? { drills.first { $0.id == id } }

    public func runs(ofDrill id: String) -> [RunOverview] { runs.filter { $0.drillId == id } }

    /// The whole record of `run`: its overview with its details (empty when the history holds none
    /// for its id).
    public func fullRun(_ run: RunOverview) -> DrillRun {
        DrillRun(overview: run, details: runDetails[run.id] ?? RunDetails())
    }

    /// Every run, whole, in the order of `runs`.
    public var fullRuns: [DrillRun] { runs.map(fullRun) }
}
