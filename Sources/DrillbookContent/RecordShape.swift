import DrillbookModel

/// The shape of a record format, written once and used three ways: to spot unknown keys, to name
/// what was expected in decoding errors, and to publish the JSON Schemas (`RecordSchemas`).
/// It mirrors the model's `Codable` conformances exactly; `RecordShapeTests` keeps them in step.
indirect enum RecordShape: Sendable {
    case string(format: StringFormat = .plain)
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case constant(Int)
    case number
    case boolean
    case enumeration([String])
    case array(RecordShape)
    case object(ObjectShape)
    /// An object whose values are all strings (`extra`).
    case stringMap

    enum StringFormat: Sendable {
        case plain
        /// `Timestamp`: ISO 8601 with an offset.
        case timestamp
        /// `CalendarDay`: `YYYY-MM-DD`.
        case day
        /// A duration `DurationText` reads: `45m`, `1h 30m`, `90 minutes`, `PT1H30M`.
        case duration
    }

    /// What a value of this shape looks like, for "expected …" messages.
    var expectation: String {
        switch self {
        case .string(.plain): "a string"
        case .string(.timestamp): "an ISO 8601 instant with an offset, like 2026-03-02T10:15:00+05:30"
        case .string(.day): "a date as YYYY-MM-DD"
        case .string(.duration): "a duration like 45m, 1h 30m, 90 minutes or PT1H30M"
        case .integer(let minimum, let maximum):
            if let minimum, let maximum { "an integer from \(minimum) to \(maximum)" } else { "an integer" }
        case .constant(let value): "the integer \(value)"
        case .number: "a number"
        case .boolean: "true or false"
        case .enumeration(let values): "one of " + values.joined(separator: ", ")
        case .array: "a list"
        case .object: "an object"
        case .stringMap: "an object of strings"
        }
    }

    /// The shape at `path` below this one, or nil when the path leaves the shape.
    func shape(at path: [PathElement]) -> RecordShape? {
        var current = self
        for element in path {
            switch (current, element) {
            case (.array(let item), .index): current = item
            case (.object(let object), .key(let key)):
                guard let property = object.property(named: key) else { return nil }
                current = property.shape
            case (.stringMap, .key): current = .string()
            default: return nil
            }
        }
        return current
    }
}

/// An object: its properties in the order documentation lists them.
struct ObjectShape: Sendable {
    /// Name used for `$defs` in JSON Schema.
    var name: String
    var summary: String
    var properties: [Property]
    /// Property position by name, for lookups while scanning.
    private let positions: [String: Int]

    init(name: String, summary: String, properties: [Property]) {
        self.name = name
        self.summary = summary
        self.properties = properties
        var positions: [String: Int] = [:]
        for (index, property) in properties.enumerated() { positions[property.name] = index }
        self.positions = positions
    }

    /// The property named `name`, if the shape defines it.
    func property(named name: String) -> Property? { positions[name].map { properties[$0] } }

    struct Property: Sendable {
        var name: String
        var shape: RecordShape
        var required: Bool
        var summary: String
    }

    var propertyNames: Set<String> { Set(properties.map(\.name)) }
}

/// One step of a path into a record.
enum PathElement: Sendable, Hashable {
    case key(String)
    case index(Int)

    init(_ key: any CodingKey) {
        if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
            self = .index(index)
        } else {
            self = .key(key.stringValue)
        }
    }
}

extension [PathElement] {
    /// `$.criteria[2].verdict`.
    var jsonPath: String {
        var text = "$"
        for element in self {
            switch element {
            case .index(let index): text += "[" + String(index) + "]"
            case .key(let key):
                if !key.isEmpty, key.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }) {
                    text += "." + key
                } else {
                    text += "[" + quoted(key) + "]"
                }
            }
        }
        return text
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}

private func p(_ name: String, _ shape: RecordShape, required: Bool = false, _ summary: String) -> ObjectShape.Property {
    ObjectShape.Property(name: name, shape: shape, required: required, summary: summary)
}

private let text = RecordShape.string()
private let timestamp = RecordShape.string(format: .timestamp)
private let day = RecordShape.string(format: .day)
private let strings = RecordShape.array(.string())

