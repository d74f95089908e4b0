/// Everything a content folder holds, loaded and validated: the input of analysis and of the site.
/// Collections are sorted (drills by id, runs and incidents by time then id) so output is deterministic.
public struct DrillHistory: Sendable, Hashable {
    public var drills: [DrillDefinition]
    public var runs: [DrillRun]
    public var incidents: [Incident]
    /// Status changes from `content/actions/`, in file then date order.
    public var actionUpdates: [ActionUpdate]
    /// The drill plan (`content/schedule.yaml`), Appendix A when the folder has none.
    public var schedule: DrillSchedule
    /// Where each record came from, relative to the content folder (`runs/2026/q1/….json`), by record id.
    public var sourcePaths: [String: String]
    /// True when the loader left every run's details (`RunDetails`: participants, summary,
    /// timeline, observations, probes, outputs) in its file, for the site build to read back per
    /// page; `DrillRun.details` is then empty.
    public var runDetailsOmitted = false

    public init(
        drills: [DrillDefinition] = [], runs: [DrillRun] = [], incidents: [Incident] = [],
        actionUpdates: [ActionUpdate] = [], schedule: DrillSchedule = .playbook, sourcePaths: [String: String] = [:]
    ) {
        self.schedule = schedule
        self.drills = drills.sorted { $0.id < $1.id }
        self.runs = runs.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        self.incidents = incidents.sorted { ($0.declaredAt, $0.id) < ($1.declaredAt, $1.id) }
        self.actionUpdates = actionUpdates
        self.sourcePaths = sourcePaths
    }

    public func drill(id: String) -> DrillDefinition? { drills.first { $0.id == id } }

    public func runs(ofDrill id: String) -> [DrillRun] { runs.filter { $0.drillId == id } }
}
