import DrillbookText

/// JSON Schemas (draft 2020-12) of the five record formats, generated from the same shapes the
/// loader checks keys against, so they describe exactly what `drillbook` accepts. The site
/// publishes them under `schema/<name>`; editors can use them for YAML and JSON completion.
public enum RecordSchemas {
    /// `(file name, schema text)`: `drill-definition.schema.json`, `drill-run.schema.json`,
    /// `incident.schema.json`, `action-updates.schema.json`, `schedule.schema.json`, `site.schema.json`.
    public static let files: [(name: String, json: String)] = [
        ("drill-definition.schema.json", schema(RecordShapes.drillDefinition, title: "drillbook drill definition (content/drills/<id>.yaml), format version 1")),
        ("drill-run.schema.json", schema(RecordShapes.drillRun, title: "drillbook drill run (content/runs/**/<id>.json), format version 1")),
        ("incident.schema.json", schema(RecordShapes.incident, title: "drillbook incident (content/incidents/<id>.json), format version 1")),
        ("action-updates.schema.json", schema(RecordShapes.actionUpdates, title: "drillbook action item status history (content/actions/<ACTION-ID>.yaml), format version 1")),
        ("schedule.schema.json", schema(RecordShapes.schedule, title: "drillbook drill schedule (content/schedule.yaml), format version 1")),
        ("site.schema.json", schema(RecordShapes.site, title: "drillbook site configuration (content/site.yaml), format version 1")),
    ]

    static let timestampPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
    static let dayPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

    static func schema(_ root: ObjectShape, title: String) -> String {
        var definitions: [String: SchemaValue] = [:]
        var order: [String] = []
        var top: [(String, SchemaValue)] = [
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("title", .string(title)),
            ("description", .string(root.summary)),
        ]
        top += objectBody(root, definitions: &definitions, order: &order)
        if !order.isEmpty {
            top.append(("$defs", .object(order.map { ($0, definitions[$0]!) })))
        }
        return SchemaValue.object(top).text(indent: 0) + "\n"
    }

    private static func objectBody(
        _ object: ObjectShape, definitions: inout [String: SchemaValue], order: inout [String]
    ) -> [(String, SchemaValue)] {
        var properties: [(String, SchemaValue)] = []
        for property in object.properties {
            var value = schema(for: property.shape, definitions: &definitions, order: &order)
            if !property.required { value = nullable(value) }
            properties.append((property.name, value.adding("description", .string(property.summary))))
        }
        var body: [(String, SchemaValue)] = [("type", .string("object")), ("properties", .object(properties))]
        let required = object.properties.filter(\.required).map { SchemaValue.string($0.name) }
        if !required.isEmpty { body.append(("required", .array(required))) }
        body.append(("additionalProperties", .bool(false)))
        return body
    }

    private static func schema(
        for shape: RecordShape, definitions: inout [String: SchemaValue], order: inout [String]
    ) -> SchemaValue {
        switch shape {
        case .string(.plain): return .object([("type", .string("string"))])
        case .string(.timestamp):
            return .object([
                ("type", .string("string")), ("pattern", .string(timestampPattern)),
                ("$comment", .string("ISO 8601 with a mandatory offset; seconds optional")),
            ])
        case .string(.day):
            return .object([("type", .string("string")), ("format", .string("date")), ("pattern", .string(dayPattern))])
        case .string(.duration):
            return .object([("type", .string("string")), ("$comment", .string("a duration: 45m, 1h 30m, 90 minutes, PT1H30M; not negative"))])
        case .integer(let minimum, let maximum):
            var body: [(String, SchemaValue)] = [("type", .string("integer"))]
            if let minimum { body.append(("minimum", .int(minimum))) }
            if let maximum { body.append(("maximum", .int(maximum))) }
            return .object(body)
        case .constant(let value): return .object([("const", .int(value))])
        case .number: return .object([("type", .string("number"))])
        case .boolean: return .object([("type", .string("boolean"))])
        case .enumeration(let values):
            return .object([("type", .string("string")), ("enum", .array(values.map(SchemaValue.string)))])
        case .array(let item):
            return .object([("type", .string("array")), ("items", schema(for: item, definitions: &definitions, order: &order))])
        case .stringMap:
            return .object([("type", .string("object")), ("additionalProperties", .object([("type", .string("string"))]))])
        case .object(let object):
            if definitions[object.name] == nil {
                definitions[object.name] = .object([])  // placeholder against recursion
                let body = [("description", SchemaValue.string(object.summary))] + objectBody(object, definitions: &definitions, order: &order)
                definitions[object.name] = .object(body)
                order.append(object.name)
            }
            return .object([("$ref", .string("#/$defs/" + object.name))])
        }
    }

    /// Optional keys also accept `null` (the decoders read null as absent).
    private static func nullable(_ value: SchemaValue) -> SchemaValue {
        if case .object(let pairs) = value, pairs.count == 1, pairs[0].0 == "type", case .string(let type) = pairs[0].1 {
            return .object([("type", .array([.string(type), .string("null")]))])
        }
        return .object([("anyOf", .array([value, .object([("type", .string("null"))])]))])
    }
}

/// A JSON value with ordered keys, written with two-space indentation.
enum SchemaValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([SchemaValue])
    case object([(String, SchemaValue)])

    func adding(_ key: String, _ value: SchemaValue) -> SchemaValue {
        guard case .object(let pairs) = self else { return self }
        return .object(pairs + [(key, value)])
    }

    func text(indent: Int) -> String {
        let inner = String(repeating: "  ", count: indent + 1)
        let outer = String(repeating: "  ", count: indent)
        switch self {
        case .string(let s): return JSONText.quoted(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ if case .object = $0 { false } else if case .array = $0 { false } else { true } }) {
                return "[" + items.map { $0.text(indent: 0) }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + $0.text(indent: indent + 1) }.joined(separator: ",\n") + "\n" + outer + "]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { inner + JSONText.quoted($0.0) + ": " + $0.1.text(indent: indent + 1) }.joined(separator: ",\n")
                + "\n" + outer + "}"
        }
    }
}
