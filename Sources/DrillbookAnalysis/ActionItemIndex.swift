public import DrillbookModel

/// Every action item of a history with its source, and the status updates grouped by action id,
/// gathered once so that ledgers for many days (one per quarter review) cost a pass over the
/// items each, not a pass over every update per item.
///
/// `ledger(asOf:)` equals `ActionItemLedger(history:asOf:)` for the same history.
public struct ActionItemIndex: Sendable {
    /// Items in the ledger's order: opening day (the source's day), id, source id.
    let raised: [(item: ActionItem, source: ActionItemSource)]
    /// Updates per action id, in the history's order.
    let updates: [String: [ActionUpdate]]

    public init(history: DrillHistory) {
        var raised: [(item: ActionItem, source: ActionItemSource)] = []
        for run in history.runs {
            let source = ActionItemSource(kind: .run, id: run.id, day: run.startedAt.localDay)
            for item in run.actionItems { raised.append((item, source)) }
        }
        for incident in history.incidents {
            let source = ActionItemSource(kind: .incident, id: incident.id, day: incident.declaredAt.localDay)
            for item in incident.actionItems { raised.append((item, source)) }
        }
        self.raised = raised.sorted { ($0.source.day, $0.item.id, $0.source.id) < ($1.source.day, $1.item.id, $1.source.id) }
        self.updates = Dictionary(grouping: history.actionUpdates, by: \.actionId)
    }

    /// Items opened on or before `asOf`, tracked as of that day, in the ledger's order
    /// (opening day, id, source id).
    public func tracked(asOf: CalendarDay) -> [TrackedActionItem] {
        var tracked: [TrackedActionItem] = []
        forEachTracked(asOf: asOf) { tracked.append($0) }
        return tracked
    }

    /// Each item of `tracked(asOf:)` in turn, without building the list: for figures that only
    /// count (a quarter review tracks every item as of its quarter's end, for every quarter).
    func forEachTracked(asOf: CalendarDay, _ body: (TrackedActionItem) -> Void) {
        // Sorted by opening day, so the items opened by `asOf` are a prefix.
        for entry in raised {
            guard entry.source.day <= asOf else { break }
            body(TrackedActionItem(item: entry.item, source: entry.source, updates: updates[entry.item.id] ?? [], asOf: asOf))
        }
    }

    /// The ledger as of `asOf`.
    public func ledger(asOf: CalendarDay) -> ActionItemLedger {
        ActionItemLedger(items: tracked(asOf: asOf), asOf: asOf)
    }
}
