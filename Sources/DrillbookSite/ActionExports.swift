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

    /// `csv()` about 64 KB at a time, for writing a large export without holding it whole. The
    /// cells go straight into one byte buffer (`CSVText.appendField`), no string per cell.
    public func writeCSV(_ emit: (String) -> Void) {
        var out = ExportBytes()
        func cell(_ value: String, first: Bool = false) {
            if !first { out.bytes.append(UInt8(ascii: ",")) }
            CSVText.appendField(value, to: &out.bytes)
        }
        // Numbers, booleans and days never start with a formula sign and need no quoting inside.
        func cell(_ value: Int) {
            if value < 0 { cell(String(value)); return }
            out.bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: "\"")])
            out.append(value)
            out.bytes.append(UInt8(ascii: "\""))
        }
        func cell(_ day: CalendarDay?) { cell(day?.iso8601 ?? "") }
        for (index, name) in Self.csvHeader.enumerated() { cell(name, first: index == 0) }
        out.bytes.append(contentsOf: [0x0D, 0x0A])
        for record in records {
            cell(record.id, first: true)
            cell(record.titleText)
            cell(record.owner)
            cell(record.priority.rawValue)
            cell(record.status.rawValue)
            cell(record.dueDate)
            cell(record.dueDateIsDerived ? "true" : "false")
            cell(record.openedOn)
            cell(record.closedOn)
            cell(record.isOverdue ? "true" : "false")
            cell(record.daysOverdue)
            cell(record.ageDays)
            cell(record.source.kind)
            cell(record.source.id)
            cell(record.source.title)
            cell(record.source.path ?? "")
            if let update = record.history.last {
                cell(
                    update.on.iso8601 + " " + update.status.rawValue + (update.by.map { " by " + $0 } ?? "")
                        + (update.note.map { ": " + $0 } ?? ""))
            } else {
                cell("")
            }
            cell(record.tracker ?? "")
            out.bytes.append(contentsOf: [0x0D, 0x0A])
            out.flush(emit)
        }
        out.flush(emit, final: true)
    }

    // MARK: - JSON

    /// A JSON array of `Record`s with sorted keys, two-space indentation and a final newline;
    /// absent values are `null`.
    public func json() -> String {
        var text = ""
        writeJSON { text += $0 }
        return text
    }

    /// `json()` about 64 KB at a time, for writing a large export without holding it whole.
    ///
    /// Written by hand, a record at a time into one byte buffer, in exactly the layout of
    /// Foundation's `JSONEncoder` with `.sortedKeys, .prettyPrinted, .withoutEscapingSlashes` (keys
    /// in order, `"key" : value`, an empty array as `[`, an empty line, `]`), strings escaped by
    /// `JSONText` with the encoder's `\b` and `\f`. `JSONEncoder` is the test oracle
    /// (`ActionExportJSONOracleTests`): the same bytes for every record.
    public func writeJSON(_ emit: (String) -> Void) {
        var out = ExportBytes()
        guard !records.isEmpty else {
            emit("[\n\n]\n")
            return
        }
        out.append("[\n" as StaticString)
        for (index, record) in records.enumerated() {
            if index > 0 { out.append(",\n" as StaticString) }
            Self.appendJSON(record, to: &out)
            out.flush(emit)
        }
        out.append("\n]\n" as StaticString)
        out.flush(emit, final: true)
    }

    /// One record as an element of the array: its `{` indented two spaces, no line end after `}`.
    static func appendJSON(_ record: Record, to out: inout ExportBytes) {
        /// A key on its own line, indented as the encoder indents it at that depth.
        func key(_ name: StaticString, _ indent: Int) {
            for _ in 0..<indent { out.bytes.append(UInt8(ascii: " ")) }
            out.bytes.append(UInt8(ascii: "\""))
            out.append(name)
            out.append("\" : " as StaticString)
        }
        func end(_ last: Bool) { out.append(last ? "\n" as StaticString : ",\n") }
        func string(_ name: StaticString, _ indent: Int, _ value: String?, last: Bool = false) {
            key(name, indent)
            if let value {
                JSONText.appendQuoted(value, to: &out.bytes, options: .shortControlEscapes)
            } else {
                out.append("null" as StaticString)
            }
            end(last)
        }
        func day(_ name: StaticString, _ indent: Int, _ value: CalendarDay?) {
            key(name, indent)
            if let value {
                out.bytes.append(UInt8(ascii: "\""))
                out.append(value)
                out.bytes.append(UInt8(ascii: "\""))
            } else {
                out.append("null" as StaticString)
            }
            end(false)
        }
        func number(_ name: StaticString, _ value: Int) {
            key(name, 4)
            out.append(value)
            end(false)
        }
        func bool(_ name: StaticString, _ value: Bool) {
            key(name, 4)
            out.append(value)
            end(false)
        }
        out.append("  {\n" as StaticString)
        number("ageDays", record.ageDays)
        day("closedOn", 4, record.closedOn)
        number("daysOverdue", record.daysOverdue)
        day("dueDate", 4, record.dueDate)
        bool("dueDateIsDerived", record.dueDateIsDerived)
        key("history", 4)
        if record.history.isEmpty {
            out.append("[\n\n    ],\n" as StaticString)
        } else {
            out.append("[\n" as StaticString)
            for (index, update) in record.history.enumerated() {
                if index > 0 { out.append(",\n" as StaticString) }
                out.append("      {\n" as StaticString)
                string("by", 8, update.by)
                day("dueDate", 8, update.dueDate)
                string("note", 8, update.note)
                day("on", 8, update.on)
                string("owner", 8, update.owner)
                string("status", 8, update.status.rawValue, last: true)
                out.append("      }" as StaticString)
            }
            out.append("\n    ],\n" as StaticString)
        }
        string("id", 4, record.id)
        bool("isOverdue", record.isOverdue)
        day("openedOn", 4, record.openedOn)
        string("owner", 4, record.owner)
        string("priority", 4, record.priority.rawValue)
        key("source", 4)
        out.append("{\n" as StaticString)
        string("id", 6, record.source.id)
        string("kind", 6, record.source.kind)
        string("path", 6, record.source.path)
        string("title", 6, record.source.title, last: true)
        out.append("    },\n" as StaticString)
        string("status", 4, record.status.rawValue)
        string("title", 4, record.title)
        string("titleText", 4, record.titleText)
        string("tracker", 4, record.tracker, last: true)
        out.append("  }" as StaticString)
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

    /// `iCalendar()` about 64 KB at a time, for writing a large export without holding it whole.
    /// Each content line is made in one reused byte buffer (`ICSLine`: escaped as `icsText`,
    /// folded as `icsFold`), no string per line.
    public func writeICalendar(_ emit: (String) -> Void) {
        var line = ICSLine()
        let stamp = Self.icsDate(asOf) + "T000000Z"
        for fixed: StaticString in [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//drillbook//Action items//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        ] {
            line.raw(fixed)
            line.end()
        }
        line.raw("X-WR-CALNAME:")
        line.text(calendarName)
        line.end()
        var seen: Set<String> = []
        for record in records where record.status.isOpen && seen.insert(record.id).inserted {
            line.raw("BEGIN:VEVENT")
            line.end()
            line.raw("UID:")
            line.text(record.id)
            line.raw("@drillbook")
            line.end()
            line.raw("DTSTAMP:")
            line.raw(stamp)
            line.end()
            line.raw("DTSTART;VALUE=DATE:")
            line.date(record.dueDate)
            line.end()
            line.raw("DTEND;VALUE=DATE:")
            line.date(record.dueDate.adding(days: 1))
            line.end()
            line.raw("SUMMARY:")
            line.text(record.id)
            for part in [": ", record.titleText, " (", record.owner, ")"] { line.text(part, continuing: true) }
            line.end()
            line.raw("DESCRIPTION:")
            line.text("Owner: ")
            for part in [
                record.owner, "\nPriority: ", record.priority.title, "\nStatus: ", record.status.title,
                record.isOverdue ? ", " + Self.days(record.daysOverdue) + " overdue" : "",
                "\nDue: ", record.dueDate.iso8601, record.dueDateIsDerived ? " (derived from the priority class)" : "",
                "\nRaised by: ", record.source.title,
            ] {
                line.text(part, continuing: true)
            }
            if let tracker = record.tracker {
                line.text("\nTracker: ", continuing: true)
                line.text(tracker, continuing: true)
            }
            line.end()
            if let tracker = record.tracker {
                line.raw("URL:")
                line.raw(tracker)
                line.end()
            }
            line.raw("CATEGORIES:")
            line.text(record.priority.rawValue)
            line.end()
            line.raw("TRANSP:TRANSPARENT")
            line.end()
            line.raw("END:VEVENT")
            line.end()
            line.out.flush(emit)
        }
        line.raw("END:VCALENDAR")
        line.end()
        line.out.flush(emit, final: true)
    }

    /// `20261129`.
    static func icsDate(_ day: CalendarDay) -> String { day.iso8601.replacingOccurrences(of: "-", with: "") }

    /// RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks (LF, CR or CR LF) as `\n`,
    /// a tab as a space; every other control character (C0, DEL, C1), U+FFFE and U+FFFF becomes
    /// U+FFFD (`MarkupText.replacementCharacter`), the replacement every text output of the site uses.
    public static func icsText(_ text: String) -> String {
        var line = ICSLine()
        line.text(text)
        return String(decoding: line.line, as: UTF8.self)
    }

    /// Folds a content line so no physical line exceeds 75 octets (the continuation's leading
    /// space included), never splitting a UTF-8 sequence.
    public static func icsFold(_ line: String) -> String {
        var builder = ICSLine()
        builder.raw(line)
        builder.end()
        builder.out.bytes.removeLast(2)
        return String(decoding: builder.out.bytes, as: UTF8.self)
    }

    /// One iCalendar content line made in a reused buffer, then folded into `out` with its CRLF.
    struct ICSLine {
        var out = ExportBytes()
        var line: [UInt8] = []
        /// Whether the last byte `text` escaped was a carriage return (a CR LF pair is one `\n`).
        var previousWasCR = false

        init() { line.reserveCapacity(1 << 10) }

        mutating func raw(_ text: StaticString) {
            line.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        mutating func raw(_ text: String) {
            var text = text
            text.withUTF8 { line.append(contentsOf: $0) }
        }

        /// `20261129`: the ISO day without its hyphens.
        mutating func date(_ day: CalendarDay) {
            for byte in day.iso8601.utf8 where byte != UInt8(ascii: "-") { line.append(byte) }
        }

        /// `text` as RFC 5545 TEXT (`icsText`); `continuing` carries a trailing CR over from the
        /// piece before, as when the pieces are escaped as one text.
        mutating func text(_ text: String, continuing: Bool = false) {
            if !continuing { previousWasCR = false }
            var text = text
            text.withUTF8 { source in
                let count = source.count
                var start = 0
                var index = 0
                func copy() {
                    if start < index { line.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<index])) }
                }
                while index < count {
                    let byte = source[index]
                    var size = 0
                    var replacement: StaticString? = nil
                    switch byte {
                    case UInt8(ascii: "\\"): size = 1; replacement = "\\\\"
                    case UInt8(ascii: ";"): size = 1; replacement = "\\;"
                    case UInt8(ascii: ","): size = 1; replacement = "\\,"
                    case 0x0D: size = 1; replacement = "\\n"
                    case 0x0A: size = 1; replacement = previousWasCR ? "" : "\\n"
                    case 0x09: size = 1; replacement = " "
                    case 0x00..<0x20, 0x7F: size = 1; replacement = "\u{FFFD}"
                    case 0xC2 where index + 1 < count && (0x80...0x9F).contains(source[index + 1]):
                        size = 2; replacement = "\u{FFFD}"
                    case 0xEF where index + 2 < count && source[index + 1] == 0xBF && source[index + 2] >= 0xBE:
                        size = 3; replacement = "\u{FFFD}"
                    default: break
                    }
                    previousWasCR = byte == 0x0D
                    if let replacement {
                        copy()
                        line.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                        index += size
                        start = index
                    } else {
                        index += 1
                    }
                }
                copy()
            }
        }

        /// Folds the line into `out` (no physical line over 75 octets, the continuation's leading
        /// space included, never inside a UTF-8 sequence) with its CRLF, and starts the next.
        mutating func end() {
            if line.count <= 75 {
                out.bytes.append(contentsOf: line)
            } else {
                var octets = 0
                var index = 0
                let count = line.count
                while index < count {
                    let lead = line[index]
                    let size = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                    if octets + size > 75 {
                        out.bytes.append(contentsOf: [0x0D, 0x0A, UInt8(ascii: " ")])
                        octets = 1
                    }
                    out.bytes.append(contentsOf: line[index..<min(index + size, count)])
                    octets += size
                    index += size
                }
            }
            out.bytes.append(contentsOf: [0x0D, 0x0A])
            line.removeAll(keepingCapacity: true)
        }
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
