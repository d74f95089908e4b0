public import DrillbookModel
import DrillbookContent
public import Foundation
import DrillbookText

/// A Chaos Toolkit `journal.json` (what `chaos run` writes, see chaoslib's `run.py`,
/// `hypothesis.py` and `activity.py`) turned into a drill-run record:
///
/// - `status` and `deviated` give the outcome: `completed` and not deviated → `passed`;
///   `completed` and deviated, or `failed` → `failed`; `aborted` and `interrupted` → `aborted`.
/// - Each probe of `steady_states.before` and `.after` becomes a criterion, met when its
///   `tolerance_met` is true, missed when false, not measured when the journal has no verdict
///   (the hypothesis was not checked after an abort, say); the note says what was observed.
/// - Every activity of `run` and `rollbacks` (and the steady-state probes) is on the timeline at
///   its start and end; the first action's start is `fault.injected`; the steady-state probes'
///   attempts are kept as evidence series (latency = the activity's duration).
/// - Outputs become command outputs; fields chaoslib does not write are kept as outputs
///   (`journal.<key>`) and reported as warnings. Bad input is a `JournalError`, never a crash.
public struct ChaosToolkitJournal: Sendable {
    /// The record, with `id` set to `<day>-<drill>-chaostoolkit` (the writer adds `-2`, … when taken).
    public var run: DrillRun
    /// Located remarks (`FILE: $.path: …`): unknown fields, a missing end, an unknown status.
    public var warnings: [String]

    /// The largest part of an activity's output kept in the record.
    public static let outputLimit = 4_000

    /// Reads `data`, the journal in `file` (named in errors and in the record), as a run of
    /// `drillId` (default: the experiment's title made into an id) in `environment`.
    public init(data: Data, file: String, drillId: String? = nil, environment: String = "local") throws(JournalError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw JournalError(file: file, path: "$", message: "expected a JSON object (a Chaos Toolkit journal), but the file is not valid JSON")
        }
        var reader = JournalReader(file: file)
        (run, warnings) = try reader.read(root, drillId: drillId, environment: environment, fileName: (file as NSString).lastPathComponent)
    }
}

/// Why a journal could not be imported: `FILE: $.path: expected …`.
public struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var message: String

    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String { file + ": " + path + ": " + message }
}

/// The walk over the decoded JSON, each value's path kept for errors.
struct JournalReader {
    let file: String
    var warnings: [String] = []

    init(file: String) { self.file = file }

    static let knownKeys: Set<String> = [
        "chaoslib-version", "platform", "node", "experiment", "start", "end", "duration", "status", "deviated",
        "steady_states", "run", "rollbacks",
    ]

    /// The keys chaoslib's `activity.py` writes in one entry of `run`, `rollbacks` or a steady
    /// state's `probes`, and those it reads from the activity itself (`activity.py`, `control/`).
    static let knownRunKeys: Set<String> = ["activity", "status", "start", "end", "duration", "output", "exception", "tolerance_met"]
    static let knownActivityKeys: Set<String> = [
        "type", "name", "provider", "tolerance", "pauses", "background", "controls", "ref", "dry", "timeout",
    ]

    /// Fields chaoslib does not write found inside activities, kept as outputs in journal order.
    var unknownActivityFields: [CommandOutput] = []

