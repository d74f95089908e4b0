public import ArgumentParser
import DrillbookContent
import DrillbookModel
import DrillbookText
import Foundation

/// `drillbook inspect FILE`: print one record as drillbook reads it.
public struct InspectCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print one record (drill, run, incident, action history, schedule) as drillbook reads it.",
        usage: Usage.wrapped(["drillbook inspect <file>", "[--json]"]),
        discussion: """
            Useful to see how a plain-text incident log was understood. With --json the normalised \
            record is printed; for an incident this has id, severity, declaredAt and resolvedAt in \
            UTC (Z), durationSeconds and one entry in updates per STATUS UPDATE block. Control \
            characters in the record are shown escaped: as \\u{1B} in the text form, as JSON \
            escapes (\\u001b) with --json. A file that does not exist exits 4.

            Examples:
              drillbook inspect content/incidents/INC-2025-037.log
              drillbook inspect content/incidents/INC-2025-037.log --json | jq .durationSeconds
            """
    )

    @Argument(
        help: ArgumentHelp("The record file.", valueName: "file"), completion: .file(extensions: ["json", "yaml", "yml", "log", "txt"]))
    public var file: String

    @Flag(help: "Print the normalised record as JSON.")
    public var json = false

    public init() {}

    public func run() throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ExitCodes.missing("no such file: " + file)
        }
        let (record, issues) = ContentLoader(contentDirectory: url.deletingLastPathComponent()).inspectRecord(at: url)
        Diagnostics.print(issues)
        guard let record else { throw ExitCodes.contentErrors }
        if json {
            let data: Data
            switch record {
            case .drill(let drill): data = try RecordJSON.encode(drill)
            case .run(let run): data = try RecordJSON.encode(run)
            case .incident(let incident): data = try IncidentNormalisedJSON.encode(incident)
            case .actionUpdates(let updates): data = try RecordJSON.encode(updates)
            case .schedule(let schedule): data = try RecordJSON.encode(schedule)
            case .site(let site): data = try RecordJSON.encode(site)
            }
            Diagnostics.writeOut(json: data)
        } else {
            for line in RecordSummary.lines(for: record) { Diagnostics.printOut(line) }
        }
        if issues.contains(where: \.isError) { throw ExitCodes.contentErrors }
    }
}

/// A few human lines describing a record, for `inspect` without `--json`.
enum RecordSummary {
    static func lines(for record: LoadedRecord) -> [String] {
        switch record {
        case .drill(let drill):
            return [
                "drill \(drill.id): \(drill.title) (\(drill.category.title))",
                "  criteria: " + drill.successCriteria.map { $0.metricTarget.map { "\($0.metric) \($0.targetText)" } ?? $0.text }
                    .joined(separator: "; "),
                "  allocated: \(drill.allocatedDuration)" + (drill.execution == nil ? "" : "; executable by drillbook run"),
            ]
        case .run(let run):
            var lines = [
                "run \(run.id): drill \(run.drillId), \(run.outcome.rawValue), \(run.environment)",
                "  \(run.startedAt.iso8601) → \(run.endedAt.iso8601) (\(MetricFormat.duration(seconds: run.durationSeconds)))",
            ]
            for criterion in run.criteria {
                lines.append(
                    "  [\(criterion.verdict.rawValue)] \(criterion.text): \(criterion.actualText ?? "–") (target \(criterion.targetText ?? "judged by the team"))")
            }
            return lines
        case .incident(let incident):
            func show(_ t: Timestamp?) -> String { t?.iso8601UTC ?? "not recorded" }
            return [
                "incident \(incident.id): \(incident.severity.rawValue) \(incident.type)",
                "  declared \(show(incident.declaredAt)), resolved \(show(incident.resolvedAt))"
                    + (incident.durationSeconds.map { " (\(MetricFormat.duration(seconds: $0)))" } ?? ""),
                "  started \(show(incident.startedAt)), detected \(show(incident.detectedAt)), "
                    + "acknowledged \(show(incident.acknowledgedAt)), escalated \(show(incident.escalatedAt))",
                "  \(incident.updates.count) status update\(incident.updates.count == 1 ? "" : "s"), "
                    + "\(incident.actionItems.count) action item\(incident.actionItems.count == 1 ? "" : "s")",
            ]
        case .actionUpdates(let updates):
            return updates.map { "\($0.on) \($0.actionId): \($0.status.rawValue)" + ($0.by.map { " by \($0)" } ?? "") }
        case .schedule(let schedule):
            return schedule.monthly.map { "week \($0.week): \($0.category.title)" }
                + schedule.quarterly.map { "Q\($0.quarter): \($0.category.title)" }
        case .site(let site):
            return ["title: " + site.siteTitle] + (site.organisation.map { ["organisation: " + $0] } ?? [])
        }
    }
}
