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
        self.init(item: item, source: source, ownUpdates: updates.filter { $0.actionId == item.id }, asOf: asOf)
    }

    /// Applies `ownUpdates` (this item's updates only, in recorded order; those after `asOf` are skipped).
    /// The ledger groups updates by action id once and calls this, so tracking n items with m
    /// updates costs O(n + m log m) rather than O(n × m).
    init(item: ActionItem, source: ActionItemSource, ownUpdates: [ActionUpdate], asOf: CalendarDay) {
        original = item
        self.source = source
        let mine = ownUpdates.enumerated()
            .filter { $0.element.on <= asOf }
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
///
/// Building it is linear in items and updates (plus sorting), so a history of 10,000 runs is cheap;
/// `item(id:)` and `items(fromSource:)` are dictionary lookups.
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
    /// Positions in `items` by item id (first occurrence) and by source id.
    private var positionById: [String: Int]
    private var positionsBySource: [String: [Int]]

    /// Collects items from the runs and incidents of `history` that opened on or before `asOf`.
    public init(history: DrillHistory, asOf: CalendarDay) {
        let updatesById = Dictionary(grouping: history.actionUpdates, by: \.actionId)
        var items: [TrackedActionItem] = []
        func track(_ item: ActionItem, _ source: ActionItemSource) {
            items.append(TrackedActionItem(item: item, source: source, ownUpdates: updatesById[item.id] ?? [], asOf: asOf))
        }
        for run in history.runs {
            let source = ActionItemSource(kind: .run, id: run.id, day: run.startedAt.localDay)
            guard source.day <= asOf else { continue }
            for item in run.actionItems { track(item, source) }
        }
        for incident in history.incidents {
            let source = ActionItemSource(kind: .incident, id: incident.id, day: incident.declaredAt.localDay)
            guard source.day <= asOf else { continue }
            for item in incident.actionItems { track(item, source) }
        }
        self.init(items: items, asOf: asOf)
    }

    /// Builds the ledger from items already tracked.
    public init(items unsorted: [TrackedActionItem], asOf: CalendarDay) {
        self.asOf = asOf
        let items = unsorted.sorted { ($0.openedOn, $0.id, $0.source.id) < ($1.openedOn, $1.id, $1.source.id) }
        self.items = items
        months = Self.burnDown(items, asOf: asOf)
        byOwner = Dictionary(grouping: items, by: \.owner).sorted { $0.key < $1.key }
            .map { ActionItemGroup(id: $0.key, items: $0.value) }
        let byPriority = Dictionary(grouping: items, by: \.priority)
        self.byPriority = ActionPriority.allCases.map { ActionItemGroup(id: $0.rawValue, items: byPriority[$0] ?? []) }
        let byKind = Dictionary(grouping: items, by: \.source.kind)
        bySource = ActionItemSource.Kind.allCases.map { ActionItemGroup(id: $0.rawValue, items: byKind[$0] ?? []) }
        var positionById: [String: Int] = [:]
        var positionsBySource: [String: [Int]] = [:]
        for (index, item) in items.enumerated() {
            if positionById[item.id] == nil { positionById[item.id] = index }
            positionsBySource[item.source.id, default: []].append(index)
        }
        self.positionById = positionById
        self.positionsBySource = positionsBySource
    }

    /// Opened, closed and still-open counts per month in one pass over the items and the months.
    private static func burnDown(_ items: [TrackedActionItem], asOf: CalendarDay) -> [ActionItemMonth] {
        guard let first = items.map(\.openedOn).min() else { return [] }
        var opened: [String: Int] = [:]
        var closed: [String: Int] = [:]
        for item in items {
            opened[item.openedOn.monthKey, default: 0] += 1
            if let day = item.closedOn, day <= asOf { closed[day.monthKey, default: 0] += 1 }
        }
        // Open at the end of a month: opened by then, minus those also closed by then (an item
        // closed before it opened, which only bad data gives, is never open).
        let openings = items.map(\.openedOn).sorted()
        let closings = items.compactMap { item in item.closedOn.map { max($0, item.openedOn) } }.sorted()
        // Overdue at the end of a month: the same count, starting the day after the due date.
        let overdueStart = { (item: TrackedActionItem) in max(item.openedOn, item.dueDate.adding(days: 1)) }
        let lateStarts = items.map(overdueStart).sorted()
        let lateEnds = items.compactMap { item in item.closedOn.map { max($0, overdueStart(item)) } }.sorted()
        var openedSoFar = 0
        var closedSoFar = 0
        var lateSoFar = 0
        var lateClosedSoFar = 0
        return first.months(through: asOf).map { month in
            let end = min(month.lastOfMonth, asOf)
            while openedSoFar < openings.count, openings[openedSoFar] <= end { openedSoFar += 1 }
            while closedSoFar < closings.count, closings[closedSoFar] <= end { closedSoFar += 1 }
            while lateSoFar < lateStarts.count, lateStarts[lateSoFar] <= end { lateSoFar += 1 }
            while lateClosedSoFar < lateEnds.count, lateEnds[lateClosedSoFar] <= end { lateClosedSoFar += 1 }
            return ActionItemMonth(
                id: month.monthKey, opened: opened[month.monthKey] ?? 0, closed: closed[month.monthKey] ?? 0,
                openAtEnd: openedSoFar - closedSoFar, overdueAtEnd: lateSoFar - lateClosedSoFar)
        }
    }

    /// The item with `id` (the first, should content repeat an id), when there is one.
    public func item(id: String) -> TrackedActionItem? { positionById[id].map { items[$0] } }

    /// Items whose source is the run or incident `sourceId`, in ledger order.
    public func items(fromSource sourceId: String) -> [TrackedActionItem] {
        (positionsBySource[sourceId] ?? []).map { items[$0] }
    }
}
