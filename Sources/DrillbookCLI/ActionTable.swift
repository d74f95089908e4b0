import DrillbookModel
import DrillbookSite

/// The terminal table of `drillbook actions`: aligned columns of the same records the site's
/// `actions/actions.csv` holds (`ActionItemExport`), for reading at a stand-up.
enum ActionTable {
    /// The fewest columns a title keeps on a row of its own line before the table stacks.
    static let minimumTitleRoom = 30

    /// Aligned columns for a terminal, in tracking order (overdue first). With `width`, the table
    /// fits it: titles are cut (`…`); when the columns leave a title fewer than 30 columns, each
    /// title goes on a line of its own under its row and the columns that do not fit (AGE,
    /// PRIORITY, SOURCE, in that order of keeping) are left out, as the footer says. Without
    /// `width` (piped), every column and title is printed in full. Control characters are removed
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
        let titleColumn = header.count - 1
        var widths = header.prefix(titleColumn).map(\.count)
        for row in rows {
            for column in 0..<titleColumn { widths[column] = max(widths[column], row[column].count) }
        }
        let gap = "  "
        func span(_ columns: [Int]) -> Int { columns.map { widths[$0] }.reduce(0, +) + gap.count * max(0, columns.count - 1) }
        let all = Array(0..<titleColumn)
        var columns = all
        var stacked = false
        if let width, width - span(all) - gap.count < minimumTitleRoom {
            // ID, STATUS, DUE and OWNER always; then AGE, PRIORITY, SOURCE while they fit.
            stacked = true
            columns = [0, 1, 2, 4]
            for optional in [3, 5, 6] where span((columns + [optional]).sorted()) <= width {
                columns = (columns + [optional]).sorted()
            }
        }
        func cut(_ text: String, to room: Int?) -> String {
            guard let room, text.count > room else { return text }
            return String(text.prefix(max(1, room - 1))) + "…"
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, column) in columns.enumerated() {
                let cell = cells[column]
                text += cell + (index == columns.count - 1 && stacked ? "" : String(repeating: " ", count: widths[column] - cell.count) + gap)
            }
            if stacked {
                text = cut(text, to: width)
                text += "\n" + cut("  " + cells[titleColumn], to: width)
            } else {
                text += cut(cells[titleColumn], to: width.map { max(10, $0 - span(all) - gap.count) })
            }
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var output = line(header) + rows.map(line).joined()
        let open = records.filter(\.status.isOpen).count
        let overdue = records.filter(\.isOverdue).count
        output += "\n" + Self.count(records.count, "item") + ": " + String(open) + " open, " + String(overdue)
            + " overdue, as of " + export.asOf.iso8601 + "."
        if records.contains(where: \.dueDateIsDerived) { output += "\n* due date derived from the priority class." }
        let left = all.filter { !columns.contains($0) }.map { header[$0] }
        if !left.isEmpty {
            output += "\nNot shown in \(width ?? 0) columns: " + left.joined(separator: ", ") + " (see --format csv)."
        }
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
