import DrillbookModel

/// Every action item of the history with its current state as of a day: updates from
/// `history.actionUpdates` applied in date order (updates dated after `asOf` are not yet known),
/// the due date derived from the priority class when the item states none, and the overdue flag.
struct ActionLedger: Sendable {
    /// Where an item was raised.
    enum Source: Sendable, Hashable {
        case run(id: String)
        case incident(id: String)
    }

    struct Entry: Sendable {
        var item: ActionItem
        var source: Source
        /// The run's start day or the incident's declaration day, in the record's own offset.
        var sourceDay: CalendarDay
        /// A short name of the source for tables (`Redis Sentinel Failover, 2026-03-02`).
        var sourceTitle: String
        var dueDate: CalendarDay
        /// True when the due date was derived from the priority class.
        var dueDerived: Bool
        var status: ActionStatus
        var owner: String
        var isOverdue: Bool
        /// Updates applied, oldest first.
        var updates: [ActionUpdate]
    }

    /// Sorted: overdue first, then open before closed, then by due date and id.
    let entries: [Entry]

    init(history: DrillHistory, asOf: CalendarDay) {
        var updatesById: [String: [(offset: Int, update: ActionUpdate)]] = [:]
        for (offset, update) in history.actionUpdates.enumerated() where update.on <= asOf {
            updatesById[update.actionId, default: []].append((offset, update))
        }
        var raw: [Entry] = []
        for run in history.runs {
            let drillTitle = history.drill(id: run.drillId)?.title ?? run.drillId
            for item in run.actionItems {
                raw.append(Self.entry(
                    item, source: .run(id: run.id), day: run.startedAt.localDay,
                    title: drillTitle + ", " + run.startedAt.localDay.iso8601, updates: updatesById[item.id] ?? [],
                    asOf: asOf))
            }
        }
        for incident in history.incidents {
            for item in incident.actionItems {
                raw.append(Self.entry(
                    item, source: .incident(id: incident.id), day: incident.declaredAt.localDay,
                    title: incident.id + " (" + incident.severity.rawValue + ")", updates: updatesById[item.id] ?? [],
                    asOf: asOf))
            }
        }
        // The record order breaks the last ties, so the order never depends on the sort algorithm.
        entries = raw.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element, rhs.element)
            if a.isOverdue != b.isOverdue { return a.isOverdue }
            if a.status.isOpen != b.status.isOpen { return a.status.isOpen }
            return (a.dueDate, a.item.id, lhs.offset) < (b.dueDate, b.item.id, rhs.offset)
        }.map(\.element)
    }

    private static func entry(
        _ item: ActionItem, source: Source, day: CalendarDay, title: String,
        updates: [(offset: Int, update: ActionUpdate)], asOf: CalendarDay
    ) -> Entry {
        // Date order; the file order breaks ties so two updates on one day apply as written.
        let ordered = updates.sorted { ($0.update.on, $0.offset) < ($1.update.on, $1.offset) }.map(\.update)
        var status = item.status
        var owner = item.owner
        var due = item.dueDate
        for update in ordered {
            status = update.status
            if let newOwner = update.owner { owner = newOwner }
            if let newDue = update.dueDate { due = newDue }
        }
        let dueDate = due ?? item.priority.defaultDueDate(from: day)
        return Entry(
            item: item, source: source, sourceDay: day, sourceTitle: title, dueDate: dueDate,
            dueDerived: due == nil, status: status, owner: owner,
            isOverdue: status.isOpen && dueDate < asOf, updates: ordered)
    }

    /// The entries raised by one run or incident, by id.
    func entries(from source: Source) -> [Entry] {
        entries.filter { $0.source == source }.sorted { $0.item.id < $1.item.id }
    }
}
