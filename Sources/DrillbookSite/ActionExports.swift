public import DrillbookAnalysis
public import DrillbookModel
import DrillbookContent
import DrillbookMarkdown
import Foundation
import DrillbookText

/// Action items as flat records, and their renderings: the `actions.csv`, `actions.json` and
/// `actions.ics` files of the site. `drillbook actions` prints the same records (as these files,
/// or as the CLI's terminal table, `ActionTable`), so the site and the command show the same data.
///
/// ```swift
/// let export = ActionItemExport(history: history, asOf: day).filtered(ActionItemFilter(owner: "Priya"))
/// print(export.csv())
/// ```
///
/// Every rendering is deterministic: the same history and `asOf` give the same bytes (the iCalendar
/// `DTSTAMP` is `asOf` at midnight UTC, never the build time).
public struct ActionItemExport: Sendable, Hashable {
    /// Where an item was raised, as exported.
    public struct Source: Sendable, Hashable, Codable {
        /// `run` or `incident`.
        public var kind: String
        /// The run id or incident id.
        public var id: String
        /// `Redis Sentinel Failover, 2026-03-02` or `INC-2026-019 (P1)`.
        public var title: String
        /// The record's file relative to the content folder (`runs/2026/….json`), when known.
        public var path: String?

        public init(kind: String, id: String, title: String, path: String?) {
            self.kind = kind
            self.id = id
            self.title = title
            self.path = path
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(path, forKey: .path)
        }
    }

    /// One action item as it stands on `asOf`: the shape of an element of `actions.json`.
    public struct Record: Sendable, Hashable, Codable {
        public var id: String
        /// Markdown, as written.
        public var title: String
        /// The title as plain text (links give their text, formatting is dropped): the CSV's and
        /// the calendar's title.
        public var titleText: String
        /// The item's page in the team's tracker: its own `tracker`, else the site's `trackerURL`
        /// pattern; only http and https addresses, nil otherwise.
        public var tracker: String?
        public var owner: String
        public var priority: ActionPriority
        public var status: ActionStatus
        public var dueDate: CalendarDay
        /// True when `dueDate` comes from the priority class.
        public var dueDateIsDerived: Bool
        public var openedOn: CalendarDay
        /// Nil while the item is open.
        public var closedOn: CalendarDay?
        public var isOverdue: Bool
        public var daysOverdue: Int
        public var ageDays: Int
        public var source: Source
        /// Every update up to `asOf`, oldest first (absent values are `null` in JSON).
        public var history: [ActionUpdate]

        public init(_ item: TrackedActionItem, source: Source, site: SiteConfiguration = SiteConfiguration()) {
            id = item.id
            title = item.title
            titleText = MarkdownRenderer().plainText(from: item.title).split(whereSeparator: \.isNewline).joined(separator: " ")
            tracker = ActionItemExport.trackerLink(item.original, site: site)
            owner = item.owner
            priority = item.priority
            status = item.status
            dueDate = item.dueDate
            dueDateIsDerived = item.dueDateIsDerived
            openedOn = item.openedOn
            closedOn = item.closedOn
            isOverdue = item.isOverdue
            daysOverdue = item.daysOverdue
            ageDays = item.ageDays
            self.source = source
            // As in a file of updates, the item is the record: `actionId` is not written, nor kept.
            history = item.history.map { update in
                var update = update
                update.actionId = ""
                return update
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(titleText, forKey: .titleText)
            try c.encode(tracker, forKey: .tracker)
            try c.encode(owner, forKey: .owner)
            try c.encode(priority, forKey: .priority)
            try c.encode(status, forKey: .status)
            try c.encode(dueDate, forKey: .dueDate)
            try c.encode(dueDateIsDerived, forKey: .dueDateIsDerived)
            try c.encode(openedOn, forKey: .openedOn)
            try c.encode(closedOn, forKey: .closedOn)
            try c.encode(isOverdue, forKey: .isOverdue)
            try c.encode(daysOverdue, forKey: .daysOverdue)
            try c.encode(ageDays, forKey: .ageDays)
            try c.encode(source, forKey: .source)
            try c.encode(history, forKey: .history)
        }
    }

