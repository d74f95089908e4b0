public import ArgumentParser
import DrillbookContent
import DrillbookModel
import DrillbookText
import DrillbookSite
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `drillbook actions`: the action items as a terminal table (or CSV, JSON, iCalendar), for stand-ups.
public struct ActionsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "List action items with their status, owner, age and due date.",
        usage: Usage.wrapped([
            "drillbook actions", "[--content <dir>]", "[--owner <name>]", "[--overdue]", "[--status <status>]",
            "[--as-of <YYYY-MM-DD>]", "[--format <format>]",
        ]),
        discussion: """
            Prints the same data as the site's action-item pages and exports, with status updates \
            from content/actions/ applied up to --as-of. The table lists overdue items first (most \
            days overdue first), then open ones, then closed ones; a due date marked * is derived \
            from the priority class (immediate 7 days, short-term 4 weeks, long-term 3 months after \
            the run or incident). On a terminal the table fits its width: titles are cut, and on a \
            narrow one each title goes under its row and the columns that do not fit are named in \
            the footer; piped, everything is printed in full. Content errors are printed like drillbook check prints them, and exit 1.

            --status takes a comma-separated list of: \(ActionItemFilter.statusWords).

            Examples:
              drillbook actions
              drillbook actions --overdue
              drillbook actions --owner "Priya Raman" --status active
              drillbook actions --status blocked,in-progress --as-of 2026-11-29
              drillbook actions --format csv > actions.csv
              drillbook actions --format json | jq '.[] | select(.isOverdue) | .id'
            """
    )

    @OptionGroup public var contentOptions: ContentOptions

    @Option(help: ArgumentHelp("Only items owned by this person (case-insensitive).", valueName: "name"))
    public var owner: String?

    @Flag(help: "Only items past their due date.")
    public var overdue = false

    @Option(
        help: ArgumentHelp("Only items in these statuses, comma-separated (active = open, in progress or blocked).", valueName: "status"),
        completion: .list(ActionItemFilter.statusWords.components(separatedBy: ", ")))
    public var status: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("The day to describe (updates after it are ignored); default today (UTC).", valueName: "YYYY-MM-DD"))
    public var asOf: String?

    @Option(
        help: ArgumentHelp("Output format: table, csv, json or ics.", valueName: "format"),
        completion: .list(ActionItemListing.Format.allCases.map(\.rawValue)))
    public var format: String = "table"

    public init() {}

    public func validate() throws {
        try contentOptions.validateFolder()
        if let asOf { _ = try CalendarDay.argument(asOf) }
        if let status, ActionItemFilter.statuses(from: status) == nil {
            throw ValidationError("--status expects one or more of \(ActionItemFilter.statusWords), comma-separated; got \"\(TerminalText.line(status))\"")
        }
        if ActionItemListing.Format(rawValue: format) == nil {
            throw ValidationError("--format expects table, csv, json or ics; got \"\(TerminalText.line(format))\"")
        }
    }

    public func run() throws {
        let filter = ActionItemFilter(owner: owner, overdueOnly: overdue, statuses: status.flatMap(ActionItemFilter.statuses(from:)))
        let outcome = ActionItemListing.render(
            contentDirectory: contentOptions.contentURL, asOf: try asOf.map(CalendarDay.argument) ?? .todayUTC,
            filter: filter, format: ActionItemListing.Format(rawValue: format) ?? .table, width: Self.terminalWidth())
        Diagnostics.print(outcome.issues)
        if let note = outcome.note { Diagnostics.printError(Diagnostics.notePrefix + note) }
        guard let output = outcome.output else {
            let errors = outcome.issues.filter(\.isError).count
            Diagnostics.printError("\(contentOptions.content): \(errors) error\(errors == 1 ? "" : "s"); fix them to list action items")
            throw ExitCodes.contentErrors
        }
        // Titles and owners come from content: their control characters are shown escaped, in
        // every format (JSON with JSON escapes, so it stays the same JSON value).
        if format == ActionItemListing.Format.json.rawValue {
            Diagnostics.writeOut(json: Data(output.utf8))
        } else {
            Diagnostics.writeOut(block: output)
        }
    }

    /// The terminal's width when standard output is one, else `COLUMNS` when set, else nil
    /// (everything then prints in full).
    static func terminalWidth() -> Int? { TerminalWidth.current() }
}
