public import DrillbookModel

/// Where an action item was raised.
public struct ActionItemSource: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case run
        case incident
    }

    public var kind: Kind
    /// The run id or incident id.
    public var id: String
    /// The run's local start day or the incident's local declaration day: the day the item opened.
    public var day: CalendarDay

    public init(kind: Kind, id: String, day: CalendarDay) {
        self.kind = kind
        self.id = id
        self.day = day
    }
}

/// An action item with its updates applied, as it stands on the ledger's `asOf` day.
public struct TrackedActionItem: Sendable, Hashable, Identifiable {
    /// The item as its source recorded it.
    public var original: ActionItem
    public var source: ActionItemSource
    /// Updates applied, in date order (updates dated after `asOf` are left out).
    public var history: [ActionUpdate]
    public var status: ActionStatus
    public var owner: String
    public var priority: ActionPriority
    /// The item's or latest update's due date, else `priority.defaultDueDate(from: source.day)`.
    public var dueDate: CalendarDay
    /// True when `dueDate` was derived from the priority class.
    public var dueDateIsDerived: Bool
    /// The day it was opened (`source.day`).
    public var openedOn: CalendarDay
    /// For done or cancelled items: the day of the update that closed it, else the item's own
    /// `closedOn`, else (closed without any date) the day it opened.
    public var closedOn: CalendarDay?
    /// Open, in progress or blocked on `asOf`, and due before it.
    public var isOverdue: Bool
    /// Days from opening to closing, or to `asOf` while open (never negative).
    public var ageDays: Int
    /// Days past due on `asOf` (0 when not overdue).
    public var daysOverdue: Int

    public var id: String { original.id }
    public var title: String { original.title }
    public var isOpen: Bool { status.isOpen }

    /// Applies `updates` (any order; only those for this item and dated on or before `asOf`) to `item`.
    public init(item: ActionItem, source: ActionItemSource, updates: [ActionUpdate], asOf: CalendarDay) {
        original = item
        self.source = source
        let mine = updates.enumerated()
            .filter { $0.element.actionId == item.id && $0.element.on <= asOf }
            .sorted { ($0.element.on, $0.offset) < ($1.element.on, $1.offset) }
            .map(\.element)
        history = mine
        var status = item.status
        var owner = item.owner
        var due = item.dueDate
        var closed: CalendarDay? = item.status.isOpen ? nil : (item.closedOn ?? source.day)
        for update in mine {
            if let newOwner = update.owner { owner = newOwner }
            if let newDue = update.dueDate { due = newDue }
            if update.status.isOpen {
                closed = nil
            } else if status.isOpen || status != update.status {
                closed = update.on
            }
            status = update.status
        }
        self.status = status
        self.owner = owner
        priority = item.priority
        dueDateIsDerived = due == nil
        dueDate = due ?? item.priority.defaultDueDate(from: source.day)
        openedOn = source.day
        closedOn = closed
        isOverdue = status.isOpen && dueDate < asOf
        daysOverdue = isOverdue ? dueDate.days(until: asOf) : 0
        ageDays = max(0, openedOn.days(until: closed ?? asOf))
    }

    /// True when the item was opened on or before `day` and not closed by then.
    public func isOpen(on day: CalendarDay) -> Bool {
        openedOn <= day && (closedOn.map { $0 > day } ?? true)
    }
}

/// Counts of a group of action items (one owner, one priority class, one source kind).
public struct ActionItemGroup: Sendable, Hashable, Identifiable {
    /// The owner, the priority's raw value, or the source kind's raw value.
    public var id: String
    public var total: Int
    public var open: Int
    public var overdue: Int
    public var done: Int
    public var cancelled: Int
    public var itemIds: [String]

    init(id: String, items: [TrackedActionItem]) {
        self.id = id
        total = items.count
        open = items.filter(\.isOpen).count
        overdue = items.filter(\.isOverdue).count
        done = items.filter { $0.status == .done }.count
        cancelled = items.filter { $0.status == .cancelled }.count
        itemIds = items.map(\.id)
    }
}

