/// The reference tables of `docs/formats.md`, written from the same shapes the loader checks and
/// the JSON Schemas publish: under a heading `#### <shape name>`, the shape's summary, then one row
/// per key. `RecordDocsTests` holds the page to them (and rewrites its tables with
/// `RECORD_SNAPSHOTS=1`); prose around the tables is the page's own.
enum RecordDocs {
    /// Every object shape with a table, in the page's order. `DrillExecution`'s parts are
    /// described in `docs/executor.md`, in words.
    static let documented: [ObjectShape] = [
        RecordShapes.drillDefinition, RecordShapes.successCriterion, RecordShapes.recoveryTarget,
        RecordShapes.drillRun, RecordShapes.participant, RecordShapes.timelineEvent, RecordShapes.metric,
        RecordShapes.criterionResult, RecordShapes.lessons, RecordShapes.actionItem, RecordShapes.probeSummary,
        RecordShapes.commandOutput, RecordShapes.evidenceSeries, RecordShapes.evidencePoint, RecordShapes.incident, RecordShapes.incidentUpdate, RecordShapes.actionUpdates,
        RecordShapes.actionUpdate, RecordShapes.schedule, RecordShapes.monthlySlot, RecordShapes.quarterlySlot,
        RecordShapes.site,
    ]

    /// The summary line and the table of `object`, as the page shows them.
    static func block(_ object: ObjectShape) -> [String] {
        var lines = [object.summary, "", "| Field | Type | Required | Meaning |", "| --- | --- | --- | --- |"]
        for property in object.properties {
            lines.append(
                "| `" + property.name + "` | " + typeText(property.shape) + " | " + (property.required ? "yes" : "no") + " | "
                    + property.summary + " |")
        }
        return lines
    }

    /// `string`, `list of Metric`, `one of `passed`, `failed``, …
    static func typeText(_ shape: RecordShape) -> String {
        switch shape {
        case .string(.plain): "string"
        case .string(.timestamp): "time (ISO 8601 with offset)"
        case .string(.day): "date (YYYY-MM-DD)"
        case .string(.duration): "duration"
        case .integer(let minimum?, let maximum?): "integer " + String(minimum) + "–" + String(maximum)
        case .integer: "integer"
        case .constant(let value): "integer, always " + String(value)
        case .number: "number"
        case .boolean: "boolean"
        case .enumeration(let values): "one of " + values.map { "`" + $0 + "`" }.joined(separator: ", ")
        case .array(let item): "list of " + typeText(item)
        case .object(let object): object.name
        case .stringMap: "map of string to string"
        }
    }

    /// `markdown` with the block under each documented shape's heading replaced by the shape's:
    /// from the line after `#### Name` (and its blank line) to the end of the table.
    static func updating(_ markdown: String) -> String {
        var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let byName = Dictionary(documented.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("#### "), let object = byName[String(lines[index].dropFirst(5))] else {
                index += 1
                continue
            }
            let start = index + 2
            var end = start
            while end < lines.count, !lines[end].hasPrefix("|") { end += 1 }
            while end < lines.count, lines[end].hasPrefix("|") { end += 1 }
            let block = block(object)
            lines.replaceSubrange(start..<min(end, lines.count), with: block)
            index = start + block.count
        }
        return lines.joined(separator: "\n")
    }

    /// The shapes the page has no `#### Name` heading for.
    static func missingHeadings(in markdown: String) -> [String] {
        let headings = Set(markdown.split(separator: "\n").filter { $0.hasPrefix("#### ") }.map { String($0.dropFirst(5)) })
        return documented.map(\.name).filter { !headings.contains($0) }
    }
}
