import DrillbookModel
import DrillbookSite

/// The terminal table of `drillbook actions`: aligned columns of the same records the site's
/// `actions/actions.csv` holds (`ActionItemExport`), for reading at a stand-up.
enum ActionTable {
    /// Aligned columns for a terminal, in tracking order (overdue first). With `width`, titles
    /// are cut to fit (`…`); without, they are printed in full. Control characters are removed
    /// so a title cannot drive the terminal. `*` marks a due date derived from the priority class.
    static func text(of export: ActionItemExport, width: Int? = nil) -> String {
        let records = export.records
        guard !records.isEmpty else { return "No action items match.\n" }
        let header = ["ID", "STATUS", "DUE", "AGE", "OWNER", "PRIORITY", "SOURCE", "TITLE"]
        let rows = records.sorted(by: ActionItemExport.trackingOrder).map { record -> [String] in
            [
                record.id, record.status.rawValue + (record.isOverdue ? ", " + String(record.daysOverdue) + " d overdue" : ""),
                record.dueDate.iso8601 + (record.dueDateIsDerived ? "*" : ""), String(record.ageDays) + " d",
                record.owner, record.priority.rawValue, record.source.id, record.title,
            ].map(Self.terminalText)
        }
        let fixed = header.count - 1
        var widths = header.prefix(fixed).map(\.count)
        for row in rows {
            for column in 0..<fixed { widths[column] = max(widths[column], row[column].count) }
        }
        let gap = "  "
        let titleRoom = width.map { max(10, $0 - widths.reduce(0, +) - gap.count * fixed) }
        func line(_ cells: [String]) -> String {
            var text = ""
            for column in 0..<fixed {
                text += cells[column] + String(repeating: " ", count: widths[column] - cells[column].count) + gap
            }
            var title = cells[fixed]
            if let room = titleRoom, title.count > room { title = String(title.prefix(room - 1)) + "…" }
            text += title
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var output = line(header) + rows.map(line).joined()
        let open = records.filter(\.status.isOpen).count
        let overdue = records.filter(\.isOverdue).count
        output += "\n" + Self.count(records.count, "item") + ": " + String(open) + " open, " + String(overdue)
            + " overdue, as of " + export.asOf.iso8601 + "."
        if records.contains(where: \.dueDateIsDerived) { output += " * due date derived from the priority class." }
        return output + "\n"
    }

    /// Text for one terminal cell: line breaks and tabs as spaces, other control characters removed.
    static func terminalText(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                result += " "
            } else if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                continue
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `1 item`, `2 items`.
    static func count(_ value: Int, _ singular: String) -> String {
        String(value) + " " + singular + (value == 1 ? "" : "s")
    }
}
