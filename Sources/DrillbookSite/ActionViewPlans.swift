import DrillbookAnalysis
import DrillbookModel

/// What every action page shows alike, computed once per build. A class: every action page's
/// closure holds a reference, not a copy of the plans.
final class ActionPageShared: Sendable {
    let counts: [ActionView: Int]
    /// `owner-priya-raman`, by owner.
    let ownerAnchors: [String: String]
    /// Every view's sections and pages.
    let plans: [ActionView: ActionViewPlan]
    /// The page of the open or done view that lists each item (`actions/index-2.html`), by id.
    let listPages: [String: String]
    /// The headline figures every view page shows.
    let stats: [ActionStat]

    init(
        counts: [ActionView: Int], ownerAnchors: [String: String], plans: [ActionView: ActionViewPlan],
        listPages: [String: String], stats: [ActionStat]
    ) {
        self.counts = counts
        self.ownerAnchors = ownerAnchors
        self.plans = plans
        self.listPages = listPages
        self.stats = stats
    }

    /// The page of `view` where the section `anchor` starts (`actions/owners-2.html`).
    func sectionPath(_ view: ActionView, _ anchor: String) -> String {
        Self.sectionPath(view, anchor, plans: plans)
    }

    static func sectionPath(_ view: ActionView, _ anchor: String, plans: [ActionView: ActionViewPlan]) -> String {
        guard let plan = plans[view], let section = plan.sections.first(where: { $0.anchor == anchor }) else {
            return view.path
        }
        return plan.path(page: plan.page(ofRow: section.offset))
    }
}

/// One table of a view before it is cut into pages.
struct ActionSectionPlan: Sendable {
    var anchor: String
    var heading: String
    /// The section's items, as positions in `SiteIndex.actionItems` (a view lists every item
    /// several times over; positions keep the plans small).
    var members: [Int]
    var caption: String
    var empty: String
    var detailed: Bool
    /// The position of the section's first row among all rows of the view.
    var offset: Int
    /// `3 open, 1 overdue, 2 done` (or `5 items`), worked out once for every page of the view.
    var counts = ""
}

/// A view's sections and summary groups, and how its rows fall on pages of `pageSize` rows: the
/// first page keeps the view's path (`actions/done.html`), the next ones are numbered
/// (`actions/done-2.html`), so links to the first page stay valid as the history grows.
struct ActionViewPlan: Sendable {
    /// Rows per page: long enough to scan, short enough to load quickly at 10,000 items.
    static let pageSize = 200

    var view: ActionView
    var eyebrow = ""
    var lede = ""
    var groupColumn = ""
    var groupCaption = ""
    /// Each group's section anchor and its summary row.
    var groups: [(anchor: String, row: ActionGroupRow)] = []
    var sections: [ActionSectionPlan] = []
    var rowCount = 0

    init(view: ActionView) { self.view = view }

    var pageCount: Int { max(1, (rowCount + Self.pageSize - 1) / Self.pageSize) }

    func page(ofRow row: Int) -> Int { min(row / Self.pageSize, pageCount - 1) }

    func rows(onPage page: Int) -> Range<Int> {
        min(rowCount, page * Self.pageSize)..<min(rowCount, (page + 1) * Self.pageSize)
    }

    /// Page `page` (from 0), relative to the output folder.
    func path(page: Int) -> String { page == 0 ? view.path : "actions/" + view.rawValue + "-" + String(page + 1) + ".html" }

    /// ` (page 2 of 7)` for titles; nothing for a view on one page.
    func pageSuffix(_ page: Int) -> String {
        pageCount > 1 && page > 0 ? " (page " + String(page + 1) + " of " + String(pageCount) + ")" : ""
    }
}
