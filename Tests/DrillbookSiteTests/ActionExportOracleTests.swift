import DrillbookAnalysis
import DrillbookModel
import DrillbookSite
import DrillbookText
import Foundation
import Testing

/// The export writers against oracles: `actions.json` against Foundation's `JSONEncoder` (what
/// wrote it before `writeJSON` had its own writer), the CSV and iCalendar writers against the
/// String implementations they replaced (kept here, verbatim, as references). Same bytes, for
/// records whose strings hold everything an escaper can get wrong.
@Suite("Action export oracles")
struct ActionExportOracleTests {
    /// What `actions.json` was: the encoder's whole array and a final newline.
    static func encoderJSON(_ records: [ActionItemExport.Record]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(records), as: UTF8.self) + "\n"
    }

    /// Strings an escaper can get wrong: quotes, backslashes, `/`, every C0 control, DEL, C1,
    /// U+2028/9, U+FFFE/F, a BOM, non-BMP emoji, combining marks, formula signs, CR LF pairs,
    /// the empty string, and long lines of multi-byte characters (for folding).
    static let hostile: [String] = {
        var controls = ""
        for value in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return [
            "", "plain", "say \"hi\" \\ back\\slash", "a/b</script>", controls, "del\u{7F}c1\u{80}\u{85}\u{9F}",
            "\u{2028}line\u{2029}para", "non\u{FFFE}chars\u{FFFF}", "\u{FEFF}bom", "🚨😀👩‍👩‍👧 🇳🇴", "e\u{301}\"\u{301}",
            "=SUM(A1)", "+1", "-1", "@cmd", "\tlead", "\rlead", "cr\r\nlf\n\rcr\r", "semi;comma,back\\",
            String(repeating: "é", count: 80), String(repeating: "🚨", count: 30) + "x", "ab" + String(repeating: "語", count: 40),
            "trailing cr\r",
        ]
    }()

    /// One record per hostile string in every string field, with and without the optional values.
    static func hostileExport() -> ActionItemExport {
        var export = ActionItemExport(history: ActionExportTests.history(), asOf: ActionExportTests.asOf)
        let template = export.records
        var records: [ActionItemExport.Record] = []
        for (index, text) in hostile.enumerated() {
            var record = template[index % template.count]
            record.id = "X" + String(index) + text
            record.title = text
            record.titleText = text
            record.owner = text
            record.tracker = index.isMultiple(of: 2) ? nil : text
            record.closedOn = index.isMultiple(of: 3) ? nil : CalendarDay(iso8601: "2026-03-20")
            record.source.title = text
            record.source.kind = index.isMultiple(of: 2) ? "run" : "incident"
            record.source.path = index.isMultiple(of: 2) ? text : nil
            record.daysOverdue = index * 37
            record.isOverdue = index.isMultiple(of: 2)
            record.history =
                index.isMultiple(of: 4)
                ? []
                : [
                    ActionUpdate(on: CalendarDay(iso8601: "2026-03-10")!, status: .blocked, by: text, note: text, owner: text,
                        dueDate: CalendarDay(iso8601: "2026-04-01")),
                    ActionUpdate(on: CalendarDay(iso8601: "2026-03-11")!, status: .inProgress),
                ]
            records.append(record)
        }
        export.records = records
        export.calendarName = hostile.joined()
        return export
    }

    @Test func jsonIsTheEncodersBytesForHostileRecords() throws {
        let export = Self.hostileExport()
        #expect(export.json() == (try Self.encoderJSON(export.records)))
        // Each record alone, and none.
        for record in export.records {
            var one = export
            one.records = [record]
            #expect(one.json() == (try Self.encoderJSON([record])), "\(record.id)")
        }
        var none = export
        none.records = []
        #expect(none.json() == (try Self.encoderJSON([])))
    }

    @Test func jsonIsTheEncodersBytesForTheFixture() throws {
        let export = ActionItemExport(history: ActionExportTests.history(), asOf: ActionExportTests.asOf)
        #expect(export.json() == (try Self.encoderJSON(export.records)))
    }

    /// Negative control: the encoder writes backspace and form feed as `\b` and `\f`, which
    /// `JSONText`'s default `\u0008`, `\u000c` is not; without `.shortControlEscapes` the
    /// oracle test above would fail on the control-character record.
    @Test func shortEscapesAreWhatTellsTheEncoderApart() throws {
        let text = "a\u{8}b\u{C}c\u{1}"
        let encoded = String(decoding: try JSONEncoder().encode([text]), as: UTF8.self)
        #expect(encoded == "[" + JSONText.quoted(text, options: .shortControlEscapes) + "]")
        #expect(encoded != "[" + JSONText.quoted(text) + "]")
    }

    @Test func csvIsTheStringImplementationsBytes() {
        let export = Self.hostileExport()
        #expect(export.csv() == Reference.csv(export))
        #expect(CSVText.field("") == Reference.field(""))
        for text in Self.hostile {
            #expect(CSVText.field(text) == Reference.field(text), "\(text.debugDescription)")
        }
    }

    @Test func iCalendarIsTheStringImplementationsBytes() {
        let export = Self.hostileExport()
        #expect(export.iCalendar() == Reference.iCalendar(export))
        for text in Self.hostile {
            #expect(ActionItemExport.icsText(text) == Reference.icsText(text), "\(text.debugDescription)")
            #expect(ActionItemExport.icsFold("SUMMARY:" + text) == Reference.icsFold("SUMMARY:" + text), "\(text.debugDescription)")
        }
    }

    /// Folding across multi-byte characters: every boundary position of a 2-, 3- and 4-byte
    /// character against the 75-octet limit, checked against the reference and for valid UTF-8.
    @Test func foldingAtEveryOffsetOfMultiByteCharacters() {
        for character in ["é", "語", "🚨", "e\u{301}"] {
            for lead in 0..<8 {
                let line = String(repeating: "a", count: 70 + lead) + String(repeating: character, count: 50)
                let folded = ActionItemExport.icsFold(line)
                #expect(folded == Reference.icsFold(line))
                for physical in folded.components(separatedBy: "\r\n") {
                    #expect(physical.utf8.count <= 75)
                    #expect(String(validating: Array(physical.utf8), as: UTF8.self) != nil)
                }
                // Unfolded byte by byte: a continuation's space before a combining mark is one
                // Character with it, so `replacingOccurrences` would not see the CRLF and space.
                #expect(Self.unfolded(Array(folded.utf8)) == Array(line.utf8))
            }
        }
    }

    static func unfolded(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if index + 2 < bytes.count, bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x20 {
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    /// Negative control for the references: a fold at 76 octets is not the writer's.
    @Test func referenceFoldingIsSensitiveToTheLimit() {
        let line = String(repeating: "a", count: 76)
        #expect(ActionItemExport.icsFold(line) == Reference.icsFold(line))
        #expect(ActionItemExport.icsFold(line) != Reference.icsFold(line, limit: 76))
    }

    /// The String implementations `writeCSV`, `writeICalendar`, `CSVText.field`, `icsText` and
    /// `icsFold` had before they wrote bytes, as they were.
    enum Reference {
        static func field(_ value: String) -> String {
            var text = MarkupText.replacingForbiddenCharacters(value)
            if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
                text = "'" + text
            }
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in text.unicodeScalars {
                quoted.append(scalar)
                if scalar == "\"" { quoted.append("\"") }
            }
            quoted.append("\"")
            return String(quoted)
        }

        static func record(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }

        static func csv(_ export: ActionItemExport) -> String {
            var text = record(ActionItemExport.csvHeader)
            for record in export.records {
                let last = record.history.last.map { update in
                    update.on.iso8601 + " " + update.status.rawValue + (update.by.map { " by " + $0 } ?? "")
                        + (update.note.map { ": " + $0 } ?? "")
                }
                text += Self.record([
                    record.id, record.titleText, record.owner, record.priority.rawValue, record.status.rawValue,
                    record.dueDate.iso8601, String(record.dueDateIsDerived), record.openedOn.iso8601,
                    record.closedOn?.iso8601 ?? "", String(record.isOverdue), String(record.daysOverdue),
                    String(record.ageDays), record.source.kind, record.source.id, record.source.title,
                    record.source.path ?? "", last ?? "", record.tracker ?? "",
                ])
            }
            return text
        }

        static func icsDate(_ day: CalendarDay) -> String { day.iso8601.replacingOccurrences(of: "-", with: "") }

        static func days(_ value: Int) -> String { String(value) + " day" + (value == 1 ? "" : "s") }

        static func iCalendar(_ export: ActionItemExport) -> String {
            var text = ""
            let stamp = icsDate(export.asOf) + "T000000Z"
            func add(_ lines: [String]) { text += lines.map { icsFold($0) + "\r\n" }.joined() }
            add([
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//drillbook//Action items//EN", "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH", "X-WR-CALNAME:" + icsText(export.calendarName),
            ])
            var seen: Set<String> = []
            for record in export.records where record.status.isOpen && seen.insert(record.id).inserted {
                let state = record.status.title + (record.isOverdue ? ", " + days(record.daysOverdue) + " overdue" : "")
                let description = [
                    "Owner: " + record.owner, "Priority: " + record.priority.title, "Status: " + state,
                    "Due: " + record.dueDate.iso8601 + (record.dueDateIsDerived ? " (derived from the priority class)" : ""),
                    "Raised by: " + record.source.title,
                ].joined(separator: "\n")
                add(
                    [
                        "BEGIN:VEVENT",
                        "UID:" + icsText(record.id) + "@drillbook",
                        "DTSTAMP:" + stamp,
                        "DTSTART;VALUE=DATE:" + icsDate(record.dueDate),
                        "DTEND;VALUE=DATE:" + icsDate(record.dueDate.adding(days: 1)),
                        "SUMMARY:" + icsText(record.id + ": " + record.titleText + " (" + record.owner + ")"),
                        "DESCRIPTION:" + icsText(description + (record.tracker.map { "\nTracker: " + $0 } ?? "")),
                    ] + (record.tracker.map { ["URL:" + $0] } ?? []) + [
                        "CATEGORIES:" + icsText(record.priority.rawValue),
                        "TRANSP:TRANSPARENT",
                        "END:VEVENT",
                    ])
            }
            add(["END:VCALENDAR"])
            return text
        }

        static func icsText(_ text: String) -> String {
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

        static func icsFold(_ line: String, limit: Int = 75) -> String {
            var result = ""
            var octets = 0
            for scalar in line.unicodeScalars {
                let size = String(scalar).utf8.count
                if octets + size > limit {
                    result += "\r\n "
                    octets = 1
                }
                result.unicodeScalars.append(scalar)
                octets += size
            }
            return result
        }
    }
}