    /// The day the statuses describe.
    public var asOf: CalendarDay
    /// `X-WR-CALNAME`: `Example Co action items` with an organisation, else `Action items`.
    public var calendarName: String = "Action items"
    /// Sorted by id, then source id, so exports of consecutive days diff cleanly.
    public var records: [Record]

    /// Every action item of `history` as of `asOf`, tracker links from its site configuration.
    public init(history: DrillHistory, asOf: CalendarDay) {
        self.init(
            ledger: ActionItemLedger(history: history, asOf: asOf), sources: ActionItemSourceIndex(history: history),
            site: history.site)
        calendarName = history.site.organisation.map { $0 + " action items" } ?? "Action items"
    }

    /// The items of a ledger already built, with source titles and paths from `sources` and
    /// tracker links from `site`.
    public init(ledger: ActionItemLedger, sources: ActionItemSourceIndex, site: SiteConfiguration = SiteConfiguration()) {
        asOf = ledger.asOf
        records = ledger.items
            .sorted { ($0.id, $0.source.id) < ($1.id, $1.source.id) }
            .map { Record($0, source: sources.exported($0.source), site: site) }
    }

    /// The tracker address of `item`: its own `tracker`, else `site.trackerURL` with its id; nil
    /// when neither is an http or https address (a `javascript:` link is never made).
    public static func trackerLink(_ item: ActionItem, site: SiteConfiguration) -> String? {
        if let own = item.tracker?.trimmingSpaces, SiteConfiguration.isWebAddress(own) { return own }
        guard let pattern = site.trackerLink(forAction: item.id), SiteConfiguration.isWebAddress(pattern) else { return nil }
        return pattern
    }

    /// The records `filter` keeps, in the same order.
    public func filtered(_ filter: ActionItemFilter) -> ActionItemExport {
        var copy = self
        copy.records = records.filter(filter.matches)
        return copy
    }

    /// The order of the tracking tables: overdue first (most days overdue first), then open
    /// before closed, then by due date and id.
    public static func trackingOrder(_ a: Record, _ b: Record) -> Bool {
        if a.isOverdue != b.isOverdue { return a.isOverdue }
        if a.isOverdue && a.daysOverdue != b.daysOverdue { return a.daysOverdue > b.daysOverdue }
        if a.status.isOpen != b.status.isOpen { return a.status.isOpen }
        return (a.dueDate, a.id, a.source.id) < (b.dueDate, b.id, b.source.id)
    }

    // MARK: - CSV

    /// The CSV columns, in order.
    public static let csvHeader = [
        "id", "title", "owner", "priority", "status", "dueDate", "dueDateIsDerived", "openedOn", "closedOn",
        "isOverdue", "daysOverdue", "ageDays", "sourceKind", "sourceId", "sourceTitle", "sourcePath", "lastUpdate", "tracker",
    ]

    /// RFC 4180 CSV: a header row, every field quoted, CRLF line ends. A cell that starts with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so spreadsheets do not
    /// run it as a formula. Characters XML 1.0 forbids (C0 controls other than tab, LF and CR;
    /// U+FFFE, U+FFFF) become U+FFFD, as in every text output of the site: CSV has no escape for
    /// them and readers choke on some (Python's `csv` refuses a NUL).
    public func csv() -> String {
        var text = ""
        text.reserveCapacity(records.count * 320)
        writeCSV { text += $0 }
        return text
    }

    /// `csv()` a row at a time, for writing a large export without holding it whole.
    public func writeCSV(_ emit: (String) -> Void) {
        emit(CSVText.record(Self.csvHeader))
        for record in records {
            let last = record.history.last.map { update in
                update.on.iso8601 + " " + update.status.rawValue + (update.by.map { " by " + $0 } ?? "")
                    + (update.note.map { ": " + $0 } ?? "")
            }
            let cells = [
                record.id, record.titleText, record.owner, record.priority.rawValue, record.status.rawValue,
                record.dueDate.iso8601, String(record.dueDateIsDerived), record.openedOn.iso8601,
                record.closedOn?.iso8601 ?? "", String(record.isOverdue), String(record.daysOverdue),
                String(record.ageDays), record.source.kind, record.source.id, record.source.title,
                record.source.path ?? "", last ?? "", record.tracker ?? "",
            ]
            emit(CSVText.record(cells))
        }
    }

