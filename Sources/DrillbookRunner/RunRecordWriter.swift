import DrillbookContent
public import DrillbookModel
import DrillbookText
public import Foundation

/// Writes run records atomically and exclusively as pretty, sorted JSON at
/// `<records>/<YYYY>/<YYYY-MM-DD>-<drill-id>[-N].json`.
///
/// The record's `id` is its file name without `.json`, decided here and nowhere else: the engine's
/// record carries `recordId(drillId:startedAt:)` (the name without a suffix), the writer the name
/// it could claim. Names are claimed with `AtomicFile.create` (a hard link, which fails when the
/// name is taken), so runs of one drill that end at the same moment get `-2`, `-3`, … instead of
/// overwriting each other.
public struct RunRecordWriter: Sendable {
    public var directory: URL

    public init(directory: URL) { self.directory = directory }

    /// Names tried before giving up (`…-2` to `…-9999`).
    static let maximumSuffix = 9_999

    /// The JSON text of a record in drillbook's canonical form (`RecordJSON`), byte-identical for
    /// identical records.
    public static func encode(_ run: DrillRun) throws -> Data { try RecordJSON.encode(run) }

    /// The record id (and file name without `.json`) of a run of `drillId` started at `startedAt`,
    /// for the `attempt`-th run of that drill that day (1 for the first, which has no suffix).
    public static func recordId(drillId: String, startedAt: Timestamp, attempt: Int = 1) -> String {
        let base = startedAt.localDay.iso8601 + "-" + drillId
        return attempt <= 1 ? base : base + "-" + String(attempt)
    }

    /// Writes the record under a name no other record has (`-2`, `-3`, … when the day already has
    /// a run of this drill, or another run claims the name at the same moment), sets its `id` to
    /// match the file name, and returns the file and the record written. Never replaces a file.
    /// Throws `AtomicFileError` naming the folder or file that could not be written.
    @discardableResult
    public func write(_ run: DrillRun) throws -> (url: URL, run: DrillRun) {
        let year = String(run.startedAt.localDay.iso8601.prefix(4))
        let folder = directory.appendingPathComponent(year, isDirectory: true)
        try AtomicFile.createFolder(folder)
        var record = run
        for attempt in 1...Self.maximumSuffix {
            record.id = Self.recordId(drillId: run.drillId, startedAt: run.startedAt, attempt: attempt)
            let url = folder.appendingPathComponent(record.id + ".json")
            // Skip names taken earlier without writing; the create below settles any race.
            if FileManager.default.fileExists(atPath: url.path) { continue }
            do {
                try AtomicFile.create(try Self.encode(record), at: url)
                return (url, record)
            } catch let error as AtomicFileError where error.fileExists {
                continue
            }
        }
        throw AtomicFileError(
            path: folder.appendingPathComponent(Self.recordId(drillId: run.drillId, startedAt: run.startedAt) + "-N.json").path,
            operation: "create", code: EEXIST)
    }

    /// Writes `data` to a temporary file beside `url`, flushes it and renames it over `url`.
    public static func atomicWrite(_ data: Data, to url: URL) throws { try AtomicFile.write(data, to: url) }
}

/// A JUnit XML report of a run, for CI pipelines: one test case for the run's outcome, then one
/// per criterion. The outcome case fails whenever the outcome is not `passed` (a failed or aborted
/// run, a failed rollback), with the outcome as its type and the reasons as its message and text,
/// so a pipeline never shows a failed drill green even when every criterion was met.
public enum JUnitReport {
    public static func xml(for run: DrillRun) -> String {
        let reasons = Self.reasons(for: run)
        let failedCriteria = run.criteria.filter { $0.verdict != .met }.count
        let failures = failedCriteria + (run.outcome == .passed ? 0 : 1)
        let tests = run.criteria.count + 1
        let suite = escape(run.drillId)
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        lines.append("<testsuites name=\"drillbook\" tests=\"\(tests)\" failures=\"\(failures)\">")
        lines.append("  <testsuite name=\"\(suite)\" tests=\"\(tests)\" failures=\"\(failures)\" time=\"\(MetricFormat.fixed(run.durationSeconds, decimals: 2))\" timestamp=\"\(run.startedAt.iso8601UTC)\">")
        lines.append("    <properties>")
        lines.append("      <property name=\"outcome\" value=\"\(run.outcome.rawValue)\"/>")
        if let reason = run.abortReason { lines.append("      <property name=\"abortReason\" value=\"\(escape(reason))\"/>") }
        lines.append("    </properties>")
        lines.append("    <testcase classname=\"\(suite)\" name=\"outcome\">")
        if run.outcome != .passed {
            let message = run.outcome.rawValue + (reasons.first.map { ": " + $0 } ?? "")
            lines.append("      <failure message=\"\(escape(message))\" type=\"\(run.outcome.rawValue)\">\(escape(reasons.joined(separator: "\n")))</failure>")
        }
        lines.append("    </testcase>")
        for result in run.criteria {
            let name = escape(result.criterionId)
            lines.append("    <testcase classname=\"\(suite)\" name=\"\(name)\">")
            let detail = Self.detail(of: result)
            switch result.verdict {
            case .met: break
            case .missed: lines.append("      <failure message=\"\(escape(detail))\" type=\"missed\"/>")
            case .notMeasured: lines.append("      <failure message=\"\(escape(detail))\" type=\"not-measured\"/>")
            }
            lines.append("    </testcase>")
        }
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why the run did not pass, most important first: the abort reason, the failures the engine
    /// recorded (a failed action or rollback), then each criterion that was not met. Empty for a
    /// passed run.
    static func reasons(for run: DrillRun) -> [String] {
        guard run.outcome != .passed else { return [] }
        var reasons: [String] = []
        if let reason = run.abortReason { reasons.append(reason) }
        reasons += run.observations.filter { $0.hasPrefix("Failure: ") }.map { String($0.dropFirst("Failure: ".count)) }
        reasons += run.criteria.filter { $0.verdict != .met }.map(detail(of:))
        return reasons
    }

    /// `Text: actual 3 count, target = 0 count`.
    static func detail(of result: CriterionResult) -> String {
        "\(result.text): actual \(result.actualText ?? "not measured"), target \(result.targetText ?? "none")"
    }

    /// Text for an attribute value or element content: markup characters as entities, line breaks
    /// and tabs as character references, and the characters XML 1.0 forbids (C0 controls other
    /// than tab, LF, CR; U+FFFE, U+FFFF) as U+FFFD, so the report stays well-formed for any output.
    static func escape(_ text: String) -> String { MarkupText.escape(text, rules: .xmlAttribute) }
}
