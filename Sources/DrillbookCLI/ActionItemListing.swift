public import DrillbookContent
public import DrillbookModel
public import DrillbookSite
public import Foundation

/// `drillbook actions`: load a content folder and print its action items, filtered, in one format.
public enum ActionItemListing {
    /// The output formats of `drillbook actions --format`.
    public enum Format: String, Sendable, CaseIterable {
        /// Aligned columns for reading in a terminal.
        case table
        /// The same CSV as the site's `actions/actions.csv`.
        case csv
        /// The same JSON as the site's `actions/actions.json`.
        case json
        /// The same calendar as the site's `actions/actions.ics` (open items only).
        case ics
    }

    /// What a listing produced.
    public struct Outcome: Sendable {
        /// The text for standard output; nil when the content has errors.
        public var output: String?
        /// Every content problem (errors and warnings), for standard error.
        public var issues: [ContentIssue]
        /// A hint for standard error, e.g. when no owner has the name asked for.
        public var note: String?

        /// True when the content has errors (`drillbook actions` then exits 1).
        public var hasErrors: Bool { issues.contains { $0.isError } }
    }

    /// Loads `contentDirectory`, applies updates up to `asOf`, keeps what `filter` matches and
    /// renders it. `width` is the terminal width for `.table` (nil prints titles in full).
    public static func render(
        contentDirectory: URL, asOf: CalendarDay, filter: ActionItemFilter, format: Format, width: Int? = nil
    ) -> Outcome {
        let loaded = ContentLoader(contentDirectory: contentDirectory).load()
        guard !loaded.hasErrors else { return Outcome(output: nil, issues: loaded.issues, note: nil) }
        let all = ActionItemExport(history: loaded.history, asOf: asOf)
        let export = all.filtered(filter)
        var note: String?
        if let owner = filter.owner, all.filtered(ActionItemFilter(owner: owner)).records.isEmpty {
            let owners = Set(all.records.map(\.owner)).sorted()
            note = "nobody called \"" + owner + "\" owns an action item"
                + (owners.isEmpty ? "" : "; owners are " + owners.joined(separator: ", "))
        }
        let output: String
        switch format {
        case .table: output = ActionTable.text(of: export, width: width)
        case .csv: output = export.csv()
        case .json: output = export.json()
        case .ics: output = export.iCalendar()
        }
        return Outcome(output: output, issues: loaded.issues, note: note)
    }
}
