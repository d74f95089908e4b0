// Flat view models of the action-item tracking pages (`actions/*.html`) and their exports. The
// same rules as PageModels.swift: ready-to-print strings, `…HTML` fields only from MarkdownRenderer,
// and no optional row field that shares its name with a field of a page.

/// One entry of the sub-navigation between the action-item views.
struct ActionViewLink: Sendable, Encodable {
    var href: String
    var label: String
    /// How many items the view lists, e.g. `7`.
    var count: String
    var current: Bool
}

/// A download link to one of the exports.
struct ActionExportLink: Sendable, Encodable {
    var href: String
    /// `CSV`, `JSON`, `iCalendar`.
    var label: String
    /// What it holds, e.g. `due dates of open items, for a calendar app`.
    var detail: String
}

/// One headline figure at the top of the views.
struct ActionStat: Sendable, Encodable {
    var value: String
    var label: String
    var href: String
    /// Shown with the alert style and a `!` when the figure is bad news and not zero.
    var alert: Bool
}

/// One table of action items under a heading, with an anchor.
struct ActionTableSection: Sendable, Encodable {
    /// The anchor (`overdue`, `owner-priya-raman`, `priority-immediate`).
    var anchor: String
    var heading: String
    /// `3 open, 1 overdue, 2 done`.
    var counts: String
    /// The table caption, for screen readers and print.
    var caption: String
    /// Named `actions` for the shared `action-rows` partial.
    var actions: [ActionRow]
    var hasRows: Bool
    var emptyText: String
}

/// One row of the summary table of a grouping view (per owner, priority class or source kind).
struct ActionGroupRow: Sendable, Encodable {
    /// `#owner-priya-raman`.
    var anchorHref: String
    var name: String
    var open: String
    var overdue: String
    var hasOverdueItems: Bool
    var blocked: String
    var done: String
    var cancelled: String
    var total: String
}

/// `actions/index.html` and the other views (`overdue`, `done`, `owners`, `priorities`, `sources`).
struct ActionsPage: Sendable, Encodable {
    var chrome: PageChrome
    var eyebrow: String
    var lede: String
    var stats: [ActionStat]
    var views: [ActionViewLink]
    var exports: [ActionExportLink]
    /// The grouping views' summary table; empty on the list views.
    var groups: [ActionGroupRow]
    var hasGroups: Bool
    /// The summary table's first column heading (`Owner`, `Priority`, `Raised by`).
    var groupColumn: String
    /// The summary table's caption.
    var groupCaption: String
    var sections: [ActionTableSection]
    /// True when the history has no action item at all.
    var isEmpty: Bool
    /// Previous and next page when the view is long; nil on a view of one page.
    var pager: PageNavigation?
}

/// One entry of an item's history: the day it was raised, then every status update.
struct ActionHistoryEntry: Sendable, Encodable {
    var date: TimeText
    var status: Badge
    /// `Raised by Redis Sentinel Failover, 2026-03-02`, `Status update`.
    var event: String
    /// Who made the change.
    var author: String?
    var noteHTML: String?
    /// `Owner: Sam Okafor → Tomás Ortega`, `Due date: 2026-03-09 → 2026-04-15`.
    var changes: [String]
    var hasChanges: Bool
}

/// `actions/<id>.html`: one item with its history.
struct ActionItemPage: Sendable, Encodable {
    var chrome: PageChrome
    var id: String
    var titleHTML: String
    var badge: Badge
    var owner: String
    var ownerHref: String
    var priority: String
    var priorityHref: String
    var opened: TimeText
    /// `29 days`, and whether the age runs to today or stopped at closing.
    var age: String
    var ageBasis: String
    var due: TimeText
    /// `Derived from the priority class: immediate, 7 days after 2026-03-02.` when it was.
    var dueBasis: String?
    /// `22 days` or `Not overdue`.
    var overdueDays: String
    var overdue: Bool
    var closed: TimeText?
    /// `Drill run` or `Incident`.
    var sourceKind: String
    var sourceTitle: String
    var sourceHref: String
    var itemNotesHTML: String?
    var history: [ActionHistoryEntry]
    var views: [ActionViewLink]
    /// Back to this item's row on the list it appears in (`index.html#AI-…` or `done.html#AI-…`).
    var listHref: String
    var listLabel: String
    /// The item in the team's tracker (http or https only), when known.
    var trackerHref: String?
}