    // MARK: - JSON

    /// A JSON array of `Record`s with sorted keys, two-space indentation and a final newline;
    /// absent values are `null`.
    public func json() -> String {
        var text = ""
        writeJSON { text += $0 }
        return text
    }

    /// `json()` a record at a time, for writing a large export without holding it whole.
    public func writeJSON(_ emit: (String) -> Void) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Records hold only strings, integers, booleans and days, so encoding cannot fail.
        guard !records.isEmpty else {
            let data = (try? encoder.encode(records)) ?? Data("[]".utf8)
            emit(String(decoding: data, as: UTF8.self) + "\n")
            return
        }
        // One record at a time, indented as the encoder indents array elements: the same bytes as
        // encoding the whole array, without the encoder's tree of every record at once (tens of
        // MB at 10,000 runs).
        emit("[\n")
        for (index, record) in records.enumerated() {
            guard let data = try? encoder.encode(record) else { continue }
            var chunk = index > 0 ? ",\n" : ""
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                if line.isEmpty { chunk += "\n" } else { chunk += "  " + line + "\n" }
            }
            chunk.removeLast()
            emit(chunk)
        }
        emit("\n]\n")
    }

    // MARK: - iCalendar

    /// An RFC 5545 calendar with one all-day event on the due date of every open item:
    /// `UID:<id>@drillbook`, `DTSTAMP` at midnight UTC of `asOf`, text escaped, lines folded at
    /// 75 octets, CRLF line ends.
    public func iCalendar() -> String {
        var text = ""
        writeICalendar { text += $0 }
        return text
    }

    /// `iCalendar()` an event at a time, for writing a large export without holding it whole.
    public func writeICalendar(_ emit: (String) -> Void) {
        let stamp = Self.icsDate(asOf) + "T000000Z"
        func add(_ lines: [String]) {
            emit(lines.map { Self.icsFold($0) + "\r\n" }.joined())
        }
        add([
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//drillbook//Action items//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + Self.icsText(calendarName),
        ])
        var seen: Set<String> = []
        for record in records where record.status.isOpen && seen.insert(record.id).inserted {
            let state = record.status.title + (record.isOverdue ? ", " + Self.days(record.daysOverdue) + " overdue" : "")
            let description = [
                "Owner: " + record.owner, "Priority: " + record.priority.title, "Status: " + state,
                "Due: " + record.dueDate.iso8601 + (record.dueDateIsDerived ? " (derived from the priority class)" : ""),
                "Raised by: " + record.source.title,
            ].joined(separator: "\n")
            add([
                "BEGIN:VEVENT",
                "UID:" + Self.icsText(record.id) + "@drillbook",
                "DTSTAMP:" + stamp,
                "DTSTART;VALUE=DATE:" + Self.icsDate(record.dueDate),
                "DTEND;VALUE=DATE:" + Self.icsDate(record.dueDate.adding(days: 1)),
                "SUMMARY:" + Self.icsText(record.id + ": " + record.titleText + " (" + record.owner + ")"),
                "DESCRIPTION:" + Self.icsText(description + (record.tracker.map { "\nTracker: " + $0 } ?? "")),
            ] + (record.tracker.map { ["URL:" + $0] } ?? []) + [
                "CATEGORIES:" + Self.icsText(record.priority.rawValue),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ])
        }
        add(["END:VCALENDAR"])
    }

    /// `20261129`.
    static func icsDate(_ day: CalendarDay) -> String { day.iso8601.replacingOccurrences(of: "-", with: "") }

    /// RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks (LF, CR or CR LF) as `\n`,
    /// a tab as a space; every other control character (C0, DEL, C1), U+FFFE and U+FFFF becomes
    /// U+FFFD (`MarkupText.replacementCharacter`), the replacement every text output of the site uses.
    public static func icsText(_ text: String) -> String {
        var result = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r": result += "\\n"
            case "\n": if !previousWasCR { result += "\\n" }
            case "\t": result += " "
            default:
                let isControl = scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
                result.unicodeScalars.append(
                    isControl || !MarkupText.isXMLCharacter(scalar) ? MarkupText.replacementCharacter : scalar)
            }
        }
        return result
    }

    /// Folds a content line so no physical line exceeds 75 octets (the continuation's leading
    /// space included), never splitting a UTF-8 sequence.
    public static func icsFold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.unicodeScalars.append(scalar)
            octets += size
        }
        return result
    }

    // MARK: - Counts

    static func days(_ value: Int) -> String { count(value, "day") }

    static func count(_ value: Int, _ singular: String) -> String {
        String(value) + " " + singular + (value == 1 ? "" : "s")
    }
}

