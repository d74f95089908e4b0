import DrillbookContent
import DrillbookModel
import Foundation
import Testing

/// The published JSON Schemas describe what the loader accepts: every record of the fixture
/// corpora validates, and the mistakes the loader rejects are rejected by the schemas too.
@Suite struct SchemaTests {
    func schema(_ name: String) throws -> [String: Any] {
        let text = try #require(RecordSchemas.files.first { $0.name == name }?.json)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func json(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: RecordJSON.encode(value))
    }

    @Test func fiveDraft2020Schemas() throws {
        #expect(
            RecordSchemas.files.map(\.name) == [
                "drill-definition.schema.json", "drill-run.schema.json", "incident.schema.json",
                "action-updates.schema.json", "schedule.schema.json", "site.schema.json",
            ])
        for file in RecordSchemas.files {
            let object = try schema(file.name)
            #expect(object["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
            #expect(object["type"] as? String == "object")
            #expect(file.json.hasSuffix("}\n"))
        }
        let run = try schema("drill-run.schema.json")
        #expect(
            run["required"] as? [String] == ["schemaVersion", "id", "drillId", "environment", "startedAt", "endedAt", "outcome"])
        let properties = try #require(run["properties"] as? [String: Any])
        let outcome = try #require(properties["outcome"] as? [String: Any])
        #expect(outcome["enum"] as? [String] == RunOutcome.allCases.map(\.rawValue))
        let defs = try #require(run["$defs"] as? [String: Any])
        let result = try #require(defs["CriterionResult"] as? [String: Any])
        let verdict = try #require((result["properties"] as? [String: Any])?["verdict"] as? [String: Any])
        #expect(verdict["enum"] as? [String] == ["met", "missed", "not-measured"])
        let incident = try schema("incident.schema.json")
        #expect(incident["required"] as? [String] == ["id", "severity", "type", "description", "declaredAt"])
    }

    @Test func everyFixtureRecordValidates() throws {
        for folder in ["valid", "hostile"] {
            let history = ContentLoader(contentDirectory: fixtures.appendingPathComponent(folder)).load().history
            for drill in history.drills {
                #expect(SchemaValidator.errors(try json(drill), schema: try schema("drill-definition.schema.json")) == [], "\(drill.id)")
            }
            for run in history.runs {
                #expect(SchemaValidator.errors(try json(run), schema: try schema("drill-run.schema.json")) == [], "\(run.id)")
            }
            for incident in history.incidents {
                #expect(SchemaValidator.errors(try json(incident), schema: try schema("incident.schema.json")) == [], "\(incident.id)")
            }
            #expect(SchemaValidator.errors(try json(history.schedule), schema: try schema("schedule.schema.json")) == [])
        }
        // Hand-written JSON records validate as written (nulls, omitted optionals).
        for path in ["valid/runs/2026/q1/2026-01-07-websocket-node-failure.json", "valid/incidents/INC-2026-009.json"] {
            let value = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(path)))
            let name = path.contains("runs") ? "drill-run.schema.json" : "incident.schema.json"
            #expect(SchemaValidator.errors(value, schema: try schema(name)) == [], "\(path)")
        }
        let updates: [String: Any] = ["updates": [["on": "2026-02-06", "status": "in-progress", "by": "Dev", "owner": NSNull()]]]
        #expect(SchemaValidator.errors(updates, schema: try schema("action-updates.schema.json")) == [])
    }

    @Test func schemasRejectWhatTheLoaderRejects() throws {
        let runSchema = try schema("drill-run.schema.json")
        func runErrors(_ text: String) throws -> [String] {
            SchemaValidator.errors(try JSONSerialization.jsonObject(with: Data(text.utf8)), schema: runSchema)
        }
        #expect(try runErrors(runJSON()) == [])
        #expect(try runErrors(runJSON(verdict: "ok")) == ["$.criteria[0].verdict: not in enum"])
        #expect(try runErrors(runJSON(schemaVersion: "2")) == ["$.schemaVersion: not the constant"])
        #expect(try runErrors(runJSON(startedAt: "2026-02-04 10:00")) == ["$.startedAt: does not match pattern"])
        #expect(try runErrors(runJSON(extra: "\n  \"sumary\": \"x\",")) == ["$.sumary: additional property"])
        #expect(try runErrors(runJSON(actual: "\"fast\"")) == ["$.criteria[0].actual: expected number or null"])
        let updates = try schema("action-updates.schema.json")
        #expect(SchemaValidator.errors(["updates": [["on": "3 Feb", "status": "open"]]], schema: updates) == ["$.updates[0].on: does not match pattern"])
        let schedule = try schema("schedule.schema.json")
        #expect(
            SchemaValidator.errors(["monthly": [["week": 5, "category": "infrastructure-resilience"]], "quarterly": []], schema: schedule)
                == ["$.monthly[0].week: above maximum"])
    }
}

