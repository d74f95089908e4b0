import DrillbookContent
public import DrillbookModel
public import Foundation

/// Writes run records atomically (temporary file, then rename) as pretty, sorted JSON at
/// `<records>/<YYYY>/<YYYY-MM-DD>-<drill-id>[-N].json`.
public struct RunRecordWriter: Sendable {
    public var directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The JSON text of a record in drillbook's canonical form (`RecordJSON`), byte-identical for
    /// identical records.
    public static func encode(_ run: DrillRun) throws -> Data { try RecordJSON.encode(run) }

    /// Writes the record under a free name (`-2`, `-3`, … when the day already has a run of this
    /// drill), sets its `id` to match the file name, and returns the file and the record written.
    @discardableResult
    public func write(_ run: DrillRun) throws -> (url: URL, run: DrillRun) {
        let day = run.startedAt.localDay.iso8601
        let folder = directory.appendingPathComponent(String(day.prefix(4)), isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let base = day + "-" + run.drillId
        var record = run
        var url = folder.appendingPathComponent(base + ".json")
        record.id = base
        var suffix = 2
        while FileManager.default.fileExists(atPath: url.path), suffix < 1000 {
            record.id = base + "-\(suffix)"
            url = folder.appendingPathComponent(record.id + ".json")
            suffix += 1
        }
        try Self.atomicWrite(try Self.encode(record), to: url)
        return (url, record)
    }

    /// Writes `data` to a temporary file beside `url`, flushes it and renames it over `url`.
    public static func atomicWrite(_ data: Data, to url: URL) throws { try AtomicFile.write(data, to: url) }
}

/// A JUnit XML report of a run: one test case per criterion, for CI pipelines.
public enum JUnitReport {
    public static func xml(for run: DrillRun) -> String {
        let failures = run.criteria.filter { $0.verdict != .met }.count
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        lines.append("<testsuites name=\"drillbook\" tests=\"\(run.criteria.count)\" failures=\"\(failures)\">")
        lines.append("  <testsuite name=\"\(escape(run.drillId))\" tests=\"\(run.criteria.count)\" failures=\"\(failures)\" time=\"\(MetricFormat.number(run.durationSeconds))\" timestamp=\"\(run.startedAt.iso8601UTC)\">")
        lines.append("    <properties>")
        lines.append("      <property name=\"outcome\" value=\"\(run.outcome.rawValue)\"/>")
        if let reason = run.abortReason { lines.append("      <property name=\"abortReason\" value=\"\(escape(reason))\"/>") }
        lines.append("    </properties>")
        for result in run.criteria {
            let name = escape(result.criterionId)
            lines.append("    <testcase classname=\"\(escape(run.drillId))\" name=\"\(name)\">")
            let detail = "\(result.text): actual \(result.actualText ?? "not measured"), target \(result.targetText ?? "none")"
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

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n": result += "&#10;"
            default: result.append(character)
            }
        }
        return result
    }
}