/// The shapes of the five record kinds, and of their parts.
enum RecordShapes {
    static let comparison = RecordShape.enumeration(Comparison.allCases.map(\.rawValue))

    static let successCriterion = ObjectShape(
        name: "SuccessCriterion", summary: "One success criterion of a drill.",
        properties: [
            p("id", text, required: true, "Stable kebab-case id within the drill; runs refer to it."),
            p("text", text, required: true, "The playbook's sentence."),
            p("metric", text, "Metric a run measures for this criterion (snake_case)."),
            p("comparison", comparison, "How the actual value is compared with the target."),
            p("target", .number, "The target value."),
            p("unit", text, "Unit of target and metric (`s`, `ms`, `%`, `x`, `count`, `bool`, …)."),
        ])

    static let recoveryTarget = ObjectShape(
        name: "RecoveryTarget", summary: "A recovery-time objective (Appendix B).",
        properties: [
            p("metric", text, required: true, "Metric runs record for recovery."),
            p("seconds", .number, required: true, "Recovery must take at most this many seconds."),
            p("source", text, "Where the target comes from."),
        ])

    static let probe = ObjectShape(
        name: "Probe", summary: "A check: a command, an HTTP request or a TCP connect.",
        properties: [
            p("name", text, required: true, "Name of the probe."),
            p("command", text, "Command probe: run through /bin/sh -c."),
            p("exitStatus", .integer(), "Command probe: expected exit status (default 0)."),
            p("contains", text, "Text the output or body must contain."),
            p("http", text, "HTTP probe: the URL, http:// or https://, any host the run may reach."),
            p("status", .integer(), "HTTP probe: expected status (default 200)."),
            p("jsonField", text, "HTTP probe: a JSON field (dotted path items.0.id, or JSON path $.items[0].id)."),
            p("jsonValue", text, "HTTP probe: the value the field must have."),
            p("maxLatencyMs", .number, "HTTP probe: maximum response time in milliseconds."),
            p("tcp", text, "TCP probe: host:port to connect to."),
            p("timeout", .number, "Seconds one attempt may take."),
            p("interval", .number, "Seconds between polls."),
            p("metric", text, "`during` probes: record the share of failed polls, in %, as this metric."),
            p("prometheus", text, "Prometheus probe: the server's base URL."),
            p("query", text, "Prometheus probe: a PromQL instant query."),
            p("compare", .enumeration(Comparison.allCases.map(\.rawValue)), "Prometheus probe: how the result is compared with threshold."),
            p("threshold", .number, "Prometheus probe: the value the result is compared with."),
            p("alertmanager", text, "Alertmanager probe: the server's base URL."),
            p("alert", .stringMap, "Alertmanager probe: the labels of the alert that must be firing (alertname, …)."),
            p("method", text, "HTTP probe: the request method (default GET)."),
            p("headers", .stringMap, "HTTP probe: request headers (values may use ${secret:NAME})."),
            p("body", text, "HTTP probe: the request body."),
            p("matches", text, "HTTP probe: a regular expression the body must match."),
            p("caFile", text, "HTTPS probe: a PEM file of CA certificates trusted besides the system store."),
        ])

    static let commandStep = ObjectShape(
        name: "CommandStep", summary: "A command that starts or stops something the drill needs.",
        properties: [
            p("name", text, required: true, "Name of the step."),
            p("run", text, required: true, "Command run through /bin/sh -c."),
            p("background", .boolean, "Keep running in the background."),
            p("timeout", .number, "Seconds to wait."),
            p("ready", .object(probe), "A probe that must hold before the next step starts."),
        ])

    static let faultAction = ObjectShape(
        name: "FaultAction", summary: "One fault or rollback action.",
        properties: [
            p("name", text, required: true, "Name of the action."),
            p("run", text, "Command run through /bin/sh -c."),
            p("kill", text, "Setup step whose process is killed."),
            p("pidFile", text, "File holding the pid to signal."),
            p("signal", text, "Signal to send."),
            p("wait", .number, "Seconds to wait."),
            p("http", text, "HTTP request: METHOD URL."),
            p("event", text, "Timeline event recorded when the action completes."),
            p("timeout", .number, "Seconds the action may take."),
            p("background", .boolean, "Start `run` as a background process (restarting a server)."),
            p("ready", .object(probe), "With `background`: a probe that must hold before the next action."),
            p("load", .object(loadStep), "Run a load step as this action."),
            p("headers", .stringMap, "HTTP action: request headers."),
            p("body", text, "HTTP action: the request body."),
            p("status", .integer(), "HTTP action: the status the answer must have (default: any below 400)."),
            p("caFile", text, "HTTPS action: a PEM file of CA certificates trusted besides the system store."),
        ])