/// Opened and closed items in one month, and the open count at its end (the burn-down).
///
/// `closed` counts items by their final `closedOn` (an item closed and later reopened is not counted).
public struct ActionItemMonth: Sendable, Hashable, Identifiable {
    /// `YYYY-MM`.
    public var id: String
    public var opened: Int
    public var closed: Int
    /// Items open at the end of the month (or on `asOf` for the current month).
    public var openAtEnd: Int
    /// Of `openAtEnd`, the items already past their due date on that day (judged against the
    /// item's due date as of the ledger's `asOf`, the one the tracking pages show).
    public var overdueAtEnd: Int
}

/// Every action item from runs and incidents, with updates applied as of a day.
public struct ActionItemLedger: Sendable, Hashable {
    public var asOf: CalendarDay
    /// Sorted by opening day, then id.
    public var items: [TrackedActionItem]
    public var open: [TrackedActionItem] { items.filter(\.isOpen) }
    public var done: [TrackedActionItem] { items.filter { $0.status == .done } }
    /// Overdue items, most days overdue first (ties by id).
    public var overdue: [TrackedActionItem] {
        items.filter(\.isOverdue).sorted { ($1.daysOverdue, $0.id) < ($0.daysOverdue, $1.id) }
    }
    /// From the first item's month to `asOf`'s month; empty without items.
    public var months: [ActionItemMonth]
    /// Sorted by owner.
    public var byOwner: [ActionItemGroup]
    /// Immediate, short-term, long-term (every class present).
    public var byPriority: [ActionItemGroup]
    /// `run`, `incident` (both present).
    public var bySource: [ActionItemGroup]

    /// Collects items from the runs and incidents of `history` that opened on or before `asOf`.
    public init(history: DrillHistory, asOf: CalendarDay) {
        var items: [TrackedActionItem] = []
        for run in history.runs {
            let source = ActionItemSource(kind: .run, id: run.id, day: run.startedAt.localDay)
            for item in run.actionItems where source.day <= asOf {
                items.append(TrackedActionItem(item: item, source: source, updates: history.actionUpdates, asOf: asOf))
            }
        }
        for incident in history.incidents {
            let source = ActionItemSource(kind: .incident, id: incident.id, day: incident.declaredAt.localDay)
            for item in incident.actionItems where source.day <= asOf {
                items.append(TrackedActionItem(item: item, source: source, updates: history.actionUpdates, asOf: asOf))
            }
        }
        self.init(items: items, asOf: asOf)
    }

    /// Builds the ledger from items already tracked.
    public init(items unsorted: [TrackedActionItem], asOf: CalendarDay) {
        self.asOf = asOf
        let items = unsorted.sorted { ($0.openedOn, $0.id, $0.source.id) < ($1.openedOn, $1.id, $1.source.id) }
        self.items = items
        if let first = items.map(\.openedOn).min() {
            months = first.months(through: asOf).map { month in
                let end = min(month.lastOfMonth, asOf)
                return ActionItemMonth(
                    id: month.monthKey,
                    opened: items.filter { $0.openedOn.monthKey == month.monthKey }.count,
                    closed: items.filter { $0.closedOn?.monthKey == month.monthKey && $0.closedOn! <= asOf }.count,
                    openAtEnd: items.filter { $0.isOpen(on: end) }.count,
                    overdueAtEnd: items.filter { $0.isOpen(on: end) && $0.dueDate < end }.count)
            }
        } else {
            months = []
        }
        let owners = Set(items.map(\.owner)).sorted()
        byOwner = owners.map { owner in ActionItemGroup(id: owner, items: items.filter { $0.owner == owner }) }
        byPriority = ActionPriority.allCases.map { priority in
            ActionItemGroup(id: priority.rawValue, items: items.filter { $0.priority == priority })
        }
        bySource = ActionItemSource.Kind.allCases.map { kind in
            ActionItemGroup(id: kind.rawValue, items: items.filter { $0.source.kind == kind })
        }
    }

    /// The item with `id`, when there is one.
    public func item(id: String) -> TrackedActionItem? { items.first { $0.id == id } }

    /// Items whose source is the run or incident `sourceId`.
    public func items(fromSource sourceId: String) -> [TrackedActionItem] { items.filter { $0.source.id == sourceId } }
}
