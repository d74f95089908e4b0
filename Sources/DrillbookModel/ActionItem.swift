/// A follow-up raised by a drill run or an incident: the playbook's "[Action] - [Owner] - [Due Date]".
public struct ActionItem: Sendable, Hashable, Codable, Identifiable {
    /// Unique across all content (`AI-2026-014`); status updates in `content/actions/` refer to it.
    public var id: String
    /// Markdown, one line.
    public var title: String
    public var owner: String
    /// When absent, derived from `priority` and the source date (immediate 7 days, short-term
    /// 4 weeks, long-term 3 months).
    public var dueDate: CalendarDay?
    public var status: ActionStatus
    public var priority: ActionPriority
    /// The day it was closed, for done or cancelled items (used by burn-down).
    public var closedOn: CalendarDay?
    /// Markdown.
    public var notes: String?
    /// The item's page in the team's tracker (an http or https address); when absent, the site's
    /// `trackerURL` pattern gives the link, if it has one.
    public var tracker: String?

    public init(
        id: String, title: String, owner: String, dueDate: CalendarDay? = nil, status: ActionStatus,
        priority: ActionPriority, closedOn: CalendarDay? = nil, notes: String? = nil, tracker: String? = nil
    ) {
        self.tracker = tracker
        self.id = id
        self.title = title
        self.owner = owner
        self.dueDate = dueDate
        self.status = status
        self.priority = priority
        self.closedOn = closedOn
        self.notes = notes
    }
}

/// Where an action item is in its life.
public enum ActionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case inProgress = "in-progress"
    case blocked
    case done
    case cancelled

    /// Open, in progress and blocked items still need work.
    public var isOpen: Bool { self == .open || self == .inProgress || self == .blocked }

    public var title: String {
        switch self {
        case .open: "Open"
        case .inProgress: "In progress"
        case .blocked: "Blocked"
        case .done: "Done"
        case .cancelled: "Cancelled"
        }
    }

    public static var expectedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The playbook's improvement categories.
public enum ActionPriority: String, Sendable, Hashable, Codable, CaseIterable {
    /// 1–7 days: critical fixes, safety improvements.
    case immediate
    /// 1–4 weeks: process improvements, tool enhancements.
    case shortTerm = "short-term"
    /// 1–3 months: architecture improvements, training programs.
    case longTerm = "long-term"

    public var title: String {
        switch self {
        case .immediate: "Immediate (1–7 days)"
        case .shortTerm: "Short-term (1–4 weeks)"
        case .longTerm: "Long-term (1–3 months)"
        }
    }

    /// The due date this class implies when an item states none.
    public func defaultDueDate(from start: CalendarDay) -> CalendarDay {
        switch self {
        case .immediate: start.adding(days: 7)
        case .shortTerm: start.adding(days: 28)
        case .longTerm: start.adding(months: 3)
        }
    }

    public static var expectedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A status change of an action item, recorded in `content/actions/<action-id>.yaml` so that the run
/// or incident that raised the item stays untouched. One type for the model, the file format
/// (`ActionUpdatesFile`) and the `actions.json` export, which writes absent values as `null`.
public struct ActionUpdate: Sendable, Hashable, Codable {
    /// The item changed: the file's name, not a key of the file (see `CodingKeys`).
    public var actionId: String = ""
    public var on: CalendarDay
    public var status: ActionStatus
    /// Who made the change.
    @NullWhenAbsent public var by: String?
    /// Markdown.
    @NullWhenAbsent public var note: String?
    /// A new owner, when the item changed hands.
    @NullWhenAbsent public var owner: String?
    /// A new due date, when it moved.
    @NullWhenAbsent public var dueDate: CalendarDay?

    public init(
        actionId: String = "", on: CalendarDay, status: ActionStatus, by: String? = nil, note: String? = nil,
        owner: String? = nil, dueDate: CalendarDay? = nil
    ) {
        self.actionId = actionId
        self.on = on
        self.status = status
        self.by = by
        self.note = note
        self.owner = owner
        self.dueDate = dueDate
    }

    /// The keys of an update in a file and in exports. `actionId` is not one: a file holds the
    /// updates of one item and is named after it, so the id is set by whoever reads the file
    /// (`ActionUpdatesFile.updates(actionId:)`); it decodes as "" (hence the default).
    enum CodingKeys: String, CodingKey { case on, status, by, note, owner, dueDate }
}