    static let measurement = ObjectShape(
        name: "Measurement", summary: "A timed measurement.",
        properties: [
            p("metric", text, required: true, "Metric recorded."),
            p("kind", .enumeration(MeasurementKind.allCases.map(\.rawValue)), "What is recorded: elapsed (default), holds or value."),
            p("from", text, "Timeline event the clock starts at (elapsed measurements)."),
            p("event", text, "Event recorded when the probe first holds."),
            p("probe", .object(probe), required: true, "The probe polled."),
            p("interval", .number, "Seconds between polls."),
            p("timeout", .number, required: true, "Seconds before giving up."),
            p("unit", text, "Unit of the metric: s (default) or ms."),
            p("after", strings, "Measurements that must finish before this one starts."),
            p("trigger", .object(faultAction), "An action run when the measurement starts."),
            p("onTimeout", .enumeration(MeasurementTimeout.allCases.map(\.rawValue)), "window: when the probe never holds, record the time watched (a lower bound)."),
        ])

    static let rangeQuery = ObjectShape(
        name: "RangeQuery", summary: "A Prometheus range query recorded over the run as an evidence series.",
        properties: [
            p("name", text, required: true, "Name of the series."),
            p("prometheus", text, required: true, "The Prometheus server's base URL."),
            p("query", text, required: true, "The PromQL expression."),
            p("step", .number, "Seconds between points (default 1)."),
            p("unit", text, "Unit of the values."),
        ])

    static let derivedMetric = ObjectShape(
        name: "DerivedMetric", summary: "A metric computed from others after the run.",
        properties: [
            p("metric", text, required: true, "Metric recorded."),
            p("numerator", text, required: true, "Metric multiplied by factor."),
            p("denominator", text, "Metric divided by."),
            p("factor", .number, "Multiplier (default 1)."),
            p("subtractFrom", .number, "Subtract the result from this value (a rate from a failure share)."),
            p("unit", text, "Unit of the metric."),
        ])

    static let loadStep = ObjectShape(
        name: "LoadStep", summary: "A built-in HTTP load step.",
        properties: [
            p("name", text, required: true, "Name of the step."),
            p("url", text, required: true, "URL requested: http:// or https://, any host the run may reach."),
            p("rate", .number, "Requests per second (open model)."),
            p("concurrency", .integer(), "Concurrent clients (closed model)."),
            p("duration", .number, required: true, "Seconds."),
            p("metricPrefix", text, required: true, "Prefix of the metric names recorded."),
            p("method", text, "The request method (default GET)."),
            p("headers", .stringMap, "Request headers."),
            p("body", text, "The request body."),
            p("caFile", text, "HTTPS: a PEM file of CA certificates trusted besides the system store."),
            p("timeout", .number, "Seconds each request may take (default 5); a slower one is an error."),
        ])

    static let execution = ObjectShape(
        name: "DrillExecution", summary: "The steps the executor runs (see DrillExecution).",
        properties: [
            p("setup", .array(.object(commandStep)), "Commands that start what the drill needs."),
            p("steadyState", .array(.object(probe)), "Probes that must hold before and after the fault."),
            p("fault", .array(.object(faultAction)), "The fault actions."),
            p("measure", .array(.object(measurement)), "Timed measurements."),
            p("during", .array(.object(probe)), "Probes polled while the fault is active."),
            p("load", .array(.object(loadStep)), "Load steps."),
            p("abortIf", .array(.object(probe)), "Probes that abort the drill when they hold."),
            p("rollback", .array(.object(faultAction)), "Actions that undo the fault (always run)."),
            p("teardown", .array(.object(commandStep)), "Commands that clean up (always run)."),
            p("derive", .array(.object(derivedMetric)), "Metrics computed from others at the end."),
            p("rangeQueries", .array(.object(rangeQuery)), "Prometheus range queries recorded over the run as evidence series."),
            p("variables", .stringMap, "Local values of the variables the drill refers to; an environment file gives its own."),
        ])

