import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel

/// The action-item views, each a page in `actions/`, linked by a sub-navigation.
enum ActionView: String, Sendable, CaseIterable {
    /// `actions/index.html`: overdue, then the other open items.
    case open = "index"
    case overdue, done, owners, priorities, sources

    var label: String {
        switch self {
        case .open: "Open"
        case .overdue: "Overdue"
        case .done: "Done"
        case .owners: "By owner"
        case .priorities: "By priority"
        case .sources: "By source"
        }
    }

    var title: String {
        switch self {
        case .open: "Action items"
        case .overdue: "Overdue action items"
        case .done: "Done and cancelled action items"
        case .owners: "Action items by owner"
        case .priorities: "Action items by priority class"
        case .sources: "Action items by source"
        }
    }

    /// Relative to the output folder.
    var path: String { "actions/" + rawValue + ".html" }
}

/// The export files the build writes next to the views.
enum ActionExportFormat: String, Sendable, CaseIterable {
    case csv, json, ics

    var path: String { "actions/actions." + rawValue }
}

/// The action-item pages: `actions/index.html` and the five other views (`actions/<view>.html`,
/// `actions/<view>-<n>.html` when a view runs over pages), and one page per item (`actions/<slug>.html`).
/// The exports beside them (`actions/actions.csv`, `.json`, `.ics`) are `ActionExportFilesBuilder`'s.
struct ActionPagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    /// The six views and a page per item (the exports are `ActionExportFilesBuilder`'s).
    ///
    /// What every page needs (view counts, owner anchors) is computed once here and shared, so n
    /// item pages cost O(n) together, not O(n²).
    func pages() -> [PageSpec] {
        let anchors = ownerAnchors()
        let plans = actionViewPlans(ownerAnchors: anchors)
        let shared = ActionPageShared(
            counts: actionViewCounts(), ownerAnchors: anchors, plans: plans, listPages: actionListPages(plans),
            stats: actionStats(plans: plans))
        var specs: [PageSpec] = []
        for view in ActionView.allCases {
            let plan = plans[view] ?? ActionViewPlan(view: view)
            for page in 0..<plan.pageCount {
                specs.append(PageSpec(path: plan.path(page: page), template: "actions") { [self] in actionsPage(view, page: page, shared: shared) })
            }
        }
        let items = site.analysis.actionItems.items
        for index in items.indices {
            guard let slug = site.actionSlugs[items[index].id] else { continue }
            specs.append(PageSpec(path: "actions/" + slug + ".html", template: "action-item") { [self] in
                actionItemPage(site.analysis.actionItems.items[index], shared: shared)
            })
        }
        return specs
    }

    /// Every view's sections, groups and pages, worked out once per build and shared by the view
    /// pages and the item pages (which link to the page that lists them).
    func actionViewPlans(ownerAnchors: [String: String]) -> [ActionView: ActionViewPlan] {
        let items = site.actionItems
        let all = Array(items.indices)
        let open = all.filter { items[$0].isOpen }
        let overdue = all.filter { items[$0].isOverdue }
        var plans: [ActionView: ActionViewPlan] = [:]
        for view in ActionView.allCases {
            var plan = ActionViewPlan(view: view)
            func section(
                _ anchor: String, _ heading: String, _ members: [Int], caption: String, empty: String,
                detailed: Bool = true
            ) {
                plan.sections.append(
                    ActionSectionPlan(
                        anchor: anchor, heading: heading, members: members, caption: caption, empty: empty,
                        detailed: detailed, offset: plan.rowCount,
                        counts: detailed ? counts(members) : SiteText.count(members.count, "item")))
                plan.rowCount += members.count
            }
            func group(_ name: String, anchor: String, _ members: [Int]) {
                plan.groups.append((anchor, groupRow(name, anchor: anchor, members)))
            }
            switch view {
            case .open:
                plan.eyebrow = "Improvement planning"
                plan.lede = "Open follow-ups from drill runs and incidents, with status updates applied up to \(site.asOf.iso8601): "
                    + "overdue items first (most days overdue first), then the rest by due date."
                section("overdue", "Overdue", overdue, caption: "Open action items past their due date, most days overdue first.",
                    empty: "Nothing is overdue.", detailed: false)
                section("open", "Open, not yet due", open.filter { !items[$0].isOverdue },
                    caption: "Open, in-progress and blocked action items that are not yet due, soonest due first.",
                    empty: "No other item is open.", detailed: false)
            case .overdue:
                plan.eyebrow = "Action items"
                plan.lede = "Items still open after their due date on \(site.asOf.iso8601), most days overdue first."
                section("overdue", "Overdue", overdue, caption: "Open action items past their due date, most days overdue first.",
                    empty: "Nothing is overdue.", detailed: false)
            case .done:
                plan.eyebrow = "Action items"
                plan.lede = "Closed follow-ups, most recently closed first. The age of a closed item runs from the day it was raised to the day it closed."
                let closed = all.filter { !items[$0].isOpen }.sorted { first, second in
                    let (a, b) = (items[first], items[second])
                    return ((a.closedOn ?? a.openedOn), b.id) > ((b.closedOn ?? b.openedOn), a.id)
                }
                section("done", "Done", closed.filter { items[$0].status == .done }, caption: "Done action items, most recently closed first.",
                    empty: "No item is done yet.", detailed: false)
                section("cancelled", "Cancelled", closed.filter { items[$0].status == .cancelled },
                    caption: "Cancelled action items, most recently closed first.", empty: "No item was cancelled.",
                    detailed: false)
            case .owners:
                plan.eyebrow = "Action items"
                plan.lede = "Who owns what: a section per owner, overdue items first. Owners are as of the latest update."
                plan.groupColumn = "Owner"
                plan.groupCaption = "owner (as of the latest update)"
                let byOwner = Dictionary(grouping: all, by: { items[$0].owner })
                for owner in site.analysis.actionItems.byOwner {
                    let anchor = ownerAnchors[owner.id] ?? "owner"
                    let members = byOwner[owner.id] ?? []
                    group(owner.id, anchor: anchor, members)
                    section(anchor, owner.id, members, caption: "Action items owned by \(owner.id), overdue first.", empty: "")
                }
            case .priorities:
                plan.eyebrow = "Action items"
                plan.lede = "The playbook's improvement classes. An item with no due date is due 7 days (immediate), "
                    + "4 weeks (short-term) or 3 months (long-term) after the run or incident that raised it."
                plan.groupColumn = "Priority"
                plan.groupCaption = "priority class"
                for priority in ActionPriority.allCases {
                    let members = all.filter { items[$0].priority == priority }
                    let anchor = "priority-" + priority.rawValue
                    group(priority.title, anchor: anchor, members)
                    section(anchor, priority.title, members, caption: "\(priority.title) action items, overdue first.",
                        empty: "No \(priority.rawValue) item.")
                }
            case .sources:
                plan.eyebrow = "Action items"
                plan.lede = "Where follow-ups come from: drill runs (what practice found) and incidents (what production found)."
                plan.groupColumn = "Raised by"
                plan.groupCaption = "kind of source"
                for kind in ActionItemSource.Kind.allCases {
                    let members = all.filter { items[$0].source.kind == kind }
                    let (anchor, name) = kind == .run ? ("from-runs", "Drill runs") : ("from-incidents", "Incidents")
                    group(name, anchor: anchor, members)
                    section(anchor, name, members, caption: "Action items raised by \(name.lowercased()), overdue first.",
                        empty: "No item was raised by \(name.lowercased()).")
                }
            }
            plans[view] = plan
        }
        return plans
    }

    /// Where each item's row is: the page of the open view for open items, of the done view for
    /// closed ones (`actions/done-3.html`), by id.
    func actionListPages(_ plans: [ActionView: ActionViewPlan]) -> [String: String] {
        var pages: [String: String] = [:]
        for view in [ActionView.open, .done] {
            guard let plan = plans[view] else { continue }
            for section in plan.sections {
                for (index, member) in section.members.enumerated() where pages[site.actionItems[member].id] == nil {
                    pages[site.actionItems[member].id] = plan.path(page: plan.page(ofRow: section.offset + index))
                }
            }
        }
        return pages
    }

    /// Page `page` (from 0) of a view: the sections with rows on it, cut to the rows it shows.
    func actionsPage(_ view: ActionView, page: Int, shared: ActionPageShared) -> ActionsPage {
        let root = PageParts.nestedRoot
        let plan = shared.plans[view] ?? ActionViewPlan(view: view)
        let range = plan.rows(onPage: page)
        var sections: [ActionTableSection] = []
        for section in plan.sections where plan.page(ofRow: section.offset) <= page {
            let end = section.offset + section.members.count
            if section.members.isEmpty {
                // An empty section says so on the page where its position falls.
                guard plan.page(ofRow: section.offset) == page else { continue }
            } else if end <= range.lowerBound || section.offset >= range.upperBound {
                continue
            }
            let from = max(section.offset, range.lowerBound) - section.offset
            let to = min(end, range.upperBound) - section.offset
            let shown = section.members[from..<to]
            let continued = from > 0
            sections.append(
                ActionTableSection(
                    anchor: section.anchor, heading: section.heading + (continued ? " (continued)" : ""),
                    counts: section.counts,
                    caption: section.caption, actions: shown.map { parts.actionRow(site.actionItems[$0], root: root) }, hasRows: !shown.isEmpty,
                    emptyText: section.empty))
        }
        let groups = plan.groups.map { anchor, row in
            var row = row
            let target = plan.sections.first { $0.anchor == anchor }.map { plan.page(ofRow: $0.offset) } ?? 0
            row.anchorHref = (target == page ? "" : Self.fileName(plan.path(page: target))) + "#" + anchor
            return row
        }
        return ActionsPage(
            chrome: parts.chrome(title: view.title + plan.pageSuffix(page), root: root, section: .actions),
            eyebrow: plan.eyebrow, lede: plan.lede,
            stats: shared.stats,
            views: actionViewLinks(current: view, root: root, counts: shared.counts),
            exports: [
                ActionExportLink(href: root + ActionExportFormat.csv.path, label: "CSV", detail: "every item, for a spreadsheet"),
                ActionExportLink(href: root + ActionExportFormat.json.path, label: "JSON", detail: "every item with its history"),
                ActionExportLink(
                    href: root + ActionExportFormat.ics.path, label: "iCalendar", detail: "due dates of open items, for a calendar app"),
            ],
            groups: groups, hasGroups: !groups.isEmpty, groupColumn: plan.groupColumn,
            groupCaption: "Counts per " + plan.groupCaption + "; follow a name to its items.", sections: sections,
            isEmpty: site.actionItems.isEmpty,
            pager: PageNavigation(
                page: page, of: plan.pageCount, total: SiteText.count(plan.rowCount, "item"),
                href: { root + plan.path(page: $0) }))
    }

    /// The open, overdue, blocked and done-this-quarter figures at the top of every view page.
    func actionStats(plans: [ActionView: ActionViewPlan]) -> [ActionStat] {
        let root = PageParts.nestedRoot
        let open = site.actionItems.filter(\.isOpen)
        let overdue = open.filter(\.isOverdue)
        let quarter = site.asOf.quarter
        let doneThisQuarter = site.actionItems.filter { $0.status == .done && $0.closedOn.map(quarter.contains) == true }.count
        let blocked = open.filter { $0.status == .blocked }.count
        return [
            ActionStat(value: String(open.count), label: "Open", href: root + ActionPageShared.sectionPath(.open, "open", plans: plans) + "#open", alert: false),
            ActionStat(value: String(overdue.count), label: "Overdue", href: root + ActionView.overdue.path, alert: !overdue.isEmpty),
            ActionStat(value: String(blocked), label: "Blocked", href: root + ActionView.owners.path, alert: false),
            ActionStat(value: String(doneThisQuarter), label: "Done in " + quarter.title, href: root + ActionView.done.path, alert: false),
        ]
    }

    /// `done-3.html` from `actions/done-3.html`.
    static func fileName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    /// How many items (or groups) each view lists.
    func actionViewCounts() -> [ActionView: Int] {
        let items = site.actionItems
        var counts: [ActionView: Int] = [:]
        for view in ActionView.allCases {
            switch view {
            case .open: counts[view] = items.filter(\.isOpen).count
            case .overdue: counts[view] = items.filter(\.isOverdue).count
            case .done: counts[view] = items.filter { !$0.isOpen }.count
            case .owners: counts[view] = site.analysis.actionItems.byOwner.count
            case .priorities: counts[view] = ActionPriority.allCases.count
            case .sources: counts[view] = ActionItemSource.Kind.allCases.count
            }
        }
        return counts
    }

    func actionViewLinks(current: ActionView?, root: String, counts: [ActionView: Int]) -> [ActionViewLink] {
        ActionView.allCases.map { view in
            ActionViewLink(href: root + view.path, label: view.label, count: String(counts[view] ?? 0), current: view == current)
        }
    }

    private func counts(_ positions: [Int]) -> String {
        let tally = Self.tally(positions, of: site.actionItems)
        let (open, overdue, done, cancelled) = (tally.open, tally.overdue, tally.done, tally.cancelled)
        var parts = [String(open) + " open"]
        if overdue > 0 { parts.append(String(overdue) + " overdue") }
        parts.append(String(done) + " done")
        if cancelled > 0 { parts.append(String(cancelled) + " cancelled") }
        return parts.joined(separator: ", ")
    }

    private func groupRow(_ name: String, anchor: String, _ positions: [Int]) -> ActionGroupRow {
        let tally = Self.tally(positions, of: site.actionItems)
        return ActionGroupRow(
            anchorHref: "#" + anchor, name: name, open: String(tally.open), overdue: String(tally.overdue),
            hasOverdueItems: tally.overdue > 0, blocked: String(tally.blocked), done: String(tally.done),
            cancelled: String(tally.cancelled), total: String(positions.count))
    }

    /// How many of the items at `positions` are open, overdue, blocked, done and cancelled, read
    /// in place (copying each item into a members array, then filtering it five times, was most
    /// of the action views' counting).
    static func tally(_ positions: [Int], of items: [TrackedActionItem]) -> (open: Int, overdue: Int, blocked: Int, done: Int, cancelled: Int) {
        var tally = (open: 0, overdue: 0, blocked: 0, done: 0, cancelled: 0)
        for position in positions {
            if items[position].isOpen { tally.open += 1 }
            if items[position].isOverdue { tally.overdue += 1 }
            switch items[position].status {
            case .blocked: tally.blocked += 1
            case .done: tally.done += 1
            case .cancelled: tally.cancelled += 1
            case .open, .inProgress: break
            }
        }
        return tally
    }

    /// A unique anchor per owner (`owner-priya-raman`), numbered when two names give the same one.
    func ownerAnchors() -> [String: String] {
        var anchors: [String: String] = [:]
        var taken: Set<String> = []
        for (index, group) in site.analysis.actionItems.byOwner.enumerated() {
            var anchor = "owner-" + (SiteText.slug(group.id) ?? String(index + 1))
            if taken.contains(anchor) { anchor += "-" + String(index + 1) }
            taken.insert(anchor)
            anchors[group.id] = anchor
        }
        return anchors
    }

    func actionItemPage(_ item: TrackedActionItem, shared: ActionPageShared) -> ActionItemPage {
        let root = PageParts.nestedRoot
        let sourceHref: String
        switch item.source.kind {
        case .run: sourceHref = site.runHref(item.source.id, root: root) ?? ""
        case .incident: sourceHref = site.incidentHref(item.source.id, root: root) ?? ""
        }
        let sourceTitle = site.sourceTitle(item.source)
        let originalDue = item.original.dueDate ?? item.priority.defaultDueDate(from: item.source.day)
        // The source record states a status too (often the one it had when the record was last
        // edited); say so rather than pretend the item was raised in that state.
        var raised = [
            "Owner: " + item.original.owner,
            "Due date: " + originalDue.iso8601 + (item.original.dueDate == nil ? " (from the priority class)" : ""),
        ]
        if item.original.status != .open {
            raised.append(
                "Status in the " + (item.source.kind == .run ? "run" : "incident") + " record: " + item.original.status.title
                    + (item.original.closedOn.map { ", closed " + $0.iso8601 } ?? ""))
        }
        var entries = [
            ActionHistoryEntry(
                date: parts.day(item.openedOn), status: Badge(label: "Raised", icon: "+", tone: "neutral"),
                event: "Raised by " + sourceTitle, author: nil, noteHTML: nil, changes: raised, hasChanges: true)
        ]
        var owner = item.original.owner
        var due = originalDue
        for update in item.history {
            var changes: [String] = []
            if let newOwner = update.owner {
                changes.append("Owner: " + (newOwner == owner ? newOwner : owner + " → " + newOwner))
                owner = newOwner
            }
            if let newDue = update.dueDate {
                changes.append("Due date: " + (newDue == due ? newDue.iso8601 : due.iso8601 + " → " + newDue.iso8601))
                due = newDue
            }
            entries.append(
                ActionHistoryEntry(
                    date: parts.day(update.on), status: parts.statusBadge(for: update.status), event: "Status update",
                    author: update.by, noteHTML: update.note.map { site.markdown.inlineHTML(from: $0) }, changes: changes,
                    hasChanges: !changes.isEmpty))
        }
        let anchors = shared.ownerAnchors
        let dueBasis = item.dueDateIsDerived
            ? "Derived from the priority class: " + item.priority.rawValue + ", "
                + Self.priorityDelay(item.priority) + " after " + item.openedOn.iso8601 + "." : nil
        return ActionItemPage(
            chrome: parts.chrome(title: item.id + ": " + Self.plainText(item.title), root: root, section: .actions),
            id: item.id, titleHTML: site.markdown.inlineHTML(from: item.title), badge: parts.statusBadge(item),
            owner: item.owner, ownerHref: root + shared.sectionPath(.owners, anchors[item.owner] ?? "") + "#" + (anchors[item.owner] ?? ""),
            priority: item.priority.title, priorityHref: root + shared.sectionPath(.priorities, "priority-" + item.priority.rawValue) + "#priority-"
                + item.priority.rawValue,
            opened: parts.day(item.openedOn), age: SiteText.count(item.ageDays, "day"),
            ageBasis: item.closedOn.map { "from " + item.openedOn.iso8601 + " to closing on " + $0.iso8601 }
                ?? "from " + item.openedOn.iso8601 + " to " + site.asOf.iso8601,
            due: parts.day(item.dueDate), dueBasis: dueBasis,
            overdueDays: item.isOverdue ? SiteText.count(item.daysOverdue, "day") : "Not overdue", overdue: item.isOverdue,
            closed: item.closedOn.map(parts.day), sourceKind: item.source.kind == .run ? "Drill run" : "Incident",
            sourceTitle: sourceTitle, sourceHref: sourceHref,
            itemNotesHTML: parts.block(item.original.notes, field: "notes"), history: entries,
            views: actionViewLinks(current: nil, root: root, counts: shared.counts),
            listHref: root + (shared.listPages[item.id] ?? (item.isOpen ? ActionView.open.path : ActionView.done.path))
                + Self.fragment(item.id),
            listLabel: item.isOpen ? "Open action items" : "Done and cancelled action items",
            trackerHref: parts.trackerHref(item))
    }

    /// `#AI-2026-014` for ids made of letters, digits, `-`, `_` and `.`; nothing for any other id,
    /// so a hostile id never ends up in a link.
    static func fragment(_ id: String) -> String {
        let safe = !id.isEmpty && id.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == "."
        }
        return safe ? "#" + id : ""
    }

    /// A Markdown title for `<title>`: emphasis and code marks dropped, link text kept.
    static func plainText(_ markdown: String) -> String {
        var text = ""
        for character in markdown where character != "*" && character != "`" { text.append(character) }
        return text
    }

    static func priorityDelay(_ priority: ActionPriority) -> String {
        switch priority {
        case .immediate: "7 days"
        case .shortTerm: "4 weeks"
        case .longTerm: "3 months"
        }
    }
}

extension ActionPriority {
    /// `Immediate`, `Short-term`, `Long-term`: the class without its range, for table cells.
    var shortTitle: String {
        switch self {
        case .immediate: "Immediate"
        case .shortTerm: "Short-term"
        case .longTerm: "Long-term"
        }
    }
}