/// Just enough of JSON Schema 2020-12 to check our own schemas: type, properties, required,
/// additionalProperties, items, enum, const, pattern, minimum, maximum, anyOf and local $ref.
enum SchemaValidator {
    static func errors(_ value: Any, schema: [String: Any]) -> [String] {
        var errors: [String] = []
        validate(value, schema, root: schema, path: "$", errors: &errors)
        return errors
    }

    private static func validate(_ value: Any, _ schema: [String: Any], root: [String: Any], path: String, errors: inout [String]) {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.dropFirst("#/$defs/".count))
            let target = (root["$defs"] as? [String: Any])?[name] as? [String: Any] ?? [:]
            validate(value, target, root: root, path: path, errors: &errors)
        }
        if let options = schema["anyOf"] as? [[String: Any]] {
            // Optional keys are `anyOf: [X, null]`: report X's errors directly for readability.
            let nonNull = options.filter { $0["type"] as? String != "null" }
            if !(value is NSNull), nonNull.count == 1 {
                validate(value, nonNull[0], root: root, path: path, errors: &errors)
                return
            }
            let passing = options.contains { option in
                var scratch: [String] = []
                validate(value, option, root: root, path: path, errors: &scratch)
                return scratch.isEmpty
            }
            if !passing { errors.append(path + ": matches no anyOf option") }
        }
        var types: [String] = []
        if let type = schema["type"] as? String { types = [type] }
        if let list = schema["type"] as? [String] { types = list }
        if !types.isEmpty && !types.contains(where: { matches(value, type: $0) }) {
            errors.append(path + ": expected " + types.joined(separator: " or "))
            return
        }
        if let allowed = schema["enum"] as? [String], !(value is NSNull) {
            if !allowed.contains(value as? String ?? "\u{0}") { errors.append(path + ": not in enum") }
        }
        if let constant = schema["const"] as? NSNumber, (value as? NSNumber) != constant { errors.append(path + ": not the constant") }
        if let pattern = schema["pattern"] as? String, let text = value as? String {
            let regex = try! NSRegularExpression(pattern: pattern)
            if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                errors.append(path + ": does not match pattern")
            }
        }
        if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue, let number = (value as? NSNumber)?.doubleValue, number > maximum {
            errors.append(path + ": above maximum")
        }
        if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, let number = (value as? NSNumber)?.doubleValue, number < minimum {
            errors.append(path + ": below minimum")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                errors.append(path + "." + key + ": required")
            }
            for key in object.keys.sorted() {
                if let property = properties[key] as? [String: Any] {
                    validate(object[key]!, property, root: root, path: path + "." + key, errors: &errors)
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    validate(object[key]!, additional, root: root, path: path + "." + key, errors: &errors)
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append(path + "." + key + ": additional property")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() {
                validate(item, items, root: root, path: path + "[\(index)]", errors: &errors)
            }
        }
    }

    /// JSONSerialization gives booleans as NSNumber with the `c` (char) type on every platform.
    private static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "boolean":
            guard let number = value as? NSNumber else { return false }
            return isBoolean(number)
        case "number", "integer":
            guard let number = value as? NSNumber, !(value is String) else { return false }
            if isBoolean(number) { return false }
            return type == "number" || number.doubleValue.rounded() == number.doubleValue
        default: return false
        }
    }
}

/// docs/formats.md documents every field the schemas define (DrillExecution's are documented
/// with the executor).
@Test func formatsDocumentationCoversEveryField() throws {
    let doc = try String(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/formats.md"),
        encoding: .utf8)
    let executorDefs: Set<String> = [
        "DrillExecution", "CommandStep", "Probe", "FaultAction", "Measurement", "LoadStep", "DerivedMetric", "RangeQuery",
    ]
    for file in RecordSchemas.files {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(file.json.utf8)) as? [String: Any])
        var objects: [(String, [String: Any])] = [(file.name, schema)]
        for (name, definition) in schema["$defs"] as? [String: Any] ?? [:] where !executorDefs.contains(name) {
            objects.append((name, definition as? [String: Any] ?? [:]))
            #expect(doc.contains("#### " + name), "no table for \(name)")
        }
        for (owner, object) in objects {
            for key in (object["properties"] as? [String: Any] ?? [:]).keys {
                #expect(doc.contains("| `" + key + "` |"), "\(owner).\(key) is not documented")
            }
        }
    }
}