    static let drillDefinition = ObjectShape(
        name: "DrillDefinition", summary: "A drill as the playbook describes it.",
        properties: [
            p("id", text, required: true, "Stable kebab-case id, also the file name and page slug."),
            p("playbookSection", text, "Section number in the playbook (`1.2`)."),
            p("title", text, required: true, "Title."),
            p("category", .enumeration(DrillCategory.allCases.map(\.rawValue)), required: true, "Drill category."),
            p("objective", text, required: true, "Objective, Markdown."),
            p("scenario", strings, "Scenario steps, Markdown each."),
            p("expectedBehaviour", strings, "Expected behaviour, Markdown each."),
            p("successCriteria", .array(.object(successCriterion)), required: true, "Success criteria."),
            p("recoveryTarget", .object(recoveryTarget), "Recovery-time target."),
            p("observabilityChecks", strings, "Commands of the Observability Checks."),
            p("allocatedDuration", .string(format: .duration), required: true, "Time allotted to the drill (`45m`, `1h 30m`, `90 minutes`, `PT1H30M`)."),
            p("environment", text, "Where the drill is meant to run (`local`, `staging`, `production`)."),
            p("preparationChecklist", strings, "Preparation checklist items."),
            p("rollbackChecklist", strings, "Rollback checklist items."),
            p("impact", text, "Expected impact, for the notification."),
            p("rollbackPlan", text, "Rollback plan in one sentence."),
            p("execution", .object(execution), "Steps the executor runs; see DrillExecution."),
        ])

    static let actionItem = ObjectShape(
        name: "ActionItem", summary: "A follow-up: the playbook's [Action] - [Owner] - [Due Date].",
        properties: [
            p("id", text, required: true, "Unique across all content (`AI-2026-014`)."),
            p("title", text, required: true, "Markdown, one line."),
            p("owner", text, required: true, "Who owns it (must not be empty)."),
            p("dueDate", day, "Due date; derived from priority when absent."),
            p("status", .enumeration(ActionStatus.allCases.map(\.rawValue)), required: true, "Status."),
            p("priority", .enumeration(ActionPriority.allCases.map(\.rawValue)), required: true, "Improvement category."),
            p("closedOn", day, "Day it was closed, for done or cancelled items."),
            p("notes", text, "Markdown."),
            p("tracker", text, "The item's page in the team's tracker: an http:// or https:// address."),
        ])

    static let participant = ObjectShape(
        name: "Participant", summary: "Someone who took part.",
        properties: [
            p("name", text, required: true, "Name."),
            p("role", text, required: true, "Role played (`Drill lead`, `Observer`)."),
        ])

    static let timelineEvent = ObjectShape(
        name: "TimelineEvent", summary: "One moment of a run's timeline.",
        properties: [
            p("at", timestamp, required: true, "When."),
            p("event", text, required: true, "Dotted event name (`fault.injected`)."),
            p("description", text, "Markdown."),
        ])

    static let metric = ObjectShape(
        name: "Metric", summary: "A measured value with its unit.",
        properties: [
            p("name", text, required: true, "Metric name."),
            p("value", .number, required: true, "Value."),
            p("unit", text, required: true, "Unit."),
            p("note", text, "How it was measured."),
        ])

    static let criterionResult = ObjectShape(
        name: "CriterionResult", summary: "A success criterion as evaluated in one run.",
        properties: [
            p("criterionId", text, required: true, "The drill's SuccessCriterion.id."),
            p("text", text, required: true, "The criterion's sentence."),
            p("metric", text, "Metric name."),
            p("comparison", comparison, "How actual is compared with target."),
            p("target", .number, "Target value."),
            p("unit", text, "Unit."),
            p("actual", .number, "Measured value."),
            p("note", text, "Markdown: how it was judged."),
            p("verdict", .enumeration(Verdict.allCases.map(\.rawValue)), required: true, "Verdict."),
        ])

