import DrillbookAnalysis
import DrillbookModel

/// Indexes of a history that pages consult per record: built once per build in O(records), they
/// keep a site of 10,000 runs from scanning every run or action item once per page or row.
/// Each answers exactly what the linear scan it replaces answered (first match, same order).
struct SiteLookups: Sendable {
    /// Action items by the id of the run or incident that raised them, sorted by id, as positions
    /// in the `actionItems` the lookups were built from (not copies of the items).
    let actionItemsBySource: [String: [Int]]
    /// Incidents by the run they were declared in, in history order.
    let incidentsByRun: [String: [Incident]]
    /// The position in `history.runs` of the first run with each id.
    let runIndexById: [String: Int]
    /// How many runs passed, and how many are local realisations: the runs index states both on
    /// each of its pages, and filtering 10,000 runs per page copied every run twice.
    let passedRunCount: Int
    let localRunCount: Int

    init(history: DrillHistory, actionItems: [TrackedActionItem]) {
        actionItemsBySource = Dictionary(grouping: actionItems.indices, by: { actionItems[$0].source.id })
            .mapValues { $0.sorted { actionItems[$0].id < actionItems[$1].id } }
        var byRun: [String: [Incident]] = [:]
        for incident in history.incidents {
            if let run = incident.drillRunId { byRun[run, default: []].append(incident) }
        }
        incidentsByRun = byRun
        var indexes: [String: Int] = [:]
        for (index, run) in history.runs.enumerated() where indexes[run.id] == nil { indexes[run.id] = index }
        runIndexById = indexes
        var passed = 0
        var local = 0
        for index in history.runs.indices {
            if history.runs[index].outcome == .passed { passed += 1 }
            if history.runs[index].isLocalRealisation { local += 1 }
        }
        passedRunCount = passed
        localRunCount = local
    }
}