/// Which action items to list: `drillbook actions --owner … --overdue --status …`.
public struct ActionItemFilter: Sendable, Hashable {
    /// Only items owned by this person (compared case-insensitively, surrounding spaces ignored).
    public var owner: String?
    /// Only items that are overdue on `asOf`.
    public var overdueOnly: Bool
    /// Only items in one of these statuses; nil for any.
    public var statuses: Set<ActionStatus>?

    public init(owner: String? = nil, overdueOnly: Bool = false, statuses: Set<ActionStatus>? = nil) {
        self.owner = owner
        self.overdueOnly = overdueOnly
        self.statuses = statuses
    }

    public func matches(_ record: ActionItemExport.Record) -> Bool {
        if overdueOnly && !record.isOverdue { return false }
        if let statuses, !statuses.contains(record.status) { return false }
        if let owner, Self.normalised(owner) != Self.normalised(record.owner) { return false }
        return true
    }

    /// Parses `--status`: a comma-separated list of `open`, `in-progress`, `blocked`, `done`,
    /// `cancelled`, or `active` (open, in progress or blocked) and `closed` (done or cancelled).
    /// Nil for a word it does not know.
    public static func statuses(from text: String) -> Set<ActionStatus>? {
        var result: Set<ActionStatus> = []
        for part in text.split(separator: ",") {
            let word = part.trimmingCharacters(in: .whitespaces).lowercased()
            switch word {
            case "active": result.formUnion(ActionStatus.allCases.filter(\.isOpen))
            case "closed": result.formUnion(ActionStatus.allCases.filter { !$0.isOpen })
            case "in progress", "inprogress": result.insert(.inProgress)
            default:
                guard let status = ActionStatus(rawValue: word) else { return nil }
                result.insert(status)
            }
        }
        return result.isEmpty ? nil : result
    }

    /// The words `--status` accepts, for messages and help.
    public static let statusWords = ActionStatus.expectedValues + ", active, closed"

    static func normalised(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// Titles and file paths of the runs and incidents that raise action items, looked up by id
/// (built once, so naming the source of n items costs O(n), not O(n × runs)).
public struct ActionItemSourceIndex: Sendable, Hashable {
    private var runTitles: [String: String] = [:]
    private var incidentSeverities: [String: String] = [:]
    private var paths: [String: String]

    public init(history: DrillHistory) {
        var drillTitles: [String: String] = [:]
        for drill in history.drills where drillTitles[drill.id] == nil { drillTitles[drill.id] = drill.title }
        for run in history.runs where runTitles[run.id] == nil {
            runTitles[run.id] = drillTitles[run.drillId] ?? run.drillId
        }
        for incident in history.incidents where incidentSeverities[incident.id] == nil {
            incidentSeverities[incident.id] = incident.severity.rawValue
        }
        paths = history.sourcePaths
    }

    /// A short name of where an item was raised (`Redis Sentinel Failover, 2026-03-02`, `INC-2026-019 (P1)`).
    public func title(of source: ActionItemSource) -> String {
        switch source.kind {
        case .run:
            return (runTitles[source.id] ?? source.id) + ", " + source.day.iso8601
        case .incident:
            return source.id + (incidentSeverities[source.id].map { " (" + $0 + ")" } ?? "")
        }
    }

    /// The source record's file, relative to the content folder, when the history knows it.
    public func path(of source: ActionItemSource) -> String? { paths[source.id] }

    func exported(_ source: ActionItemSource) -> ActionItemExport.Source {
        ActionItemExport.Source(kind: source.kind.rawValue, id: source.id, title: title(of: source), path: path(of: source))
    }
}