    static let lessons = ObjectShape(
        name: "Lessons", summary: "The lessons-learned template sections.",
        properties: [
            p("wentWell", strings, "What went well."),
            p("couldImprove", strings, "What could be improved."),
            p("nextSteps", strings, "Next steps."),
        ])

    static let probeSummary = ObjectShape(
        name: "ProbeSummary", summary: "The executor's summary of one probe.",
        properties: [
            p("name", text, required: true, "Probe name."),
            p("phase", text, required: true, "Phase it ran in."),
            p("attempts", .integer(), required: true, "Polls made."),
            p("failures", .integer(), required: true, "Polls that failed."),
            p("firstSuccessAfterSeconds", .number, "Seconds from phase start to first success."),
            p("lastResult", text, "Last result in words."),
        ])

    static let commandOutput = ObjectShape(
        name: "CommandOutput", summary: "Output of a command the executor ran.",
        properties: [
            p("step", text, required: true, "Step that ran it."),
            p("command", text, required: true, "The command."),
            p("exitStatus", .integer(), "Exit status."),
            p("output", text, required: true, "Output, bounded."),
            p("truncated", .boolean, required: true, "True when output was cut."),
        ])

    static let evidencePoint = ObjectShape(
        name: "EvidencePoint", summary: "One observation of a watched series.",
        properties: [
            p("t", .number, required: true, "Seconds after the run's startedAt."),
            p("value", .number, "The value (a probe's latency in s, a Prometheus sample)."),
            p("ok", .boolean, "Whether a probe attempt passed."),
        ])

    static let evidenceSeries = ObjectShape(
        name: "EvidenceSeries", summary: "A time series the executor watched (bounded).",
        properties: [
            p("name", text, required: true, "What was watched."),
            p("source", .enumeration(EvidenceSource.allCases.map(\.rawValue)), required: true, "`probe` or `prometheus`."),
            p("unit", text, required: true, "Unit of each value."),
            p("query", text, "The query, URL or command, as written."),
            p("note", text, "Why points are missing or thinned."),
            p("points", .array(.object(evidencePoint)), "Observations, at most 2000."),
        ])

    static let drillRun = ObjectShape(
        name: "DrillRun", summary: "The record of one drill run.",
        properties: [
            p("schemaVersion", .constant(1), required: true, "Format version; always 1."),
            p("id", text, required: true, "Unique run id, also the page slug."),
            p("drillId", text, required: true, "The drill this run realised."),
            p("environment", text, required: true, "`local`, `staging`, `production`, …"),
            p(
                "realisation", .enumeration(RunRealisation.allCases.map(\.rawValue)),
                "`local`: servers the executor started on the operator's machine; `environment`: the environment's real systems (the default)."),
            p("startedAt", timestamp, required: true, "Start."),
            p("endedAt", timestamp, required: true, "End (not before start)."),
            p("participants", .array(.object(participant)), "Who took part."),
            p("outcome", .enumeration(RunOutcome.allCases.map(\.rawValue)), required: true, "How the run ended."),
            p("abortReason", text, "Why it was aborted."),
            p("approvedBy", text, "Who approved a production run."),
            p("runBy", text, "Who started the run."),
            p("summary", text, "Markdown summary."),
            p("timeline", .array(.object(timelineEvent)), "Timeline."),
            p("metrics", .array(.object(metric)), "Measured values."),
            p("criteria", .array(.object(criterionResult)), "Criteria results."),
            p("observations", strings, "Markdown, one observation each."),
            p("lessons", .object(lessons), "Lessons learned."),
            p("actionItems", .array(.object(actionItem)), "Follow-ups."),
            p("probes", .array(.object(probeSummary)), "Executor detail: probes."),
            p("outputs", .array(.object(commandOutput)), "Executor detail: command outputs."),
            p("series", .array(.object(evidenceSeries)), "Executor detail: time series watched (evidence)."),
            p("importedFrom", text, "The tool and file an imported record came from (`drillbook import`)."),
        ])

    static let incidentUpdate = ObjectShape(
        name: "IncidentUpdate", summary: "One STATUS UPDATE block.",
        properties: [
            p("at", timestamp, required: true, "Time of the update."),
            p("status", text, required: true, "Status as written."),
            p("progress", strings, "Progress made."),
            p("currentSituation", text, "Markdown."),
            p("nextSteps", strings, "Next steps."),
            p("nextUpdate", text, "Next update, as written."),
        ])