    mutating func read(_ root: JSONValue, drillId: String?, environment: String, fileName: String) throws(JournalError) -> (DrillRun, [String]) {
        let journal = try object(root, "$")
        let experiment = try optionalObject(journal["experiment"], "$.experiment") ?? [:]
        let title = try optionalString(experiment["title"], "$.experiment.title") ?? "Chaos Toolkit experiment"
        let start = try instant(try required(journal, "start", "$"), "$.start")
        let duration = try optionalNumber(journal["duration"], "$.duration")
        var end: Timestamp
        if let text = journal["end"] {
            end = try instant(text, "$.end")
        } else {
            end = start.adding(seconds: duration ?? 0)
            warn("$.end", "no end time; the run ends " + (duration == nil ? "when it started" : "after its duration"))
        }
        if end < start {
            warn("$.end", "the end is before the start; the start is used")
            end = start
        }
        let status = try optionalString(journal["status"], "$.status")
        let deviated = try optionalBool(journal["deviated"], "$.deviated") ?? false
        let outcome: RunOutcome
        var abortReason: String?
        switch status {
        case "completed": outcome = deviated ? .failed : .passed
        case "failed": outcome = .failed
        case "aborted", "interrupted":
            outcome = .aborted
            abortReason = "Chaos Toolkit reported the experiment " + (status ?? "") + "."
        default:
            outcome = .failed
            warn("$.status", "expected completed, failed, aborted or interrupted, found " + Self.describe(journal["status"]) + "; recorded as failed")
        }

        var timeline = [TimelineEvent(at: start, event: "chaostoolkit.started", description: "Experiment *" + title + "* started.")]
        var criteria: [CriterionResult] = []
        var outputs: [CommandOutput] = []
        var series: [EvidenceSeries] = []
        let states = try optionalObject(journal["steady_states"], "$.steady_states") ?? [:]
        let hypothesis = try optionalObject(experiment["steady-state-hypothesis"], "$.experiment.steady-state-hypothesis")
        let declared = try optionalArray(hypothesis?["probes"], "$.experiment.steady-state-hypothesis.probes") ?? []
        for (when, label) in [("before", "before the method"), ("after", "after the method")] {
            let path = "$.steady_states." + when
            let state = try optionalObject(states[when], path)
            let probes = try optionalArray(state?["probes"], path + ".probes") ?? []
            var judged: Set<String> = []
            for (index, item) in probes.enumerated() {
                let activity = try self.activity(item, path + ".probes[" + String(index) + "]")
                judged.insert(activity.name)
                let verdict: Verdict = activity.toleranceMet.map { $0 ? .met : .missed } ?? .notMeasured
                var note = "Observed: " + activity.observed + "."
                if let tolerance = activity.tolerance { note += " Tolerance: `" + tolerance + "`." }
                criteria.append(CriterionResult(
                    criterionId: "steady-state-" + when + "-" + Self.identifier(activity.name),
                    text: "Steady state " + label + ": " + activity.name, note: note, verdict: verdict))
                timeline += activity.events(prefix: "steadyState." + when)
                let t = activity.start.map { start.seconds(until: $0) + (activity.duration ?? 0) }
                if let t {
                    let point = EvidencePoint(t: (t * 1000).rounded() / 1000, value: activity.duration.map { ($0 * 10_000).rounded() / 10_000 }, ok: activity.toleranceMet)
                    if let at = series.firstIndex(where: { $0.name == activity.name }) {
                        series[at].points.append(point)
                    } else if series.count < EvidenceSeries.seriesLimit {
                        series.append(EvidenceSeries(name: activity.name, source: .probe, unit: "s", query: activity.provider, points: [point]))
                    }
                }
            }
            // A declared probe the journal did not check (the hypothesis stopped early, or was never run).
            for (index, item) in declared.enumerated() {
                guard case .object(let probe)? = Optional(item), case .string(let name)? = probe["name"], !judged.contains(name) else { continue }
                _ = index
                let why = state == nil ? "the steady state was not checked " + label : "the probe did not run " + label
                criteria.append(CriterionResult(
                    criterionId: "steady-state-" + when + "-" + Self.identifier(name), text: "Steady state " + label + ": " + name,
                    note: "Not measured: " + why + " (status " + (status ?? "none") + ").", verdict: .notMeasured))
            }
            if let met = try optionalBool(state?["steady_state_met"], path + ".steady_state_met") {
                let at = probes.isEmpty ? start : (timeline.last?.at ?? start)
                timeline.append(TimelineEvent(
                    at: at, event: "steadyState." + when + (met ? ".met" : ".notMet"),
                    description: met ? "The steady-state hypothesis held " + label + "." : "The steady-state hypothesis did not hold " + label + "."))
            }
        }

        var injected = false
        for (key, phase) in [("run", "method"), ("rollbacks", "rollback")] {
            let items = try optionalArray(journal[key], "$." + key) ?? []
            for (index, item) in items.enumerated() {
                let path = "$." + key + "[" + String(index) + "]"
                let activity = try self.activity(item, path)
                timeline += activity.events(prefix: phase + "." + activity.kind)
                if !injected, phase == "method", activity.kind == "action", let at = activity.start {
                    injected = true
                    timeline.append(TimelineEvent(at: at, event: "fault.injected", description: "Fault injected: " + activity.name + "."))
                }
                if activity.output != nil || activity.exception != nil {
                    var text = activity.output ?? ""
                    if let exception = activity.exception { text += (text.isEmpty ? "" : "\n") + exception }
                    let (kept, truncated) = Self.bounded(text)
                    outputs.append(CommandOutput(
                        step: phase + "." + activity.name, command: activity.provider ?? activity.kind, exitStatus: activity.exitStatus,
                        output: kept, truncated: truncated))
                }
            }
        }
        if deviated {
            timeline.append(TimelineEvent(at: end, event: "steadyState.deviated", description: "The steady state deviated: a weakness may have been found."))
        }
        timeline.append(TimelineEvent(at: end, event: "chaostoolkit.ended", description: "Chaos Toolkit status: " + (status ?? "none") + "."))

        var observations: [String] = []
        outputs += unknownActivityFields
        for key in journal.keys.sorted() where !Self.knownKeys.contains(key) {
            warn("$." + key, "not a field chaoslib writes; kept in the record's outputs as journal." + key)
            let (kept, truncated) = Self.bounded((journal[key] ?? .null).json)
            outputs.append(CommandOutput(step: "journal." + key, command: "(journal field)", exitStatus: nil, output: kept, truncated: truncated))
        }
        let version = try optionalString(journal["chaoslib-version"], "$.chaoslib-version")
        let imported = "Chaos Toolkit" + (version.map { " (chaoslib " + $0 + ")" } ?? "") + " journal " + fileName
        if let platform = try optionalString(journal["platform"], "$.platform") { observations.append("Chaos Toolkit ran on " + platform + ".") }
        let drill = drillId ?? Self.identifier(title)
        let metrics = [Metric(name: "experiment_seconds", value: ((duration ?? start.seconds(until: end)) * 1000).rounded() / 1000, unit: "s", note: "Chaos Toolkit's duration of the experiment")]
        let summary = "Imported from a Chaos Toolkit journal (`" + fileName + "`): experiment *" + title + "*, status **"
            + (status ?? "none") + "**" + (deviated ? ", the steady state **deviated**" : ", no deviation") + "."
        var run = DrillRun(
            id: start.localDay.iso8601 + "-" + drill + "-chaostoolkit", drillId: drill, environment: environment,
            startedAt: start, endedAt: end, outcome: outcome, abortReason: abortReason, summary: summary,
            // In time order; events at one instant keep the order they were written in.
            timeline: timeline.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element), metrics: metrics, criteria: criteria, observations: observations,
            outputs: outputs, series: series)
        run.importedFrom = imported
        return (run, warnings)
    }

    // MARK: - Activities

    /// One entry of `run`, `rollbacks` or a steady state's `probes`.
    struct Activity {
        var name: String
        var kind: String
        var provider: String?
        var tolerance: String?
        var status: String?
        var start: Timestamp?
        var end: Timestamp?
        var duration: Double?
        var output: String?
        var exitStatus: Int?
        var httpStatus: Int?
        var exception: String?
        var toleranceMet: Bool?

        /// What the probe saw, in words, for a criterion's note.
        var observed: String {
            var text = status ?? "no status"
            if let httpStatus { text += ", HTTP " + String(httpStatus) }
            if let exitStatus { text += ", exit " + String(exitStatus) }
            if let output, !output.isEmpty { text += ", output `" + JournalReader.firstLine(output) + "`" }
            if exception != nil { text += ", an exception was raised" }
            return text
        }

        func events(prefix: String) -> [TimelineEvent] {
            var events: [TimelineEvent] = []
            let base = prefix + "." + JournalReader.identifier(name)
            if let start { events.append(TimelineEvent(at: start, event: base + ".started", description: kind.capitalized + " " + name + " started.")) }
            if let at = end ?? start {
                let took = duration.map { " in " + MetricFormat.number(($0 * 1000).rounded() / 1000) + " s" } ?? ""
                events.append(TimelineEvent(at: at, event: base + "." + (status ?? "ended"), description: kind.capitalized + " " + name + ": " + (status ?? "no status") + took + "."))
            }
            return events
        }
    }

    mutating func activity(_ value: JSONValue, _ path: String) throws(JournalError) -> Activity {
        let run = try object(value, path)
        let activity = try object(try required(run, "activity", path), path + ".activity")
        let name = try string(try required(activity, "name", path + ".activity"), path + ".activity.name")
        let kind = try optionalString(activity["type"], path + ".activity.type") ?? "activity"
        keepUnknown(run, known: Self.knownRunKeys, path)
        keepUnknown(activity, known: Self.knownActivityKeys, path + ".activity")
        var result = Activity(name: name, kind: kind)
        result.provider = try provider(activity["provider"], path + ".activity.provider")
        if let tolerance = activity["tolerance"] { result.tolerance = Self.firstLine(tolerance.json) }
        result.status = try optionalString(run["status"], path + ".status")
        if let text = run["start"] { result.start = try instant(text, path + ".start") }
        if let text = run["end"] { result.end = try instant(text, path + ".end") }
        result.duration = try optionalNumber(run["duration"], path + ".duration")
        switch run["output"] {
        case nil, .null?: break
        case .object(let object)?:
            // A process provider's output: {status, stdout, stderr}; an HTTP one's: {status, headers, body}.
            if case .number(let status)? = object["status"], status.isFinite, abs(status) < 1e9 {
                if object["headers"] != nil || object["body"] != nil { result.httpStatus = Int(status) } else { result.exitStatus = Int(status) }
            }
            var parts: [String] = []
            for key in ["stdout", "stderr", "body"] {
                switch object[key] {
                case nil, .null?: continue
                case .string(let text)?: if !text.isEmpty { parts.append(text) }
                case let other?: parts.append(other.json)
                }
            }
            result.output = parts.isEmpty ? JSONValue.object(object).json : parts.joined(separator: "\n")
        case .string(let text)?: result.output = text
        case let other?: result.output = other.json
        }
        switch run["exception"] {
        case nil, .null?: break
        case .array(let lines)?: result.exception = lines.map { if case .string(let line) = $0 { line } else { $0.json } }.joined()
        case .string(let text)?: result.exception = text
        case let other?: result.exception = other.json
        }
        result.toleranceMet = try optionalBool(run["tolerance_met"], path + ".tolerance_met")
        return result
    }

    /// Reports each key of `object` chaoslib does not write (a newer chaoslib, an extension, a
    /// hand-edited journal) and keeps its value as the output `journal<path>.<key>`.
    mutating func keepUnknown(_ object: [String: JSONValue], known: Set<String>, _ path: String) {
        for key in object.keys.sorted() where !known.contains(key) {
            let name = "journal" + path.dropFirst() + "." + key
            warn(path + "." + key, "not a field chaoslib writes; kept in the record's outputs as " + name)
            let (kept, truncated) = Self.bounded((object[key] ?? .null).json)
            unknownActivityFields.append(CommandOutput(step: name, command: "(journal field)", exitStatus: nil, output: kept, truncated: truncated))
        }
    }

    /// `http GET http://…`, `process curl -sf …`, `python module.func`, as written in the experiment.
    func provider(_ value: JSONValue?, _ path: String) throws(JournalError) -> String? {
        guard let value, value != .null else { return nil }
        guard case .object(let provider) = value else { throw error(path, "expected an object (the activity's provider), found " + Self.describe(value)) }
        func text(_ key: String) -> String { if case .string(let text)? = provider[key] { text } else { "" } }
        let type = text("type")
        switch type {
        case "http":
            return "http " + (text("method").isEmpty ? "GET" : text("method")) + " " + text("url")
        case "process":
            var line = "process " + text("path")
            switch provider["arguments"] {
            case .string(let arguments)?: line += " " + arguments
            case .array(let arguments)?: line += " " + arguments.map { if case .string(let word) = $0 { word } else { $0.json } }.joined(separator: " ")
            default: break
            }
            return line
        case "python":
            return "python " + text("module") + "." + text("func")
        default:
            return type.isEmpty ? "provider" : type
        }
    }

    // MARK: - Typed reads with paths

    func error(_ path: String, _ message: String) -> JournalError { JournalError(file: file, path: path, message: message) }

    mutating func warn(_ path: String, _ message: String) { warnings.append(file + ": " + path + ": " + message) }

    func required(_ object: [String: JSONValue], _ key: String, _ path: String) throws(JournalError) -> JSONValue {
        guard let value = object[key] else { throw error(path + "." + key, "expected a value, but the key is missing") }
        return value
    }

    func object(_ value: JSONValue, _ path: String) throws(JournalError) -> [String: JSONValue] {
        guard case .object(let object) = value else { throw error(path, "expected an object, found " + Self.describe(value)) }
        return object
    }

    func optionalObject(_ value: JSONValue?, _ path: String) throws(JournalError) -> [String: JSONValue]? {
        guard let value, value != .null else { return nil }
        return try object(value, path)
    }

    func optionalArray(_ value: JSONValue?, _ path: String) throws(JournalError) -> [JSONValue]? {
        guard let value, value != .null else { return nil }
        guard case .array(let array) = value else { throw error(path, "expected a list, found " + Self.describe(value)) }
        return array
    }

    func string(_ value: JSONValue, _ path: String) throws(JournalError) -> String {
        guard case .string(let text) = value else { throw error(path, "expected a string, found " + Self.describe(value)) }
        return text
    }

    func optionalString(_ value: JSONValue?, _ path: String) throws(JournalError) -> String? {
        guard let value, value != .null else { return nil }
        return try string(value, path)
    }

    func optionalNumber(_ value: JSONValue?, _ path: String) throws(JournalError) -> Double? {
        guard let value, value != .null else { return nil }
        guard case .number(let number) = value, number.isFinite, number >= 0, number < 1e9 else {
            throw error(path, "expected a number of seconds, found " + Self.describe(value))
        }
        return number
    }

    func optionalBool(_ value: JSONValue?, _ path: String) throws(JournalError) -> Bool? {
        guard let value, value != .null else { return nil }
        guard case .bool(let flag) = value else { throw error(path, "expected true or false, found " + Self.describe(value)) }
        return flag
    }

    /// An ISO 8601 instant as chaoslib writes it (`datetime.isoformat()`:
    /// `2026-12-01T18:40:00.123456+00:00`); without a zone it is taken as UTC.
    func instant(_ value: JSONValue, _ path: String) throws(JournalError) -> Timestamp {
        let text = try string(value, path)
        guard let instant = Self.parseInstant(text) else {
            throw error(path, "expected a date and time like 2026-12-01T18:40:00.123456+00:00, found " + Self.describe(value))
        }
        return instant
    }

    static func parseInstant(_ text: String) -> Timestamp? {
        let scalars = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard scalars.count >= 19, scalars[4] == 45, scalars[7] == 45, scalars[10] == 84 || scalars[10] == 32, scalars[13] == 58, scalars[16] == 58,
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2), let minute = digits(14, 2),
            let second = digits(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == 46 {
            index += 1
            var scale = 0.1
            let begin = index
            while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 {
                fraction += Double(scalars[index] - 48) * scale
                scale /= 10
                index += 1
            }
            if index == begin || index - begin > 9 { return nil }
        }
        var offset = 0
        if index < scalars.count {
            if scalars[index] == 90, index + 1 == scalars.count {
                offset = 0
            } else if scalars[index] == 43 || scalars[index] == 45, index + 6 == scalars.count, scalars[index + 3] == 58,
                let hours = digits(index + 1, 2), let minutes = digits(index + 4, 2), hours < 24, minutes < 60
            {
                offset = (hours * 3600 + minutes * 60) * (scalars[index] == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Timestamp(secondsSince1970: (seconds * 1000).rounded() / 1000, utcOffsetSeconds: offset)
    }

    // MARK: - Text

    static func describe(_ value: JSONValue?) -> String {
        guard let value else { return "nothing" }
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number: return "the number " + value.json
        case .string(let text): return "\"" + String(firstLine(text).prefix(40)) + "\""
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }

    static func bounded(_ text: String) -> (String, Bool) {
        let bytes = Array(text.utf8)
        guard bytes.count > ChaosToolkitJournal.outputLimit else { return (text, false) }
        var cut = String(decoding: bytes.prefix(ChaosToolkitJournal.outputLimit), as: UTF8.self)
        if cut.hasSuffix("\u{FFFD}") { cut.removeLast() }
        return (cut, true)
    }

    /// `HTTP service answers` → `http-service-answers`: lowercase letters, digits and `-`.
    static func identifier(_ text: String) -> String {
        var result = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, !result.hasSuffix("-") {
                result += "-"
            }
            if result.count >= 60 { break }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? "experiment" : result
    }
}

/// A JSON value as decoded, keeping what kind it is (a Bool is never a number here).
enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Compact JSON text, keys sorted (deterministic).
    var json: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let text): JSONText.quoted(text)
        case .array(let items): "[" + items.map(\.json).joined(separator: ",") + "]"
        case .object(let members): "{" + members.keys.sorted().map { JSONText.quoted($0) + ":" + (members[$0] ?? .null).json }.joined(separator: ",") + "}"
        }
    }
}

/// Writes imported records as `<folder>/<YYYY>/<id>[-N].json`, never over another file.
public enum ImportedRecordWriter {
    /// Writes `run` under the first free name (`…-chaostoolkit.json`, `…-chaostoolkit-2.json`, …),
    /// its `id` set to match; returns the file and the record. Throws `AtomicFileError`.
    public static func write(_ run: DrillRun, into directory: URL) throws -> (url: URL, run: DrillRun) {
        let folder = directory.appendingPathComponent(String(run.startedAt.localDay.iso8601.prefix(4)), isDirectory: true)
        try AtomicFile.createFolder(folder)
        var record = run
        let base = run.id
        for attempt in 1...9_999 {
            record.id = attempt == 1 ? base : base + "-" + String(attempt)
            let url = folder.appendingPathComponent(record.id + ".json")
            if FileManager.default.fileExists(atPath: url.path) { continue }
            do {
                try AtomicFile.create(try RecordJSON.encode(record), at: url)
                return (url, record)
            } catch let error as AtomicFileError where error.fileExists {
                continue
            }
        }
        throw AtomicFileError(path: folder.appendingPathComponent(base + "-N.json").path, operation: "create", code: EEXIST)
    }
}