    static let incident = ObjectShape(
        name: "Incident", summary: "An incident.",
        properties: [
            p("id", text, required: true, "Incident id."),
            p("severity", .enumeration(Severity.allCases.map(\.rawValue)), required: true, "Severity."),
            p("type", text, required: true, "Type."),
            p("location", text, "Location."),
            p("description", text, required: true, "Markdown."),
            p("impact", strings, "Impact."),
            p("initialResponse", strings, "Initial response."),
            p("declaredAt", timestamp, required: true, "Declaration time."),
            p("startedAt", timestamp, "When the problem began."),
            p("detectedAt", timestamp, "When it was noticed."),
            p("acknowledgedAt", timestamp, "When a responder first acted."),
            p("escalatedAt", timestamp, "When it was escalated."),
            p("nextUpdate", text, "Next update of the declaration, as written."),
            p("updates", .array(.object(incidentUpdate)), "Status updates."),
            p("resolvedAt", timestamp, "Resolution time (not before declaration)."),
            p("statedDuration", text, "Duration as written."),
            p("rootCause", text, "Markdown."),
            p("resolutionActions", strings, "Resolution actions."),
            p("preventionMeasures", strings, "Prevention measures."),
            p("lessonsLearned", strings, "Lessons learned."),
            p("actionItems", .array(.object(actionItem)), "Follow-ups."),
            p("drillRunId", text, "The drill run this incident was practised in."),
            p("extra", .stringMap, "Keys drillbook does not know, kept as written."),
        ])

    static let actionUpdate = ObjectShape(
        name: "ActionUpdate", summary: "A status change of an action item.",
        properties: [
            p("on", day, required: true, "Day of the change."),
            p("status", .enumeration(ActionStatus.allCases.map(\.rawValue)), required: true, "New status."),
            p("by", text, "Who made the change."),
            p("note", text, "Markdown."),
            p("owner", text, "New owner, when the item changed hands."),
            p("dueDate", day, "New due date, when it moved."),
        ])

    static let actionUpdates = ObjectShape(
        name: "ActionUpdates", summary: "Status history of one action item (file name = action id).",
        properties: [p("updates", .array(.object(actionUpdate)), required: true, "Changes, oldest first.")])

    static let monthlySlot = ObjectShape(
        name: "MonthlySlot", summary: "A week-of-month slot.",
        properties: [
            p("week", .integer(minimum: 1, maximum: 4), required: true, "Week of the month (1–4)."),
            p("category", .enumeration(DrillCategory.allCases.map(\.rawValue)), required: true, "Category practised."),
        ])

    static let quarterlySlot = ObjectShape(
        name: "QuarterlySlot", summary: "A quarterly theme.",
        properties: [
            p("quarter", .integer(minimum: 1, maximum: 4), required: true, "Quarter (1–4)."),
            p("category", .enumeration(DrillCategory.allCases.map(\.rawValue)), required: true, "Theme."),
        ])

    static let schedule = ObjectShape(
        name: "DrillSchedule", summary: "The drill plan (Appendix A).",
        properties: [
            p("monthly", .array(.object(monthlySlot)), required: true, "Week-of-month slots."),
            p("quarterly", .array(.object(quarterlySlot)), required: true, "Quarterly themes."),
            p("startsOn", day, "First day the plan applies."),
        ])

    static let site = ObjectShape(
        name: "SiteConfiguration", summary: "The site's settings (`content/site.yaml`); every key is optional.",
        properties: [
            p("organisation", text, "Shown in page headers, print and announcement subjects; nothing is shown when absent."),
            p("title", text, "The site title; `Drill history` when absent."),
            p("baseURL", text, "Absolute http:// or https:// address the site is published at: canonical links, Open Graph and the feed; relative links only when absent."),
            p("timeZone", text, "IANA time zone (`Europe/London`) that times on pages are shown in; UTC when absent."),
            p("trackerURL", text, "Action-item link pattern with `{id}` for the action id (`https://tracker.example/browse/{id}`); no link when absent."),
            p("includeLocalRuns", .boolean, "Count local realisations (runs rehearsed on a laptop) in leadership figures; false when absent."),
        ])
}
